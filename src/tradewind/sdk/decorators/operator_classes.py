"""The operator classes behind the TaskFlow decorators, built on the standard operators on first use."""

from __future__ import annotations

import functools
from typing import Any

from tradewind.sdk import template_rendering

DECORATOR_NAMES = {
    "python": "@task",
    "branch": "@task.branch",
    "short_circuit": "@task.short_circuit",
    "sensor": "@task.sensor",
    "bash": "@task.bash",
    "virtualenv": "@task.virtualenv",
    "external_python": "@task.external_python",
}


@functools.cache
def decorated_class(kind: str) -> type:
    """The operator class for a decorator kind ("python", "branch", "short_circuit", "sensor", "bash", ...)."""
    # Imported here: the standard operators sit above the decorators and are needed only when a
    # decorated function is first called, which keeps `import airflow` light.
    if kind == "bash":
        return _bash_class()
    base = _base_class(kind)
    name = "_" + "".join(part.title() for part in kind.split("_")) + "DecoratedOperator"
    return type(name, (base,), {"custom_operator_name": DECORATOR_NAMES[kind], "__module__": __name__})


def _base_class(kind: str) -> type:
    from tradewind.sdk.operators import python as python_ops

    if kind == "sensor":
        from tradewind.sdk.sensors.python import PythonSensor

        return PythonSensor
    bases = {
        "python": python_ops.PythonOperator,
        "branch": python_ops.BranchPythonOperator,
        "short_circuit": python_ops.ShortCircuitOperator,
        "virtualenv": python_ops.PythonVirtualenvOperator,
        "external_python": python_ops.ExternalPythonOperator,
    }
    if kind not in bases:
        raise ValueError(f"unknown task decorator kind {kind!r}")
    return bases[kind]


def _bash_class() -> type:
    from tradewind.sdk.operators.bash import BashOperator
    from tradewind.sdk.operators.call_args import determine_kwargs

    class _BashDecoratedOperator(BashOperator):
        """@task.bash: the function returns the command, which is then rendered and run like BashOperator's."""

        custom_operator_name = "@task.bash"
        template_fields = ("bash_command", "env", "cwd", "op_args", "op_kwargs")

        def __init__(self, *, python_callable: Any, op_args: Any = None, op_kwargs: Any = None, **kwargs: Any) -> None:
            super().__init__(bash_command="", **kwargs)
            self.python_callable = python_callable
            self.op_args = list(op_args or [])
            self.op_kwargs = dict(op_kwargs or {})

        def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
            """Render the arguments, call the function for the command, then render the command."""
            self._tw_jinja_env = jinja_env
            self.op_args = self.render_template(self.op_args, context, jinja_env)
            self.op_kwargs = self.render_template(self.op_kwargs, context, jinja_env)
            kwargs = determine_kwargs(self.python_callable, self.op_args, {**context, **self.op_kwargs})
            command = self.python_callable(*self.op_args, **kwargs)
            if not isinstance(command, str) or not command.strip():
                raise TypeError(
                    f"task {self.task_id!r}: a @task.bash function must return a non-empty command string, "
                    f"got {command!r}"
                )
            self.bash_command = command
            for field in BashOperator.template_fields:
                value = getattr(self, field)
                if value:
                    setattr(self, field, template_rendering.render_template(self, value, context, jinja_env))

    _BashDecoratedOperator.__module__ = __name__
    return _BashDecoratedOperator
