"""Airflow's `airflow.models.taskinstance` path: the type of `ti` in a running task's context."""

from tradewind.runner.runtime_ti import RuntimeTaskInstance as TaskInstance

__all__ = ["TaskInstance"]
