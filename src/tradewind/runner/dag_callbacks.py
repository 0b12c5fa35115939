"""DAG-level on_success_callback / on_failure_callback: the context Airflow hands them, and calling them.

As in Airflow, the context is the template context of the run's last task instance (by task id in
natural order, removed instances left out) plus `reason`: "success", "task_failure" or "timed_out".
The DAG processor (runs the scheduler ended) and `dags test` both come through here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.executors.base import TaskInstanceKey
from tradewind.runner.callbacks import run_callbacks
from tradewind.runner.context import build_context, resolve_params
from tradewind.runner.records import previous_success
from tradewind.runner.runtime_dag_run import RuntimeDagRun
from tradewind.runner.runtime_ti import RuntimeTaskInstance
from tradewind.runner.services import StoreServices
from tradewind.sdk.context import Context, set_current_context
from tradewind.store import dag_runs, task_instances


def callback_name(is_failure_callback: bool) -> str:
    """The DAG attribute holding the callbacks of a failed (or successful) run."""
    return "on_failure_callback" if is_failure_callback else "on_success_callback"


def _natural_key(task_id: str) -> list[Any]:
    # "t10" after "t9", as a person (and Airflow 3's natsort) orders them.
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", task_id)]


def last_task_instance(dag: Any, rows: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The task instance whose context the DAG's callbacks get; None when the run has none the DAG still knows."""
    candidates = [r for r in rows if r["state"] != "removed" and r["task_id"] in dag.task_dict]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (_natural_key(r["task_id"]), r["map_index"]))


def dag_callback_context(db: Any, settings: Settings, dag: Any, run_id: str, reason: str, *,
                         clock: Clock) -> dict[str, Any] | None:
    """The context of the DAG's callbacks for run `run_id`, read from the metadata DB; None when the run is gone."""
    with db.read() as conn:
        run_row = dag_runs.get(conn, dag.dag_id, run_id)
        if run_row is None:
            return None
        ti_row = last_task_instance(dag, task_instances.list_for_run(conn, dag.dag_id, run_id))
        previous = previous_success(conn, dag.dag_id, run_row["logical_date"])
    run = RuntimeDagRun.from_row(run_row)
    services = StoreServices(db, settings, clock)
    if ti_row is None:  # a run without task instances: what Airflow gives too, the DAG and the run
        return Context(dag=dag, dag_run=run, run_id=run_id, reason=reason)
    task = dag.get_task(ti_row["task_id"])
    key = TaskInstanceKey(dag.dag_id, run_id, ti_row["task_id"], ti_row["map_index"])
    ti = RuntimeTaskInstance(key, try_number=int(ti_row["try_number"] or 0), max_tries=int(ti_row["max_tries"] or 0),
                             task=task, dag=dag, dag_run=run, start_date=ti_row["start_date"], xcoms=services,
                             hostname=str(ti_row["hostname"] or ""))
    ti.state, ti.end_date = ti_row["state"], ti_row["end_date"]
    params = resolve_params(dag, task, run.conf,
                            conf_overrides_params=bool(settings.get("core", "dag_run_conf_overrides_params")))
    context = build_context(dag=dag, task=task, ti=ti, dag_run=run, params=params, secrets=services,
                            previous=previous, settings=settings)
    context["reason"] = reason
    return context


def run_dag_callbacks(dag: Any, is_failure_callback: bool, context: Mapping[str, Any]) -> None:
    """Call each of the DAG's callbacks for this outcome; one that raises is logged, and the others still run."""
    with set_current_context(context):
        run_callbacks(dag, callback_name(is_failure_callback), context, subject=f"DAG {dag.dag_id!r}")
