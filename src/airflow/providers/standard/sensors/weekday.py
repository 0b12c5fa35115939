"""Airflow's `airflow.providers.standard.sensors.weekday` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.weekday import DayOfWeekSensor

__all__ = ["DayOfWeekSensor"]
