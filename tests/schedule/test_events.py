"""EventsTimetable: runs at listed instants."""

from __future__ import annotations

from datetime import datetime, timezone

from tradewind.schedule.timetables import DataInterval, EventsTimetable, TimeRestriction, deserialize_timetable

UTC = timezone.utc
EVENTS = [datetime(2024, 3, d, 9, tzinfo=UTC) for d in (20, 1, 10)]


def test_events_run_in_order_after_start_date() -> None:
    timetable = EventsTimetable(EVENTS)
    restriction = TimeRestriction(datetime(2024, 3, 2, tzinfo=UTC), None, True)
    first = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction)
    second = timetable.next_dagrun_info(last_automated_data_interval=first.data_interval, restriction=restriction)
    third = timetable.next_dagrun_info(last_automated_data_interval=second.data_interval, restriction=restriction)
    assert (first.logical_date.day, second.logical_date.day, third) == (10, 20, None)


def test_events_without_catchup_start_at_the_latest_past_event() -> None:
    timetable = EventsTimetable(EVENTS)
    restriction = TimeRestriction(None, None, False)
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction, now=datetime(2024, 3, 15, tzinfo=UTC))
    assert info.logical_date.day == 10


def test_manual_run_restricted_to_events_takes_the_latest_past_event() -> None:
    timetable = EventsTimetable(EVENTS, restrict_to_events=True)
    interval = timetable.infer_manual_data_interval(run_after=datetime(2024, 3, 15, tzinfo=UTC))
    assert interval == DataInterval.exact(datetime(2024, 3, 10, 9, tzinfo=UTC))
    assert deserialize_timetable(timetable.serialize()) == timetable
