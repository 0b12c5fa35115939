"""TriggerDagRunOperator: start a run of another DAG, and optionally wait until it ends."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from tradewind import clock
from tradewind.errors import DagRunAlreadyExists
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.exceptions import AirflowException, AirflowSkipException
from tradewind.sdk import timezone
from tradewind.sdk.runtime import current_services

log = logging.getLogger("airflow.task")

XCOM_RUN_ID = "trigger_run_id"
XCOM_LOGICAL_DATE_ISO = "trigger_logical_date_iso"


class TriggerDagRunOperator(BaseOperator):
    """Create a manual run of `trigger_dag_id` with `conf`; with `wait_for_completion`, poke until it ends.

    `logical_date` (templated; a datetime or an ISO string) defaults to now. An existing run with
    the same run id fails the task, unless `reset_dag_run` (clear and rerun it) or
    `skip_when_already_exists` (skip this task) says otherwise.
    """

    _clock = clock.TaskClockAttribute()  # the running try's clock, or one a test sets

    template_fields = ("trigger_dag_id", "trigger_run_id", "logical_date", "conf")
    template_fields_renderers = {"conf": "py"}
    ui_color = "#ffefeb"

    def __init__(
        self,
        *,
        trigger_dag_id: str,
        trigger_run_id: str | None = None,
        conf: dict[str, Any] | None = None,
        logical_date: str | datetime | None = None,
        reset_dag_run: bool = False,
        wait_for_completion: bool = False,
        poke_interval: float = 60,
        allowed_states: Iterable[str] | None = None,
        failed_states: Iterable[str] | None = None,
        skip_when_already_exists: bool = False,
        deferrable: bool = False,
        fail_when_dag_is_paused: bool = False,
        openlineage_inject_parent_info: bool = True,
        **kwargs: Any,
    ) -> None:
        logical_date = kwargs.pop("execution_date", logical_date)
        super().__init__(**kwargs)
        self.trigger_dag_id = trigger_dag_id
        self.trigger_run_id = trigger_run_id
        self.conf = conf
        self.logical_date = logical_date
        self.reset_dag_run = reset_dag_run
        self.wait_for_completion = wait_for_completion
        self.poke_interval = poke_interval
        self.allowed_states = [str(s) for s in (allowed_states or ["success"])]
        self.failed_states = [str(s) for s in (failed_states or ["failed"])]
        self.skip_when_already_exists = skip_when_already_exists
        self.deferrable = deferrable
        self.fail_when_dag_is_paused = fail_when_dag_is_paused

    def execute(self, context: Any) -> None:
        """Trigger the run, record its id in XCom, and wait for it if asked."""
        _check_conf_is_json(self.task_id, self.conf)
        logical_date = _parse_logical_date(self.task_id, self.logical_date, self._clock)
        run_id = self.trigger_run_id or f"manual__{logical_date.isoformat()}"
        services = current_services()
        run_id = self._trigger(services, run_id, logical_date)
        ti = context["ti"]
        ti.xcom_push(XCOM_RUN_ID, run_id)
        ti.xcom_push(XCOM_LOGICAL_DATE_ISO, logical_date.isoformat())
        if self.wait_for_completion:
            self._wait(services, run_id)

    def _trigger(self, services: Any, run_id: str, logical_date: datetime) -> str:
        conf = dict(self.conf or {})
        try:
            return services.trigger_dag_run(self.trigger_dag_id, run_id=run_id, conf=conf, logical_date=logical_date)
        except DagRunAlreadyExists:
            if self.skip_when_already_exists:
                raise AirflowSkipException(
                    f"DAG {self.trigger_dag_id!r} already has run {run_id!r}; skipping (skip_when_already_exists)"
                ) from None
            if not self.reset_dag_run:
                raise AirflowException(
                    f"Task {self.task_id!r}: DAG {self.trigger_dag_id!r} already has run {run_id!r}; set "
                    "reset_dag_run=True to clear and rerun it, or give another trigger_run_id"
                ) from None
        log.info("Clearing run %s of DAG %s (reset_dag_run)", run_id, self.trigger_dag_id)
        services.clear_dag_run(self.trigger_dag_id, run_id)
        return run_id

    def _wait(self, services: Any, run_id: str) -> None:
        """Poke the triggered run every poke_interval until it reaches an allowed or a failed state."""
        while True:
            log.info("Waiting for DAG %s run %s to finish", self.trigger_dag_id, run_id)
            self._clock.sleep(_seconds(self.poke_interval))
            state = str(services.get_dag_run_state(self.trigger_dag_id, run_id))
            if state in self.failed_states:
                raise AirflowException(f"DAG {self.trigger_dag_id!r} run {run_id!r} ended in failed state {state!r}")
            if state in self.allowed_states:
                log.info("DAG %s run %s ended in state %s", self.trigger_dag_id, run_id, state)
                return


def _parse_logical_date(task_id: str, value: Any, source: clock.Clock) -> datetime:
    """An aware UTC datetime from a datetime, an ISO string, or now when unset (naive: the default zone)."""
    if value is None or value == "":
        return source.now()
    if isinstance(value, str):
        try:
            value = timezone.parse(value.strip())
        except (ValueError, OverflowError):
            raise AirflowException(
                f"Task {task_id!r}: logical_date {value!r} is not an ISO 8601 date or datetime"
            ) from None
    if not isinstance(value, datetime):
        raise AirflowException(f"Task {task_id!r}: logical_date must be a datetime or an ISO string, got {value!r}")
    return timezone.coerce_utc(value)


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _check_conf_is_json(task_id: str, conf: Any) -> None:
    """Refuse a conf that cannot be stored with the run, naming the task."""
    try:
        json.dumps(conf)
    except TypeError as exc:
        raise AirflowException(f"Task {task_id!r}: conf must be JSON-serializable: {exc}") from None


__all__ = ["TriggerDagRunOperator", "XCOM_LOGICAL_DATE_ISO", "XCOM_RUN_ID"]
