"""Airflow's `airflow.providers.standard.sensors.bash` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.bash import BashSensor

__all__ = ["BashSensor"]
