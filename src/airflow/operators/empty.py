"""Airflow's `airflow.operators.empty` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.empty import EmptyOperator, EmptyOperator

warnings.warn(
    "airflow.operators.empty is deprecated; import from airflow.providers.standard.operators.empty instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["EmptyOperator"]
