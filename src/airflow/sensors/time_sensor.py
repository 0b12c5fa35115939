"""Airflow's `airflow.sensors.time_sensor` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.time import TimeSensor, TimeSensorAsync

warnings.warn(
    "airflow.sensors.time_sensor is deprecated; import from airflow.providers.standard.sensors.time instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["TimeSensor", "TimeSensorAsync"]
