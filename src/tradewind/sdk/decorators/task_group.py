"""`@task_group`: a function whose call creates a TaskGroup around the tasks it makes."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from tradewind.sdk.mapped_taskgroup import MappedArgument, MappedTaskGroup
from tradewind.sdk.task_node import TaskNode
from tradewind.sdk.taskgroup import TaskGroup
from tradewind.sdk.template_rendering import ResolveMixin
from tradewind.sdk.xcom_arg import XComArg


class TaskGroupFactory:
    """Calling it runs the function inside a new TaskGroup (`name`, then `name__1`, ... on later calls)."""

    def __init__(self, function: Any, group_kwargs: dict[str, Any]) -> None:
        self.function, self.group_kwargs = function, dict(group_kwargs)
        functools.update_wrapper(self, function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Build the group; returns the task (or XComArg) the function returns, else the group."""
        group_kwargs = dict(self.group_kwargs)
        group_id = group_kwargs.pop("group_id", None) or self.function.__name__
        if "tooltip" not in group_kwargs and self.function.__doc__:
            group_kwargs["tooltip"] = inspect.getdoc(self.function)
        group_kwargs.setdefault("add_suffix_on_collision", True)
        with TaskGroup(group_id, **group_kwargs) as group:
            result = self.function(*args, **kwargs)
        if isinstance(result, (TaskNode, XComArg)):
            return result
        return group

    def override(self, **kwargs: Any) -> TaskGroupFactory:
        """A copy with some TaskGroup arguments changed."""
        return TaskGroupFactory(self.function, {**self.group_kwargs, **kwargs})

    def partial(self, **kwargs: Any) -> _PartialGroup:
        """Fix some function arguments; then `.expand(...)` maps over the others."""
        return _PartialGroup(self, kwargs)

    def expand(self, **mapped: Any) -> MappedTaskGroup:
        """One instance of the group per element (a cross product for several arguments)."""
        return _PartialGroup(self, {}).expand(**mapped)

    def expand_kwargs(self, kwargs: Any) -> MappedTaskGroup:
        """One instance of the group per dict of function arguments."""
        return _PartialGroup(self, {}).expand_kwargs(kwargs)


class _PartialGroup:
    """A @task_group function with some arguments fixed, waiting for `.expand()`."""

    def __init__(self, factory: TaskGroupFactory, fixed: dict[str, Any]) -> None:
        self.factory, self.fixed = factory, fixed

    def expand(self, **mapped: Any) -> MappedTaskGroup:
        for name, value in mapped.items():
            if not isinstance(value, (list, tuple, dict, ResolveMixin)):
                raise TypeError(f"expand() argument {name!r} must be a list, a dict or an XComArg")
        return self._build("product", mapped, list(mapped))

    def expand_kwargs(self, kwargs: Any) -> MappedTaskGroup:
        names = [n for n in inspect.signature(self.factory.function).parameters if n not in self.fixed]
        return self._build("list", kwargs, names)

    def _build(self, kind: str, expand_input: Any, names: list[str]) -> MappedTaskGroup:
        group_kwargs = dict(self.factory.group_kwargs)
        group_id = group_kwargs.pop("group_id", None) or self.factory.function.__name__
        group_kwargs.setdefault("add_suffix_on_collision", True)
        with MappedTaskGroup(group_id, expand_kind=kind, expand_input=expand_input, **group_kwargs) as group:
            arguments = {name: MappedArgument(group, name) for name in names}
            self.factory.function(**self.fixed, **arguments)
        group.expand_tasks()
        return group


def task_group(python_callable: Any = None, **group_kwargs: Any) -> Any:
    """Decorate a function that creates tasks: `@task_group` or `@task_group(group_id=..., tooltip=...)`."""
    if python_callable is not None and callable(python_callable):
        return TaskGroupFactory(python_callable, group_kwargs)
    if python_callable is not None:
        group_kwargs["group_id"] = python_callable
    return lambda function: TaskGroupFactory(function, group_kwargs)
