"""PythonOperator and its branch and short-circuit variants: run a python callable as a task."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.context import get_current_context
from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.operators.branch import BranchMixIn, SkipMixin
from tradewind.sdk.operators.call_args import determine_kwargs
from tradewind.sdk.operators.python_virtualenv import (
    BranchExternalPythonOperator,
    BranchPythonVirtualenvOperator,
    ExternalPythonOperator,
    PythonVirtualenvOperator,
)

__all__ = [
    "BranchExternalPythonOperator",
    "BranchPythonOperator",
    "BranchPythonVirtualenvOperator",
    "ExternalPythonOperator",
    "PythonOperator",
    "PythonVirtualenvOperator",
    "ShortCircuitOperator",
    "get_current_context",
    "is_venv_installed",
]

log = logging.getLogger("airflow.task")


def is_venv_installed() -> bool:
    """Whether the `virtualenv` package is importable here (examples use this to decide what to build)."""
    return importlib.util.find_spec("virtualenv") is not None


class PythonOperator(BaseOperator):
    """Call `python_callable(*op_args, **op_kwargs)`, adding the context values its signature asks for.

    Parameters named after context keys (`ti`, `ds`, `params`, ...) receive those values and
    `**kwargs` receives the whole context; `op_kwargs` override context values of the same name.
    """

    template_fields: Sequence[str] = ("templates_dict", "op_args", "op_kwargs")
    template_fields_renderers = {"templates_dict": "json", "op_args": "py", "op_kwargs": "py"}
    ui_color = "#ffefeb"

    def __init__(
        self,
        *,
        python_callable: Callable[..., Any],
        op_args: Collection[Any] | None = None,
        op_kwargs: Mapping[str, Any] | None = None,
        templates_dict: dict[str, Any] | None = None,
        templates_exts: Sequence[str] | None = None,
        show_return_value_in_logs: bool = True,
        **kwargs: Any,
    ) -> None:
        # BaseOperator accepts and drops the 1.10 argument provide_context, with a DeprecationWarning.
        super().__init__(**kwargs)
        if not callable(python_callable):
            raise AirflowException(f"Task {self.task_id!r}: `python_callable` must be callable, got {python_callable!r}")
        self.python_callable = python_callable
        self.op_args = list(op_args or [])
        self.op_kwargs = dict(op_kwargs or {})
        self.templates_dict = templates_dict
        if templates_exts:
            self.template_ext = tuple(templates_exts)
        self.show_return_value_in_logs = show_return_value_in_logs

    def execute(self, context: Any) -> Any:
        """Call the callable with its arguments and return its result."""
        context["templates_dict"] = self.templates_dict
        # As in Airflow, op_kwargs become the final keyword arguments, so that subclasses overriding
        # execute_callable() see them.
        self.op_kwargs = determine_kwargs(self.python_callable, self.op_args, {**context, **self.op_kwargs})
        return_value = self.execute_callable()
        if self.show_return_value_in_logs:
            log.info("Done. Returned value was: %s", return_value)
        else:
            log.info("Done. Returned value not shown")
        return return_value

    def execute_callable(self) -> Any:
        """Call the python callable with op_args and op_kwargs."""
        return self.python_callable(*self.op_args, **self.op_kwargs)


class BranchPythonOperator(PythonOperator, BranchMixIn):
    """Run a callable that returns the task id(s) or task group id(s) to follow; other direct downstreams are skipped."""

    inherits_from_skipmixin = True

    def execute(self, context: Any) -> Any:
        """Follow the branch the callable chose."""
        return self.do_branch(context, super().execute(context))


class ShortCircuitOperator(PythonOperator, SkipMixin):
    """Run a callable; when it returns a falsy value, skip what comes after this task.

    With `ignore_downstream_trigger_rules=True` (the default) every downstream task at any depth
    is skipped (teardowns excepted); with False only the direct downstreams are, and tasks further
    down follow their own trigger rules. The task itself succeeds either way.
    """

    inherits_from_skipmixin = True

    def __init__(self, *, ignore_downstream_trigger_rules: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ignore_downstream_trigger_rules = ignore_downstream_trigger_rules

    def execute(self, context: Any) -> Any:
        """Evaluate the condition and skip downstream tasks when it is falsy."""
        condition = super().execute(context)
        log.info("Condition result is %s", condition)
        if condition:
            log.info("Proceeding with downstream tasks...")
            return condition
        self.skip_short_circuit(context, self.ignore_downstream_trigger_rules)
        log.info("Done.")
        return None
