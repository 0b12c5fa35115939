"""Airflow's `airflow.providers.standard.sensors.time` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.time import TimeSensor, TimeSensorAsync

__all__ = ["TimeSensor", "TimeSensorAsync"]
