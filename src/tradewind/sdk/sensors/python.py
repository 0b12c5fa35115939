"""PythonSensor: poke by calling a python callable until it returns a truthy value."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tradewind.sdk.operators.call_args import determine_kwargs
from tradewind.sdk.sensors.base import BaseSensorOperator, PokeReturnValue

log = logging.getLogger("airflow.task")


class PythonSensor(BaseSensorOperator):
    """Wait until `python_callable` returns a truthy value or a done PokeReturnValue (whose xcom_value is pushed)."""

    template_fields: Sequence[str] = ("templates_dict", "op_args", "op_kwargs")

    def __init__(
        self,
        *,
        python_callable: Callable[..., Any],
        op_args: Sequence[Any] | None = None,
        op_kwargs: Mapping[str, Any] | None = None,
        templates_dict: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.python_callable = python_callable
        self.op_args = list(op_args or [])
        self.op_kwargs = dict(op_kwargs or {})
        self.templates_dict = templates_dict

    def poke(self, context: Any) -> PokeReturnValue:
        """Call the callable once, with the context values its signature asks for."""
        context["templates_dict"] = self.templates_dict
        kwargs = determine_kwargs(self.python_callable, self.op_args, {**context, **self.op_kwargs})
        log.info("Poking callable: %s", getattr(self.python_callable, "__name__", repr(self.python_callable)))
        result = self.python_callable(*self.op_args, **kwargs)
        if isinstance(result, PokeReturnValue):
            return result
        return PokeReturnValue(bool(result))

