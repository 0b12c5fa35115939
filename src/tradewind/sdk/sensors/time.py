"""TimeSensor (and its Async spelling): wait until a time of day, on the date the DAG file was parsed."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from tradewind.sdk import timezone
from tradewind.sdk.sensors.base import BaseSensorOperator
from tradewind.sdk.sensors.deferral import wait_until

log = logging.getLogger("airflow.task")


class TimeSensor(BaseSensorOperator):
    """Wait until `target_time` on the date the DAG was parsed, in the DAG's timezone.

    Deferrable, it waits until that instant whatever `timeout` says, as Airflow's trigger does.
    """

    def __init__(
        self,
        *,
        target_time: dt.time,
        deferrable: bool = False,
        start_from_trigger: bool = False,
        end_from_trigger: bool = False,
        trigger_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.target_time = target_time
        self.deferrable = deferrable
        self.end_from_trigger = end_from_trigger
        zone = timezone.resolve_timezone(getattr(self.dag, "timezone", None) or "UTC")
        today = self._clock.now().astimezone(zone).date()
        aware = dt.datetime.combine(today, target_time).replace(tzinfo=target_time.tzinfo or zone)
        self.target_datetime = aware.astimezone(dt.timezone.utc)

    def poke(self, context: Any) -> bool:
        """Whether the target instant has passed."""
        log.info("Checking if the time (%s) has come", self.target_datetime)
        return self._clock.now() > self.target_datetime

    def execute(self, context: Any) -> Any:
        """Deferrable: wait for the target directly, ignoring timeout; else poke."""
        if self.deferrable:
            return wait_until(self, self.target_datetime, honour_timeout=False)
        return super().execute(context)


class TimeSensorAsync(TimeSensor):
    """TimeSensor with deferrable=True (the Airflow 2 spelling)."""

    def __init__(self, *, deferrable: bool = True, **kwargs: Any) -> None:
        super().__init__(deferrable=deferrable, **kwargs)
