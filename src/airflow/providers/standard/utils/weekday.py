"""Airflow's `airflow.providers.standard.utils.weekday` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.weekday import WeekDay

__all__ = ["WeekDay"]
