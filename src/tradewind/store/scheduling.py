"""Named SQL for the scheduling loop: read a run's task states, apply decisions as compare-and-set.

Every state change here is `UPDATE ... WHERE state IS :expected`: a change that finds another state
lost a race (a worker finished, a user cleared) and is dropped, never forced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tradewind.store.schema import dag_run, serialized_dag, task_instance, xcom


@dataclass(frozen=True)
class QueuedTry:
    """A task instance just moved to queued, with the try number it will run as."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    try_number: int
    pool: str
    pool_slots: int
    priority_weight: int
    queue: str | None


def _state_is(column: sa.Column, expected: str | None) -> Any:
    return column.is_(None) if expected is None else column == expected


def _ti_key(dag_id: str, run_id: str, task_id: str, map_index: int) -> Any:
    t = task_instance.c
    return sa.and_(t.dag_id == dag_id, t.run_id == run_id, t.task_id == task_id, t.map_index == map_index)


def run_task_states(conn: Connection, dag_id: str, run_id: str) -> list[sa.Row]:
    """Every task instance of a run: key, state, try number and the timer it may wait on."""
    t = task_instance.c
    return list(conn.execute(
        sa.select(t.task_id, t.map_index, t.state, t.try_number, t.max_tries, t.next_try_at,
                  t.start_date, t.end_date, t.duration, t.pool, t.pool_slots, t.priority_weight)
        .where(t.dag_id == dag_id, t.run_id == run_id)
        .order_by(t.task_id, t.map_index)
    ))


def set_ti_state_if(conn: Connection, dag_id: str, run_id: str, task_id: str, map_index: int,
                    *, expected: str | None, new: str, **fields: Any) -> bool:
    """Compare-and-set one task instance's state; False when it was no longer `expected`."""
    t = task_instance.c
    result = conn.execute(
        task_instance.update()
        .where(_ti_key(dag_id, run_id, task_id, map_index), _state_is(t.state, expected))
        .values(state=new, **fields)
    )
    return result.rowcount == 1


def expand_mapped_task(conn: Connection, dag_id: str, run_id: str, task_id: str, length: int, now: datetime) -> bool:
    """Turn a mapped task's placeholder (map_index -1) into `length` instances 0..length-1."""
    t = task_instance.c
    placeholder = conn.execute(
        sa.select(task_instance).where(_ti_key(dag_id, run_id, task_id, -1), t.state.is_(None))
    ).mappings().first()
    if placeholder is None:
        return False
    moved = conn.execute(
        task_instance.update().where(_ti_key(dag_id, run_id, task_id, -1), t.state.is_(None))
        .values(map_index=0, updated_at=now)
    ).rowcount
    if moved != 1:
        return False
    template = {k: v for k, v in placeholder.items() if k not in ("id", "map_index")}
    if length > 1:
        conn.execute(task_instance.insert(), [{**template, "map_index": i, "updated_at": now} for i in range(1, length)])
    return True


def queue_task_instance(conn: Connection, dag_id: str, run_id: str, task_id: str, map_index: int,
                        *, now: datetime) -> QueuedTry | None:
    """Move a ready instance to queued; a new try unless it resumes from up_for_reschedule."""
    t = task_instance.c
    key = _ti_key(dag_id, run_id, task_id, map_index)
    fresh = conn.execute(
        task_instance.update()
        .where(key, sa.or_(t.state.is_(None), t.state.in_(("scheduled", "up_for_retry"))))
        .values(state="queued", try_number=t.try_number + 1, queued_at=now, next_try_at=None, updated_at=now)
    ).rowcount
    if not fresh:
        resumed = conn.execute(
            task_instance.update().where(key, t.state == "up_for_reschedule")
            .values(state="queued", queued_at=now, next_try_at=None, updated_at=now)
        ).rowcount
        if not resumed:
            return None
    row = conn.execute(
        sa.select(t.try_number, t.pool, t.pool_slots, t.priority_weight, t.queue).where(key)
    ).one()
    return QueuedTry(dag_id, run_id, task_id, map_index, row.try_number, row.pool, row.pool_slots,
                     row.priority_weight or 1, row.queue)


def mark_empty_success(conn: Connection, dag_id: str, run_id: str, task_id: str, map_index: int, now: datetime) -> bool:
    """An EmptyOperator whose rule is met succeeds without running: one try, zero duration."""
    return set_ti_state_if(conn, dag_id, run_id, task_id, map_index, expected=None, new="success",
                           try_number=1, start_date=now, end_date=now, duration=0.0, updated_at=now)


def xcom_value(conn: Connection, dag_id: str, run_id: str, task_id: str, key: str) -> tuple[bool, Any]:
    """(found, value) of a task's XCom; a mapped task's values come back as a list by map index."""
    x = xcom.c
    rows = conn.execute(
        sa.select(x.map_index, x.value).where(x.dag_id == dag_id, x.run_id == run_id, x.task_id == task_id, x.key == key)
        .order_by(x.map_index)
    ).all()
    if not rows:
        return False, None
    if len(rows) == 1 and rows[0].map_index == -1:
        return True, rows[0].value
    return True, [r.value for r in rows]


def task_instance_count(conn: Connection, dag_id: str, run_id: str, task_id: str) -> int:
    t = task_instance.c
    return conn.execute(sa.select(sa.func.count()).where(t.dag_id == dag_id, t.run_id == run_id, t.task_id == task_id)).scalar_one()


def set_run_state_if(conn: Connection, dag_id: str, run_id: str, *, expected: Sequence[str], new: str,
                     **fields: Any) -> bool:
    """Compare-and-set a run's state."""
    r = dag_run.c
    result = conn.execute(
        dag_run.update().where(r.dag_id == dag_id, r.run_id == run_id, r.state.in_(tuple(expected)))
        .values(state=new, **fields)
    )
    return result.rowcount == 1


def get_run(conn: Connection, dag_id: str, run_id: str) -> sa.RowMapping | None:
    r = dag_run.c
    return conn.execute(sa.select(dag_run).where(r.dag_id == dag_id, r.run_id == run_id)).mappings().first()


def previous_run_states(conn: Connection, dag_id: str, task_ids: Iterable[str], before: datetime) -> tuple[bool, dict[str, list[str | None]]]:
    """For depends_on_past: whether an earlier run exists, and its task states by task id."""
    r, t = dag_run.c, task_instance.c
    prev = conn.execute(
        sa.select(r.run_id).where(r.dag_id == dag_id, r.logical_date < before).order_by(r.logical_date.desc()).limit(1)
    ).first()
    if prev is None:
        return False, {}
    rows = conn.execute(
        sa.select(t.task_id, t.state).where(t.dag_id == dag_id, t.run_id == prev.run_id, t.task_id.in_(list(task_ids)))
    ).all()
    states: dict[str, list[str | None]] = {}
    for row in rows:
        states.setdefault(row.task_id, []).append(row.state)
    return True, states


def latest_serialized(conn: Connection, dag_id: str, version_number: int | None = None) -> sa.RowMapping | None:
    """The newest stored serialized DAG (or the given version of it)."""
    s = serialized_dag.c
    query = sa.select(s.data, s.version_number).where(s.dag_id == dag_id)
    if version_number is not None:
        query = query.where(s.version_number == version_number)
    return conn.execute(query.order_by(s.version_number.desc()).limit(1)).mappings().first()


def insert_run(conn: Connection, run: dict[str, Any], task_instances: list[dict[str, Any]]) -> int:
    """Insert a run and its task instances in one go (bulk insert); returns the run's row id."""
    run_pk = conn.execute(dag_run.insert().values(**run)).inserted_primary_key[0]
    if task_instances:
        conn.execute(task_instance.insert(), task_instances)
    return int(run_pk)


def runs_with_id_or_date(conn: Connection, dag_id: str, run_id: str, logical_date: datetime | None) -> list[str]:
    """Run ids of a DAG's runs that have this run_id or this logical date."""
    r = dag_run.c
    match = r.run_id == run_id if logical_date is None else sa.or_(r.run_id == run_id, r.logical_date == logical_date)
    return [row.run_id for row in conn.execute(sa.select(r.run_id).where(r.dag_id == dag_id, match))]


def delete_run(conn: Connection, dag_id: str, run_id: str) -> None:
    """Delete a run with its task instances and XComs (try history and logs stay)."""
    for table in (xcom, task_instance):
        conn.execute(table.delete().where(table.c.dag_id == dag_id, table.c.run_id == run_id))
    conn.execute(dag_run.delete().where(dag_run.c.dag_id == dag_id, dag_run.c.run_id == run_id))
