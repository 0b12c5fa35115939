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

    @staticmethod
    def run_if(condition: Callable[[Any], bool], skip_message: str | None = None) -> Callable[[Any], Any]:
        """Put above a task decorator: the task is skipped at run time unless `condition(context)` is true."""
        return _conditional(condition, skip_message, run_when=True)

    @staticmethod
    def skip_if(condition: Callable[[Any], bool], skip_message: str | None = None) -> Callable[[Any], Any]:
        """Put above a task decorator: the task is skipped at run time when `condition(context)` is true."""
        return _conditional(condition, skip_message, run_when=False)


def _conditional(condition: Callable[[Any], bool], message: str | None, *, run_when: bool) -> Callable[[Any], Any]:
    def wrap(decorated: Any) -> Any:
        if not isinstance(decorated, TaskDecorator):
            raise TypeError("task.run_if / task.skip_if go above a task decorator such as @task")
        previous = decorated.kwargs.get("pre_execute")

        def check(context: Any) -> None:
            from tradewind.sdk.exceptions import AirflowSkipException

            if bool(condition(context)) is not run_when:
                raise AirflowSkipException(message or "the task's run_if/skip_if condition skipped it")
            if previous is not None:
                previous(context)

        return decorated.override(pre_execute=check)

    return wrap


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
