"""Airflow's task-instance and DAG-run states, with the groupings the rules need."""

from __future__ import annotations

from enum import Enum


class TaskInstanceState(str, Enum):
    """States of one task instance; `None` in the DB (no state yet) is spelled NONE here."""

    REMOVED = "removed"
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    RESTARTING = "restarting"
    FAILED = "failed"
    UP_FOR_RETRY = "up_for_retry"
    UP_FOR_RESCHEDULE = "up_for_reschedule"
    UPSTREAM_FAILED = "upstream_failed"
    SKIPPED = "skipped"
    DEFERRED = "deferred"

    def __str__(self) -> str:
        return self.value


class DagRunState(str, Enum):
    """States of a DAG run."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value


class DagRunType(str, Enum):
    """Why a run exists."""

    MANUAL = "manual"
    SCHEDULED = "scheduled"
    BACKFILL = "backfill"
    ASSET_TRIGGERED = "asset_triggered"

    def __str__(self) -> str:
        return self.value


TI = TaskInstanceState

FINISHED_TI_STATES = frozenset({TI.SUCCESS, TI.FAILED, TI.SKIPPED, TI.UPSTREAM_FAILED, TI.REMOVED})
"""A task instance in one of these will not change again unless cleared."""

UNFINISHED_TI_STATES = frozenset(
    {None, TI.SCHEDULED, TI.QUEUED, TI.RUNNING, TI.UP_FOR_RETRY, TI.UP_FOR_RESCHEDULE, TI.DEFERRED, TI.RESTARTING}
)

FINISHED_RUN_STATES = frozenset({DagRunState.SUCCESS, DagRunState.FAILED})


class State:
    """Airflow 1.10/2.x `State` namespace: the state strings as attributes."""

    NONE = None
    REMOVED = TI.REMOVED
    SCHEDULED = TI.SCHEDULED
    QUEUED = TI.QUEUED
    RUNNING = TI.RUNNING
    SUCCESS = TI.SUCCESS
    RESTARTING = TI.RESTARTING
    FAILED = TI.FAILED
    UP_FOR_RETRY = TI.UP_FOR_RETRY
    UP_FOR_RESCHEDULE = TI.UP_FOR_RESCHEDULE
    UPSTREAM_FAILED = TI.UPSTREAM_FAILED
    SKIPPED = TI.SKIPPED
    DEFERRED = TI.DEFERRED
    finished = FINISHED_TI_STATES
    unfinished = UNFINISHED_TI_STATES
