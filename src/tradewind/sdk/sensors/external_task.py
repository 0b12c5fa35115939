"""ExternalTaskSensor waits for tasks (or a whole run) of another DAG; ExternalTaskMarker marks the link."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any

from tradewind.rules.states import DagRunState, TaskInstanceState
from tradewind.sdk.exceptions import AirflowException, AirflowSkipException
from tradewind.sdk.operators.call_args import determine_kwargs
from tradewind.sdk.operators.empty import EmptyOperator
from tradewind.sdk.runtime import current_services
from tradewind.sdk.sensors.base import BaseSensorOperator

log = logging.getLogger("airflow.task")

_TI_STATES = frozenset(s.value for s in TaskInstanceState)
_RUN_STATES = frozenset(s.value for s in DagRunState)


class ExternalTaskSensor(BaseSensorOperator):
    """Wait until tasks of another DAG (or its whole run) at the same logical date reach an allowed state.

    `execution_delta` or `execution_date_fn` pick other logical dates. A state in `failed_states`
    fails the sensor and one in `skipped_states` skips it (with soft_fail, failing skips too).
    """

    template_fields = ("external_dag_id", "external_task_id", "external_task_ids", "external_task_group_id")
    ui_color = "#4db7db"

    def __init__(
        self,
        *,
        external_dag_id: str,
        external_task_id: str | None = None,
        external_task_ids: Iterable[str] | None = None,
        external_task_group_id: str | None = None,
        allowed_states: Iterable[str] | None = None,
        skipped_states: Iterable[str] | None = None,
        failed_states: Iterable[str] | None = None,
        execution_delta: dt.timedelta | None = None,
        execution_date_fn: Callable[..., Any] | None = None,
        check_existence: bool = False,
        poll_interval: float = 2.0,
        deferrable: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.allowed_states = [str(s) for s in (allowed_states or [TaskInstanceState.SUCCESS.value])]
        self.skipped_states = [str(s) for s in (skipped_states or [])]
        self.failed_states = [str(s) for s in (failed_states or [])]
        if external_task_id is not None and external_task_ids is not None:
            raise ValueError(f"Sensor {self.task_id!r}: give only one of external_task_id and external_task_ids")
        if external_task_id is not None:
            external_task_ids = [external_task_id]
        self.external_task_ids = list(external_task_ids) if external_task_ids is not None else None
        if external_task_group_id is not None and self.external_task_ids:
            raise ValueError(
                f"Sensor {self.task_id!r}: give only one of external_task_group_id and external_task_id(s)"
            )
        if execution_delta is not None and execution_date_fn is not None:
            raise ValueError(f"Sensor {self.task_id!r}: give only one of execution_delta and execution_date_fn")
        self.external_dag_id = external_dag_id
        self.external_task_id = external_task_id
        self.external_task_group_id = external_task_group_id
        self.execution_delta = execution_delta
        self.execution_date_fn = execution_date_fn
        self.check_existence = check_existence
        self.poll_interval = poll_interval
        self.deferrable = deferrable
        self._check_states()

    @property
    def _waits_for_tasks(self) -> bool:
        return bool(self.external_task_ids) or self.external_task_group_id is not None

    def _check_states(self) -> None:
        every = self.allowed_states + self.skipped_states + self.failed_states
        if len(set(every)) != len(every):
            raise AirflowException(
                f"Sensor {self.task_id!r}: a state appears more than once across allowed_states, "
                "skipped_states and failed_states"
            )
        valid = _TI_STATES if self._waits_for_tasks else _RUN_STATES
        invalid = sorted(set(every) - valid)
        if invalid:
            kind = "task instance" if self._waits_for_tasks else "DAG run"
            raise ValueError(f"Sensor {self.task_id!r}: {invalid} are not {kind} states; use some of {sorted(valid)}")
        if self.external_task_ids and len(self.external_task_ids) != len(set(self.external_task_ids)):
            raise ValueError(f"Sensor {self.task_id!r}: external_task_ids has duplicates: {self.external_task_ids}")

    def poke(self, context: Any) -> bool:
        """Whether every awaited task (or run) at every awaited logical date is in an allowed state."""
        dates = self._logical_dates(context)
        states = self._states(dates)
        log.info("Poking for %s in DAG %s at %s: %s", self._target_name(), self.external_dag_id, dates, states)
        if any(s in self.failed_states for s in states):
            self._fail(f"{self._target_name()} in DAG {self.external_dag_id!r} failed (states: {states})")
        if any(s in self.skipped_states for s in states):
            raise AirflowSkipException(
                f"{self._target_name()} in DAG {self.external_dag_id!r} reached a skipped state (states: {states})"
            )
        return bool(states) and all(s in self.allowed_states for s in states)

    def _states(self, dates: list[dt.datetime]) -> list[str | None]:
        """One state per awaited task instance (or run) and logical date; None where there is none yet."""
        services = current_services()
        found: list[str | None] = []
        for logical_date in dates:
            if self.external_task_ids:
                by_task = services.get_task_states(self.external_dag_id, list(self.external_task_ids), logical_date)
                for task_id in self.external_task_ids:
                    found.extend(_state_list(by_task.get(task_id)))
            elif self.external_task_group_id is not None:
                found.extend(self._group_states(services, logical_date))
            else:
                found.append(_state_str(self._run_state(services, logical_date)))
        return found

    def _group_states(self, services: Any, logical_date: dt.datetime) -> list[str | None]:
        """States of the group's tasks: every task of the run whose id carries the group's prefix."""
        by_task = services.get_task_states(self.external_dag_id, None, logical_date)
        prefix = f"{self.external_task_group_id}."
        states = [s for task_id, value in by_task.items() if task_id.startswith(prefix) for s in _state_list(value)]
        return states or [None]

    def _run_state(self, services: Any, logical_date: dt.datetime) -> Any:
        lookup = getattr(services, "get_dag_run_state_at", None)
        if lookup is None:
            raise AirflowException(
                f"Sensor {self.task_id!r}: waiting for a whole run of DAG {self.external_dag_id!r} is not "
                "available here; give external_task_id or external_task_ids instead"
            )
        return lookup(self.external_dag_id, logical_date)

    def _logical_dates(self, context: Any) -> list[dt.datetime]:
        """The logical dates of the other DAG's runs to look at."""
        logical_date = context.get("logical_date") or getattr(context.get("dag_run"), "run_after", None)
        if logical_date is None:
            raise AirflowException(f"Sensor {self.task_id!r}: this run has no logical date to match")
        if self.execution_delta is not None:
            return [logical_date - self.execution_delta]
        if self.execution_date_fn is not None:
            result = _call_date_fn(self.execution_date_fn, logical_date, context)
            return list(result) if isinstance(result, (list, tuple, set)) else [result]
        return [logical_date]

    def _target_name(self) -> str:
        if self.external_task_ids:
            return f"tasks {self.external_task_ids}"
        if self.external_task_group_id is not None:
            return f"task group {self.external_task_group_id!r}"
        return "the run"

    def _fail(self, message: str) -> None:
        if self.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowException(message)


def _call_date_fn(fn: Callable[..., Any], logical_date: dt.datetime, context: Any) -> Any:
    """Call `fn(logical_date, ...)` with the context values its other parameters name."""
    params = list(inspect.signature(fn).parameters.values())
    first = params[0].name if params and params[0].kind != params[0].VAR_KEYWORD else None
    # The date goes to the first parameter whatever its name (often `execution_date` or `logical_date`).
    rest = {k: v for k, v in dict(context).items() if k != first}
    return fn(logical_date, **determine_kwargs(fn, [logical_date], rest))


def _state_str(state: Any) -> str | None:
    if state is None:
        return None
    return str(getattr(state, "value", state))


def _state_list(value: Any) -> list[str | None]:
    """A task's states: one, or one per map index for a mapped task; [None] when it has none yet."""
    if isinstance(value, (list, tuple)):
        return [_state_str(v) for v in value] or [None]
    return [_state_str(value)]


class ExternalTaskMarker(EmptyOperator):
    """Marks that a task of another DAG depends on this one, so that clearing this one can clear it too."""

    template_fields = ("external_dag_id", "external_task_id", "logical_date")
    ui_color = "#4db7db"

    def __init__(
        self,
        *,
        external_dag_id: str,
        external_task_id: str,
        logical_date: str | dt.datetime | None = "{{ logical_date.isoformat() }}",
        recursion_depth: int = 10,
        **kwargs: Any,
    ) -> None:
        logical_date = kwargs.pop("execution_date", logical_date)
        super().__init__(**kwargs)
        if recursion_depth <= 0:
            raise ValueError(f"Task {self.task_id!r}: recursion_depth must be a positive integer")
        self.external_dag_id = external_dag_id
        self.external_task_id = external_task_id
        self.logical_date = logical_date.isoformat() if isinstance(logical_date, dt.datetime) else logical_date
        self.recursion_depth = recursion_depth
