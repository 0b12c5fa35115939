"""What a skipping task reads from its DAG: the chosen ids, every task's direct downstreams, group roots."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tradewind.sdk.exceptions import AirflowException


def normalize_branch_ids(task_id: str, branches: Any) -> list[str]:
    """Turn a callable's choice (None, a str, or an iterable of str) into a list of ids, refusing other types."""
    if branches is None:
        return []
    if isinstance(branches, str):
        return [branches]
    if isinstance(branches, Iterable) and not isinstance(branches, (bytes, dict)):
        chosen = list(branches)
    else:
        chosen = [branches]
    invalid = [b for b in chosen if not isinstance(b, str)]
    if invalid:
        raise AirflowException(
            f"Branch task {task_id!r} must return task ids or task group ids as strings; "
            f"these are not strings: {invalid!r}"
        )
    return chosen


def downstream_map(dag: Any) -> dict[str, set[str]]:
    """Every task id of `dag` mapped to the ids of its direct downstream tasks."""
    return {task_id: set(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}


def group_roots_map(dag: Any) -> dict[str, list[str]]:
    """Every task group id of `dag` mapped to the ids of the group's root tasks."""
    root = getattr(dag, "task_group", None)
    if root is None:
        return {}
    return {
        group_id: [task.task_id for task in group.roots]
        for group_id, group in root.get_task_group_dict().items()
        if group_id
    }


def teardown_ids(dag: Any) -> set[str]:
    """The ids of the teardown tasks of `dag`."""
    return {task_id for task_id, task in dag.task_dict.items() if getattr(task, "is_teardown", False)}
