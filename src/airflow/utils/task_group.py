"""Airflow's `airflow.utils.task_group` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.taskgroup import TaskGroup

__all__ = ["TaskGroup"]
