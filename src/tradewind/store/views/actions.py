"""Writes the web UI makes that the store's data modules do not offer: runs, clears, marks, admin rows.

Every function takes a Connection inside a write transaction (Database.write()) and records nothing
on its own; the caller appends the action-log row with `append_log`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa

from tradewind.store import schema as s

_FINISHED = ("success", "failed", "skipped", "upstream_failed", "removed")


def append_log(conn: sa.Connection, *, at: datetime, event: str, owner: str | None, dag_id: str | None = None,
               task_id: str | None = None, run_id: str | None = None, map_index: int | None = None,
               extra: str | None = None) -> None:
    """One row of the action log (`log` table)."""
    conn.execute(sa.insert(s.log).values(dttm=at, event=event[:60], owner=owner, dag_id=dag_id, task_id=task_id,
                                         run_id=run_id, map_index=map_index, extra=extra))


def set_paused(conn: sa.Connection, dag_id: str, is_paused: bool) -> bool:
    """Pause or unpause a DAG; False when it does not exist."""
    return conn.execute(sa.update(s.dag).where(s.dag.c.dag_id == dag_id).values(is_paused=is_paused)).rowcount > 0


def create_queued_run(conn: sa.Connection, *, dag_id: str, run_id: str, logical_date: datetime | None,
                      data_interval: tuple[datetime, datetime] | None, run_after: datetime, conf: dict[str, Any],
                      dag_version: int | None, tasks: Iterable[dict[str, Any]], now: datetime) -> None:
    """A manual run in state queued with one task instance per task (state NULL, try_number 0)."""
    start, end = data_interval or (None, None)
    conn.execute(sa.insert(s.dag_run).values(
        dag_id=dag_id, run_id=run_id, logical_date=logical_date, data_interval_start=start, data_interval_end=end,
        run_after=run_after, queued_at=now, state="queued", run_type="manual", triggered_by="ui", conf=conf,
        dag_version=dag_version, clear_number=0, updated_at=now))
    rows = [{"dag_id": dag_id, "run_id": run_id, "task_id": t["task_id"], "map_index": -1, "try_number": 0,
             "max_tries": int(t.get("retries") or 0), "state": None, "pool": t.get("pool") or "default_pool",
             "pool_slots": int(t.get("pool_slots") or 1), "queue": t.get("queue"),
             "priority_weight": t.get("priority_weight"), "operator": t.get("operator"), "updated_at": now}
            for t in tasks]
    if rows:
        conn.execute(sa.insert(s.task_instance), rows)


def run_exists(conn: sa.Connection, dag_id: str, run_id: str) -> bool:
    """True when the DAG has a run with this run_id."""
    dr = s.dag_run.c
    return conn.execute(sa.select(dr.id).where(dr.dag_id == dag_id, dr.run_id == run_id)).first() is not None


def clear_task_instances(conn: sa.Connection, *, dag_id: str, targets: dict[str, list[str]],
                         retries: dict[str, int], now: datetime, only_failed: bool = False) -> int:
    """Clear tasks of some runs ({run_id: [task_id]}) so the scheduler runs them again; returns how many.

    As Airflow's clear: state back to none (restarting when running), max_tries raised so the task's
    retries are available again, its XComs deleted, and the run back to queued.
    """
    ti = s.task_instance.c
    cleared = 0
    for run_id, task_ids in targets.items():
        where = [ti.dag_id == dag_id, ti.run_id == run_id, ti.task_id.in_(task_ids)]
        if only_failed:
            where.append(ti.state.in_(("failed", "upstream_failed")))
        rows = conn.execute(sa.select(ti.id, ti.task_id, ti.map_index, ti.state, ti.try_number).where(*where)).all()
        for row in rows:
            conn.execute(sa.update(s.task_instance).where(ti.id == row.id).values(
                state="restarting" if row.state == "running" else None,
                max_tries=row.try_number + retries.get(row.task_id, 0), next_try_at=None, updated_at=now))
            conn.execute(sa.delete(s.xcom).where(s.xcom.c.dag_id == dag_id, s.xcom.c.run_id == run_id,
                                                 s.xcom.c.task_id == row.task_id, s.xcom.c.map_index == row.map_index))
        if rows:
            conn.execute(sa.update(s.dag_run).where(s.dag_run.c.dag_id == dag_id, s.dag_run.c.run_id == run_id).values(
                state="queued", end_date=None, queued_at=now, clear_number=s.dag_run.c.clear_number + 1, updated_at=now))
        cleared += len(rows)
    return cleared


def mark_task_instances(conn: sa.Connection, *, dag_id: str, targets: dict[str, list[str]], state: str,
                        now: datetime) -> int:
    """Set tasks of some runs to success or failed by hand; returns how many changed."""
    ti = s.task_instance.c
    changed = 0
    for run_id, task_ids in targets.items():
        result = conn.execute(sa.update(s.task_instance).where(
            ti.dag_id == dag_id, ti.run_id == run_id, ti.task_id.in_(task_ids),
            sa.or_(ti.state.is_(None), ti.state != state)).values(
            state=state, end_date=now, start_date=sa.func.coalesce(ti.start_date, now), updated_at=now))
        changed += result.rowcount
    return changed


def mark_run(conn: sa.Connection, *, dag_id: str, run_id: str, state: str, now: datetime) -> bool:
    """Mark a run success (every task success) or failed (running tasks failed, unfinished ones skipped)."""
    ti = s.task_instance.c
    key = (ti.dag_id == dag_id, ti.run_id == run_id)
    if state == "success":
        conn.execute(sa.update(s.task_instance).where(*key, sa.or_(ti.state.is_(None), ti.state != "success"))
                     .values(state="success", end_date=now, updated_at=now))
    else:
        conn.execute(sa.update(s.task_instance).where(*key, ti.state == "running")
                     .values(state="failed", end_date=now, updated_at=now))
        conn.execute(sa.update(s.task_instance).where(*key, sa.or_(ti.state.is_(None), ti.state.not_in(_FINISHED)))
                     .values(state="skipped", end_date=now, updated_at=now))
    dr = s.dag_run.c
    result = conn.execute(sa.update(s.dag_run).where(dr.dag_id == dag_id, dr.run_id == run_id)
                          .values(state=state, end_date=now, updated_at=now))
    return result.rowcount > 0


def delete_run(conn: sa.Connection, *, dag_id: str, run_id: str) -> bool:
    """Delete a run with its task instances, their history, reschedules and XComs."""
    for table in (s.xcom, s.task_instance, s.task_instance_history, s.task_reschedule):
        conn.execute(sa.delete(table).where(table.c.dag_id == dag_id, table.c.run_id == run_id))
    result = conn.execute(sa.delete(s.dag_run).where(s.dag_run.c.dag_id == dag_id, s.dag_run.c.run_id == run_id))
    return result.rowcount > 0
