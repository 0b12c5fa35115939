"""XCom push rules for a task's return value, and the JSON form XCom values are stored in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from tradewind.sdk.exceptions import AirflowException, UnmappableXComLengthPushed, UnmappableXComTypePushed

RETURN_VALUE = "return_value"


def to_json_value(value: Any, *, task_id: str, key: str) -> Any:
    """`value` as stored: a JSON round trip, so a pull gives back what later tries and workers see."""
    try:
        return json.loads(json.dumps(value, default=_encode))
    except (TypeError, ValueError) as exc:
        raise AirflowException(
            f"Task {task_id!r} pushed XCom {key!r} of type {type(value).__name__}, which cannot be stored as JSON "
            f"({exc}); return or push plain data (str, int, float, bool, None, lists, dicts)"
        ) from None


def _encode(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "serialize") and callable(value.serialize):
        return value.serialize()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def xcoms_for_return_value(task: Any, value: Any) -> list[tuple[str, Any]]:
    """The (key, value) XComs a returned value makes: none for None or do_xcom_push=False; per key with multiple_outputs."""
    if value is None or not getattr(task, "do_xcom_push", True):
        return []
    if not getattr(task, "multiple_outputs", False):
        return [(RETURN_VALUE, value)]
    if not isinstance(value, Mapping):
        raise AirflowException(
            f"Task {task.task_id!r} has multiple_outputs=True but returned {type(value).__name__}, not a dict; "
            "return a dict with string keys or drop multiple_outputs"
        )
    for item_key in value:
        if not isinstance(item_key, str):
            raise AirflowException(
                f"Task {task.task_id!r} has multiple_outputs=True but returned a dict with the non-string key "
                f"{item_key!r}; every key becomes an XCom key and must be a string"
            )
    return [*((k, v) for k, v in value.items()), (RETURN_VALUE, value)]


def check_mappable(task_id: str, value: Any, max_map_length: int) -> None:
    """Fail the task when the mapped task it feeds cannot expand over `value` (not a list/dict, or too long)."""
    if not isinstance(value, (list, tuple, dict)):
        raise UnmappableXComTypePushed(
            f"Task {task_id!r} feeds a mapped task, so it must return a list or a dict, not "
            f"{type(value).__name__} ({value!r:.80})"
        )
    if len(value) > max_map_length:
        raise UnmappableXComLengthPushed(
            f"Task {task_id!r} returned {len(value)} items for a mapped task to expand over, more than "
            f"[core] max_map_length = {max_map_length}; return fewer items or raise max_map_length"
        )
