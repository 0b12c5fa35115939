"""Trigger timetables: logical_date = run_after = the tick."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tradewind.schedule.timetables import CronTriggerTimetable, DataInterval, DeltaTriggerTimetable, TimeRestriction

UTC = timezone.utc


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def next_info(timetable, *, last=None, earliest=None, latest=None, catchup=True, now=None):
    restriction = TimeRestriction(earliest=earliest, latest=latest, catchup=catchup)
    return timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction, now=now)


def test_first_tick_is_start_date_aligned_and_logical_date_is_the_tick() -> None:
    info = next_info(CronTriggerTimetable("@daily", timezone="UTC"), earliest=at(2024, 1, 1))
    assert info.run_after == info.logical_date == at(2024, 1, 1)
    assert info.data_interval == DataInterval(at(2024, 1, 1), at(2024, 1, 1))


def test_next_tick_follows_the_last_and_interval_reaches_back() -> None:
    timetable = CronTriggerTimetable("@daily", timezone="UTC", interval=timedelta(hours=1))
    info = next_info(timetable, last=DataInterval(at(2024, 1, 1) - timedelta(hours=1), at(2024, 1, 1)), earliest=at(2024, 1, 1))
    assert info.logical_date == at(2024, 1, 2)
    assert info.data_interval == DataInterval(at(2024, 1, 1, 23), at(2024, 1, 2))


def test_catchup_false_runs_the_latest_past_tick_then_the_following() -> None:
    timetable = CronTriggerTimetable("@daily", timezone="UTC")
    info = next_info(timetable, earliest=at(2024, 1, 1), catchup=False, now=at(2024, 3, 10, 10))
    assert info.logical_date == at(2024, 3, 10)
    info = next_info(timetable, last=info.data_interval, earliest=at(2024, 1, 1), catchup=False, now=at(2024, 3, 10, 11))
    assert info.logical_date == at(2024, 3, 11)


def test_end_date_stops_trigger_ticks() -> None:
    timetable = CronTriggerTimetable("@daily", timezone="UTC")
    last = DataInterval.exact(at(2024, 1, 3))
    assert next_info(timetable, last=last, earliest=at(2024, 1, 1), latest=at(2024, 1, 3, 12)) is None


@pytest.mark.parametrize(
    ("run_immediately", "expected"),
    [(True, at(2024, 3, 10)), (False, at(2024, 3, 11)), (timedelta(hours=12), at(2024, 3, 10)), (timedelta(hours=1), at(2024, 3, 11))],
)
def test_run_immediately_decides_the_first_tick_without_start_date(run_immediately, expected) -> None:
    timetable = CronTriggerTimetable("@daily", timezone="UTC", run_immediately=run_immediately)
    assert next_info(timetable, now=at(2024, 3, 10, 10)).logical_date == expected


def test_manual_trigger_interval() -> None:
    timetable = CronTriggerTimetable("@daily", timezone="UTC", interval=timedelta(hours=2))
    assert timetable.infer_manual_data_interval(run_after=at(2024, 1, 1, 5)) == DataInterval(at(2024, 1, 1, 3), at(2024, 1, 1, 5))


def test_delta_trigger_ticks_from_start_date() -> None:
    timetable = DeltaTriggerTimetable(timedelta(hours=1))
    first = next_info(timetable, earliest=at(2024, 1, 1, 0, 30))
    second = next_info(timetable, last=first.data_interval, earliest=at(2024, 1, 1, 0, 30))
    assert (first.logical_date, second.logical_date) == (at(2024, 1, 1, 0, 30), at(2024, 1, 1, 1, 30))
