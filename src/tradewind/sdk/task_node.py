"""What every node of a DAG's task graph shares: ids, its DAG and group, and its direct relatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradewind.rules.trigger_rule_names import TriggerRule
from tradewind.sdk import scopes
from tradewind.sdk.dependencies import DependencyMixin, iter_nodes

if TYPE_CHECKING:
    from tradewind.sdk.dag import DAG
    from tradewind.sdk.taskgroup import TaskGroup


class TaskNode(DependencyMixin):
    """A task in the graph (a BaseOperator or a MappedOperator)."""

    task_id: str
    task_group: TaskGroup | None
    upstream_task_ids: set[str]
    downstream_task_ids: set[str]
    _dag: DAG | None = None
    is_setup: bool = False
    is_teardown: bool = False

    @property
    def dag(self) -> DAG | None:
        """The DAG this task belongs to, or None for a task created outside any DAG."""
        return self._dag

    @dag.setter
    def dag(self, dag: DAG | None) -> None:
        if dag is self._dag:
            return
        if self._dag is not None:
            raise ValueError(f"task {self.task_id!r} already belongs to DAG {self._dag.dag_id!r}")
        self._dag = dag
        if dag is not None and not getattr(self, "_tw_detached", False):
            dag.add_task(self)

    def has_dag(self) -> bool:
        """Whether the task is attached to a DAG."""
        return self._dag is not None

    @property
    def dag_id(self) -> str:
        """The id of the task's DAG."""
        return self._dag.dag_id if self._dag is not None else f"adhoc_{getattr(self, 'owner', 'airflow')}"

    @property
    def label(self) -> str:
        """The task id without its group prefix."""
        group = self.task_group
        if group is not None and group.group_id and group.prefix_group_id:
            prefix = group.group_id + "."
            if self.task_id.startswith(prefix):
                return self.task_id[len(prefix) :]
        return self.task_id

    @property
    def roots(self) -> list[Any]:
        return [self]

    @property
    def leaves(self) -> list[Any]:
        return [self]

    def get_direct_relative_ids(self, upstream: bool = False) -> set[str]:
        """The ids of the direct upstream (or downstream) tasks."""
        return self.upstream_task_ids if upstream else self.downstream_task_ids

    def get_direct_relatives(self, upstream: bool = False) -> list[Any]:
        """The direct upstream (or downstream) tasks."""
        if self._dag is None:
            return []
        return [self._dag.task_dict[t] for t in sorted(self.get_direct_relative_ids(upstream))]

    @property
    def upstream_list(self) -> list[Any]:
        """The direct upstream tasks."""
        return self.get_direct_relatives(upstream=True)

    @property
    def downstream_list(self) -> list[Any]:
        """The direct downstream tasks."""
        return self.get_direct_relatives(upstream=False)

    def get_flat_relative_ids(self, upstream: bool = False) -> set[str]:
        """The ids of every task reachable upstream (or downstream), transitively."""
        if self._dag is None:
            return set()
        found: set[str] = set()
        todo = list(self.get_direct_relative_ids(upstream))
        while todo:
            task_id = todo.pop()
            if task_id not in found:
                found.add(task_id)
                todo.extend(self._dag.task_dict[task_id].get_direct_relative_ids(upstream))
        return found

    def get_flat_relatives(self, upstream: bool = False) -> list[Any]:
        """Every task reachable upstream (or downstream), transitively."""
        if self._dag is None:
            return []
        return [self._dag.task_dict[t] for t in sorted(self.get_flat_relative_ids(upstream))]

    def as_setup(self) -> TaskNode:
        """Mark this task as a setup task; returns it so the call can be chained."""
        self.is_setup = True
        return self

    def as_teardown(self, *, setups: Any = None, on_failure_fail_dagrun: bool | None = None) -> TaskNode:
        """Mark this task as a teardown (trigger rule all_done_setup_success), after `setups` if given."""
        self.is_teardown = True
        self.trigger_rule = TriggerRule.ALL_DONE_SETUP_SUCCESS.value
        if on_failure_fail_dagrun is not None:
            self.on_failure_fail_dagrun = on_failure_fail_dagrun
        if setups is not None:
            for setup in iter_nodes(setups):
                for task in setup.leaves:
                    task.is_setup = True
                setup.set_downstream(self)
        return self

    def __enter__(self) -> TaskNode:
        # `with teardown_task(setup_task):` wraps the tasks created in the block between them.
        self._scope = scopes.open_setup_teardown_scope()
        return self

    def __exit__(self, *exc: object) -> None:
        created = scopes.close_setup_teardown_scope()
        wrap_in_setup_teardown(self, created)

    def __repr__(self) -> str:
        return f"<Task({type(self).__name__}): {self.task_id}>"


def wrap_in_setup_teardown(teardown: TaskNode, created: list[Any]) -> None:
    """Put the tasks created inside a setup/teardown block after its setups and before its teardown."""
    setup_ids = set(teardown.upstream_task_ids)
    inner = [t for t in created if t is not teardown and t.task_id not in setup_ids]
    if not inner:
        return
    inner_ids = {t.task_id for t in inner}
    dag = teardown.dag
    setups = [dag.task_dict[s] for s in sorted(setup_ids) if dag.task_dict[s].is_setup] if dag else []
    for task in inner:
        if not task.upstream_task_ids & inner_ids:
            for setup in setups:
                setup.set_downstream(task)
        if not task.downstream_task_ids & inner_ids:
            task.set_downstream(teardown)
