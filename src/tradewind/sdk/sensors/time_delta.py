"""TimeDeltaSensor (and its Async spelling) and WaitSensor: wait for a time relative to the run or the task."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.sensors.base import BaseSensorOperator
from tradewind.sdk.sensors.deferral import wait_until

log = logging.getLogger("airflow.task")


class TimeDeltaSensor(BaseSensorOperator):
    """Wait until `delta` after the run's data interval end (or after run_after when the run has none)."""

    def __init__(self, *, delta: timedelta, deferrable: bool = False, end_from_trigger: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delta = delta
        self.deferrable = deferrable
        self.end_from_trigger = end_from_trigger

    def target_at(self, context: Any) -> datetime:
        """The instant this sensor waits for."""
        base = context.get("data_interval_end")
        if base is None:
            base = getattr(context.get("dag_run"), "run_after", None)
        if base is None:
            raise AirflowException(
                f"Sensor {self.task_id!r}: the run has neither a data interval end nor run_after to add delta to"
            )
        return base + self.delta

    def poke(self, context: Any) -> bool:
        """Whether the target instant has passed."""
        target = self.target_at(context)
        log.info("Checking if the time (%s) has come", target)
        return self._clock.now() > target

    def execute(self, context: Any) -> Any:
        """Deferrable: wait for the target directly (honouring timeout); else poke."""
        if self.deferrable:
            return wait_until(self, self.target_at(context), honour_timeout=True)
        return super().execute(context)


class TimeDeltaSensorAsync(TimeDeltaSensor):
    """TimeDeltaSensor with deferrable=True (the Airflow 2 spelling)."""

    def __init__(self, *, deferrable: bool = True, **kwargs: Any) -> None:
        super().__init__(deferrable=deferrable, **kwargs)


class WaitSensor(BaseSensorOperator):
    """Wait a fixed time (a timedelta, or minutes as a number) from when the task starts."""

    def __init__(self, *, time_to_wait: timedelta | float, deferrable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.time_to_wait = time_to_wait if isinstance(time_to_wait, timedelta) else timedelta(minutes=time_to_wait)
        self.deferrable = deferrable

    def poke(self, context: Any) -> bool:
        """Nothing to poke: execute waits the whole time at once."""
        return True

    def execute(self, context: Any) -> None:
        """Wait time_to_wait."""
        log.info("Waiting %s", self.time_to_wait)
        self._clock.sleep(self.time_to_wait.total_seconds())
