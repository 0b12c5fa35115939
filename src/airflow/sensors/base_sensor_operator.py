"""Airflow's `airflow.sensors.base_sensor_operator` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.base import BaseSensorOperator

warnings.warn(
    "airflow.sensors.base_sensor_operator is deprecated; import from airflow.sensors.base instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BaseSensorOperator"]
