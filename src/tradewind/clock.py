"""The only module that reads wall time: everything else asks a Clock, so tests can move time."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator


class Clock:
    """Real time: aware UTC instants and a monotonic counter for measuring durations."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock(Clock):
    """Time that moves only when a test says so; `sleep` advances it instead of waiting."""

    def __init__(self, start_at: datetime) -> None:
        if start_at.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start_at.astimezone(timezone.utc)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, delta: timedelta | float) -> datetime:
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
        return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))


def utcnow() -> datetime:
    """Wall time for code that has no Clock at hand (user-facing helpers such as days_ago)."""
    return datetime.now(timezone.utc)


_task_clock: Clock = Clock()


def task_clock() -> Clock:
    """The clock of the try running in this process: the runner's (a test's ManualClock), else real time."""
    return _task_clock


@contextmanager
def running_on(clock: Clock) -> Iterator[None]:
    """Make `clock` the task clock while a try runs, so that its operators and sensors wait and time out on it."""
    global _task_clock
    previous, _task_clock = _task_clock, clock
    try:
        yield
    finally:
        _task_clock = previous


class TaskClockAttribute:
    """An operator's `_clock`: one set on the instance (by a test), else the task clock of the running try."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.own = f"_own{name}"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return instance.__dict__.get(self.own) or _task_clock

    def __set__(self, instance: Any, value: Clock) -> None:
        instance.__dict__[self.own] = value
