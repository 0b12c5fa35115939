"""Airflow's `airflow.operators.dummy` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.empty import DummyOperator, EmptyOperator

warnings.warn(
    "airflow.operators.dummy is deprecated; import from airflow.operators.empty instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["DummyOperator", "EmptyOperator"]
