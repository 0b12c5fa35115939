"""Airflow's `airflow.operators.dummy_operator` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.empty import DummyOperator

warnings.warn(
    "airflow.operators.dummy_operator is deprecated; import from airflow.operators.empty instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["DummyOperator"]
