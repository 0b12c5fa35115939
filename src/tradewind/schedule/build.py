"""Turn what a DAG file passes as `schedule=` into a Timetable."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Any

from dateutil.relativedelta import relativedelta

from tradewind.schedule.base import Timetable
from tradewind.schedule.interval import CronDataIntervalTimetable, DeltaDataIntervalTimetable
from tradewind.schedule.presets import CONTINUOUS, ONCE
from tradewind.schedule.simple import ContinuousTimetable, NullTimetable, OnceTimetable


def timetable_from_schedule(schedule: Any, *, timezone: str | tzinfo = "UTC") -> Timetable:
    """The timetable for `schedule`: None, '@once', '@continuous', a preset or cron, a (relative)delta or a Timetable.

    Cron strings and deltas give data-interval timetables (Airflow 2's behaviour). Asset
    schedules are not time-based and are handled by the caller. A bad cron raises ValueError
    "invalid cron expression '<expr>': <reason>".
    """
    if schedule is None:
        return NullTimetable()
    if isinstance(schedule, Timetable):
        return schedule
    if isinstance(schedule, (timedelta, relativedelta)):
        return DeltaDataIntervalTimetable(schedule)
    if isinstance(schedule, str):
        text = schedule.strip()
        if text.lower() == ONCE:
            return OnceTimetable()
        if text.lower() == CONTINUOUS:
            return ContinuousTimetable()
        return CronDataIntervalTimetable(text, timezone)
    raise TypeError(
        f"schedule {schedule!r} of type {type(schedule).__name__} is not supported: use None, a cron string, "
        "a preset such as '@daily', a timedelta, a relativedelta or a Timetable"
    )
