"""Airflow's `airflow.models.dag` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.dag import DAG

__all__ = ["DAG"]
