"""Clear and mark task instances, as Airflow's UI and CLI do: user actions that override the state machine."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.keys import TaskInstanceKey
from tradewind.store.schema import dag_run, serialized_dag, task_instance, task_reschedule, xcom

_FINISHED = ("success", "failed", "skipped", "upstream_failed", "removed")


def _selected(dag_id: str, run_id: str, task_ids: Iterable[str] | None,
              map_indexes: Sequence[int] | None) -> sa.ColumnElement[bool]:
    t = task_instance.c
    clause = sa.and_(t.dag_id == dag_id, t.run_id == run_id)
    if task_ids is not None:
        clause = sa.and_(clause, t.task_id.in_(sorted(task_ids)))
    if map_indexes is not None:
        clause = sa.and_(clause, t.map_index.in_([int(i) for i in map_indexes]))
    return clause


def _retries_by_task(conn: sa.Connection, dag_id: str) -> dict[str, int]:
    s = serialized_dag.c
    data = conn.execute(sa.select(s.data).where(s.dag_id == dag_id).order_by(s.version_number.desc()).limit(1)).scalar()
    return {t["task_id"]: int(t.get("retries") or 0) for t in (data or {}).get("tasks", ())}


def clear_task_instances(conn: sa.Connection, dag_id: str, run_id: str, task_ids: Iterable[str] | None = None,
                         map_indexes: Sequence[int] | None = None, *, dag_run_state: str | None = "queued",
                         now: datetime | None = None) -> list[TaskInstanceKey]:
    """Clear task instances as Airflow does; returns the keys cleared.

    Each try is kept in the try history, the state goes back to none, max_tries becomes
    try_number + the task's retries (so the retries are available again), the instance's XComs and
    reschedules are deleted, and the run goes back to `dag_run_state` (queued) with clear_number + 1.
    """
    from tradewind.store.task_instances import record_try_history

    stamp = now or utcnow()
    t = task_instance.c
    rows = conn.execute(sa.select(t.task_id, t.map_index, t.try_number, t.max_tries)
                        .where(_selected(dag_id, run_id, task_ids, map_indexes))).all()
    retries = _retries_by_task(conn, dag_id)
    cleared: list[TaskInstanceKey] = []
    for row in rows:
        key = TaskInstanceKey(dag_id, run_id, row.task_id, row.map_index)
        record_try_history(conn, key)
        task_retries = retries.get(row.task_id)
        max_tries = row.try_number + task_retries if task_retries is not None else max(row.max_tries, row.try_number)
        conn.execute(task_instance.update().where(
            t.dag_id == dag_id, t.run_id == run_id, t.task_id == row.task_id, t.map_index == row.map_index
        ).values(state=None, max_tries=max_tries, start_date=None, end_date=None, duration=None, hostname=None,
                 pid=None, queued_at=None, scheduled_at=None, next_try_at=None, last_heartbeat_at=None,
                 external_executor_id=None, updated_at=stamp))
        for table in (xcom, task_reschedule):
            c = table.c
            conn.execute(table.delete().where(c.dag_id == dag_id, c.run_id == run_id, c.task_id == row.task_id,
                                              c.map_index == row.map_index))
        cleared.append(key)
    if cleared and dag_run_state is not None:
        _requeue_run(conn, dag_id, run_id, dag_run_state, stamp)
    return cleared


def _requeue_run(conn: sa.Connection, dag_id: str, run_id: str, state: str, now: datetime) -> None:
    r = dag_run.c
    values: dict[str, Any] = {"state": str(state), "clear_number": r.clear_number + 1, "end_date": None,
                              "last_scheduling_decision": None, "updated_at": now}
    if str(state) == "queued":
        values.update(start_date=None, queued_at=now)
    conn.execute(dag_run.update().where(r.dag_id == dag_id, r.run_id == run_id).values(**values))


def mark_state(conn: sa.Connection, dag_id: str, run_id: str, task_ids: Iterable[str] | None, state: str, *,
               map_indexes: Sequence[int] | None = None, only_unfinished: bool = False,
               now: datetime | None = None) -> list[TaskInstanceKey]:
    """Set task instances to `state` (mark success / mark failed); returns the keys that changed.

    An instance already in that state is left alone; one that never ran gets start and end at `now`.
    With only_unfinished, finished instances keep their state (marking a whole run).
    """
    stamp = now or utcnow()
    t = task_instance.c
    where = sa.and_(_selected(dag_id, run_id, task_ids, map_indexes),
                    sa.or_(t.state.is_(None), t.state != str(state)))
    if only_unfinished:
        where = sa.and_(where, sa.or_(t.state.is_(None), t.state.not_in(_FINISHED)))
    keys = [TaskInstanceKey(dag_id, run_id, r.task_id, r.map_index)
            for r in conn.execute(sa.select(t.task_id, t.map_index).where(where))]
    if keys:
        conn.execute(task_instance.update().where(where).values(
            state=str(state), start_date=sa.func.coalesce(t.start_date, stamp), end_date=stamp,
            next_try_at=None, updated_at=stamp))
    return keys
