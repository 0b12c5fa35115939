"""Airflow's `airflow.utils.context` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.context import Context, get_current_context

__all__ = ["Context", "get_current_context"]
