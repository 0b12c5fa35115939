"""Airflow's `airflow.sensors.weekday` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.weekday import DayOfWeekSensor

warnings.warn(
    "airflow.sensors.weekday is deprecated; import from airflow.providers.standard.sensors.weekday instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["DayOfWeekSensor"]
