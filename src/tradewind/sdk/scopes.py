"""The DAG and TaskGroup opened by the innermost `with` block, which new tasks attach to."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradewind.sdk.dag import DAG
    from tradewind.sdk.taskgroup import TaskGroup

# Plain lists, not contextvars: DAG files are imported on one thread, and a `with` block must be
# visible to functions it calls (a @task_group body, a factory function building tasks).
_dags: list[DAG] = []
_groups: list[TaskGroup] = []
_setup_teardown_scopes: list[list[Any]] = []


def push_dag(dag: DAG) -> None:
    """Make `dag` the DAG new tasks attach to."""
    _dags.append(dag)


def pop_dag() -> None:
    """Close the innermost DAG block."""
    _dags.pop()


def current_dag() -> DAG | None:
    """The DAG of the innermost open `with DAG` block, or None."""
    return _dags[-1] if _dags else None


def push_group(group: TaskGroup) -> None:
    """Make `group` the TaskGroup new tasks join."""
    _groups.append(group)


def pop_group() -> None:
    """Close the innermost TaskGroup block."""
    _groups.pop()


def current_group(dag: DAG | None) -> TaskGroup | None:
    """The innermost open TaskGroup belonging to `dag`, else that DAG's root group."""
    for group in reversed(_groups):
        if group.dag is dag:
            return group
    return dag.task_group if dag is not None else None


def open_setup_teardown_scope() -> list[Any]:
    """Start collecting the tasks created inside a `with teardown_task(setup_task):` block."""
    scope: list[Any] = []
    _setup_teardown_scopes.append(scope)
    return scope


def close_setup_teardown_scope() -> list[Any]:
    """Stop collecting and return the tasks created inside the innermost setup/teardown block."""
    return _setup_teardown_scopes.pop()


def note_task_created(task: Any) -> None:
    """Record a new task in every open setup/teardown block."""
    for scope in _setup_teardown_scopes:
        scope.append(task)


@contextmanager
def outside_any_dag() -> Iterator[None]:
    """Hide every open `with DAG` / `with TaskGroup` block for the duration (to build detached tasks)."""
    saved_dags, saved_groups = _dags[:], _groups[:]
    _dags.clear()
    _groups.clear()
    try:
        yield
    finally:
        _dags[:], _groups[:] = saved_dags, saved_groups
