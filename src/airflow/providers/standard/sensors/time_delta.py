"""Airflow's `airflow.providers.standard.sensors.time_delta` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.sensors.time_delta import TimeDeltaSensor, TimeDeltaSensorAsync, WaitSensor

__all__ = ["TimeDeltaSensor", "TimeDeltaSensorAsync", "WaitSensor"]
