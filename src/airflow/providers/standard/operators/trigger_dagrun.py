"""Airflow's `airflow.providers.standard.operators.trigger_dagrun` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.trigger_dagrun import TriggerDagRunOperator

__all__ = ["TriggerDagRunOperator"]
