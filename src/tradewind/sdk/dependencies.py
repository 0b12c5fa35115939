"""The `>>` / `<<` dependency protocol shared by tasks, task groups, XComArgs and edge labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tradewind.sdk.exceptions import DagDeclarationError


class DependencyMixin:
    """Something that can stand on either side of `>>`: it exposes `roots` and `leaves` tasks."""

    is_edge_modifier = False

    @property
    def roots(self) -> list[Any]:
        """The tasks an upstream dependency attaches to."""
        raise NotImplementedError

    @property
    def leaves(self) -> list[Any]:
        """The tasks a downstream dependency leaves from."""
        raise NotImplementedError

    def set_upstream(self, other: Any, edge_modifier: Any = None) -> None:
        """Make every node in `other` (a node or a nested list of nodes) upstream of this one."""
        for node in iter_nodes(other):
            if node.is_edge_modifier:
                node.set_downstream(self)
            else:
                link_nodes(node, self, edge_modifier)

    def set_downstream(self, other: Any, edge_modifier: Any = None) -> None:
        """Make every node in `other` (a node or a nested list of nodes) downstream of this one."""
        for node in iter_nodes(other):
            if node.is_edge_modifier:
                node.set_upstream(self)
            else:
                link_nodes(self, node, edge_modifier)

    def __rshift__(self, other: Any) -> Any:
        self.set_downstream(other)
        return other

    def __lshift__(self, other: Any) -> Any:
        self.set_upstream(other)
        return other

    def __rrshift__(self, other: Any) -> Any:
        # `[a, b] >> self`: the list has no >>, so Python asks the right operand.
        self.set_upstream(other)
        return self

    def __rlshift__(self, other: Any) -> Any:
        self.set_downstream(other)
        return self


def iter_nodes(other: Any) -> Iterator[DependencyMixin]:
    """The dependency nodes in `other`, flattening lists, tuples and sets; TypeError for anything else."""
    if isinstance(other, DependencyMixin):
        yield other
    elif isinstance(other, (list, tuple, set, frozenset)):
        for item in other:
            yield from iter_nodes(item)
    else:
        raise TypeError(
            f"cannot set a dependency on {other!r} ({type(other).__name__}): "
            "use tasks, task groups, XComArgs or lists of them"
        )


def link_nodes(upstream: DependencyMixin, downstream: DependencyMixin, edge_modifier: Any = None) -> None:
    """Link every leaf of `upstream` to every root of `downstream`."""
    for up in upstream.leaves:
        for down in downstream.roots:
            link_tasks(up, down, edge_modifier)


def link_tasks(up: Any, down: Any, edge_modifier: Any = None) -> None:
    """Record `up >> down` on both tasks, adopting a DAG-less task into the other's DAG as Airflow does."""
    dag = shared_dag([up, down])
    for task in (up, down):
        if task.dag is None:
            task.dag = dag
    up.downstream_task_ids.add(down.task_id)
    down.upstream_task_ids.add(up.task_id)
    if edge_modifier is not None:
        dag.set_edge_info(up.task_id, down.task_id, {"label": edge_modifier.label})


def shared_dag(tasks: Iterable[Any]) -> Any:
    """The one DAG the given tasks belong to; an error naming them when there is none or several."""
    tasks = list(tasks)
    dags = {id(t.dag): t.dag for t in tasks if t.dag is not None}
    if len(dags) > 1:
        names = ", ".join(f"{t.task_id!r} (DAG {t.dag.dag_id!r})" for t in tasks if t.dag is not None)
        raise DagDeclarationError(f"tasks {names} belong to different DAGs and cannot depend on each other")
    if not dags:
        names = ", ".join(repr(t.task_id) for t in tasks)
        raise DagDeclarationError(
            f"tasks {names} are not in any DAG: create them inside `with DAG(...)` or pass dag=...",
            task_id=tasks[0].task_id,
        )
    return next(iter(dags.values()))
