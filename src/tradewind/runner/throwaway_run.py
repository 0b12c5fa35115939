"""`airflow tasks test`: run one task now, in this process, ignoring its dependencies, leaving no state behind.

The try runs in a throwaway run at the requested logical date, deleted afterwards with its task
instance and XComs; only the log file stays.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.errors import TradewindError
from tradewind.runner.outcome import TryOutcome
from tradewind.runner.run_try import run_task_try
from tradewind.store import dag_runs, scheduling


def temporary_run_id(now: datetime) -> str:
    """The run id of a throwaway run, as Airflow names it."""
    return f"__airflow_temporary_run_{now.isoformat()}__"


def run_task_test(db: Any, settings: Settings, dag: Any, task_id: str, *, logical_date: datetime, clock: Clock,
              conf: dict[str, Any] | None = None, map_index: int = -1, echo: bool = True) -> TryOutcome:
    """Run `task_id` of `dag` once at `logical_date`; `conf` (task params from -t) overrides params."""
    task = dag.get_task(task_id)
    now = clock.now()
    run_id = temporary_run_id(now)
    interval = dag.timetable.infer_manual_data_interval(run_after=logical_date)
    with db.write() as conn:
        existing = dag_runs.get_by_logical_date(conn, dag.dag_id, logical_date)
        if existing is not None:
            raise TradewindError(
                f"DAG {dag.dag_id!r} already has run {existing['run_id']!r} at {logical_date.isoformat()}: "
                "`tasks test` needs a logical date without a run; pass another date"
            )
        dag_runs.create_run(conn, dag_id=dag.dag_id, run_id=run_id, run_type="manual", run_after=logical_date,
                            state="running", logical_date=logical_date, data_interval=(interval.start, interval.end),
                            conf=conf or {}, triggered_by="test", now=now,
                            task_instances=[{"task_id": task.task_id, "map_index": map_index, "max_tries": 0}])
        queued = scheduling.queue_task_instance(conn, dag.dag_id, run_id, task.task_id, map_index, now=now)
    assert queued is not None, "a fresh task instance can always be queued"
    try:
        return run_task_try(db, settings, (dag.dag_id, run_id, task.task_id, map_index), queued.try_number,
                            dag=dag, clock=clock, echo=echo, test_mode=True)
    finally:
        with db.write() as conn:
            dag_runs.delete_run(conn, dag.dag_id, run_id)
