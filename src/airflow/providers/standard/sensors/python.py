"""Airflow's `airflow.providers.standard.sensors.python` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.python import PythonSensor

__all__ = ["PythonSensor"]
