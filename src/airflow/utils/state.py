"""Airflow's `airflow.utils.state` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.rules.states import State, TaskInstanceState, DagRunState

__all__ = ["DagRunState", "State", "TaskInstanceState"]
