"""Period arithmetic shared by the interval and trigger timetables: step to the next or previous boundary."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any, Union

from dateutil.relativedelta import relativedelta, weekday

from tradewind.schedule.cron import CronExpression
from tradewind.schedule.describe import describe_cron
from tradewind.schedule.zones import UTC, parse_timezone, timezone_name, to_utc

Delta = Union[timedelta, relativedelta]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RELATIVE_FIELDS = ("years", "months", "days", "hours", "minutes", "seconds", "microseconds")
_ABSOLUTE_FIELDS = ("year", "month", "day", "hour", "minute", "second", "microsecond")


class CronPeriods:
    """Boundaries of a cron schedule read on the wall clock of a time zone."""

    def __init__(self, cron: str, timezone: str | tzinfo = "UTC") -> None:
        self.expression = cron
        self.cron = CronExpression.parse(cron)
        self.timezone = parse_timezone(timezone)

    @property
    def description(self) -> str:
        text = describe_cron(self.cron)
        return text if self.timezone is UTC else f"{text} ({timezone_name(self.timezone)})"

    def next(self, at: datetime) -> datetime:
        return self.cron.next_after(at, self.timezone)

    def prev(self, at: datetime) -> datetime:
        return self.cron.previous_before(at, self.timezone)

    def align_next(self, at: datetime) -> datetime:
        """`at` when it is a boundary, else the next boundary."""
        return at if self.cron.is_fire_time(at, self.timezone) else self.next(at)

    def align_prev(self, at: datetime) -> datetime:
        """`at` when it is a boundary, else the previous boundary."""
        return at if self.cron.is_fire_time(at, self.timezone) else self.prev(at)

    def serialize(self) -> dict[str, Any]:
        return {"expression": self.expression, "timezone": timezone_name(self.timezone)}


class DeltaPeriods:
    """Boundaries a fixed `timedelta` or calendar `relativedelta` apart, counted in UTC from any start."""

    def __init__(self, delta: Delta) -> None:
        if not isinstance(delta, (timedelta, relativedelta)):
            raise TypeError(f"schedule delta must be a timedelta or relativedelta, not {type(delta).__name__}")
        if _EPOCH + delta <= _EPOCH:
            raise ValueError(f"schedule interval must be positive, got {delta!r}")
        self.delta = delta

    @property
    def summary(self) -> str:
        return str(self.delta) if isinstance(self.delta, timedelta) else repr(self.delta)

    @property
    def description(self) -> str:
        return f"Every {_describe_delta(self.delta)}"

    def next(self, at: datetime) -> datetime:
        return to_utc(at + self.delta)

    def prev(self, at: datetime) -> datetime:
        return to_utc(at - self.delta)

    def align_next(self, at: datetime) -> datetime:
        return at

    def align_prev(self, at: datetime) -> datetime:
        return at

    def round_down(self, at: datetime) -> datetime:
        """`at` rounded down to a multiple of the delta since the Unix epoch (Airflow's catchup=False anchor)."""
        step = self.approx_seconds()
        seconds = (at - _EPOCH).total_seconds()
        return _EPOCH + timedelta(seconds=seconds - seconds % step)

    def approx_seconds(self) -> float:
        """The delta in seconds; months count 30 days and years 365, as Airflow approximates them."""
        if isinstance(self.delta, timedelta):
            return self.delta.total_seconds()
        d = self.delta
        days = d.years * 365 + d.months * 30 + d.days
        return days * 86400 + d.hours * 3600 + d.minutes * 60 + d.seconds + d.microseconds / 1e6

    def serialize(self) -> dict[str, Any]:
        if isinstance(self.delta, timedelta):
            return {"delta_s": self.delta.total_seconds()}
        d = self.delta
        fields: dict[str, Any] = {name: getattr(d, name) for name in _RELATIVE_FIELDS if getattr(d, name)}
        fields.update({name: getattr(d, name) for name in _ABSOLUTE_FIELDS if getattr(d, name) is not None})
        if d.weekday is not None:
            fields["weekday"] = [d.weekday.weekday, d.weekday.n]
        return {"relativedelta": fields}

    @staticmethod
    def deserialize_delta(data: dict[str, Any]) -> Delta:
        if "relativedelta" in data:
            fields = dict(data["relativedelta"])
            if "weekday" in fields:
                day, n = fields.pop("weekday")
                fields["weekday"] = weekday(day, n)
            return relativedelta(**fields)
        return timedelta(seconds=data["delta_s"])


def _describe_delta(delta: Delta) -> str:
    if isinstance(delta, timedelta):
        parts = [(delta.days, "day"), (delta.seconds // 3600, "hour"), (delta.seconds // 60 % 60, "minute"), (delta.seconds % 60, "second")]
    else:
        parts = [(getattr(delta, name), name[:-1]) for name in _RELATIVE_FIELDS[:-1]]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    if len(words) == 1 and words[0].startswith("1 "):
        return words[0][2:]  # "Every day", not "Every 1 day"
    return ", ".join(words) or str(delta)
