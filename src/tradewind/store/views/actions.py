"""Writes the web UI makes, composed from the store's data modules (one call per user action).

Every function takes a Connection inside a write transaction (Database.write()).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa

from tradewind.store import action_log, dag_runs, dags, task_instance_clear
from tradewind.store import schema as s


def append_log(conn: sa.Connection, *, at: datetime, event: str, owner: str | None, dag_id: str | None = None,
               task_id: str | None = None, run_id: str | None = None, map_index: int | None = None,
               extra: str | None = None) -> None:
    """One row of the action log (`log` table)."""
    action_log.append(conn, event, dag_id=dag_id, task_id=task_id, run_id=run_id, map_index=map_index,
                      owner=owner, extra=extra, now=at)


def set_paused(conn: sa.Connection, dag_id: str, is_paused: bool) -> bool:
    """Pause or unpause a DAG; False when it does not exist."""
    return dags.set_paused(conn, dag_id, is_paused)


def create_queued_run(conn: sa.Connection, *, dag_id: str, run_id: str, logical_date: datetime | None,
                      data_interval: tuple[datetime, datetime] | None, run_after: datetime, conf: dict[str, Any],
                      dag_version: int | None, tasks: Iterable[dict[str, Any]], now: datetime) -> None:
    """A manual run in state queued with one task instance per task (state NULL, try_number 0)."""
    rows = [{"task_id": t["task_id"], "map_index": -1, "try_number": 0, "max_tries": int(t.get("retries") or 0),
             "state": None, "pool": t.get("pool") or "default_pool", "pool_slots": int(t.get("pool_slots") or 1),
             "queue": t.get("queue"), "priority_weight": t.get("priority_weight"), "operator": t.get("operator")}
            for t in tasks]
    dag_runs.create_run(conn, dag_id=dag_id, run_id=run_id, run_type="manual", run_after=run_after, state="queued",
                        logical_date=logical_date, data_interval=data_interval, conf=conf, triggered_by="ui",
                        dag_version=dag_version, task_instances=rows, now=now)


def run_exists(conn: sa.Connection, dag_id: str, run_id: str) -> bool:
    """True when the DAG has a run with this run_id."""
    return dag_runs.get(conn, dag_id, run_id) is not None


def clear_task_instances(conn: sa.Connection, *, dag_id: str, targets: dict[str, list[str]], now: datetime,
                         only_failed: bool = False) -> int:
    """Clear tasks of some runs ({run_id: [task_id]}) as Airflow's clear does; returns how many."""
    cleared = 0
    for run_id, task_ids in targets.items():
        if only_failed:
            task_ids = _task_ids_in_states(conn, dag_id, run_id, task_ids, ("failed", "upstream_failed"))
            if not task_ids:
                continue
        cleared += len(task_instance_clear.clear_task_instances(conn, dag_id, run_id, task_ids, now=now))
    return cleared


def _task_ids_in_states(conn: sa.Connection, dag_id: str, run_id: str, task_ids: Iterable[str],
                        states: tuple[str, ...]) -> list[str]:
    ti = s.task_instance.c
    return sorted(set(conn.execute(sa.select(ti.task_id).where(
        ti.dag_id == dag_id, ti.run_id == run_id, ti.task_id.in_(list(task_ids)), ti.state.in_(states))).scalars()))


def mark_task_instances(conn: sa.Connection, *, dag_id: str, targets: dict[str, list[str]], state: str,
                        now: datetime) -> int:
    """Set tasks of some runs to success or failed by hand; returns how many changed."""
    return sum(len(task_instance_clear.mark_state(conn, dag_id, run_id, task_ids, state, now=now))
               for run_id, task_ids in targets.items())


def mark_run(conn: sa.Connection, *, dag_id: str, run_id: str, state: str, now: datetime) -> bool:
    """Mark a run success (every task success) or failed (running tasks failed, other unfinished ones skipped)."""
    if dag_runs.get(conn, dag_id, run_id) is None:
        return False
    if state == "success":
        task_instance_clear.mark_state(conn, dag_id, run_id, None, "success", now=now)
    else:
        running = _task_ids_in_states(conn, dag_id, run_id, _all_task_ids(conn, dag_id, run_id), ("running",))
        if running:
            task_instance_clear.mark_state(conn, dag_id, run_id, running, "failed", now=now)
        task_instance_clear.mark_state(conn, dag_id, run_id, None, "skipped", only_unfinished=True, now=now)
    return dag_runs.update_fields(conn, dag_id, run_id, state=state, end_date=now, updated_at=now)


def _all_task_ids(conn: sa.Connection, dag_id: str, run_id: str) -> list[str]:
    ti = s.task_instance.c
    return list(conn.execute(sa.select(ti.task_id).where(ti.dag_id == dag_id, ti.run_id == run_id).distinct()).scalars())


def delete_run(conn: sa.Connection, *, dag_id: str, run_id: str) -> bool:
    """Delete a run with its task instances and XComs."""
    return dag_runs.delete_run(conn, dag_id, run_id)
