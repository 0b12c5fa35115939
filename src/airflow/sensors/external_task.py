"""Airflow's `airflow.sensors.external_task` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.external_task import ExternalTaskSensor, ExternalTaskMarker

warnings.warn(
    "airflow.sensors.external_task is deprecated; import from airflow.providers.standard.sensors.external_task instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["ExternalTaskMarker", "ExternalTaskSensor"]
