"""DayOfWeekSensor: wait until the day of the week is one of the given days."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from tradewind.sdk.operators.weekday import reference_instant
from tradewind.sdk.sensors.base import BaseSensorOperator
from tradewind.sdk.weekday import WeekDay

log = logging.getLogger("airflow.task")


class DayOfWeekSensor(BaseSensorOperator):
    """Wait until today (or, with use_task_logical_date, the run's logical date) falls on one of `week_day`."""

    def __init__(
        self,
        *,
        week_day: str | WeekDay | Iterable[str | WeekDay],
        use_task_logical_date: bool = False,
        **kwargs: Any,
    ) -> None:
        use_task_logical_date = kwargs.pop("use_task_execution_day", use_task_logical_date)
        super().__init__(**kwargs)
        self.week_day = week_day
        self.use_task_logical_date = use_task_logical_date
        self._week_day_num = WeekDay.validate_week_day(week_day)

    def poke(self, context: Any) -> bool:
        """Whether the reference day is one of the wanted days."""
        log.info("Poking until weekday is in %s", sorted(self._week_day_num))
        instant = reference_instant(context, self.use_task_logical_date, self._clock.now())
        return instant.isoweekday() in self._week_day_num
