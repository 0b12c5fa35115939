"""Mapped task groups: `@task_group` functions expanded over a list, one group instance per element.

Every task made inside a mapped group is expanded like the group (same expand spec), and instance
i of each task reads the group's argument i through a MappedArgument placeholder. Sibling XCom
pulls inside the group read the same map index (the task runner does that for `is_mapped` groups).
"""

from __future__ import annotations

from typing import Any

from tradewind.sdk import mapping
from tradewind.sdk.exceptions import DagDeclarationError
from tradewind.sdk.taskgroup import TaskGroup
from tradewind.sdk.template_rendering import ResolveMixin
from tradewind.sdk.xcom_arg import iter_xcom_references


class MappedTaskGroup(TaskGroup):
    """A TaskGroup whose tasks run once per element of its expand input."""

    is_mapped = True

    def __init__(self, group_id: str, *, expand_kind: str, expand_input: Any, **kwargs: Any) -> None:
        super().__init__(group_id, **kwargs)
        self.expand_kind, self.expand_input = expand_kind, expand_input

    def expand_input_spec(self) -> dict[str, Any]:
        """The scheduler's description of how many instances each task of the group has."""
        return mapping.expand_spec(self.expand_kind, self.expand_input)

    def argument_for(self, name: str, context: Any) -> Any:
        """The value of the group argument `name` for the running instance (its map index)."""
        resolved = mapping.resolve_expand_input(self.expand_kind, self.expand_input, context)
        values = mapping.mappable_values(self.expand_kind, self.expand_input, resolved, str(self.group_id))
        chosen = mapping.kwargs_for_index(self.expand_kind, values, context["ti"].map_index, str(self.group_id))
        return chosen[name]

    def expand_tasks(self) -> None:
        """Make every task of the group a mapped task with the group's spec, after the expand source."""
        sources = [op for op, _key in iter_xcom_references([self.expand_input])]
        for task in self:
            if getattr(task, "is_mapped", False):
                raise DagDeclarationError(
                    f"task {task.task_id!r}: a mapped task inside the mapped task group {self.group_id!r} "
                    "is not supported; map the group only",
                    task_id=task.task_id,
                )
            # Instance attributes, not class ones: only these operators are expanded with the group.
            task.is_mapped = True
            task.expand_input_spec = self.expand_input_spec
            for source in sources:
                task.set_upstream(source)


class MappedArgument(ResolveMixin):
    """A mapped group function's argument inside its body: the group's element for the running instance."""

    def __init__(self, group: MappedTaskGroup, name: str) -> None:
        self.group, self.name = group, name

    def resolve(self, context: Any) -> Any:
        return self.group.argument_for(self.name, context)

    def iter_references(self) -> list[tuple[Any, str]]:
        return list(iter_xcom_references([self.group.expand_input]))

    def __repr__(self) -> str:
        return f"MappedArgument({self.group.group_id!r}, {self.name!r})"
