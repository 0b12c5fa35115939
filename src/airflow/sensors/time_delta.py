"""Airflow's `airflow.sensors.time_delta` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.time_delta import TimeDeltaSensor, TimeDeltaSensorAsync, WaitSensor

warnings.warn(
    "airflow.sensors.time_delta is deprecated; import from airflow.providers.standard.sensors.time_delta instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["TimeDeltaSensor", "TimeDeltaSensorAsync", "WaitSensor"]
