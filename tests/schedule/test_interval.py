"""Data-interval timetables: presets, cron, timedelta, catchup windows, start/end dates, manual runs, DST."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from tradewind.schedule.timetables import (
    CronDataIntervalTimetable,
    DataInterval,
    DeltaDataIntervalTimetable,
    TimeRestriction,
)

UTC = timezone.utc
AMS = ZoneInfo("Europe/Amsterdam")


def at(*args: int, tz=UTC) -> datetime:
    return datetime(*args, tzinfo=tz)


def runs(timetable, start: datetime, count: int, *, end: datetime | None = None, catchup: bool = True, now=None):
    """Schedule `count` runs one after another as the scheduler would, returning the DagRunInfos."""
    restriction = TimeRestriction(earliest=start, latest=end, catchup=catchup)
    out, last = [], None
    for _ in range(count):
        info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction, now=now)
        if info is None:
            break
        out.append(info)
        last = info.data_interval
    return out


def spans(infos) -> list[tuple[datetime, datetime]]:
    return [(i.data_interval.start, i.data_interval.end) for i in infos]


@pytest.mark.parametrize(
    ("preset", "first_start", "first_end"),
    [
        ("@hourly", at(2024, 1, 1, 0), at(2024, 1, 1, 1)),
        ("@daily", at(2024, 1, 1), at(2024, 1, 2)),
        ("@weekly", at(2024, 1, 7), at(2024, 1, 14)),  # 2024-01-01 is a Monday; weeks start on Sunday
        ("@monthly", at(2024, 1, 1), at(2024, 2, 1)),
        ("@quarterly", at(2024, 1, 1), at(2024, 4, 1)),
        ("@yearly", at(2024, 1, 1), at(2025, 1, 1)),
        ("@annually", at(2024, 1, 1), at(2025, 1, 1)),
    ],
)
def test_each_preset_first_interval(preset: str, first_start: datetime, first_end: datetime) -> None:
    (info,) = runs(CronDataIntervalTimetable(preset, "UTC"), at(2024, 1, 1), 1)
    assert (info.data_interval.start, info.data_interval.end) == (first_start, first_end)
    assert info.logical_date == first_start
    assert info.run_after == first_end


def test_daily_runs_cover_consecutive_days_and_are_due_at_the_end() -> None:
    infos = runs(CronDataIntervalTimetable("@daily", "UTC"), at(2024, 1, 1), 3)
    assert spans(infos) == [(at(2024, 1, d), at(2024, 1, d + 1)) for d in (1, 2, 3)]
    assert [i.run_after for i in infos] == [at(2024, 1, 2), at(2024, 1, 3), at(2024, 1, 4)]


def test_cron_with_weekdays() -> None:
    infos = runs(CronDataIntervalTimetable("0 9 * * MON-FRI", "UTC"), at(2024, 1, 5, 12), 2)  # Friday noon
    assert spans(infos) == [(at(2024, 1, 8, 9), at(2024, 1, 9, 9)), (at(2024, 1, 9, 9), at(2024, 1, 10, 9))]


def test_start_date_is_aligned_forward_to_the_schedule() -> None:
    (info,) = runs(CronDataIntervalTimetable("@daily", "UTC"), at(2024, 1, 1, 10, 30), 1)
    assert info.data_interval.start == at(2024, 1, 2)


def test_end_date_stops_scheduling_after_the_last_interval_starting_by_it() -> None:
    infos = runs(CronDataIntervalTimetable("@daily", "UTC"), at(2024, 1, 1), 10, end=at(2024, 1, 3))
    assert [i.logical_date for i in infos] == [at(2024, 1, 1), at(2024, 1, 2), at(2024, 1, 3)]


def test_catchup_false_runs_only_the_latest_complete_interval() -> None:
    timetable = CronDataIntervalTimetable("@daily", "UTC")
    restriction = TimeRestriction(earliest=at(2024, 1, 1), latest=None, catchup=False)
    now = at(2024, 3, 10, 10)
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction, now=now)
    assert (info.data_interval.start, info.data_interval.end) == (at(2024, 3, 9), at(2024, 3, 10))
    old = DataInterval(at(2024, 1, 1), at(2024, 1, 2))
    info = timetable.next_dagrun_info(last_automated_data_interval=old, restriction=restriction, now=now)
    assert info.data_interval.start == at(2024, 3, 9)


def test_catchup_false_never_goes_back_before_the_next_interval() -> None:
    timetable = CronDataIntervalTimetable("@daily", "UTC")
    restriction = TimeRestriction(earliest=at(2024, 1, 1), latest=None, catchup=False)
    last = DataInterval(at(2024, 3, 9), at(2024, 3, 10))
    info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction, now=at(2024, 3, 10, 10))
    assert (info.data_interval.start, info.run_after) == (at(2024, 3, 10), at(2024, 3, 11))


def test_catchup_false_on_a_boundary_takes_the_interval_just_ended() -> None:
    timetable = CronDataIntervalTimetable("@daily", "UTC")
    restriction = TimeRestriction(earliest=None, latest=None, catchup=False)
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction, now=at(2024, 3, 10))
    assert info.data_interval.start == at(2024, 3, 9)


def test_catchup_false_with_a_future_start_date_waits_for_it() -> None:
    timetable = CronDataIntervalTimetable("@daily", "UTC")
    restriction = TimeRestriction(earliest=at(2024, 6, 1, 5), latest=None, catchup=False)
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction, now=at(2024, 3, 10))
    assert info.data_interval.start == at(2024, 6, 2)


def test_catchup_true_creates_every_missed_interval_oldest_first() -> None:
    infos = runs(CronDataIntervalTimetable("@daily", "UTC"), at(2024, 1, 1), 40, now=at(2024, 1, 5, 12))
    assert len(infos) == 40 and infos[0].logical_date == at(2024, 1, 1)


def test_catchup_false_needs_now() -> None:
    restriction = TimeRestriction(earliest=at(2024, 1, 1), latest=None, catchup=False)
    with pytest.raises(ValueError, match="now"):
        CronDataIntervalTimetable("@daily").next_dagrun_info(last_automated_data_interval=None, restriction=restriction)


def test_no_start_date_and_no_previous_run_schedules_nothing() -> None:
    restriction = TimeRestriction(earliest=None, latest=None, catchup=True)
    assert CronDataIntervalTimetable("@daily").next_dagrun_info(last_automated_data_interval=None, restriction=restriction) is None


def test_manual_cron_run_covers_the_last_complete_period() -> None:
    timetable = CronDataIntervalTimetable("@daily", "UTC")
    assert timetable.infer_manual_data_interval(run_after=at(2024, 1, 25, 1)) == DataInterval(at(2024, 1, 24), at(2024, 1, 25))
    assert timetable.infer_manual_data_interval(run_after=at(2024, 1, 25)) == DataInterval(at(2024, 1, 24), at(2024, 1, 25))


def test_cron_in_a_time_zone_returns_utc() -> None:
    (info,) = runs(CronDataIntervalTimetable("0 9 * * *", "America/New_York"), at(2024, 1, 1), 1)
    assert info.data_interval.start == at(2024, 1, 1, 14)
    assert info.data_interval.start.tzinfo is UTC


def test_timedelta_intervals_start_at_start_date_without_alignment() -> None:
    infos = runs(DeltaDataIntervalTimetable(timedelta(hours=6)), at(2024, 1, 1, 10), 2)
    assert spans(infos) == [(at(2024, 1, 1, 10), at(2024, 1, 1, 16)), (at(2024, 1, 1, 16), at(2024, 1, 1, 22))]


def test_timedelta_catchup_false_uses_the_epoch_rounded_current_time() -> None:
    timetable = DeltaDataIntervalTimetable(timedelta(hours=6))
    restriction = TimeRestriction(earliest=at(2024, 1, 1, 10), latest=None, catchup=False)
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction, now=at(2024, 3, 10, 13))
    assert (info.data_interval.start, info.data_interval.end) == (at(2024, 3, 10, 6), at(2024, 3, 10, 12))


def test_relativedelta_months() -> None:
    infos = runs(DeltaDataIntervalTimetable(relativedelta(months=1)), at(2024, 1, 15), 2)
    assert spans(infos) == [(at(2024, 1, 15), at(2024, 2, 15)), (at(2024, 2, 15), at(2024, 3, 15))]


def test_manual_delta_run_is_the_delta_before_the_trigger() -> None:
    timetable = DeltaDataIntervalTimetable(timedelta(hours=2))
    assert timetable.infer_manual_data_interval(run_after=at(2024, 1, 1, 5)) == DataInterval(at(2024, 1, 1, 3), at(2024, 1, 1, 5))


def test_delta_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        DeltaDataIntervalTimetable(timedelta(0))


def test_daily_0230_amsterdam_across_both_2026_dst_changes() -> None:
    timetable = CronDataIntervalTimetable("30 2 * * *", "Europe/Amsterdam")
    spring = runs(timetable, at(2026, 3, 27, tz=AMS), 3)
    assert [i.logical_date.astimezone(AMS).strftime("%m-%d %H:%M%z") for i in spring] == [
        "03-27 02:30+0100",
        "03-28 02:30+0100",
        "03-29 03:30+0200",  # 02:30 does not exist on 29 March: one run, an hour later on the wall clock
    ]
    assert [i.data_interval.end - i.data_interval.start for i in spring] == [
        timedelta(hours=24),
        timedelta(hours=24),
        timedelta(hours=23),
    ]
    autumn = runs(timetable, at(2026, 10, 23, tz=AMS), 3)
    assert [i.logical_date.astimezone(AMS).strftime("%m-%d %H:%M%z") for i in autumn] == [
        "10-23 02:30+0200",
        "10-24 02:30+0200",
        "10-25 02:30+0200",  # 02:30 happens twice on 25 October: one run, at the first
    ]
    assert [i.data_interval.end - i.data_interval.start for i in autumn] == [
        timedelta(hours=24),
        timedelta(hours=24),
        timedelta(hours=25),
    ]


def test_hourly_amsterdam_intervals_are_one_utc_hour_across_dst() -> None:
    timetable = CronDataIntervalTimetable("@hourly", "Europe/Amsterdam")
    for start in (at(2026, 3, 28, 22), at(2026, 10, 24, 22)):
        infos = runs(timetable, start, 8)
        assert spans(infos) == [(start + timedelta(hours=h), start + timedelta(hours=h + 1)) for h in range(8)]


def test_manual_run_in_amsterdam_on_the_short_day() -> None:
    timetable = CronDataIntervalTimetable("30 2 * * *", "Europe/Amsterdam")
    interval = timetable.infer_manual_data_interval(run_after=at(2026, 3, 29, 12))
    assert interval == DataInterval(at(2026, 3, 28, 1, 30), at(2026, 3, 29, 1, 30))
