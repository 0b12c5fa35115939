"""Timetable serialization, run infos and custom Airflow-style timetables."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pendulum
import pytest
from dateutil.relativedelta import relativedelta

from tradewind.schedule.timetables import (
    ContinuousTimetable,
    CronDataIntervalTimetable,
    CronTriggerTimetable,
    DagRunInfo,
    DataInterval,
    DeltaDataIntervalTimetable,
    DeltaTriggerTimetable,
    EventsTimetable,
    NullTimetable,
    OnceTimetable,
    TimeRestriction,
    Timetable,
    deserialize_timetable,
    next_dagrun_info_at,
)

UTC = timezone.utc
T0 = datetime(2024, 1, 1, tzinfo=UTC)

ALL = [
    NullTimetable(),
    OnceTimetable(),
    ContinuousTimetable(),
    CronDataIntervalTimetable("30 2 * * *", "Europe/Amsterdam"),
    CronDataIntervalTimetable("@daily", "+05:30"),
    DeltaDataIntervalTimetable(timedelta(hours=6)),
    DeltaDataIntervalTimetable(relativedelta(months=1, day=31)),
    CronTriggerTimetable("0 9 * * 1-5", timezone="America/New_York", interval=timedelta(hours=1), run_immediately=timedelta(minutes=5)),
    DeltaTriggerTimetable(timedelta(minutes=30)),
    EventsTimetable([T0, T0 + timedelta(days=3)], description="two events"),
]


@pytest.mark.parametrize("timetable", ALL, ids=lambda t: type(t).__name__)
def test_serialize_round_trips_through_json(timetable: Timetable) -> None:
    data = json.loads(json.dumps(timetable.serialize()))
    assert "type" in data
    rebuilt = deserialize_timetable(data)
    assert type(rebuilt) is type(timetable)
    assert rebuilt.serialize() == timetable.serialize()
    assert rebuilt.summary == timetable.summary


def test_unknown_type_is_named() -> None:
    with pytest.raises(ValueError, match="'my.Timetable'"):
        deserialize_timetable({"type": "my.Timetable"})


class WorkdayTimetable(Timetable):
    """An Airflow-style custom timetable: no `now` argument, pendulum datetimes in and out."""

    def next_dagrun_info(self, *, last_automated_data_interval, restriction):
        start = last_automated_data_interval.end if last_automated_data_interval else restriction.earliest
        start = pendulum.instance(start)
        return DagRunInfo.interval(start=start, end=start.add(days=1))


def test_custom_timetable_without_now_is_called_and_its_times_normalised() -> None:
    timetable = WorkdayTimetable()
    info = next_dagrun_info_at(timetable, last_automated_data_interval=None, restriction=TimeRestriction(T0, None, True), now=T0)
    assert info.data_interval == DataInterval(T0, T0 + timedelta(days=1))
    assert type(info.run_after) is datetime and info.logical_date == T0
    data = timetable.serialize()
    assert data["type"].endswith("WorkdayTimetable")
    assert type(deserialize_timetable(data, extra_types={data["type"]: WorkdayTimetable})) is WorkdayTimetable


def test_builtin_timetable_gets_now_through_the_same_call() -> None:
    info = next_dagrun_info_at(
        CronDataIntervalTimetable("@daily"), last_automated_data_interval=None, restriction=TimeRestriction(T0, None, False), now=T0 + timedelta(days=3, hours=5)
    )
    assert info.logical_date == T0 + timedelta(days=2)


def test_run_info_constructors() -> None:
    exact = DagRunInfo.exact(T0)
    assert exact.run_after == exact.logical_date == T0 and exact.data_interval == DataInterval(T0, T0)
    interval = DagRunInfo.interval(T0, T0 + timedelta(hours=1))
    assert interval.run_after == T0 + timedelta(hours=1) and interval.logical_date == T0


def test_naive_and_backwards_intervals_are_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        DataInterval(datetime(2024, 1, 1), T0)
    with pytest.raises(ValueError, match="before it starts"):
        DataInterval(T0, T0 - timedelta(seconds=1))


def test_run_id() -> None:
    assert OnceTimetable().generate_run_id(run_type="scheduled", logical_date=T0) == "scheduled__2024-01-01T00:00:00+00:00"


def test_times_in_other_zones_are_converted_to_utc() -> None:
    restriction = TimeRestriction(pendulum.datetime(2024, 1, 1, 1, tz="Europe/Amsterdam"), None, True)
    assert restriction.earliest == T0 and restriction.earliest.tzinfo is UTC
