"""BranchDateTimeOperator: branch on whether now (or the logical date) lies in a time window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from tradewind import clock
from tradewind.sdk import timezone
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.operators.branch import BranchMixIn
from tradewind.sdk.operators.weekday import reference_instant


def target_times_as_dates(
    base_date: dt.datetime, lower: dt.datetime | dt.time | None, upper: dt.datetime | dt.time | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Put time-only bounds on `base_date`'s day; when lower > upper, move upper to the next day."""
    if isinstance(lower, dt.time):
        lower = dt.datetime.combine(base_date.date(), lower)
    if isinstance(upper, dt.time):
        upper = dt.datetime.combine(base_date.date(), upper)
    if lower is not None and upper is not None and _naive(lower) > _naive(upper):
        upper = upper + dt.timedelta(days=1)
    return lower, upper


class BranchDateTimeOperator(BaseOperator, BranchMixIn):
    """Follow `follow_task_ids_if_true` when target_lower <= now <= target_upper, else the other ids."""

    _clock = clock.TaskClockAttribute()  # the running try's clock, or one a test sets

    inherits_from_skipmixin = True

    def __init__(
        self,
        *,
        follow_task_ids_if_true: str | Iterable[str],
        follow_task_ids_if_false: str | Iterable[str],
        target_lower: dt.datetime | dt.time | None,
        target_upper: dt.datetime | dt.time | None,
        use_task_logical_date: bool = False,
        **kwargs: Any,
    ) -> None:
        use_task_logical_date = kwargs.pop("use_task_execution_date", use_task_logical_date)
        super().__init__(**kwargs)
        if target_lower is None and target_upper is None:
            raise AirflowException(
                f"Task {self.task_id!r}: target_lower and target_upper are both None; set at least one"
            )
        self.target_lower = target_lower
        self.target_upper = target_upper
        self.follow_task_ids_if_true = follow_task_ids_if_true
        self.follow_task_ids_if_false = follow_task_ids_if_false
        self.use_task_logical_date = use_task_logical_date

    def choose_branch(self, context: Any) -> str | Iterable[str]:
        """The ids to follow for the reference instant."""
        now = reference_instant(context, self.use_task_logical_date, self._clock.now())
        lower, upper = target_times_as_dates(now, self.target_lower, self.target_upper)
        zone = timezone.resolve_timezone(getattr(self.dag, "timezone", None) or "UTC")
        lower, upper = _aware(lower, zone), _aware(upper, zone)
        if upper is not None and upper < now:
            return self.follow_task_ids_if_false
        if lower is not None and lower > now:
            return self.follow_task_ids_if_false
        return self.follow_task_ids_if_true

    def execute(self, context: Any) -> Any:
        """Choose by time window, then branch."""
        return self.do_branch(context, self.choose_branch(context))


def _naive(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=None)


def _aware(value: dt.datetime | None, zone: Any) -> dt.datetime | None:
    """Read a naive bound in the DAG's timezone, as Airflow does."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=zone)
