"""Named SQL for `task_instance`: insert, read, compare-and-set state changes, heartbeats, concurrency counts.

Every state change is `UPDATE ... WHERE <key> AND state IN (:expected) [AND try_number = :try]`: a
change that finds another state lost a race (a worker finished, a user cleared) and returns False.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.keys import (
    KeyLike,
    TaskInstanceKey,
    as_key,
    bound_key_clause,
    key_params,
    match_key,
    row_dict,
    state_in,
)
from tradewind.store.schema import task_instance, task_instance_history

# What counts against pools, max_active_tasks and max_active_tis_*: Airflow's "running" states.
OCCUPYING_STATES = ("queued", "running")

_INSERT_DEFAULTS: dict[str, Any] = {
    "map_index": -1, "try_number": 0, "max_tries": 0, "state": None, "pool": "default_pool", "pool_slots": 1,
    "queue": None, "priority_weight": 1, "operator": None, "executor": None, "note": None,
}


def insert_many(conn: sa.Connection, rows: Iterable[dict[str, Any]], *, now: datetime | None = None) -> int:
    """Bulk-insert task instances (dicts with dag_id, run_id, task_id and any other columns); returns how many."""
    stamp = now or utcnow()
    given = [*rows]
    if not given:
        return 0
    extra_keys = sorted({k for row in given for k in row} - set(_INSERT_DEFAULTS))
    # executemany needs the same keys in every row.
    filled = [{**_INSERT_DEFAULTS, **{k: None for k in extra_keys}, "updated_at": stamp, **row} for row in given]
    for row in filled:
        row["state"] = None if row["state"] is None else str(row["state"])
    conn.execute(task_instance.insert(), filled)
    return len(filled)


# Built once with bind parameters: every try reads and compare-and-sets its row several times, and
# building a SQLAlchemy statement costs more than running it on SQLite.
_KEY_BOUND = bound_key_clause(task_instance)
_GET = sa.select(task_instance).where(_KEY_BOUND)
_key_params = key_params


def get(conn: sa.Connection, key: KeyLike) -> dict[str, Any] | None:
    """One task instance as a dict of Airflow's fields, or None."""
    return row_dict(conn.execute(_GET, _key_params(key)).first())


def list_for_run(conn: sa.Connection, dag_id: str, run_id: str, *, task_ids: Sequence[str] | None = None,
                 states: Sequence[str | None] | None = None) -> list[dict[str, Any]]:
    """The task instances of one run, by task_id then map_index."""
    t = task_instance.c
    query = sa.select(task_instance).where(t.dag_id == dag_id, t.run_id == run_id)
    if task_ids is not None:
        query = query.where(t.task_id.in_(task_ids))
    if states is not None:
        query = query.where(state_in(t.state, states))
    return [dict(r._mapping) for r in conn.execute(query.order_by(t.task_id, t.map_index))]


def list_task_instances(conn: sa.Connection, dag_id: str | None = None, *, run_id: str | None = None,
                        task_id: str | None = None, states: Sequence[str | None] | None = None,
                        limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Task instances filtered by DAG, run, task and state, newest row first."""
    t = task_instance.c
    query = sa.select(task_instance)
    for column, value in ((t.dag_id, dag_id), (t.run_id, run_id), (t.task_id, task_id)):
        if value is not None:
            query = query.where(column == value)
    if states is not None:
        query = query.where(state_in(t.state, states))
    query = query.order_by(t.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [dict(r._mapping) for r in conn.execute(query)]


def set_state_if(conn: sa.Connection, key: KeyLike, *, expected_states: Any, new_state: str | None,
                 try_number: int | None = None, **fields: Any) -> bool:
    """Compare-and-set one task instance's state (and fields); False when another state or try was found."""
    t = task_instance.c
    query = task_instance.update().where(_KEY_BOUND, state_in(t.state, expected_states))
    if try_number is not None:
        query = query.where(t.try_number == try_number)
    fields.setdefault("updated_at", utcnow())
    result = conn.execute(query.values(state=None if new_state is None else str(new_state), **fields),
                          _key_params(key))
    return result.rowcount == 1


def set_states_if(conn: sa.Connection, keys: Iterable[KeyLike], *, expected_states: Any, new_state: str | None,
                  **fields: Any) -> list[TaskInstanceKey]:
    """Compare-and-set many task instances one by one; returns the keys that changed."""
    fields.setdefault("updated_at", utcnow())
    return [as_key(k) for k in keys
            if set_state_if(conn, k, expected_states=expected_states, new_state=new_state, **fields)]


def set_tasks_state_if(conn: sa.Connection, dag_id: str, run_id: str, task_ids: Iterable[str], *,
                       expected_states: Any, new_state: str | None, map_index: int | None = None,
                       **fields: Any) -> int:
    """Compare-and-set every instance of these tasks in a run (all map indexes unless one is given); returns how many."""
    ids = sorted(task_ids)
    if not ids:
        return 0
    t = task_instance.c
    query = task_instance.update().where(t.dag_id == dag_id, t.run_id == run_id, t.task_id.in_(ids),
                                         state_in(t.state, expected_states))
    if map_index is not None:
        query = query.where(t.map_index == map_index)
    fields.setdefault("updated_at", utcnow())
    return conn.execute(query.values(state=None if new_state is None else str(new_state), **fields)).rowcount


def update_fields(conn: sa.Connection, key: KeyLike, **fields: Any) -> bool:
    """Set fields that are not the state (note, rendered_fields, external_executor_id...)."""
    return conn.execute(task_instance.update().where(match_key(task_instance, key)).values(**fields)).rowcount == 1


_HISTORY_COLUMNS = [c.name for c in task_instance_history.c if c.name != "id"]


def record_try_history(conn: sa.Connection, key: KeyLike) -> bool:
    """Copy the instance's current try into task_instance_history; recording a try again replaces it, never duplicates.

    Done inside the database (DELETE, then INSERT ... SELECT): this runs at the end of every try.
    """
    k = as_key(key)
    t, h = task_instance.c, task_instance_history.c
    try_number = conn.execute(sa.select(t.try_number).where(match_key(task_instance, k))).scalar()
    if not try_number:
        return False
    conn.execute(task_instance_history.delete().where(match_key(task_instance_history, k), h.try_number == try_number))
    source = sa.select(*(task_instance.c[name] for name in _HISTORY_COLUMNS)).where(match_key(task_instance, k))
    conn.execute(task_instance_history.insert().from_select(_HISTORY_COLUMNS, source))
    return True


def try_history(conn: sa.Connection, key: KeyLike) -> list[dict[str, Any]]:
    """The recorded tries of one task instance, first try first."""
    query = (sa.select(task_instance_history).where(match_key(task_instance_history, key))
             .order_by(task_instance_history.c.try_number))
    return [dict(r._mapping) for r in conn.execute(query)]


_HEARTBEAT = (task_instance.update()
              .where(_KEY_BOUND, task_instance.c.state == "running", task_instance.c.try_number == sa.bindparam("p_try"))
              .values(last_heartbeat_at=sa.bindparam("p_now")))


def heartbeat(conn: sa.Connection, key: KeyLike, *, try_number: int, now: datetime | None = None) -> bool:
    """Record that a running try is alive; False when the instance is no longer running that try."""
    return conn.execute(_HEARTBEAT, {**key_params(key), "p_try": try_number, "p_now": now or utcnow()}).rowcount == 1


def stale_running(conn: sa.Connection, *, heartbeat_before: datetime) -> list[dict[str, Any]]:
    """Running instances whose last heartbeat (or start, if none) is older than `heartbeat_before`."""
    t = task_instance.c
    last_sign = sa.func.coalesce(t.last_heartbeat_at, t.start_date, t.queued_at)
    query = sa.select(task_instance).where(t.state == "running", last_sign < heartbeat_before).order_by(t.id)
    return [dict(r._mapping) for r in conn.execute(query)]


def _occupying_counts(conn: sa.Connection, *group_by: sa.Column) -> dict[Any, int]:
    t = task_instance.c
    query = sa.select(*group_by, sa.func.count()).where(t.state.in_(OCCUPYING_STATES)).group_by(*group_by)
    rows = conn.execute(query)
    if len(group_by) == 1:
        return {row[0]: int(row[1]) for row in rows}
    return {tuple(row[:-1]): int(row[-1]) for row in rows}


def running_counts_per_dag(conn: sa.Connection) -> dict[str, int]:
    """Queued or running instances per dag_id, for max_active_tasks."""
    return _occupying_counts(conn, task_instance.c.dag_id)


def running_counts_per_task(conn: sa.Connection) -> dict[tuple[str, str], int]:
    """Queued or running instances per (dag_id, task_id), for max_active_tis_per_dag."""
    return _occupying_counts(conn, task_instance.c.dag_id, task_instance.c.task_id)


def running_counts_per_dagrun_task(conn: sa.Connection) -> dict[tuple[str, str, str], int]:
    """Queued or running instances per (dag_id, run_id, task_id), for max_active_tis_per_dagrun."""
    t = task_instance.c
    return _occupying_counts(conn, t.dag_id, t.run_id, t.task_id)


def pool_slot_usage(conn: sa.Connection) -> dict[str, dict[str, int]]:
    """Slots held per pool and state: {pool: {"queued": n, "running": n, "deferred": n, "scheduled": n}}."""
    t = task_instance.c
    states = ("queued", "running", "deferred", "scheduled")
    query = (sa.select(t.pool, t.state, sa.func.sum(t.pool_slots)).where(t.state.in_(states))
             .group_by(t.pool, t.state))
    usage: dict[str, dict[str, int]] = {}
    for pool, state, slots in conn.execute(query):
        usage.setdefault(pool, dict.fromkeys(states, 0))[state] = int(slots or 0)
    return usage


def running_counts_per_pool(conn: sa.Connection) -> dict[str, int]:
    """Occupied slots per pool: queued and running instances, plus deferred ones where the pool counts them."""
    from tradewind.store.schema import slot_pool

    counting_deferred = {r.pool for r in conn.execute(
        sa.select(slot_pool.c.pool).where(slot_pool.c.include_deferred.is_(True)))}
    return {pool: held["queued"] + held["running"] + (held["deferred"] if pool in counting_deferred else 0)
            for pool, held in pool_slot_usage(conn).items()}


# Clearing and marking are their own module; re-exported here where callers look for them.
from tradewind.store.task_instance_clear import clear_task_instances, mark_state  # noqa: E402

__all__ = [
    "OCCUPYING_STATES", "TaskInstanceKey", "clear_task_instances", "get", "heartbeat", "insert_many",
    "list_for_run", "list_task_instances", "mark_state", "pool_slot_usage", "record_try_history",
    "running_counts_per_dag", "running_counts_per_dagrun_task", "running_counts_per_pool",
    "running_counts_per_task", "set_state_if", "set_states_if", "set_tasks_state_if", "stale_running",
    "try_history", "update_fields",
]
