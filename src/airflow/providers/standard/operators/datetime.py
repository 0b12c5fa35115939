"""Airflow's `airflow.providers.standard.operators.datetime` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.datetime import BranchDateTimeOperator

__all__ = ["BranchDateTimeOperator"]
