"""Airflow's `airflow.models.taskmixin` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.dependencies import DependencyMixin

__all__ = ["DependencyMixin"]
