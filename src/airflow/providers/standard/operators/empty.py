"""Airflow's `airflow.providers.standard.operators.empty` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.empty import EmptyOperator

__all__ = ["EmptyOperator"]
