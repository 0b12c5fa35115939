"""From `schedule=` values to timetables."""

from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest
from dateutil.relativedelta import relativedelta

from tradewind.schedule.build import timetable_from_schedule
from tradewind.schedule.timetables import (
    ContinuousTimetable,
    CronDataIntervalTimetable,
    CronTriggerTimetable,
    DeltaDataIntervalTimetable,
    NullTimetable,
    OnceTimetable,
)


@pytest.mark.parametrize(
    ("schedule", "cls", "summary"),
    [
        (None, NullTimetable, "None"),
        ("@once", OnceTimetable, "@once"),
        ("@continuous", ContinuousTimetable, "@continuous"),
        ("@daily", CronDataIntervalTimetable, "@daily"),
        ("0 2 * * *", CronDataIntervalTimetable, "0 2 * * *"),
        (timedelta(days=1), DeltaDataIntervalTimetable, "1 day, 0:00:00"),
        (relativedelta(months=1), DeltaDataIntervalTimetable, "relativedelta(months=+1)"),
    ],
)
def test_schedule_values(schedule, cls, summary: str) -> None:
    timetable = timetable_from_schedule(schedule)
    assert type(timetable) is cls
    assert timetable.summary == summary


def test_timetable_instance_is_used_as_is() -> None:
    timetable = CronTriggerTimetable("@daily", timezone="UTC")
    assert timetable_from_schedule(timetable) is timetable


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", ZoneInfo("Europe/Amsterdam"), pendulum.timezone("Europe/Amsterdam")])
def test_timezone_is_carried_and_described(zone) -> None:
    timetable = timetable_from_schedule("30 2 * * *", timezone=zone)
    assert timetable.description == "At 02:30 every day (Europe/Amsterdam)"
    assert timetable.serialize()["timezone"] == "Europe/Amsterdam"


def test_invalid_cron_message() -> None:
    with pytest.raises(ValueError) as excinfo:
        timetable_from_schedule("61 25 * * *")
    assert "invalid cron expression '61 25 * * *': minute 61 is out of range 0-59" in str(excinfo.value)


def test_unsupported_schedule_type_says_what_works() -> None:
    with pytest.raises(TypeError, match="cron string"):
        timetable_from_schedule(42)


def test_unknown_time_zone_is_named() -> None:
    with pytest.raises(ValueError, match="'Mars/Olympus'"):
        timetable_from_schedule("@daily", timezone="Mars/Olympus")


def test_fixed_offset_zone() -> None:
    timetable = timetable_from_schedule("@daily", timezone=timezone(timedelta(hours=-5)))
    assert timetable.serialize()["timezone"] == "-05:00"
