"""The DAGs (and DAG-less tasks) created while one DAG file is imported, for the parser to read.

Every DAG registers itself on creation, whether made in a `with` block, assigned at module level
or returned by a `@dag` function; this is what makes Airflow 3's auto-registration work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DagCollection:
    """What one import created: DAGs by id (the last one wins) and tasks created outside any DAG."""

    dags: dict[str, Any] = field(default_factory=dict)
    orphan_tasks: list[Any] = field(default_factory=list)

    def unattached_tasks(self) -> list[Any]:
        """The tasks that are still in no DAG (`task.dag is None`)."""
        return [t for t in self.orphan_tasks if t.dag is None]


_active = DagCollection()


def register_dag(dag: Any) -> None:
    """Record a newly created DAG in the active collection."""
    _active.dags[dag.dag_id] = dag


def record_orphan_task(task: Any) -> None:
    """Record a task created with no DAG, so the parser can report it by name."""
    _active.orphan_tasks.append(task)


def registered_dags() -> list[Any]:
    """The DAGs of the active collection, in creation order."""
    return list(_active.dags.values())


@contextmanager
def collecting() -> Iterator[DagCollection]:
    """Collect the DAGs created inside the block into a fresh DagCollection (nesting restores the outer one)."""
    global _active
    previous, _active = _active, DagCollection()
    try:
        yield _active
    finally:
        _active = previous
