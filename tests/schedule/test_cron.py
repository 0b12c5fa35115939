"""Cron parsing, matching and fire times, in UTC and across DST."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tradewind.schedule.cron import CronExpression

UTC = timezone.utc
AMS = ZoneInfo("Europe/Amsterdam")


def at(*args: int, tz=UTC) -> datetime:
    return datetime(*args, tzinfo=tz)


def fires(expr: str, start: datetime, count: int, tz=UTC) -> list[datetime]:
    cron, out = CronExpression.parse(expr), []
    for _ in range(count):
        start = cron.next_after(start, tz)
        out.append(start)
    return out


@pytest.mark.parametrize(
    ("expr", "minutes", "hours"),
    [
        ("*/15 * * * *", (0, 15, 30, 45), tuple(range(24))),
        ("1-10/3 2,4 * * *", (1, 4, 7, 10), (2, 4)),
        ("5/20 */6 * * *", (5, 25, 45), (0, 6, 12, 18)),
        ("0 0-23/12 * * *", (0,), (0, 12)),
    ],
)
def test_minute_and_hour_fields(expr: str, minutes: tuple, hours: tuple) -> None:
    cron = CronExpression.parse(expr)
    assert cron.minutes == minutes and cron.hours == hours


def test_month_and_weekday_names_case_insensitive() -> None:
    cron = CronExpression.parse("0 0 * jan-MAR,Dec mon-fri")
    assert cron.months == (1, 2, 3, 12)
    assert cron.weekdays == frozenset({1, 2, 3, 4, 5})


def test_zero_and_seven_are_both_sunday() -> None:
    assert CronExpression.parse("0 0 * * 7").weekdays == CronExpression.parse("0 0 * * 0").weekdays == frozenset({0})
    assert CronExpression.parse("0 0 * * 5-7").weekdays == frozenset({5, 6, 0})


def test_presets_parse() -> None:
    assert CronExpression.parse("@daily").hours == (0,)


def test_day_of_month_or_day_of_week_when_both_restricted() -> None:
    # Vixie cron: the 13th of the month OR any Friday.
    days = [d.day for d in fires("0 0 13 * 5", at(2026, 2, 1), 6)]
    assert days == [6, 13, 20, 27, 6, 13]


def test_star_day_field_means_and() -> None:
    # '*/2' in day-of-month starts with '*', so Vixie cron ANDs it with the weekday: odd Mondays only.
    results = fires("0 0 */2 * 1", at(2026, 6, 1), 4)
    assert all(d.weekday() == 0 and d.day % 2 == 1 for d in results)


def test_last_day_and_nth_weekday() -> None:
    assert [d.date().isoformat() for d in fires("0 0 L * *", at(2028, 1, 15), 2)] == ["2028-01-31", "2028-02-29"]
    assert [d.day for d in fires("0 0 * * FRI#3", at(2026, 1, 1), 2)] == [16, 20]
    assert [d.day for d in fires("0 0 * * 5L", at(2026, 1, 1), 1)] == [30]


def test_next_is_strictly_after_and_previous_strictly_before() -> None:
    cron = CronExpression.parse("0 * * * *")
    assert cron.next_after(at(2026, 1, 1, 5, 0)) == at(2026, 1, 1, 6, 0)
    assert cron.previous_before(at(2026, 1, 1, 5, 0)) == at(2026, 1, 1, 4, 0)
    assert cron.next_after(at(2026, 1, 1, 5, 0, 30)) == at(2026, 1, 1, 6, 0)
    assert cron.previous_before(at(2026, 1, 1, 5, 0, 30)) == at(2026, 1, 1, 5, 0)


def test_feb_29_is_found_years_ahead() -> None:
    assert fires("0 0 29 2 *", at(2097, 3, 1), 1) == [at(2104, 2, 29)]
    assert CronExpression.parse("0 0 29 2 *").previous_before(at(2104, 1, 1)) == at(2096, 2, 29)


def test_matches_wall_clock_minute() -> None:
    cron = CronExpression.parse("30 2 * * 1-5")
    assert cron.matches(datetime(2026, 3, 30, 2, 30))
    assert not cron.matches(datetime(2026, 3, 29, 2, 30))  # a Sunday


def test_is_fire_time() -> None:
    cron = CronExpression.parse("@hourly")
    assert cron.is_fire_time(at(2026, 1, 1, 3))
    assert not cron.is_fire_time(at(2026, 1, 1, 3, 1))


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("61 25 * * *", "minute 61 is out of range 0-59"),
        ("0 25 * * *", "hour 25 is out of range 0-23"),
        ("0 0 32 * *", "day-of-month 32 is out of range 1-31"),
        ("0 0 1 13 *", "month 13 is out of range 1-12"),
        ("0 0 * * 8", "day-of-week 8 is out of range 0-7"),
        ("0 0 * *", "expected 5 fields"),
        ("0 0 * * * *", "expected 5 fields"),
        ("*/0 * * * *", "minute step '0' must be a positive whole number"),
        ("5-1 * * * *", "minute range '5-1' runs backwards"),
        ("x * * * *", "minute value 'x' is not a number"),
        ("0 0 * foo *", "month value 'foo' is not a number or a name such as JAN"),
        ("0 0 30 2 *", "day-of-month 30 never occurs in month(s) 2"),
        ("0 0 1,,2 * *", "day-of-month field has an empty list element"),
    ],
)
def test_invalid_expressions_say_what_is_wrong(expr: str, reason: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        CronExpression.parse(expr)
    assert str(excinfo.value).startswith(f"invalid cron expression '{expr}': {reason}")


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        CronExpression.parse("@daily").next_after(datetime(2026, 1, 1))


# --- DST: Europe/Amsterdam, 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.


def test_daily_0230_on_spring_forward_fires_once_at_0330_summer_time() -> None:
    results = fires("30 2 * * *", at(2026, 3, 27, 12), 3, AMS)
    assert results == [at(2026, 3, 28, 1, 30), at(2026, 3, 29, 1, 30), at(2026, 3, 30, 0, 30)]
    assert results[1].astimezone(AMS).strftime("%H:%M%z") == "03:30+0200"


def test_daily_0230_on_fall_back_fires_once_at_the_first_0230() -> None:
    results = fires("30 2 * * *", at(2026, 10, 23, 12), 3, AMS)
    assert results == [at(2026, 10, 24, 0, 30), at(2026, 10, 25, 0, 30), at(2026, 10, 26, 1, 30)]


def test_previous_mirrors_next_across_dst() -> None:
    cron = CronExpression.parse("30 2 * * *")
    for start in (at(2026, 3, 26), at(2026, 10, 22)):
        forward = fires("30 2 * * *", start, 6, AMS)
        backward = [cron.previous_before(t, AMS) for t in forward[1:]]
        assert backward == forward[:-1]


@pytest.mark.parametrize("start", [at(2026, 3, 28, 20), at(2026, 10, 24, 20)])
def test_hourly_covers_every_utc_hour_once_across_dst(start: datetime) -> None:
    results = fires("0 * * * *", start, 12, AMS)
    assert results == [start + timedelta(hours=h) for h in range(1, 13)]


@pytest.mark.parametrize("start", [at(2026, 3, 28, 23, 7), at(2026, 10, 24, 23, 7)])
def test_every_15_minutes_is_steady_in_utc_across_dst(start: datetime) -> None:
    results = fires("*/15 * * * *", start, 20, AMS)
    steps = {b - a for a, b in zip(results, results[1:])}
    assert steps == {timedelta(minutes=15)}


def test_hourly_next_from_inside_the_repeated_hour() -> None:
    # 00:45 UTC is 02:45 CEST; the next :30 is the repeated 02:30 CET = 01:30 UTC.
    cron = CronExpression.parse("30 * * * *")
    assert cron.next_after(at(2026, 10, 25, 0, 45), AMS) == at(2026, 10, 25, 1, 30)
    assert cron.previous_before(at(2026, 10, 25, 1, 15), AMS) == at(2026, 10, 25, 0, 30)


def test_every_two_hours_skips_the_repeated_hour_like_wall_clock_cron() -> None:
    results = fires("0 */2 * * *", at(2026, 10, 24, 23, 30), 3, AMS)
    assert [r.astimezone(AMS).strftime("%H:%M%z") for r in results] == ["02:00+0200", "04:00+0100", "06:00+0100"]


@pytest.mark.parametrize("expr", ["0 * * * *", "30 * * * *", "*/20 * * * *", "30 2 * * *", "0 */2 * * *", "15 1-3 * * *"])
@pytest.mark.parametrize("day", [at(2026, 3, 28, 20), at(2026, 10, 24, 20)])
def test_next_and_previous_agree_near_dst(expr: str, day: datetime) -> None:
    cron = CronExpression.parse(expr)
    probe = day
    while probe < day + timedelta(hours=12):
        nxt = cron.next_after(probe, AMS)
        assert nxt > probe
        assert cron.previous_before(nxt, AMS) <= probe
        assert cron.is_fire_time(nxt, AMS)
        probe += timedelta(minutes=7, seconds=13)
