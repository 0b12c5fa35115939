"""Airflow's `airflow.providers.standard.operators.weekday` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.weekday import BranchDayOfWeekOperator

__all__ = ["BranchDayOfWeekOperator"]
