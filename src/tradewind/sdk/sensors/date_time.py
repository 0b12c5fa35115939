"""DateTimeSensor (and its Async spelling): wait until a given (templated) instant."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from tradewind.sdk import timezone
from tradewind.sdk.sensors.base import BaseSensorOperator
from tradewind.sdk.sensors.deferral import wait_until

log = logging.getLogger("airflow.task")


class DateTimeSensor(BaseSensorOperator):
    """Wait until `target_time`, a datetime or a templated ISO string such as "{{ data_interval_end }}"."""

    template_fields = ("target_time",)

    def __init__(
        self,
        *,
        target_time: str | dt.datetime,
        deferrable: bool = False,
        start_from_trigger: bool = False,
        end_from_trigger: bool = False,
        trigger_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(target_time, dt.datetime):
            target_time = target_time.isoformat()
        elif not isinstance(target_time, str):
            raise TypeError(
                f"Sensor {self.task_id!r}: target_time must be a str or a datetime, got {type(target_time).__name__}"
            )
        self.target_time = target_time
        self.deferrable = deferrable
        self.end_from_trigger = end_from_trigger

    def target_at(self) -> dt.datetime:
        """The instant waited for (naive strings are read in the default timezone)."""
        return timezone.parse(str(self.target_time))

    def poke(self, context: Any) -> bool:
        """Whether the target instant has passed."""
        log.info("Checking if the time (%s) has come", self.target_time)
        return self._clock.now() > self.target_at()

    def execute(self, context: Any) -> Any:
        """Deferrable: wait for the target directly; else poke."""
        if self.deferrable:
            return wait_until(self, self.target_at(), honour_timeout=False)
        return super().execute(context)


class DateTimeSensorAsync(DateTimeSensor):
    """DateTimeSensor with deferrable=True (the Airflow 2 spelling)."""

    def __init__(self, *, deferrable: bool = True, **kwargs: Any) -> None:
        super().__init__(deferrable=deferrable, **kwargs)
