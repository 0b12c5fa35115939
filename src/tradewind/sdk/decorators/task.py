"""The `task` decorator and its variants (`task.branch`, `task.bash`, ...), plus `setup` and `teardown`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tradewind.sdk.decorators.task_decorator import TaskDecorator


def _decorator(kind: str) -> Callable[..., Any]:
    def decorate(python_callable: Any = None, **kwargs: Any) -> Any:
        if python_callable is not None and callable(python_callable) and not kwargs:
            return TaskDecorator(python_callable, kind, {})
        if python_callable is not None and not callable(python_callable):
            raise TypeError(f"@task.{kind} takes keyword arguments only, got {python_callable!r}")
        return lambda function: TaskDecorator(function, kind, kwargs)

    decorate.__name__ = kind
    decorate.__doc__ = f"Make a function a {kind} task (usable bare or with operator arguments)."
    return decorate


class _TaskFactory:
    """`@task` / `@task(...)` and the variants as attributes: python, branch, short_circuit, sensor, bash, ..."""

    def __init__(self) -> None:
        self._python = _decorator("python")
        self.python = self._python
        self.branch = _decorator("branch")
        self.short_circuit = _decorator("short_circuit")
        self.sensor = _decorator("sensor")
        self.bash = _decorator("bash")
        self.virtualenv = _decorator("virtualenv")
        self.external_python = _decorator("external_python")

    def __call__(self, python_callable: Any = None, **kwargs: Any) -> Any:
        return self._python(python_callable, **kwargs)


task = _TaskFactory()


def setup(python_callable: Any = None, **kwargs: Any) -> Any:
    """`@setup`: a TaskFlow task marked as a setup task."""

    def make(function: Any) -> TaskDecorator:
        decorator = function if isinstance(function, TaskDecorator) else TaskDecorator(function, "python", kwargs)
        decorator = decorator.override()
        decorator.is_setup = True
        return decorator

    return make(python_callable) if python_callable is not None else make


def teardown(python_callable: Any = None, *, on_failure_fail_dagrun: bool = False, **kwargs: Any) -> Any:
    """`@teardown`: a TaskFlow task marked as a teardown task (trigger rule all_done_setup_success)."""

    def make(function: Any) -> TaskDecorator:
        decorator = function if isinstance(function, TaskDecorator) else TaskDecorator(function, "python", kwargs)
        decorator = decorator.override()
        decorator.is_teardown = True
        decorator.on_failure_fail_dagrun = on_failure_fail_dagrun
        return decorator

    return make(python_callable) if python_callable is not None else make
