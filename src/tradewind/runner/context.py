"""The template context of a task try: every Airflow 3.x key, plus the 2.x / 1.10 keys old DAG files use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tradewind.sdk import macros
from tradewind.runner.context_accessors import ConnectionAccessor, SecretReader, VariableAccessor
from tradewind.runner.runtime_dag_run import RuntimeDagRun
from tradewind.runner.runtime_ti import RuntimeTaskInstance
from tradewind.sdk.context import Context
from tradewind.sdk.params import merge_params, validate_params


@dataclass(frozen=True)
class PreviousSuccess:
    """The latest earlier successful run of the same DAG: its data interval and when it ran."""

    data_interval_start: datetime | None = None
    data_interval_end: datetime | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    logical_date: datetime | None = None


def resolve_params(dag: Any, task: Any, conf: Mapping[str, Any] | None, *, conf_overrides_params: bool) -> dict[str, Any]:
    """Param values for the task: DAG params < task params < the run's conf (when conf overrides params)."""
    merged = merge_params(getattr(dag, "params", None), getattr(task, "params", None))
    return validate_params(merged, dict(conf or {}) if conf_overrides_params else {})


def build_context(*, dag: Any, task: Any, ti: RuntimeTaskInstance, dag_run: RuntimeDagRun, params: dict[str, Any],
                  secrets: SecretReader, previous: PreviousSuccess | None = None, test_mode: bool = False,
                  expanded_ti_count: int | None = None, settings: Any = None) -> Context:
    """The context passed to execute(), callbacks and templates for one try."""
    previous = previous or PreviousSuccess()
    context = Context(
        dag=dag, dag_run=dag_run, run_id=dag_run.run_id, task=task, task_instance=ti, ti=ti, params=params,
        var=VariableAccessor(secrets), conn=ConnectionAccessor(secrets), macros=macros,
        inlets=list(getattr(task, "inlets", []) or []), outlets=list(getattr(task, "outlets", []) or []),
        inlet_events={}, outlet_events={}, triggering_asset_events={}, triggering_dataset_events={},
        map_index_template=getattr(task, "map_index_template", None), expanded_ti_count=expanded_ti_count,
        task_reschedule_count=ti.task_reschedule_count, try_number=ti.try_number, test_mode=test_mode,
        conf=_ConfView(settings), prev_start_date_success=previous.start_date, prev_end_date_success=previous.end_date,
        prev_execution_date_success=previous.logical_date, templates_dict=None,
        task_instance_key_str=_key_str(ti, dag_run.logical_date),
    )
    if dag_run.logical_date is not None:
        context.update(_date_keys(dag, dag_run, previous))
    else:
        context["data_interval_start"] = dag_run.data_interval_start
        context["data_interval_end"] = dag_run.data_interval_end
    ti.bind_context(context)
    return context


def _key_str(ti: RuntimeTaskInstance, logical_date: datetime | None) -> str:
    suffix = logical_date.strftime("%Y%m%d") if logical_date is not None else ti.run_id
    return f"{ti.dag_id}__{ti.task_id}__{suffix}"


def _date_keys(dag: Any, dag_run: RuntimeDagRun, previous: PreviousSuccess) -> dict[str, Any]:
    """Keys that exist only when the run has a logical date."""
    logical = dag_run.logical_date
    assert logical is not None
    prev_at, next_at = _neighbour_schedule_points(dag, dag_run)
    yesterday, tomorrow = logical - timedelta(days=1), logical + timedelta(days=1)
    return {
        "logical_date": logical, "execution_date": logical,
        "ds": logical.strftime("%Y-%m-%d"), "ds_nodash": logical.strftime("%Y%m%d"),
        "ts": logical.isoformat(), "ts_nodash": logical.strftime("%Y%m%dT%H%M%S"),
        "ts_nodash_with_tz": logical.isoformat().replace("-", "").replace(":", ""),
        "data_interval_start": dag_run.data_interval_start, "data_interval_end": dag_run.data_interval_end,
        "prev_data_interval_start_success": previous.data_interval_start,
        "prev_data_interval_end_success": previous.data_interval_end,
        "yesterday_ds": yesterday.strftime("%Y-%m-%d"), "yesterday_ds_nodash": yesterday.strftime("%Y%m%d"),
        "tomorrow_ds": tomorrow.strftime("%Y-%m-%d"), "tomorrow_ds_nodash": tomorrow.strftime("%Y%m%d"),
        "prev_execution_date": prev_at, "next_execution_date": next_at,
        "prev_ds": _ds(prev_at), "prev_ds_nodash": _ds_nodash(prev_at),
        "next_ds": _ds(next_at), "next_ds_nodash": _ds_nodash(next_at),
    }


def _ds(at: datetime | None) -> str | None:
    return at.strftime("%Y-%m-%d") if at is not None else None


def _ds_nodash(at: datetime | None) -> str | None:
    return at.strftime("%Y%m%d") if at is not None else None


def _neighbour_schedule_points(dag: Any, dag_run: RuntimeDagRun) -> tuple[datetime | None, datetime | None]:
    """Airflow 2's prev/next_execution_date: the schedule points around this run (both = logical date when manual)."""
    logical = dag_run.logical_date
    if dag_run.run_type == "manual" or logical is None:
        return logical, logical
    next_at = _next_schedule_point(dag, dag_run)
    if next_at is None or next_at <= logical:
        return None, next_at
    # Regular schedules (cron, timedelta) have equal steps around a point; irregular ones are rare in 2.x files.
    return logical - (next_at - logical), next_at


def _next_schedule_point(dag: Any, dag_run: RuntimeDagRun) -> datetime | None:
    timetable = getattr(dag, "timetable", None)
    if timetable is None or dag_run.logical_date is None:
        return None
    try:
        from tradewind.schedule.base import DataInterval, TimeRestriction, next_dagrun_info_at

        start = dag_run.data_interval_start or dag_run.logical_date
        end = dag_run.data_interval_end or dag_run.logical_date
        info = next_dagrun_info_at(timetable, last_automated_data_interval=DataInterval(start, end),
                                   restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
                                   now=dag_run.logical_date)
    except Exception:  # a user timetable that cannot answer only loses the deprecated next_* keys
        return None
    return info.logical_date if info is not None else None


class _ConfView:
    """Airflow 2's `conf` context key: reads Tradewind's configuration with `conf.get(section, key)`."""

    def __init__(self, settings: Any = None) -> None:
        self._settings = settings

    def get(self, section: str, key: str, fallback: Any = None) -> Any:
        if self._settings is None:
            return fallback
        try:
            return self._settings.get(section, key)
        except Exception:
            return fallback

    def __repr__(self) -> str:
        return "<conf>"
