"""`TaskGroup`: a named group of tasks whose ids get the group's prefix, linked as one node."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tradewind.sdk import scopes
from tradewind.sdk.dependencies import DependencyMixin
from tradewind.sdk.exceptions import DagDeclarationError, DuplicateTaskIdFound
from tradewind.sdk.ids import validate_id


class TaskGroup(DependencyMixin):
    """A group of tasks inside a DAG; `with TaskGroup("g"):` puts the tasks made inside into it."""

    def __init__(
        self,
        group_id: str | None = None,
        prefix_group_id: bool = True,
        parent_group: TaskGroup | None = None,
        dag: Any = None,
        default_args: dict[str, Any] | None = None,
        tooltip: str = "",
        ui_color: str = "CornflowerBlue",
        ui_fgcolor: str = "#000",
        add_suffix_on_collision: bool = False,
        group_display_name: str | None = None,
        *,
        _root: bool = False,
    ) -> None:
        self.prefix_group_id = prefix_group_id
        self.default_args = dict(default_args or {})
        self.tooltip, self.ui_color, self.ui_fgcolor = tooltip, ui_color, ui_fgcolor
        self.group_display_name = group_display_name
        self.children: dict[str, Any] = {}
        if _root:
            self._group_id, self.parent_group, self.dag = None, None, dag
            return
        dag = dag or (parent_group.dag if parent_group is not None else None) or scopes.current_dag()
        if dag is None:
            raise DagDeclarationError(
                f"task group {group_id!r} is not in any DAG: create it inside `with DAG(...)` or pass dag=..."
            )
        validate_id("group", group_id, dag_id=dag.dag_id)
        self.dag = dag
        self.parent_group = parent_group or scopes.current_group(dag)
        self._group_id = group_id
        self._group_id = self._claim_unique_id(group_id, add_suffix_on_collision)
        self.parent_group.add(self)

    @classmethod
    def create_root(cls, dag: Any) -> TaskGroup:
        """The unnamed root group every DAG has."""
        return cls(dag=dag, _root=True)

    def _claim_unique_id(self, label: str, add_suffix: bool) -> str:
        taken = self.dag.used_group_ids
        if self.group_id in taken or self.group_id in self.dag.task_dict:
            if not add_suffix:
                raise DuplicateTaskIdFound(
                    f"DAG {self.dag.dag_id!r}: duplicate group id {self.group_id!r}; group ids must be unique",
                    dag_id=self.dag.dag_id,
                )
            base = re.sub(r"__\d+$", "", label)
            n = 1
            while self._full_id(f"{base}__{n}") in taken:
                n += 1
            label = f"{base}__{n}"
        taken.add(self._full_id(label))
        return label

    def _full_id(self, label: str) -> str:
        return self.parent_group.child_id(label) if self.parent_group is not None else label

    @property
    def group_id(self) -> str | None:
        """The full id (with the parents' prefixes), or None for the root group."""
        if self._group_id is None:
            return None
        return self._full_id(self._group_id)

    @property
    def label(self) -> str | None:
        """The id given to this group, without its parents' prefixes."""
        return self._group_id

    @property
    def is_root(self) -> bool:
        """Whether this is the DAG's unnamed root group."""
        return self._group_id is None

    def child_id(self, label: str) -> str:
        """The full id of a child called `label`."""
        if self.prefix_group_id and self.group_id:
            return f"{self.group_id}.{label}"
        return label

    def add(self, node: Any) -> None:
        """Record a task or a sub-group as a child of this group."""
        key = node.group_id if isinstance(node, TaskGroup) else node.task_id
        self.children[key] = node

    def __iter__(self) -> Iterator[Any]:
        """Every task in this group and its sub-groups."""
        for child in self.children.values():
            if isinstance(child, TaskGroup):
                yield from child
            else:
                yield child

    def has_task(self, task: Any) -> bool:
        """Whether `task` is in this group or one of its sub-groups."""
        return any(t is task for t in self)

    def get_roots(self) -> list[Any]:
        """The group's tasks that have no upstream inside the group."""
        tasks = list(self)
        ids = {t.task_id for t in tasks}
        return [t for t in tasks if t.upstream_task_ids.isdisjoint(ids)]

    def get_leaves(self) -> list[Any]:
        """The group's tasks that have no downstream inside the group."""
        tasks = list(self)
        ids = {t.task_id for t in tasks}
        return [t for t in tasks if t.downstream_task_ids.isdisjoint(ids)]

    @property
    def roots(self) -> list[Any]:
        return self.get_roots()

    @property
    def leaves(self) -> list[Any]:
        return self.get_leaves()

    def get_task_group_dict(self) -> dict[str | None, TaskGroup]:
        """This group and every sub-group, by full group id (None for the root)."""
        found: dict[str | None, TaskGroup] = {self.group_id: self}
        for child in self.children.values():
            if isinstance(child, TaskGroup):
                found.update(child.get_task_group_dict())
        return found

    def __enter__(self) -> TaskGroup:
        scopes.push_group(self)
        return self

    def __exit__(self, *exc: object) -> None:
        scopes.pop_group()

    def __repr__(self) -> str:
        return f"<TaskGroup: {self.group_id}>"
