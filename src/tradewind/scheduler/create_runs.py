"""Create DAG runs with their task instances: one insert for the run, one bulk insert for the tasks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradewind.errors import DagRunAlreadyExists
from tradewind.rules.priority import effective_priority_weights
from tradewind.store import dag_runs, scheduling
from tradewind.store.serialized_dag import SerializedDag, SerializedTask

if TYPE_CHECKING:  # SQLAlchemy lives in store/; the scheduler only passes connections along
    from sqlalchemy.engine import Connection


def run_id_for(run_type: str, logical_date: datetime) -> str:
    """Airflow's run id: `<run_type>__<logical date in ISO 8601>`."""
    return f"{run_type}__{logical_date.isoformat()}"


def task_instance_rows(dag: SerializedDag, run_id: str, now: datetime, *, logical_date: datetime | None = None,
                       every_task: bool = False) -> list[dict[str, Any]]:
    """The initial task instances of a run: state none, try 0; mapped tasks as one placeholder.

    As in Airflow, a task whose start_date (or the DAG's, when later) comes after the run's logical
    date, or whose end_date (or the DAG's, when earlier) comes before it, gets no instance in that
    run, unless `every_task`. A run left with no instance at all succeeds at once.
    """
    weights = effective_priority_weights(
        {t.task_id: (int(t.get("priority_weight", 1)), t.get("weight_rule", "downstream")) for t in dag},
        {t.task_id: set(t.upstream) for t in dag},
    )
    return [
        {
            "dag_id": dag.dag_id, "run_id": run_id, "task_id": t.task_id, "map_index": -1,
            "try_number": 0, "max_tries": int(t.get("retries", 0)), "state": None,
            "pool": t.get("pool") or "default_pool", "pool_slots": int(t.get("pool_slots", 1)),
            "queue": t.get("queue"), "priority_weight": weights[t.task_id], "operator": t.operator,
            "updated_at": now,
        }
        for t in dag
        if every_task or _in_task_dates(dag, t, logical_date)
    ]


def _in_task_dates(dag: SerializedDag, task: SerializedTask, logical_date: datetime | None) -> bool:
    """Whether `logical_date` lies between the task's effective start_date and end_date (a run without one always does)."""
    if logical_date is None:
        return True
    starts = [d for d in (task.start_date, dag.start_date) if d is not None]
    ends = [d for d in (task.end_date, dag.end_date) if d is not None]
    return (not starts or max(starts) <= logical_date) and (not ends or logical_date <= min(ends))


def create_run(
    conn: Connection,
    dag: SerializedDag,
    *,
    run_id: str,
    run_type: str,
    logical_date: datetime | None,
    data_interval: tuple[datetime, datetime] | None,
    run_after: datetime,
    conf: dict[str, Any] | None,
    state: str,
    triggered_by: str,
    now: datetime,
    every_task: bool = False,
) -> str:
    """Insert a run and its task instances; DagRunAlreadyExists for a run_id or logical date that exists.

    A backfill, or `every_task`, gives every task an instance, whatever its start_date and end_date.
    """
    if scheduling.get_run(conn, dag.dag_id, run_id) is not None:
        raise DagRunAlreadyExists(f"DAG {dag.dag_id!r} already has a run with run_id {run_id!r}")
    dag_runs.create_run(conn, dag_id=dag.dag_id, run_id=run_id, run_type=run_type, run_after=run_after, state=state,
                        logical_date=logical_date, data_interval=data_interval, conf=conf or {},
                        triggered_by=triggered_by, dag_version=dag.version_number,
                        task_instances=task_instance_rows(
                            dag, run_id, now, logical_date=logical_date,
                            every_task=every_task or run_type == "backfill"), now=now)
    return run_id
