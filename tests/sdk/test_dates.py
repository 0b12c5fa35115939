"""Date, time-zone, weekday and macro helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tradewind import clock
from tradewind.sdk import dates, macros
from tradewind.sdk import timezone as tz
from tradewind.sdk.weekday import WeekDay

UTC = timezone.utc


def test_days_ago_is_midnight_utc() -> None:
    before = clock.utcnow()
    value = dates.days_ago(2)
    assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
    assert (value.hour, value.minute, value.second) == (0, 0, 0)
    assert value.date() in {(before - timedelta(days=2)).date(), (clock.utcnow() - timedelta(days=2)).date()}


def test_date_range() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert dates.date_range(start, start + timedelta(days=2)) == [start + timedelta(days=i) for i in range(3)]
    assert dates.date_range(start, num=2, delta=timedelta(hours=1)) == [start, start + timedelta(hours=1)]
    assert dates.date_range(start, num=3, delta="@daily")[-1] == start + timedelta(days=2)


def test_timezone_helpers() -> None:
    assert tz.datetime(2026, 1, 1).tzinfo is UTC
    paris = tz.make_aware(datetime(2026, 7, 1, 12), "Europe/Paris")
    assert tz.convert_to_utc(paris) == datetime(2026, 7, 1, 10, tzinfo=UTC)
    assert tz.parse("2026-01-02T03:04:05") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert tz.timezone_name(paris.tzinfo) == "Europe/Paris"
    with pytest.raises(ValueError):
        tz.make_aware(paris)


def test_weekday() -> None:
    assert WeekDay.get_weekday_number("monday") == 1
    assert WeekDay.validate_week_day(["Saturday", WeekDay.SUNDAY]) == {6, 7}
    with pytest.raises(AttributeError, match="Funday"):
        WeekDay.convert("Funday")


def test_macros() -> None:
    assert macros.ds_add("2026-01-30", 3) == "2026-02-02"
    assert macros.ds_format("2026-01-02", "%Y-%m-%d", "%d/%m/%Y") == "02/01/2026"
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert macros.datetime_diff_for_humans(now - timedelta(hours=3), now) == "3 hours before"
    assert macros.dateutil.relativedelta.relativedelta(days=1).days == 1
