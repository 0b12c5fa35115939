"""Timetables with no period: None (manual only), @once and @continuous."""

from __future__ import annotations

from datetime import datetime

from tradewind.schedule.base import DagRunInfo, DataInterval, TimeRestriction, Timetable, require_now


class NullTimetable(Timetable):
    """`schedule=None`: never scheduled; runs come only from manual, API or asset triggers."""

    type_name = "none"
    summary = "None"
    description = "Never, external triggers only"
    periodic = False
    can_be_scheduled = False

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        return None


class OnceTimetable(Timetable):
    """`@once`: a single run at start_date, whatever catchup says; none without a start_date."""

    type_name = "once"
    summary = "@once"
    description = "Once, as soon as possible"
    periodic = False

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        if last_automated_data_interval is not None or restriction.earliest is None:
            return None
        if restriction.latest is not None and restriction.earliest > restriction.latest:
            return None
        return DagRunInfo.exact(restriction.earliest)


class ContinuousTimetable(Timetable):
    """`@continuous`: a new run as soon as the previous one ends; the DAG must allow one active run."""

    type_name = "continuous"
    summary = "@continuous"
    description = "As often as possible, one run at a time"
    periodic = True
    active_runs_limit = 1

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        """The next run covers [end of the last run, now]; `now` is required."""
        if restriction.earliest is None:
            return None
        now = require_now(now, self)
        if last_automated_data_interval is None:
            start, end = restriction.earliest, max(restriction.earliest, now)
        else:
            start, end = last_automated_data_interval.end, max(last_automated_data_interval.end, now)
        if restriction.latest is not None and end > restriction.latest:
            return None
        return DagRunInfo.interval(start, end)
