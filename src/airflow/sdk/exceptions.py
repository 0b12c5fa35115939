"""Airflow's `airflow.sdk.exceptions` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.exceptions import (
    AirflowException,
    AirflowSkipException,
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowTaskTimeout,
    AirflowRescheduleException,
    AirflowNotFoundException,
    TaskDeferred,
    DownstreamTasksSkipped,
    DuplicateTaskIdFound,
    AirflowDagCycleException,
    ParamValidationError,
)

__all__ = [
    "AirflowDagCycleException",
    "AirflowException",
    "AirflowFailException",
    "AirflowNotFoundException",
    "AirflowRescheduleException",
    "AirflowSensorTimeout",
    "AirflowSkipException",
    "AirflowTaskTimeout",
    "DownstreamTasksSkipped",
    "DuplicateTaskIdFound",
    "ParamValidationError",
    "TaskDeferred",
]
