"""Airflow's `airflow.sensors.date_time` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.date_time import DateTimeSensor, DateTimeSensorAsync

warnings.warn(
    "airflow.sensors.date_time is deprecated; import from airflow.providers.standard.sensors.date_time instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["DateTimeSensor", "DateTimeSensorAsync"]
