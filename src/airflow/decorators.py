"""Airflow's `airflow.decorators` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.decorators import dag, task, task_group, setup, teardown

warnings.warn(
    "airflow.decorators is deprecated; import from airflow.sdk instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["dag", "setup", "task", "task_group", "teardown"]
