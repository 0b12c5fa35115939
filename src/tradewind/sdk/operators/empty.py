"""EmptyOperator: a task that does nothing, used to group or join other tasks."""

from __future__ import annotations

from typing import Any

from tradewind.sdk.baseoperator import BaseOperator


class EmptyOperator(BaseOperator):
    """A task that does nothing; without execute/success callbacks the scheduler marks it success directly."""

    ui_color = "#e8f7e4"

    @property
    def is_empty(self) -> bool:
        """True when nothing observable happens if the task is never run on a worker."""
        return not (getattr(self, "on_execute_callback", None) or getattr(self, "on_success_callback", None))

    def execute(self, context: Any) -> None:
        """Do nothing."""


DummyOperator = EmptyOperator
