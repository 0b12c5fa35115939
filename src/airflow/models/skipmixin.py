"""Airflow's `airflow.models.skipmixin` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.branch import SkipMixin

__all__ = ["SkipMixin"]
