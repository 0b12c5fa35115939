"""Rules for dag, task and group ids, and the `name__N` ids of repeated TaskFlow calls."""

from __future__ import annotations

import re
from typing import Any

from tradewind.sdk.exceptions import InvalidIdError

MAX_ID_LENGTH = 250
_VALID_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_SUFFIX = re.compile(r"__(\d+)$")


def validate_id(kind: str, value: Any, *, dag_id: str | None = None) -> str:
    """Return `value` if it is a valid `kind` id ("dag", "task" or "group"), else raise naming it."""
    if not isinstance(value, str):
        raise InvalidIdError(f"invalid {kind} id {value!r}: it must be a string", dag_id=dag_id)
    if len(value) > MAX_ID_LENGTH:
        raise InvalidIdError(
            f"invalid {kind} id {value!r}: it has {len(value)} characters, the limit is {MAX_ID_LENGTH}",
            dag_id=dag_id,
            task_id=value if kind == "task" else None,
        )
    if not _VALID_ID.match(value):
        raise InvalidIdError(
            f"invalid {kind} id {value!r}: use only letters, digits, '_', '-' and '.'",
            dag_id=dag_id,
            task_id=value if kind == "task" else None,
        )
    return value


def unique_task_id(task_id: str, dag: Any, group: Any) -> str:
    """`task_id`, or `task_id__N` with the next free N when the DAG already has it (TaskFlow calls)."""
    if dag is None:
        return task_id
    full = group.child_id(task_id) if group is not None else task_id
    if full not in dag.task_dict:
        return task_id
    core = _SUFFIX.sub("", task_id)
    full_core = _SUFFIX.sub("", full)
    pattern = re.compile(rf"^{re.escape(full_core)}__(\d+)$")
    suffixes = [int(m.group(1)) for tid in dag.task_dict if (m := pattern.match(tid))]
    return f"{core}__{max(suffixes, default=0) + 1}"
