"""Airflow's `airflow.sensors.filesystem` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.filesystem import FileSensor

warnings.warn(
    "airflow.sensors.filesystem is deprecated; import from airflow.providers.standard.sensors.filesystem instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["FileSensor"]
