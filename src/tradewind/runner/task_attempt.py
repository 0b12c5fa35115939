"""One started try in this process: prepare the operator and context, execute, and decide the final record."""

from __future__ import annotations

import copy
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.executors.base import TaskInstanceKey
from tradewind.logs.masking import masker
from tradewind.rules.retries import retry_delay_s
from tradewind.runner import records, templating
from tradewind.runner.callbacks import callback_after, run_callbacks
from tradewind.runner.context import build_context, resolve_params
from tradewind.runner.outcome import TryOutcome, describe_exception, state_for_exception
from tradewind.runner.runtime_dag_run import RuntimeDagRun
from tradewind.runner.runtime_ti import RuntimeTaskInstance
from tradewind.runner.timeout import execution_timeout
from tradewind.runner.xcom_values import check_mappable, to_json_value, xcoms_for_return_value
from tradewind.sdk.context import set_current_context
from tradewind.sdk.exceptions import (
    AirflowRescheduleException,
    AirflowSkipException,
    AirflowTaskTimeout,
    DownstreamTasksSkipped,
    TaskDeferred,
)

log = logging.getLogger("airflow.task")


class TaskAttempt:
    """The work of one try between its start and its final write."""

    def __init__(self, db: Any, settings: Settings, key: TaskInstanceKey, try_number: int,
                 inputs: records.TryInputs, *, dag: Any, clock: Clock, test_mode: bool = False,
                 services: Any = None) -> None:
        self.db, self.settings, self.key, self.try_number = db, settings, key, try_number
        self.inputs, self.started = inputs, inputs.started
        self.dag, self.clock, self.test_mode = dag, clock, test_mode
        self.services = services  # the StoreServices installed for this try (built here when not given)
        self.task: Any = None
        self.ti: RuntimeTaskInstance | None = None
        self.context: dict[str, Any] = {}
        self.rendered_fields: dict[str, Any] | None = None

    def run(self) -> tuple[records.FinalRecord, TryOutcome]:
        """Prepare, execute and conclude; every exception of the task becomes a state, never escapes."""
        error: BaseException | None = None
        try:
            self._prepare()
            with set_current_context(self.context):
                self._execute()
        except (Exception, SystemExit, AirflowTaskTimeout) as exc:  # the task's failure is the try's outcome
            error = exc
        return self._conclude(error)

    # Preparation -------------------------------------------------------------------------------

    def _prepare(self) -> None:
        key = self.key
        run = RuntimeDagRun.from_row(self.inputs.run)
        declared = self.dag.get_task(key.task_id)
        self.task = copy.copy(declared)
        from tradewind.runner.services import StoreServices

        services = self.services or StoreServices(self.db, self.settings, self.clock)
        self.ti = RuntimeTaskInstance(
            key, try_number=self.try_number, max_tries=int(self.started.row["max_tries"] or 0), task=self.task,
            dag=self.dag, dag_run=run, start_date=self.started.start_date, xcoms=services,
            hostname=str(self.started.row.get("hostname") or ""), task_reschedule_count=self.started.reschedule_count,
        )
        params = resolve_params(self.dag, declared, run.conf,
                                conf_overrides_params=bool(self.settings.get("core", "dag_run_conf_overrides_params")))
        self.context = build_context(
            dag=self.dag, task=self.task, ti=self.ti, dag_run=run, params=params, secrets=services,
            previous=self.inputs.previous, test_mode=self.test_mode,
            settings=self.settings,
        )
        if key.map_index >= 0 and hasattr(declared, "unmap"):
            self.task = declared.unmap(key.map_index, self.context)
            self.ti.task = self.context["task"] = self.task
        self._log_start()

    def _log_start(self) -> None:
        log.info("Running %s, try %s of %s on %s", self.key, self.try_number, (self.ti.max_tries if self.ti else 0) + 1,
                 self.started.row.get("hostname"))

    # Execution ---------------------------------------------------------------------------------

    def _execute(self) -> None:
        task, context = self.task, self.context
        with execution_timeout(getattr(task, "execution_timeout", None), self.key.task_id):
            try:
                self._render()
                run_callbacks(task, "on_execute_callback", context)
                task.pre_execute(context)
                result = task.execute(context)
                task.post_execute(context, result)
            except AirflowTaskTimeout:
                self._kill(task)
                raise
            except DownstreamTasksSkipped as skip:
                self._ti().skip_downstream([getattr(t, "task_id", t) for t in skip.tasks])
                result = None
        self._push_return_value(result)

    def _render(self) -> None:
        env = templating.jinja_env_for(self.dag, native=self._native())
        self.task.render_template_fields(self.context, env)
        self.rendered_fields = _rendered_fields(self.task)

    def _native(self) -> bool | None:
        native = getattr(self.task, "render_template_as_native_obj", None)
        return None if native is None else bool(native)

    def _kill(self, task: Any) -> None:
        try:
            task.on_kill()
        except Exception:  # cleaning up after a timeout must not hide the timeout
            log.exception("on_kill of task %r failed", self.key.task_id)

    def _push_return_value(self, result: Any) -> None:
        ti = self._ti()
        if result is not None and self._feeds_mapped_task():
            check_mappable(self.key.task_id, result, int(self.settings.get("core", "max_map_length")))
        for xcom_key, value in xcoms_for_return_value(self.task, result):
            ti.xcom_push(xcom_key, value)

    def _feeds_mapped_task(self) -> bool:
        """Whether a mapped task downstream expands over this task's output."""
        from tradewind.sdk.xcom_arg import iter_xcom_references

        for task_id in getattr(self.task, "downstream_task_ids", ()) or ():
            downstream = self.dag.task_dict.get(task_id)
            expand_input = getattr(downstream, "expand_input", None)
            if downstream is None or expand_input is None:
                continue
            value = getattr(expand_input, "value", expand_input)
            if any(getattr(op, "task_id", None) == self.key.task_id for op, _ in iter_xcom_references(value)):
                return True
        return False

    def _ti(self) -> RuntimeTaskInstance:
        assert self.ti is not None, "the task instance is built in _prepare"
        return self.ti

    # Conclusion --------------------------------------------------------------------------------

    def _conclude(self, error: BaseException | None) -> tuple[records.FinalRecord, TryOutcome]:
        max_tries = int(self.started.row["max_tries"] or 0)
        if isinstance(error, TaskDeferred):
            error = RuntimeError(f"Task {self.key.task_id!r} deferred to {type(error.trigger).__name__}, but this "
                                 "executor has no triggerer: set deferrable=False (or use the non-Async sensor)")
        state = state_for_exception(error, self.try_number, max_tries)
        end = self.clock.now()
        record = records.FinalRecord(state=str(state), end_date=end,
                                     duration=max((end - self.started.start_date).total_seconds(), 0.0),
                                     rendered_fields=self.rendered_fields, record_history=not self.test_mode)
        self._log_outcome(str(state), error)
        if self.ti is not None:
            self.ti.state, self.ti.end_date = str(state), end
            record.xcoms = dict(self.ti.pushed)
            record.skip_task_ids = list(self.ti.skip_requests) if state == "success" else []
            record.rendered_map_index = self._rendered_map_index()
        if state == "up_for_retry":
            record.next_try_at = end + timedelta(seconds=self._retry_delay_s())
        elif state == "up_for_reschedule" and isinstance(error, AirflowRescheduleException):
            record.next_try_at = record.reschedule_date = error.reschedule_date
        self._after_callbacks(str(state), error)
        message = None if error is None or state in ("success", "up_for_reschedule") else describe_exception(error)
        return record, TryOutcome(str(state), message)

    def _log_outcome(self, state: str, error: BaseException | None) -> None:
        if isinstance(error, AirflowSkipException):
            log.info("Skipping task %r: %s", self.key.task_id, error)
        elif isinstance(error, AirflowRescheduleException):
            log.info("Rescheduling task %r to %s", self.key.task_id, error.reschedule_date.isoformat())
        elif error is not None:
            log.error("Task %r failed with exception", self.key.task_id, exc_info=error)
        log.info("Marking task as %s. dag_id=%s, task_id=%s, run_id=%s, map_index=%s, try_number=%s",
                 state.upper(), self.key.dag_id, self.key.task_id, self.key.run_id, self.key.map_index,
                 self.try_number)

    def _after_callbacks(self, state: str, error: BaseException | None) -> None:
        if not self.context or self.task is None:
            return
        name = callback_after(state, skipped_by_task=isinstance(error, AirflowSkipException))
        if name is None:
            return
        if error is not None:
            self.context["exception"] = error
        with set_current_context(self.context):
            run_callbacks(self.task, name, self.context)

    def _retry_delay_s(self) -> float:
        task, run = self.task or self.dag.get_task(self.key.task_id), self.ti.dag_run if self.ti else None
        delay = getattr(task, "retry_delay", None)
        if delay is None:  # timedelta(0) is a delay too: retry at once
            delay = timedelta(seconds=300)
        backoff = getattr(task, "retry_exponential_backoff", False)
        multiplier = 2.0 if backoff is True else float(backoff or 0)
        max_delay = getattr(task, "max_retry_delay", None)
        logical: datetime | None = run.logical_date if run else None
        return retry_delay_s(
            retry_delay_s=delay.total_seconds(), try_number=self.try_number, backoff_multiplier=multiplier,
            max_retry_delay_s=max_delay.total_seconds() if max_delay else None, dag_id=self.key.dag_id,
            task_id=self.key.task_id, logical_date_iso=str(logical),
        )

    def _rendered_map_index(self) -> str | None:
        template = getattr(self.task, "map_index_template", None)
        if not template or self.key.map_index < 0:
            return None
        try:
            env = templating.jinja_env_for(self.dag, native=False)
            return str(templating.render_string(env, template, self.context))[:250]
        except Exception:  # a label that cannot render leaves the UI showing the map index
            log.warning("map_index_template of task %r could not be rendered", self.key.task_id, exc_info=True)
            return None


def _rendered_fields(task: Any) -> dict[str, Any]:
    """The rendered template fields as stored for the UI: JSON, secrets masked, str() where JSON cannot say it."""
    fields: dict[str, Any] = {}
    for name in getattr(task, "template_fields", ()):
        value = getattr(task, name, None)
        try:
            value = to_json_value(value, task_id=task.task_id, key=name)
        except Exception:
            value = str(value)
        fields[name] = json.loads(masker.redact(json.dumps(value)))
    return fields
