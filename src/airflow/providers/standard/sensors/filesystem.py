"""Airflow's `airflow.providers.standard.sensors.filesystem` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.filesystem import FileSensor

__all__ = ["FileSensor"]
