"""Airflow's `airflow.providers.standard.sensors.date_time` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.date_time import DateTimeSensor, DateTimeSensorAsync

__all__ = ["DateTimeSensor", "DateTimeSensorAsync"]
