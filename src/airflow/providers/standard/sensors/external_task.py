"""Airflow's `airflow.providers.standard.sensors.external_task` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.external_task import ExternalTaskSensor, ExternalTaskMarker

__all__ = ["ExternalTaskMarker", "ExternalTaskSensor"]
