"""Airflow's `airflow.providers.standard.operators.bash` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.bash import BashOperator

__all__ = ["BashOperator"]
