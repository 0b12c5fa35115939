"""How a try ended: the exception (or none) a task raised, turned into Airflow's task-instance state."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.rules.states import TaskInstanceState as TI
from tradewind.sdk.exceptions import (
    AirflowFailException,
    AirflowRescheduleException,
    AirflowSensorTimeout,
    AirflowSkipException,
)


@dataclass(frozen=True)
class TryOutcome:
    """The state a try ended in (None when this runner did not run it) and the error that ended it."""

    state: str | None
    error: str | None = None


def state_for_exception(exc: BaseException | None, try_number: int, max_tries: int) -> TI:
    """The state a try ends in when `exc` escaped the task (None: it returned normally).

    Skip -> skipped; fail and sensor timeout -> failed at once; reschedule -> up_for_reschedule;
    anything else (an execution_timeout included) -> up_for_retry while tries remain, else failed.
    """
    if exc is None:
        return TI.SUCCESS
    if isinstance(exc, AirflowSkipException):
        return TI.SKIPPED
    if isinstance(exc, (AirflowFailException, AirflowSensorTimeout)):
        return TI.FAILED
    if isinstance(exc, AirflowRescheduleException):
        return TI.UP_FOR_RESCHEDULE
    return TI.UP_FOR_RETRY if has_retries_left(try_number, max_tries) else TI.FAILED


def has_retries_left(try_number: int, max_tries: int) -> bool:
    """Whether a failed try may be retried: try_number counts from 1 and max_tries is the task's retries."""
    return try_number <= max_tries


def describe_exception(exc: BaseException) -> str:
    """A one-line description of an exception for the try's outcome: its type and message."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
