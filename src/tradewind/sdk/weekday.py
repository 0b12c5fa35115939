"""`WeekDay`: the days of the week as ISO numbers, for the weekday sensor and branch operator."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any


class WeekDay(enum.IntEnum):
    """Monday is 1, Sunday is 7 (ISO weekday numbers)."""

    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7

    @classmethod
    def get_weekday_number(cls, week_day_str: str) -> int:
        """The number of a day name, case-insensitive ("monday" -> 1)."""
        name = week_day_str.upper()
        if name not in cls.__members__:
            raise AttributeError(f'Invalid Week Day passed: "{week_day_str}"')
        return cls[name].value

    @classmethod
    def convert(cls, day: str | WeekDay) -> int:
        """The number of a day given as a name or a WeekDay."""
        if isinstance(day, WeekDay):
            return day.value
        return cls.get_weekday_number(day)

    @classmethod
    def validate_week_day(cls, week_day: Any) -> set[int]:
        """The set of day numbers for a name, a WeekDay, or an iterable of them."""
        if isinstance(week_day, (str, WeekDay)):
            return {cls.convert(week_day)}
        if isinstance(week_day, Iterable):
            return {cls.convert(day) for day in week_day}
        raise TypeError(
            f"Unsupported Type for week_day parameter: {type(week_day).__name__}. "
            "Input should be iterable type: str, set, list, dict or Weekday enum type"
        )
