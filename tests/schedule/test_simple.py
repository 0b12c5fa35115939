"""None, @once and @continuous timetables."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tradewind.schedule.timetables import (
    ContinuousTimetable,
    DataInterval,
    NullTimetable,
    OnceTimetable,
    TimeRestriction,
)

UTC = timezone.utc
START = datetime(2024, 1, 1, 6, tzinfo=UTC)
NOW = datetime(2024, 1, 5, 12, tzinfo=UTC)


def test_none_is_never_scheduled() -> None:
    timetable = NullTimetable()
    assert not timetable.can_be_scheduled and not timetable.periodic
    assert timetable.summary == "None"
    restriction = TimeRestriction(START, None, True)
    assert timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction) is None
    assert timetable.infer_manual_data_interval(run_after=NOW) == DataInterval(NOW, NOW)


def test_once_runs_at_start_date_whatever_catchup_says() -> None:
    timetable = OnceTimetable()
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(START, None, False))
    assert info.run_after == info.logical_date == START
    assert timetable.next_dagrun_info(last_automated_data_interval=info.data_interval, restriction=TimeRestriction(START, None, True)) is None


def test_once_without_start_date_or_after_end_date_never_runs() -> None:
    timetable = OnceTimetable()
    assert timetable.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(None, None, True)) is None
    ended = TimeRestriction(START, datetime(2023, 1, 1, tzinfo=UTC), True)
    assert timetable.next_dagrun_info(last_automated_data_interval=None, restriction=ended) is None


def test_continuous_runs_back_to_back_up_to_now() -> None:
    timetable = ContinuousTimetable()
    first = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(START, None, True), now=NOW)
    assert first.data_interval == DataInterval(START, NOW)
    later = datetime(2024, 1, 5, 12, 5, tzinfo=UTC)
    second = timetable.next_dagrun_info(last_automated_data_interval=first.data_interval, restriction=TimeRestriction(START, None, True), now=later)
    assert second.data_interval == DataInterval(NOW, later)
    assert timetable.active_runs_limit == 1


def test_continuous_stops_at_end_date_and_needs_now() -> None:
    timetable = ContinuousTimetable()
    ended = TimeRestriction(START, datetime(2024, 1, 2, tzinfo=UTC), True)
    assert timetable.next_dagrun_info(last_automated_data_interval=None, restriction=ended, now=NOW) is None
    with pytest.raises(ValueError, match="now"):
        timetable.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(START, None, True))
