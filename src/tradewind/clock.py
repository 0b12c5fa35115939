"""The only module that reads wall time: everything else asks a Clock, so tests can move time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone


class Clock:
    """Real time: aware UTC instants and a monotonic counter for measuring durations."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock(Clock):
    """Time that moves only when a test says so; `sleep` advances it instead of waiting."""

    def __init__(self, start_at: datetime) -> None:
        if start_at.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start_at.astimezone(timezone.utc)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, delta: timedelta | float) -> datetime:
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
        return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))


def utcnow() -> datetime:
    """Wall time for code that has no Clock at hand (user-facing helpers such as days_ago)."""
    return datetime.now(timezone.utc)
