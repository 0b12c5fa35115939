"""Airflow's `airflow.models.variable` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.variables import Variable

__all__ = ["Variable"]
