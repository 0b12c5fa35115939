"""Cron expressions: parse five fields, test a wall-clock minute, find the next and previous fire instants.

Fire instants are defined on the wall clock of a time zone and returned in UTC. Across DST:
a wall time inside a spring-forward gap fires at the same instant shifted forward by the gap
(02:30 that does not exist fires at 03:30 summer time), and a wall time that happens twice on a
fall-back day fires once, at its first occurrence; schedules that fire every hour fire at both
occurrences, so that no UTC hour is skipped or repeated. docs/decisions/0003 explains why.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from tradewind.schedule import cron_fields as cf
from tradewind.schedule.presets import PRESETS
from tradewind.schedule.zones import UTC, to_utc

ONE_MINUTE = timedelta(minutes=1)
# Wider than any DST fold or gap (the largest in use is 2 h); bounds the search near transitions.
TRANSITION_WINDOW = timedelta(hours=3)
# Feb 29 on a Monday recurs within 28 years; give up past that and call the expression impossible.
SEARCH_YEARS = 30
_MAX_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


@dataclass(frozen=True)
class CronExpression:
    """A parsed five-field cron expression (Vixie syntax, plus 'L' and '#' in the day fields)."""

    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: tuple[int, ...]
    weekdays: frozenset[int]
    last_day_of_month: bool = False
    weekday_specials: frozenset[tuple[int, int]] = frozenset()
    day_is_star: bool = False
    weekday_is_star: bool = False
    every_hour: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "every_hour", len(self.hours) == 24)

    @classmethod
    def parse(cls, expression: str) -> CronExpression:
        """Parse `expression` (or a preset such as '@daily'); ValueError says what is wrong with it."""
        try:
            return cls._parse(expression)
        except cf.CronSyntaxError as exc:
            raise ValueError(f"invalid cron expression '{expression}': {exc}") from None

    @classmethod
    def _parse(cls, expression: str) -> CronExpression:
        text = PRESETS.get(expression.strip().lower(), expression)
        parts = text.split()
        if len(parts) != 5:
            raise cf.CronSyntaxError(f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}")
        minute, hour, dom, month, dow = parts
        days, last_day = cf.parse_day_of_month(dom)
        weekdays, specials = cf.parse_day_of_week(dow)
        cron = cls(
            expression=expression,
            minutes=tuple(sorted(cf.parse_field(minute, cf.MINUTE))),
            hours=tuple(sorted(cf.parse_field(hour, cf.HOUR))),
            days=days,
            months=tuple(sorted(cf.parse_field(month, cf.MONTH))),
            weekdays=weekdays,
            last_day_of_month=last_day,
            weekday_specials=specials,
            # Vixie cron: a day field that starts with '*' does not take part in the OR rule.
            day_is_star=dom.startswith(("*", "?")),
            weekday_is_star=dow.startswith(("*", "?")),
        )
        cron._check_possible()
        return cron

    def _check_possible(self) -> None:
        if self.day_is_star or not self.weekday_is_star or self.last_day_of_month:
            return
        if not any(day <= _MAX_DAYS[month] for month in self.months for day in self.days):
            raise cf.CronSyntaxError(
                f"day-of-month {min(self.days)} never occurs in month(s) {','.join(map(str, self.months))}"
            )

    def matches_day(self, day: date) -> bool:
        """Whether the day fields allow `day`; both restricted means either may match (Vixie's OR rule)."""
        if day.month not in self.months:
            return False
        last = calendar.monthrange(day.year, day.month)[1]
        dom_ok = day.day in self.days or (self.last_day_of_month and day.day == last)
        weekday = (day.weekday() + 1) % 7  # cron counts Sunday as 0
        dow_ok = weekday in self.weekdays or any(
            weekday == wd and (n == -1 and day.day + 7 > last or n == (day.day - 1) // 7 + 1)
            for wd, n in self.weekday_specials
        )
        if self.day_is_star or self.weekday_is_star:
            return dom_ok and dow_ok
        return dom_ok or dow_ok

    def matches(self, wall: datetime) -> bool:
        """Whether the wall-clock minute of `wall` (naive, or aware read in its own zone) is a fire time."""
        return wall.minute in self.minutes and wall.hour in self.hours and self.matches_day(wall.date())

    def next_after(self, at: datetime, tz: tzinfo = UTC) -> datetime:
        """The first fire instant strictly after `at`, evaluating the wall clock of `tz`; aware UTC."""
        at = to_utc(at, field="cron start")
        start = _wall(at, tz)
        start = _ceil_minute(start - 2 * TRANSITION_WINDOW if _near_transition(at, tz) else start)
        best: datetime | None = None
        best_wall = start
        wall = start
        while best is None or wall <= best_wall + TRANSITION_WINDOW:
            wall = self._next_wall(wall)
            later = [instant for instant in self._instants(wall, tz) if instant > at]
            if later and (best is None or min(later) < best):
                best = min(later)
                best_wall = _wall(best, tz)
                if not _near_transition(best, tz):
                    break
            wall += ONE_MINUTE
        return best

    def previous_before(self, at: datetime, tz: tzinfo = UTC) -> datetime:
        """The last fire instant strictly before `at`, evaluating the wall clock of `tz`; aware UTC."""
        at = to_utc(at, field="cron start")
        start = _wall(at, tz).replace(second=0, microsecond=0)
        if _near_transition(at, tz):
            start += 2 * TRANSITION_WINDOW
        best: datetime | None = None
        best_wall = start
        wall = start
        while best is None or wall >= best_wall - 2 * TRANSITION_WINDOW:
            wall = self._previous_wall(wall)
            earlier = [instant for instant in self._instants(wall, tz) if instant < at]
            if earlier and (best is None or max(earlier) > best):
                best = max(earlier)
                best_wall = _wall(best, tz)
                if not _near_transition(best, tz):
                    break
            wall -= ONE_MINUTE
        return best

    def is_fire_time(self, at: datetime, tz: tzinfo = UTC) -> bool:
        """Whether `at` is itself one of the schedule's fire instants."""
        at = to_utc(at, field="cron instant")
        return self.next_after(at - timedelta(microseconds=1), tz) == at

    def _instants(self, wall: datetime, tz: tzinfo) -> list[datetime]:
        """The UTC instants at which the wall-clock minute `wall` fires in `tz` (see the module docstring)."""
        first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
        if first < second and self.every_hour:
            return [first, second]
        # Normal time: equal. Repeated time: the first occurrence. Gap: fold=0 reads the wall time
        # with the offset in force before the change, which is the wall time shifted forward.
        return [first]

    def _next_wall(self, wall: datetime) -> datetime:
        """The first matching wall-clock minute at or after naive `wall`."""
        limit = wall.year + SEARCH_YEARS
        while wall.year <= limit:
            if wall.month not in self.months:
                i = bisect_left(self.months, wall.month)
                year, month = (wall.year, self.months[i]) if i < len(self.months) else (wall.year + 1, self.months[0])
                wall = datetime(year, month, 1)
            elif not self.matches_day(wall.date()):
                wall = datetime.combine(wall.date() + timedelta(days=1), datetime.min.time())
            elif wall.hour not in self.hours:
                i = bisect_left(self.hours, wall.hour)
                if i < len(self.hours):
                    wall = wall.replace(hour=self.hours[i], minute=0)
                else:
                    wall = datetime.combine(wall.date() + timedelta(days=1), datetime.min.time())
            elif wall.minute not in self.minutes:
                i = bisect_left(self.minutes, wall.minute)
                if i < len(self.minutes):
                    wall = wall.replace(minute=self.minutes[i])
                else:
                    wall = wall.replace(minute=0) + timedelta(hours=1)
            else:
                return wall
        raise ValueError(f"cron expression '{self.expression}' has no fire time within {SEARCH_YEARS} years")

    def _previous_wall(self, wall: datetime) -> datetime:
        """The last matching wall-clock minute at or before naive `wall`."""
        limit = wall.year - SEARCH_YEARS
        while wall.year >= limit:
            if wall.month not in self.months:
                i = bisect_right(self.months, wall.month) - 1
                year, month = (wall.year, self.months[i]) if i >= 0 else (wall.year - 1, self.months[-1])
                wall = datetime(year, month, calendar.monthrange(year, month)[1], 23, 59)
            elif not self.matches_day(wall.date()):
                wall = datetime.combine(wall.date() - timedelta(days=1), datetime.max.time()).replace(
                    second=0, microsecond=0
                )
            elif wall.hour not in self.hours:
                i = bisect_right(self.hours, wall.hour) - 1
                if i >= 0:
                    wall = wall.replace(hour=self.hours[i], minute=59)
                else:
                    wall = wall.replace(hour=0, minute=0) - ONE_MINUTE
            elif wall.minute not in self.minutes:
                i = bisect_right(self.minutes, wall.minute) - 1
                if i >= 0:
                    wall = wall.replace(minute=self.minutes[i])
                else:
                    wall = wall.replace(minute=0) - ONE_MINUTE
            else:
                return wall
        raise ValueError(f"cron expression '{self.expression}' has no fire time within {SEARCH_YEARS} years")


def _wall(at: datetime, tz: tzinfo) -> datetime:
    """The naive wall-clock reading of instant `at` in `tz`."""
    return at.astimezone(tz).replace(tzinfo=None, fold=0)


def _ceil_minute(wall: datetime) -> datetime:
    floor = wall.replace(second=0, microsecond=0)
    return floor if floor == wall else floor + ONE_MINUTE


def _near_transition(at: datetime, tz: tzinfo) -> bool:
    """Whether the UTC offset of `tz` changes within TRANSITION_WINDOW of `at` (then folds and gaps matter)."""
    if tz is UTC:
        return False
    offsets = {(at + k * TRANSITION_WINDOW).astimezone(tz).utcoffset() for k in (-1, 0, 1)}
    return len(offsets) > 1
