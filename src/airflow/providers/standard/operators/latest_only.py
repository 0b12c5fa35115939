"""Airflow's `airflow.providers.standard.operators.latest_only` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.latest_only import LatestOnlyOperator

__all__ = ["LatestOnlyOperator"]
