"""Airflow's `airflow.operators.trigger_dagrun` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.trigger_dagrun import TriggerDagRunOperator

warnings.warn(
    "airflow.operators.trigger_dagrun is deprecated; import from airflow.providers.standard.operators.trigger_dagrun instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["TriggerDagRunOperator"]
