"""EventsTimetable: runs at a fixed list of instants."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime
from typing import Any, Iterable

from tradewind.schedule.base import DagRunInfo, DataInterval, TimeRestriction, Timetable, require_now
from tradewind.schedule.zones import to_utc


class EventsTimetable(Timetable):
    """One run at each of `event_dates` (aware datetimes); each run's data interval is empty."""

    type_name = "events"
    periodic = False

    def __init__(
        self,
        event_dates: Iterable[datetime],
        *,
        restrict_to_events: bool = False,
        presorted: bool = False,
        description: str | None = None,
    ) -> None:
        dates = [to_utc(d, field="event date") for d in event_dates]
        self.event_dates = dates if presorted else sorted(dates)
        self.restrict_to_events = restrict_to_events
        self.summary = f"{len(self.event_dates)} events"
        self.description = description or _default_description(self.event_dates)

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        """The first event after the last run, not before start_date, and (catchup=False) not before the latest past event."""
        index = 0
        if last_automated_data_interval is not None:
            index = bisect_right(self.event_dates, last_automated_data_interval.end)
        if restriction.earliest is not None:
            index = max(index, bisect_left(self.event_dates, restriction.earliest))
        if not restriction.catchup:
            index = max(index, bisect_right(self.event_dates, require_now(now, self)) - 1)
        if index >= len(self.event_dates):
            return None
        event = self.event_dates[index]
        if restriction.latest is not None and event > restriction.latest:
            return None
        return DagRunInfo.exact(event)

    def infer_manual_data_interval(self, *, run_after: datetime) -> DataInterval:
        """`run_after` itself, or with restrict_to_events the latest event at or before it (else the first)."""
        run_after = to_utc(run_after, field="run_after")
        if not self.restrict_to_events or not self.event_dates:
            return DataInterval.exact(run_after)
        index = bisect_right(self.event_dates, run_after) - 1
        return DataInterval.exact(self.event_dates[max(index, 0)])

    def serialize(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "event_dates": [d.isoformat() for d in self.event_dates],
            "restrict_to_events": self.restrict_to_events,
            "description": self.description,
        }

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> EventsTimetable:
        return cls(
            [datetime.fromisoformat(d) for d in data["event_dates"]],
            restrict_to_events=data.get("restrict_to_events", False),
            presorted=True,
            description=data.get("description"),
        )


def _default_description(dates: list[datetime]) -> str:
    if not dates:
        return "No events"
    return f"{len(dates)} events between {dates[0].isoformat()} and {dates[-1].isoformat()}"
