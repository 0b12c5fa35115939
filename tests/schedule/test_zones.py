"""Time-zone parsing and naming for schedules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest

from tradewind.schedule.zones import UTC, parse_timezone, timezone_name, to_utc


@pytest.mark.parametrize("value", ["UTC", "utc", "Etc/UTC", None, timezone.utc, pendulum.timezone("UTC")])
def test_utc_spellings(value) -> None:
    assert parse_timezone(value) is UTC


@pytest.mark.parametrize("value", ["Asia/Kolkata", ZoneInfo("Asia/Kolkata"), pendulum.timezone("Asia/Kolkata")])
def test_named_zones_become_zoneinfo(value) -> None:
    zone = parse_timezone(value)
    assert isinstance(zone, ZoneInfo) and timezone_name(zone) == "Asia/Kolkata"


def test_offsets_round_trip() -> None:
    zone = parse_timezone("+05:30")
    assert zone.utcoffset(None) == timedelta(hours=5, minutes=30)
    assert timezone_name(zone) == "+05:30"
    assert timezone_name(parse_timezone(timezone(timedelta(hours=-3)))) == "-03:00"


def test_to_utc_rebuilds_plain_datetimes() -> None:
    value = to_utc(pendulum.datetime(2024, 1, 1, 1, tz="Europe/Amsterdam"))
    assert type(value) is datetime and value == datetime(2024, 1, 1, tzinfo=UTC)


def test_to_utc_names_the_naive_field() -> None:
    with pytest.raises(ValueError, match="start_date 2024-01-01T00:00:00 is naive"):
        to_utc(datetime(2024, 1, 1), field="start_date")
