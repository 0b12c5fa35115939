"""Deferrable time sensors without a triggerer: wait in the task until the instant the trigger would fire."""

from __future__ import annotations

import logging
from datetime import datetime

from tradewind.sdk.exceptions import AirflowRescheduleException, AirflowSensorTimeout, AirflowSkipException
from tradewind.sdk.sensors.base import BaseSensorOperator

log = logging.getLogger("airflow.task")


def wait_until(sensor: BaseSensorOperator, target_at: datetime, *, honour_timeout: bool) -> None:
    """Return once `target_at` has passed: sleep on the sensor's clock, or reschedule in reschedule mode.

    `honour_timeout` mirrors whether the Airflow operator passes its timeout to `defer()`: when it
    does and the target lies beyond the timeout, the sensor waits the timeout and then times out.
    """
    now = sensor._clock.now()
    if now >= target_at:
        return
    if sensor.reschedule:
        raise AirflowRescheduleException(target_at)
    wait_s = (target_at - now).total_seconds()
    if honour_timeout and wait_s > sensor.timeout:
        sensor._clock.sleep(sensor.timeout)
        message = f"Sensor {sensor.task_id!r} timed out after {sensor.timeout:g} seconds waiting for {target_at.isoformat()}"
        if sensor.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowSensorTimeout(message)
    log.info("Waiting until %s (%g seconds)", target_at.isoformat(), wait_s)
    sensor._clock.sleep(wait_s)
