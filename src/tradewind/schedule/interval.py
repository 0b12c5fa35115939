"""Data-interval timetables (Airflow 2's default): a run covers [start, end) and is due once `end` has passed."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from tradewind.schedule.base import DagRunInfo, DataInterval, TimeRestriction, Timetable, require_now
from tradewind.schedule.periods import CronPeriods, Delta, DeltaPeriods
from tradewind.schedule.zones import to_utc


class _DataIntervalTimetable(Timetable):
    """Shared scheduling rule: intervals follow each other; catchup=False jumps to the latest complete one."""

    periods: CronPeriods | DeltaPeriods

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        """The interval after the last one (catchup) or the latest complete one before `now` (no catchup)."""
        earliest = restriction.earliest
        if not restriction.catchup:
            earliest = self._skip_to_latest(earliest, require_now(now, self))
        elif earliest is not None:
            earliest = self.periods.align_next(earliest)
        if last_automated_data_interval is None:
            if earliest is None:
                return None
            start = earliest
        else:
            # Aligning copes with a schedule that changed since the last run was created.
            last_end = self.periods.align_prev(last_automated_data_interval.end)
            start = last_end if earliest is None else max(last_end, earliest)
        if restriction.latest is not None and start > restriction.latest:
            return None
        return DagRunInfo.interval(start, self.periods.next(start))

    def _skip_to_latest(self, earliest: datetime | None, now: datetime) -> datetime:
        raise NotImplementedError


class CronDataIntervalTimetable(_DataIntervalTimetable):
    """A cron schedule whose runs cover the period between two fire times, read in `timezone`."""

    type_name = "cron_data_interval"

    def __init__(self, cron: str, timezone: str | tzinfo = "UTC") -> None:
        self.periods = CronPeriods(cron, timezone)
        self.summary = cron
        self.description = self.periods.description

    @property
    def timezone(self) -> tzinfo:
        return self.periods.timezone

    def infer_manual_data_interval(self, *, run_after: datetime) -> DataInterval:
        """The last complete period before `run_after` (a 01:00 trigger of @daily covers yesterday)."""
        end = self.periods.align_prev(to_utc(run_after, field="run_after"))
        return DataInterval(start=self.periods.prev(end), end=end)

    def _skip_to_latest(self, earliest: datetime | None, now: datetime) -> datetime:
        latest_end = self.periods.align_prev(now)
        latest_start = self.periods.prev(latest_end)
        if earliest is None:
            return latest_start
        return max(latest_start, self.periods.align_next(earliest))

    def serialize(self) -> dict[str, Any]:
        return {"type": self.type_name, **self.periods.serialize()}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> CronDataIntervalTimetable:
        return cls(data["expression"], data.get("timezone", "UTC"))


class DeltaDataIntervalTimetable(_DataIntervalTimetable):
    """A timedelta/relativedelta schedule: back-to-back intervals of that length, from start_date on."""

    type_name = "delta_data_interval"

    def __init__(self, delta: Delta) -> None:
        self.periods = DeltaPeriods(delta)
        self.summary = self.periods.summary
        self.description = self.periods.description

    @property
    def delta(self) -> Delta:
        return self.periods.delta

    def infer_manual_data_interval(self, *, run_after: datetime) -> DataInterval:
        """[run_after - delta, run_after]."""
        run_after = to_utc(run_after, field="run_after")
        return DataInterval(start=self.periods.prev(run_after), end=run_after)

    def _skip_to_latest(self, earliest: datetime | None, now: datetime) -> datetime:
        # Airflow anchors the latest interval on the epoch-rounded current time, not on start_date.
        latest_start = self.periods.prev(self.periods.round_down(now))
        return latest_start if earliest is None else max(latest_start, earliest)

    def serialize(self) -> dict[str, Any]:
        return {"type": self.type_name, **self.periods.serialize()}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> DeltaDataIntervalTimetable:
        return cls(DeltaPeriods.deserialize_delta(data))
