"""Airflow's `airflow.operators.weekday` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.weekday import BranchDayOfWeekOperator

warnings.warn(
    "airflow.operators.weekday is deprecated; import from airflow.providers.standard.operators.weekday instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BranchDayOfWeekOperator"]
