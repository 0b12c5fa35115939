"""Airflow's `airflow.utils.decorators` path (1.10): re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operator_args import apply_defaults

__all__ = ["apply_defaults"]
