"""Airflow's `airflow.sensors.python` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.python import PythonSensor

warnings.warn(
    "airflow.sensors.python is deprecated; import from airflow.providers.standard.sensors.python instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["PythonSensor"]
