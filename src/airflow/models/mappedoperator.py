"""Airflow's `airflow.models.mappedoperator` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.mapping import MappedOperator

__all__ = ["MappedOperator"]
