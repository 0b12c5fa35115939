"""Trigger timetables (Airflow 3's default): a run fires at each tick, with logical_date = run_after = the tick."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from tradewind.schedule.base import DagRunInfo, DataInterval, TimeRestriction, Timetable, require_now
from tradewind.schedule.periods import CronPeriods, Delta, DeltaPeriods
from tradewind.schedule.zones import to_utc


class _TriggerTimetable(Timetable):
    """Shared rule: the next tick after the last one, or the latest past tick when catchup is False."""

    periods: CronPeriods | DeltaPeriods
    interval: Delta
    run_immediately: bool | timedelta

    def infer_manual_data_interval(self, *, run_after: datetime) -> DataInterval:
        """[run_after - interval, run_after]."""
        run_after = to_utc(run_after, field="run_after")
        return DataInterval(start=run_after - self.interval, end=run_after)

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        """The tick to run next; with catchup=False never earlier than the latest tick at or before `now`."""
        last = last_automated_data_interval
        if restriction.catchup:
            if last is not None:
                tick = self.periods.next(last.end)
            elif restriction.earliest is None:
                tick = self._first_tick(require_now(now, self))
            else:
                tick = self.periods.align_next(restriction.earliest)
        else:
            now = require_now(now, self)
            candidates = [self.periods.align_prev(now)]
            if last is not None:
                candidates.append(self.periods.next(last.end))
            elif restriction.earliest is None:
                candidates.append(self._first_tick(now))
            if restriction.earliest is not None:
                candidates.append(self.periods.align_next(restriction.earliest))
            tick = max(candidates)
        if restriction.latest is not None and tick > restriction.latest:
            return None
        return DagRunInfo(run_after=tick, data_interval=DataInterval(tick - self.interval, tick), logical_date=tick)

    def _first_tick(self, now: datetime) -> datetime:
        """With no start_date: the past tick if run_immediately is True (or it is within that timedelta), else the next."""
        past, upcoming = self.periods.align_prev(now), self.periods.align_next(now)
        if self.run_immediately is True:
            return past
        if isinstance(self.run_immediately, timedelta) and now - past < self.run_immediately:
            return past
        return upcoming

    def _serialize_trigger(self) -> dict[str, Any]:
        interval = DeltaPeriods(self.interval).serialize() if _is_positive(self.interval) else {"delta_s": 0.0}
        immediately: Any = self.run_immediately
        if isinstance(immediately, timedelta):
            immediately = {"delta_s": immediately.total_seconds()}
        return {"type": self.type_name, "interval": interval, "run_immediately": immediately}


class CronTriggerTimetable(_TriggerTimetable):
    """Fire at each cron tick in `timezone`; the data interval is [tick - interval, tick]."""

    type_name = "cron_trigger"

    def __init__(
        self,
        cron: str,
        *,
        timezone: str | tzinfo = "UTC",
        interval: Delta = timedelta(0),
        run_immediately: bool | timedelta = False,
    ) -> None:
        self.periods = CronPeriods(cron, timezone)
        self.interval = interval
        self.run_immediately = run_immediately
        self.summary = cron
        self.description = self.periods.description

    @property
    def timezone(self) -> tzinfo:
        return self.periods.timezone

    def serialize(self) -> dict[str, Any]:
        return {**self._serialize_trigger(), **self.periods.serialize()}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> CronTriggerTimetable:
        return cls(data["expression"], timezone=data.get("timezone", "UTC"), **_trigger_kwargs(data))


class DeltaTriggerTimetable(_TriggerTimetable):
    """Fire every `delta` from start_date on; the data interval is [tick - interval, tick]."""

    type_name = "delta_trigger"

    def __init__(self, delta: Delta, *, interval: Delta = timedelta(0), run_immediately: bool | timedelta = False) -> None:
        self.periods = DeltaPeriods(delta)
        self.interval = interval
        self.run_immediately = run_immediately
        self.summary = self.periods.summary
        self.description = self.periods.description

    def serialize(self) -> dict[str, Any]:
        return {**self._serialize_trigger(), "delta": self.periods.serialize()}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> DeltaTriggerTimetable:
        return cls(DeltaPeriods.deserialize_delta(data["delta"]), **_trigger_kwargs(data))


def _trigger_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    immediately = data.get("run_immediately", False)
    if isinstance(immediately, dict):
        immediately = DeltaPeriods.deserialize_delta(immediately)
    return {"interval": DeltaPeriods.deserialize_delta(data.get("interval", {"delta_s": 0.0})), "run_immediately": immediately}


def _is_positive(delta: Delta) -> bool:
    epoch = datetime(2000, 1, 1)
    return epoch + delta > epoch
