"""Airflow's `airflow.models.xcom_arg` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.xcom_arg import XComArg

__all__ = ["XComArg"]
