"""The exceptions DAG files raise and catch, under Airflow's names, rooted in Tradewind's error tree."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradewind.errors import DagDefinitionError, TradewindError
from tradewind.errors import ParamValidationError as ParamValidationError


class AirflowException(TradewindError):
    """Base of the exceptions user code raises to steer a task (Airflow's name)."""


class AirflowSkipException(AirflowException):
    """Raised by a task to end itself as skipped."""


class AirflowFailException(AirflowException):
    """Raised by a task to fail at once, without using its remaining retries."""


class AirflowSensorTimeout(AirflowException):
    """A sensor waited past its timeout; the task fails without retrying."""


class AirflowTaskTimeout(BaseException):
    """A try ran longer than its execution_timeout; it is retried while tries remain.

    A BaseException, as in Airflow, so that a task's own `except Exception` cannot swallow its timeout.
    """


class AirflowNotFoundException(AirflowException):
    """A connection, variable or other named object does not exist."""


class AirflowRescheduleException(AirflowException):
    """Raised by a sensor in reschedule mode: free the slot and poke again at reschedule_date."""

    def __init__(self, reschedule_date: datetime) -> None:
        super().__init__(f"reschedule at {reschedule_date.isoformat()}")
        self.reschedule_date = reschedule_date


class TaskDeferred(AirflowException):
    """Raised by `defer()`: the task waits for a trigger, then resumes in `method_name`."""

    def __init__(
        self, *, trigger: Any, method_name: str, kwargs: dict[str, Any] | None = None, timeout: Any = None
    ) -> None:
        super().__init__(f"deferred to {type(trigger).__name__}, resuming in {method_name}")
        self.trigger, self.method_name, self.kwargs, self.timeout = trigger, method_name, kwargs, timeout


class DownstreamTasksSkipped(AirflowException):
    """Raised by a task that succeeded and wants the listed downstream tasks skipped."""

    def __init__(self, *, tasks: list[Any]) -> None:
        super().__init__(f"skip downstream tasks {tasks}")
        self.tasks = tasks


class DagDeclarationError(AirflowException, DagDefinitionError):
    """A DAG file declares something invalid; the message names the DAG, task and value."""


class DuplicateTaskIdFound(DagDeclarationError):
    """Two tasks in one DAG share a task id."""


class AirflowDagCycleException(DagDeclarationError):
    """The task dependencies form a cycle."""


class InvalidIdError(DagDeclarationError, ValueError):
    """A dag id, task id or group id uses characters that are not allowed, or is too long."""


class InvalidTriggerRuleError(DagDeclarationError, ValueError):
    """A task declares a trigger rule that does not exist."""


class InvalidScheduleError(DagDeclarationError, ValueError):
    """A DAG's schedule cannot be understood (for example an invalid cron expression)."""


class TaskNotInDagError(DagDeclarationError):
    """A task was created outside any DAG and never attached to one."""


class AirflowDagDuplicatedIdException(DagDeclarationError):
    """Two DAGs share a dag id."""


class XComNotFound(AirflowException):
    """An XCom that a task argument needs was never pushed."""

    def __init__(self, dag_id: str, task_id: str, key: str) -> None:
        super().__init__(
            f"XCom {key!r} of task {task_id!r} in DAG {dag_id!r} was not found: "
            "did the upstream task return a value (and not None)?"
        )
        self.dag_id, self.task_id, self.key = dag_id, task_id, key


class UnmappableXComTypePushed(AirflowException):
    """A value a mapped task expands over is neither a list nor a dict."""


class UnmappableXComLengthPushed(AirflowException):
    """A value a mapped task expands over has more elements than [core] max_map_length."""


__all__ = [
    "AirflowDagCycleException",
    "AirflowDagDuplicatedIdException",
    "AirflowException",
    "AirflowFailException",
    "AirflowNotFoundException",
    "AirflowRescheduleException",
    "AirflowSensorTimeout",
    "AirflowSkipException",
    "AirflowTaskTimeout",
    "DagDeclarationError",
    "DownstreamTasksSkipped",
    "DuplicateTaskIdFound",
    "InvalidIdError",
    "InvalidScheduleError",
    "InvalidTriggerRuleError",
    "ParamValidationError",
    "TaskDeferred",
    "TaskNotInDagError",
    "UnmappableXComLengthPushed",
    "UnmappableXComTypePushed",
    "XComNotFound",
]
