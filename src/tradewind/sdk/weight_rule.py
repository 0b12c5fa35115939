"""`WeightRule`: how a task's effective priority is computed from its priority_weight."""

from __future__ import annotations

from enum import Enum


class WeightRule(str, Enum):
    """downstream: own weight plus all downstream weights; upstream: plus upstream; absolute: own only."""

    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    ABSOLUTE = "absolute"

    def __str__(self) -> str:
        return self.value
