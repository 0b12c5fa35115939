"""BaseSensorOperator: poke until a condition holds, in poke or reschedule mode, with Airflow's timing rules."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from tradewind.clock import TaskClockAttribute
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.exceptions import (
    AirflowException,
    AirflowFailException,
    AirflowRescheduleException,
    AirflowSensorTimeout,
    AirflowSkipException,
    AirflowTaskTimeout,
)

log = logging.getLogger("airflow.task")

DEFAULT_TIMEOUT_S = 7 * 24 * 60 * 60
"""`[sensors] default_timeout`: seven days."""

VALID_MODES = ("poke", "reschedule")


@dataclass
class PokeReturnValue:
    """What `poke` may return instead of a bool: whether the sensor is done, and a value to push as XCom."""

    is_done: bool
    xcom_value: Any = None

    def __bool__(self) -> bool:
        return bool(self.is_done)


class BaseSensorOperator(BaseOperator):
    """A task that calls `poke(context)` until it returns a truthy value or `timeout` passes.

    The timeout is checked only after a poke that is not done, and then the sensor waits a full
    `poke_interval` before poking again. In poke mode the wait happens in the task; in reschedule
    mode the task ends with a reschedule request and the timeout is measured from the first try's
    start. On timeout, `soft_fail` skips the task; otherwise it fails without retrying.
    """

    _clock = TaskClockAttribute()  # the running try's clock, or one a test sets

    ui_color = "#e6f1f2"
    valid_modes = VALID_MODES

    def __init__(
        self,
        *,
        poke_interval: timedelta | float = 60,
        timeout: timedelta | float = DEFAULT_TIMEOUT_S,
        soft_fail: bool = False,
        mode: str = "poke",
        exponential_backoff: bool = False,
        max_wait: timedelta | float | None = None,
        silent_fail: bool = False,
        never_fail: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.poke_interval = _seconds(self.task_id, "poke_interval", poke_interval)
        self.timeout = _seconds(self.task_id, "timeout", timeout)
        self.max_wait = None if max_wait is None else _seconds(self.task_id, "max_wait", max_wait)
        if mode not in VALID_MODES:
            raise AirflowException(f"Sensor {self.task_id!r}: mode {mode!r} is not valid; use 'poke' or 'reschedule'")
        if soft_fail and never_fail:
            raise ValueError(f"Sensor {self.task_id!r}: soft_fail and never_fail cannot both be True")
        self.mode = mode
        self.soft_fail = soft_fail
        self.exponential_backoff = exponential_backoff
        self.silent_fail = silent_fail
        self.never_fail = never_fail

    @property
    def reschedule(self) -> bool:
        """Whether a poke that is not done ends the try with a reschedule request."""
        return self.mode == "reschedule"

    def poke(self, context: Any) -> bool | PokeReturnValue:
        """Check the condition once; subclasses implement this."""
        raise NotImplementedError(f"{type(self).__name__} must implement poke(context)")

    def execute(self, context: Any) -> Any:
        """Poke until done (returning the PokeReturnValue's xcom_value, if any) or until the timeout."""
        started_mono = self._clock.monotonic()
        started_at = self._first_start(context)
        poke_count = 1 + (int(context.get("task_reschedule_count") or 0) if self.reschedule else 0)

        def run_duration() -> float:
            if self.reschedule:
                return (self._clock.now() - started_at).total_seconds()
            return self._clock.monotonic() - started_mono

        while True:
            is_done, xcom_value = self._poke_once(context)
            if is_done:
                log.info("Success criteria met. Exiting.")
                return xcom_value
            duration = run_duration()
            if duration > self.timeout:
                self._fail_on_timeout(duration)
            interval = self._get_next_poke_interval(started_at, run_duration, poke_count)
            if self.reschedule:
                raise AirflowRescheduleException(self._clock.now() + timedelta(seconds=interval))
            log.info("Poke returned False; sleeping %s seconds", interval)
            self._clock.sleep(interval)
            poke_count += 1

    def _first_start(self, context: Any) -> datetime:
        """When waiting began: the first try's start in reschedule mode (kept by the runner), else now."""
        if self.reschedule:
            start_date = getattr(context.get("ti"), "start_date", None)
            if start_date is not None:
                return start_date
        return self._clock.now()

    def _poke_once(self, context: Any) -> tuple[bool, Any]:
        """One poke, with soft_fail/never_fail/silent_fail applied to what it raises."""
        try:
            result = self.poke(context)
        except (AirflowSensorTimeout, AirflowTaskTimeout, AirflowFailException) as exc:
            if self.soft_fail:
                raise AirflowSkipException(f"Skipping sensor {self.task_id!r} because soft_fail is set: {exc}") from exc
            if self.never_fail:
                raise AirflowSkipException(f"Skipping sensor {self.task_id!r} because never_fail is set: {exc}") from exc
            raise
        except (AirflowSkipException, AirflowRescheduleException):
            raise
        except Exception as exc:
            if self.silent_fail:
                log.error("Sensor %s poke failed; silent_fail is set, so poking continues: %r", self.task_id, exc)
                return False, None
            if self.never_fail:
                raise AirflowSkipException(f"Skipping sensor {self.task_id!r} because never_fail is set: {exc}") from exc
            raise
        if isinstance(result, PokeReturnValue):
            return bool(result.is_done), result.xcom_value
        return bool(result), None

    def _fail_on_timeout(self, duration: float) -> None:
        message = (
            f"Sensor {self.task_id!r} has timed out; run duration of {duration:g} seconds exceeds "
            f"the specified timeout of {self.timeout:g} seconds"
        )
        if self.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowSensorTimeout(message)

    def _get_next_poke_interval(self, started_at: datetime, run_duration: Callable[[], float], poke_count: int) -> float:
        """poke_interval, or with exponential_backoff poke_interval * 2^(n-2) plus sha1 jitter, capped."""
        if not self.exponential_backoff:
            return self.poke_interval
        base = max(int(self.poke_interval * (2 ** (poke_count - 2))), 1)
        digest = hashlib.sha1(f"{self.dag_id}#{self.task_id}#{started_at}#{poke_count}".encode()).hexdigest()
        delay = base + int(digest, 16) % base
        interval = min(self.timeout - int(run_duration()), float(delay))
        if self.max_wait is not None:
            interval = min(self.max_wait, interval)
        return max(interval, 0.0)


def _seconds(task_id: str, name: str, value: timedelta | float) -> float:
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        raise AirflowException(f"Sensor {task_id!r}: {name} must be a non-negative number of seconds, got {value!r}")
    return float(seconds)


SensorClass = TypeVar("SensorClass", bound=type)


def poke_mode_only(cls: SensorClass) -> SensorClass:
    """Class decorator for sensors that only work in poke mode: setting mode to anything else raises ValueError."""
    if not (isinstance(cls, type) and issubclass(cls, BaseSensorOperator)):
        raise ValueError(f"poke_mode_only applies to BaseSensorOperator subclasses, not {cls!r}")

    def get_mode(self: Any) -> str:
        return "poke"

    def set_mode(self: Any, value: str) -> None:
        if value != "poke":
            raise ValueError(f"Sensor {type(self).__name__} works only in poke mode; cannot set mode to {value!r}")

    cls.mode = property(get_mode, set_mode)  # type: ignore[attr-defined]
    return cls
