"""How many instances a mapped task expands to, from its expand spec and its upstream XComs."""

from __future__ import annotations

from math import prod
from typing import Any, Callable

from tradewind.store.serialized_dag import SerializedTask

XComLookup = Callable[[str, str], "tuple[bool, Any]"]  # (task_id, key) -> (found, value)


class NotMappable(ValueError):
    """An upstream value that a task maps over is not a list or a dict."""


def _arg_length(spec: dict[str, Any], lookup: XComLookup) -> int | None:
    if "literal_length" in spec:
        return int(spec["literal_length"])
    if "xcom" in spec:
        found, value = lookup(spec["xcom"]["task_id"], spec["xcom"].get("key", "return_value"))
        if not found:
            return None
        if not isinstance(value, (list, dict)):
            raise NotMappable(f"task {spec['xcom']['task_id']!r} returned {type(value).__name__}, not a list or dict to map over")
        return len(value)
    if "zip" in spec:
        lengths = [_arg_length(s, lookup) for s in spec["zip"]]
        if any(n is None for n in lengths):
            return None
        return max(lengths) if spec.get("longest") else min(lengths)  # type: ignore[type-var]
    if "concat" in spec:
        lengths = [_arg_length(s, lookup) for s in spec["concat"]]
        return None if any(n is None for n in lengths) else sum(lengths)  # type: ignore[arg-type]
    raise ValueError(f"unknown expand spec {spec!r}")


def expansion_length(task: SerializedTask, lookup: XComLookup) -> int | None:
    """The number of mapped instances, or None while an upstream value is still missing."""
    spec = task.get("expand_input") or {}
    if "source" in spec:
        return _arg_length(spec["source"], lookup)
    lengths = [_arg_length(a, lookup) for a in spec.get("args", {}).values()]
    if any(n is None for n in lengths):
        return None
    if spec.get("kind") == "list":
        return lengths[0] if lengths else 0
    return prod(lengths) if lengths else 0  # type: ignore[arg-type]
