"""LatestOnlyOperator: let downstream tasks run only in the latest scheduled run (or a manual one)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tradewind import clock
from tradewind.schedule.base import DataInterval, TimeRestriction, next_dagrun_info_at
from tradewind.sdk.operators.branch import BaseBranchOperator

log = logging.getLogger("airflow.task")


class LatestOnlyOperator(BaseBranchOperator):
    """Follow every direct downstream in a manual run or while now lies in the latest schedule window; else skip them.

    The latest window runs from this run's data interval end to the next run's data interval end.
    """

    _clock = clock.TaskClockAttribute()  # the running try's clock, or one a test sets

    ui_color = "#e9ffdb"

    def choose_branch(self, context: Any) -> str | Iterable[str]:
        """All direct downstream ids when this run is the latest (or manual), else none."""
        everything = sorted(self.downstream_task_ids)
        dag_run = context.get("dag_run")
        if _is_manual(dag_run):
            log.info("Manually triggered run: following all downstream tasks")
            return everything
        start, end = context.get("data_interval_start"), context.get("data_interval_end")
        if start is None or end is None:
            log.info("The run has no data interval: following all downstream tasks")
            return everything
        now = self._clock.now()
        next_end = _next_interval_end(self.dag, start, end, now)
        if next_end is None:
            log.info("No run after this one is scheduled: following all downstream tasks")
            return everything
        log.info("Checking latest only: left window %s, right window %s, now %s", end, next_end, now)
        if not end < now <= next_end:
            log.info("Not the latest run, skipping downstream tasks")
            return []
        log.info("Latest run, following all downstream tasks")
        return everything


def _is_manual(dag_run: Any) -> bool:
    run_type = getattr(dag_run, "run_type", None)
    if run_type is not None and str(getattr(run_type, "value", run_type)) == "manual":
        return True
    return bool(getattr(dag_run, "external_trigger", False))


def _next_interval_end(dag: Any, start: datetime, end: datetime, now: datetime) -> datetime | None:
    """The data interval end of the run the DAG's timetable schedules after [start, end)."""
    timetable = getattr(dag, "timetable", None)
    if timetable is None:
        return None
    info = next_dagrun_info_at(
        timetable,
        last_automated_data_interval=DataInterval(start, end),
        # No bounds and catchup: the true next run, not the one the scheduler would pick now.
        restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
        now=now,
    )
    if info is None:
        return None
    return info.data_interval.end
