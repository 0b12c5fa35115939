"""Airflow's `airflow.operators.latest_only` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.latest_only import LatestOnlyOperator

warnings.warn(
    "airflow.operators.latest_only is deprecated; import from airflow.providers.standard.operators.latest_only instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["LatestOnlyOperator"]
