"""Airflow's `airflow.configuration` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.configuration import conf

__all__ = ["conf"]
