"""Airflow's `airflow.operators.dagrun_operator` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.trigger_dagrun import TriggerDagRunOperator

warnings.warn(
    "airflow.operators.dagrun_operator is deprecated; import from airflow.operators.trigger_dagrun instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["TriggerDagRunOperator"]
