"""Airflow's `airflow.operators.datetime` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.datetime import BranchDateTimeOperator

warnings.warn(
    "airflow.operators.datetime is deprecated; import from airflow.providers.standard.operators.datetime instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BranchDateTimeOperator"]
