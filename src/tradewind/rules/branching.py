"""Which tasks a branch or a short-circuit skips, as pure functions of the DAG's edges."""

from __future__ import annotations

from typing import Iterable, Mapping


def branch_skips(
    *,
    branch_task_id: str,
    chosen: Iterable[str] | str | None,
    downstream: Mapping[str, set[str]],
    group_roots: Mapping[str, list[str]],
) -> set[str]:
    """The direct downstreams of the branch task to mark skipped.

    `chosen` holds task ids and task-group ids (a group means its root tasks); None or []
    skips every direct downstream. A direct downstream that is also downstream (at any depth)
    of a chosen task is kept, so that `branch >> join` beside `branch >> a >> join` leaves the
    join to its trigger rule. `downstream` maps every task id of the DAG to its direct
    downstream ids. An id that is neither a task nor a group raises ValueError naming it.
    """
    chosen_ids = _expand_choice(branch_task_id, chosen, downstream, group_roots)
    keep = set(chosen_ids)
    for task_id in chosen_ids:
        keep |= _descendants(task_id, downstream)
    return {task_id for task_id in downstream.get(branch_task_id, ()) if task_id not in keep}


def _expand_choice(
    branch_task_id: str,
    chosen: Iterable[str] | str | None,
    downstream: Mapping[str, set[str]],
    group_roots: Mapping[str, list[str]],
) -> set[str]:
    if chosen is None:
        return set()
    items = [chosen] if isinstance(chosen, str) else list(chosen)
    expanded: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError(
                f"branch task {branch_task_id!r} returned {item!r} ({type(item).__name__}); "
                "return a task_id, a task_group_id, a list of them, or None"
            )
        if item in group_roots:
            expanded.update(group_roots[item])
        elif item in downstream:
            expanded.add(item)
        else:
            raise ValueError(
                f"branch task {branch_task_id!r} chose {item!r}, which is not a task or task group of this DAG"
            )
    return expanded


def short_circuit_skips(
    *,
    task_id: str,
    downstream: Mapping[str, set[str]],
    ignore_downstream_trigger_rules: bool,
    teardowns: set[str],
) -> set[str]:
    """The tasks a short-circuit that returned a falsy value skips; teardowns are never skipped.

    With `ignore_downstream_trigger_rules` (the default in Airflow) every task downstream at
    any depth is skipped; without it only the direct downstreams, and the tasks below follow
    their own trigger rules.
    """
    if ignore_downstream_trigger_rules:
        targets = _descendants(task_id, downstream)
    else:
        targets = set(downstream.get(task_id, ()))
    return targets - set(teardowns)


def _descendants(task_id: str, downstream: Mapping[str, set[str]]) -> set[str]:
    """Every task reachable downstream of `task_id`, not including it."""
    seen: set[str] = set()
    stack = list(downstream.get(task_id, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(downstream.get(current, ()))
    return seen
