"""BranchDayOfWeekOperator: branch on the day of the week."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tradewind import clock
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.operators.branch import BranchMixIn
from tradewind.sdk.weekday import WeekDay

__all__ = ["BranchDayOfWeekOperator", "WeekDay", "reference_instant"]


def reference_instant(context: Any, use_task_logical_date: bool, now: datetime) -> datetime:
    """The instant a date-based branch or sensor compares: `now`, or the run's logical date (else run_after)."""
    if not use_task_logical_date:
        return now
    logical_date = context.get("logical_date")
    if logical_date is not None:
        return logical_date
    return getattr(context.get("dag_run"), "run_after", None) or now


class BranchDayOfWeekOperator(BaseOperator, BranchMixIn):
    """Follow `follow_task_ids_if_true` when today (or the logical date) is one of `week_day`, else the other ids."""

    _clock = clock.TaskClockAttribute()  # the running try's clock, or one a test sets

    inherits_from_skipmixin = True

    def __init__(
        self,
        *,
        follow_task_ids_if_true: str | Iterable[str],
        follow_task_ids_if_false: str | Iterable[str],
        week_day: str | WeekDay | Iterable[str | WeekDay],
        use_task_logical_date: bool = False,
        **kwargs: Any,
    ) -> None:
        use_task_logical_date = kwargs.pop("use_task_execution_day", use_task_logical_date)
        super().__init__(**kwargs)
        self.follow_task_ids_if_true = follow_task_ids_if_true
        self.follow_task_ids_if_false = follow_task_ids_if_false
        self.week_day = week_day
        self.use_task_logical_date = use_task_logical_date
        self._week_day_num = WeekDay.validate_week_day(week_day)

    def choose_branch(self, context: Any) -> str | Iterable[str]:
        """The ids to follow for the day of the reference instant."""
        day = reference_instant(context, self.use_task_logical_date, self._clock.now()).isoweekday()
        return self.follow_task_ids_if_true if day in self._week_day_num else self.follow_task_ids_if_false

    def execute(self, context: Any) -> Any:
        """Choose by weekday, then branch."""
        return self.do_branch(context, self.choose_branch(context))
