"""`@task_group`: a function whose call creates a TaskGroup around the tasks it makes."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from tradewind.sdk.task_node import TaskNode
from tradewind.sdk.taskgroup import TaskGroup
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

    def expand(self, **kwargs: Any) -> Any:
        """Mapped task groups are not supported."""
        raise NotImplementedError(
            f"@task_group {self.function.__name__!r}: mapped task groups (.expand) are not supported yet; "
            "map the tasks inside the group instead"
        )

    partial = expand
    expand_kwargs = expand


def task_group(python_callable: Any = None, **group_kwargs: Any) -> Any:
    """Decorate a function that creates tasks: `@task_group` or `@task_group(group_id=..., tooltip=...)`."""
    if python_callable is not None and callable(python_callable):
        return TaskGroupFactory(python_callable, group_kwargs)
    if python_callable is not None:
        group_kwargs["group_id"] = python_callable
    return lambda function: TaskGroupFactory(function, group_kwargs)
