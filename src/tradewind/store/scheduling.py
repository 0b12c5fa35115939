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

from tradewind.store.keys import bound_key_clause
from tradewind.store.schema import dag, dag_run, serialized_dag, slot_pool, task_instance, xcom


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


# The statements of the hot path (every task hand-off runs them) are built once with bind parameters:
# building a SQLAlchemy statement costs more than running it on SQLite.
_t = task_instance.c
_TI_KEY_BOUND = bound_key_clause(task_instance)
_RUN_TASK_STATES = (
    sa.select(_t.task_id, _t.map_index, _t.state, _t.try_number, _t.max_tries, _t.next_try_at,
              _t.start_date, _t.end_date, _t.duration, _t.pool, _t.pool_slots, _t.priority_weight)
    .where(_t.dag_id == sa.bindparam("k_dag_id"), _t.run_id == sa.bindparam("k_run_id"))
    .order_by(_t.task_id, _t.map_index)
)
_RUN_DECISION_STATES = (
    sa.select(_t.task_id, _t.map_index, _t.state, _t.next_try_at)
    .where(_t.dag_id == sa.bindparam("k_dag_id"), _t.run_id == sa.bindparam("k_run_id"))
)
_MARK_SCHEDULED = (
    task_instance.update()
    .where(_TI_KEY_BOUND, sa.or_(_t.state.is_(None), _t.state == "up_for_retry"))
    .values(state="scheduled", scheduled_at=sa.bindparam("p_now"), updated_at=sa.bindparam("p_now"))
)
_QUEUE_NEW_TRY = (
    task_instance.update()
    .where(_TI_KEY_BOUND, sa.or_(_t.state.is_(None), _t.state == "scheduled", _t.state == "up_for_retry"))
    .values(state="queued", try_number=_t.try_number + 1, queued_at=sa.bindparam("p_now"), next_try_at=None,
            updated_at=sa.bindparam("p_now"))
)
_QUEUE_RESUMED = (
    task_instance.update().where(_TI_KEY_BOUND, _t.state == "up_for_reschedule")
    .values(state="queued", queued_at=sa.bindparam("p_now"), next_try_at=None, updated_at=sa.bindparam("p_now"))
)
_QUEUED_TRY = sa.select(_t.try_number, _t.pool, _t.pool_slots, _t.priority_weight, _t.queue).where(_TI_KEY_BOUND)
_QUEUE_NEW_TRY_RETURNING = _QUEUE_NEW_TRY.returning(_t.try_number, _t.pool, _t.pool_slots, _t.priority_weight,
                                                     _t.queue)
_QUEUE_RESUMED_RETURNING = _QUEUE_RESUMED.returning(_t.try_number, _t.pool, _t.pool_slots, _t.priority_weight,
                                                    _t.queue)
_GET_RUN = sa.select(dag_run).where(dag_run.c.dag_id == sa.bindparam("k_dag_id"),
                                    dag_run.c.run_id == sa.bindparam("k_run_id"))
_RUN_STATE_COUNTS = (
    sa.select(_t.state, sa.func.count())
    .where(_t.dag_id == sa.bindparam("k_dag_id"), _t.run_id == sa.bindparam("k_run_id"))
    .group_by(_t.state)
)
# `IS NOT DISTINCT FROM` (plain `IS` on SQLite) compares with a bound NULL too, so that one statement
# serves every expected state and many changes go in one executemany.
_SET_TI_STATE_IF = (
    task_instance.update()
    .where(_TI_KEY_BOUND, _t.state.is_not_distinct_from(sa.bindparam("p_expected", type_=sa.String)))
    .values(state=sa.bindparam("p_new"), end_date=sa.bindparam("p_now"), updated_at=sa.bindparam("p_now"))
)
_MARK_EMPTY_SUCCESS = (
    task_instance.update().where(_TI_KEY_BOUND, _t.state.is_(None))
    .values(state="success", try_number=1, start_date=sa.bindparam("p_now"), end_date=sa.bindparam("p_now"),
            duration=0.0, updated_at=sa.bindparam("p_now"))
)
_r = dag_run.c
_RUNNING_RUN_COLUMNS = (_r.dag_id, _r.run_id, _r.start_date, _r.dag_version, _r.logical_date, _r.run_after,
                        _r.run_type, dag.c.latest_version)
_RUNNING_RUNS = (
    sa.select(*_RUNNING_RUN_COLUMNS).join(dag, dag.c.dag_id == _r.dag_id)
    .where(_r.state == "running", dag.c.is_paused.is_(False)).order_by(_r.run_after, _r.id)
)
_RUNNING_RUNS_ONLY = _RUNNING_RUNS.where(sa.tuple_(_r.dag_id, _r.run_id).in_(sa.bindparam("p_runs", expanding=True)))
_RUNNING_RUN = _RUNNING_RUNS.where(_r.dag_id == sa.bindparam("k_dag_id"), _r.run_id == sa.bindparam("k_run_id"))
_OCCUPANCY = (
    sa.select(_t.dag_id, _t.task_id, _t.pool, sa.func.count(), sa.func.sum(_t.pool_slots))
    .where(sa.or_(_t.state == "queued", _t.state == "running"))  # no expanding IN: nothing to render per call
    .group_by(_t.dag_id, _t.task_id, _t.pool)
)
_POOL_SIZES = sa.select(slot_pool.c.pool, slot_pool.c.slots)
_SCHEDULED = (
    sa.select(_t.dag_id, _t.run_id, _t.task_id, _t.map_index, _t.priority_weight, _t.pool, _t.pool_slots,
              _r.run_after, _r.dag_version)
    .join(dag_run, sa.and_(_r.dag_id == _t.dag_id, _r.run_id == _t.run_id))
    .where(_t.state == "scheduled", _r.state == "running")
)
_SCHEDULED_ORDER = (_t.priority_weight.desc(), _r.run_after, _t.run_id, _t.map_index)
_UNPAUSED_SCHEDULED = _SCHEDULED.join(dag, dag.c.dag_id == _t.dag_id).where(dag.c.is_paused.is_(False))
_SCHEDULED_IN_POOLS = (
    _UNPAUSED_SCHEDULED.where(_t.pool.in_(sa.bindparam("p_pools", expanding=True)))
    .order_by(*_SCHEDULED_ORDER).limit(sa.bindparam("p_limit"))
)
_SCHEDULED_ANY_POOL = _UNPAUSED_SCHEDULED.order_by(*_SCHEDULED_ORDER).limit(sa.bindparam("p_limit"))
_SCHEDULED_OF_RUN = (
    _SCHEDULED.where(_t.dag_id == sa.bindparam("k_dag_id"), _t.run_id == sa.bindparam("k_run_id"))
    .order_by(*_SCHEDULED_ORDER).limit(sa.bindparam("p_limit"))
)


def _key_params(dag_id: str, run_id: str, task_id: str, map_index: int) -> dict[str, Any]:
    # The parameters of keys.bound_key_clause, without building a key per row.
    return {"k_dag_id": dag_id, "k_run_id": run_id, "k_task_id": task_id, "k_map_index": map_index}


def run_task_states(conn: Connection, dag_id: str, run_id: str) -> list[sa.Row]:
    """Every task instance of a run: key, state, try number and the timer it may wait on."""
    return list(conn.execute(_RUN_TASK_STATES, {"k_dag_id": dag_id, "k_run_id": run_id}))


def mark_scheduled(conn: Connection, dag_id: str, run_id: str, keys: Iterable[tuple[str, int]], now: datetime) -> None:
    """none / up_for_retry -> scheduled for these (task_id, map_index), compare-and-set, in one statement."""
    params = [{**_key_params(dag_id, run_id, task_id, map_index), "p_now": now} for task_id, map_index in keys]
    if params:
        conn.execute(_MARK_SCHEDULED, params if len(params) > 1 else params[0])


def scheduled_candidates(conn: Connection, *, limit: int, pools: Iterable[str] | None = None,
                         run: tuple[str, str] | None = None) -> list[sa.Row]:
    """Scheduled instances of running runs (of unpaused DAGs, or of one run), best first: priority, older run, map index.

    With `pools`, only instances of those pools (the ones with an open slot): a full or missing pool
    cannot hide the work of the others.
    """
    if run is not None:  # one run, whatever its DAG's pause state (`dags test`)
        query = _SCHEDULED_OF_RUN if pools is None else _SCHEDULED_OF_RUN.where(_t.pool.in_(list(pools)))
        return list(conn.execute(query, {"k_dag_id": run[0], "k_run_id": run[1], "p_limit": limit}))
    if pools is None:
        return list(conn.execute(_SCHEDULED_ANY_POOL, {"p_limit": limit}))
    wanted = list(pools)
    if not wanted:
        return []
    return list(conn.execute(_SCHEDULED_IN_POOLS, {"p_pools": wanted, "p_limit": limit}))


def run_decision_states(conn: Connection, dag_id: str, run_id: str) -> list[tuple[str, int, str | None, datetime | None]]:
    """(task_id, map_index, state, next_try_at) of every task instance of a run: what the scheduler decides on.

    Read through the driver, without SQLAlchemy's per-row result processing: this is every row of
    the run on every scheduler pass over it. Only a timer that decide_run reads (an up_for_retry or
    up_for_reschedule instance's next_try_at) is converted to an aware datetime.
    """
    sql, order, to_datetime = _driver_statement(conn.dialect)
    params = {"k_dag_id": dag_id, "k_run_id": run_id}
    rows = conn.exec_driver_sql(sql, tuple(params[name] for name in order) if order is not None else params)
    return [(task_id, map_index, state, to_datetime(due) if state in _TIMED and due is not None else due)
            for task_id, map_index, state, due in rows]


_TIMED = frozenset({"up_for_retry", "up_for_reschedule"})
_DRIVER_STATEMENTS: dict[tuple[str, str, str], tuple[str, tuple[str, ...] | None, Any]] = {}


def _driver_statement(dialect: sa.Dialect) -> tuple[str, tuple[str, ...] | None, Any]:
    """_RUN_DECISION_STATES as driver SQL for this dialect: text, bind order (positional styles), timer conversion."""
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    found = _DRIVER_STATEMENTS.get(key)
    if found is None:
        compiled = _RUN_DECISION_STATES.compile(dialect=dialect)
        order = tuple(compiled.positiontup) if dialect.positional and compiled.positiontup else None
        convert = _t.next_try_at.type.dialect_impl(dialect).result_processor(dialect, None) or (lambda value: value)
        found = _DRIVER_STATEMENTS[key] = (compiled.string, order, convert)
    return found


def resumed_ti_fields(conn: Connection, dag_id: str, run_id: str, task_id: str, map_index: int) -> sa.Row | None:
    """pool, pool_slots and priority_weight of one instance (a sensor back from up_for_reschedule), for queueing."""
    return conn.execute(_QUEUED_TRY, _key_params(dag_id, run_id, task_id, map_index)).first()


def run_state_counts(conn: Connection, dag_id: str, run_id: str) -> dict[str | None, int]:
    """How many task instances of a run are in each state (None: no state yet)."""
    return {state: count for state, count in conn.execute(_RUN_STATE_COUNTS, {"k_dag_id": dag_id, "k_run_id": run_id})}


def set_ti_states_if(conn: Connection, dag_id: str, run_id: str,
                     changes: Iterable[tuple[str, int, str | None, str]], now: datetime) -> None:
    """Compare-and-set many instances' states, (task_id, map_index, expected, new) each, in one statement.

    Each change also stamps end_date and updated_at with `now`; one whose instance is no longer in
    its expected state is dropped.
    """
    params = [{**_key_params(dag_id, run_id, task_id, map_index), "p_expected": expected, "p_new": new, "p_now": now}
              for task_id, map_index, expected, new in changes]
    if params:
        conn.execute(_SET_TI_STATE_IF, params if len(params) > 1 else params[0])


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
    params = {**_key_params(dag_id, run_id, task_id, map_index), "p_now": now}
    if conn.dialect.update_returning:  # SQLite 3.35+ and PostgreSQL: change and read back in one statement
        row = (conn.execute(_QUEUE_NEW_TRY_RETURNING, params).first()
               or conn.execute(_QUEUE_RESUMED_RETURNING, params).first())
        if row is None:
            return None
    else:
        if not conn.execute(_QUEUE_NEW_TRY, params).rowcount and not conn.execute(_QUEUE_RESUMED, params).rowcount:
            return None
        row = conn.execute(_QUEUED_TRY, params).one()
    return QueuedTry(dag_id, run_id, task_id, map_index, row.try_number, row.pool, row.pool_slots,
                     row.priority_weight or 1, row.queue)


def mark_empty_success(conn: Connection, dag_id: str, run_id: str, task_id: str, map_index: int, now: datetime) -> bool:
    """An EmptyOperator whose rule is met succeeds without running: one try, zero duration."""
    return set_ti_state_if(conn, dag_id, run_id, task_id, map_index, expected=None, new="success",
                           try_number=1, start_date=now, end_date=now, duration=0.0, updated_at=now)


def mark_empty_successes(conn: Connection, dag_id: str, run_id: str, keys: Iterable[tuple[str, int]],
                         now: datetime) -> None:
    """mark_empty_success for many (task_id, map_index) of one run, in one statement."""
    params = [{**_key_params(dag_id, run_id, task_id, map_index), "p_now": now} for task_id, map_index in keys]
    if params:
        conn.execute(_MARK_EMPTY_SUCCESS, params if len(params) > 1 else params[0])


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


_SET_RUN_STATE_IF: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}  # (expected, fields) -> statement


def set_run_state_if(conn: Connection, dag_id: str, run_id: str, *, expected: Sequence[str], new: str,
                     **fields: Any) -> bool:
    """Compare-and-set a run's state."""
    shape = (tuple(expected), tuple(sorted(fields)))
    statement = _SET_RUN_STATE_IF.get(shape)
    if statement is None:  # built once per shape: the scheduler sets a few shapes over and over
        r = dag_run.c
        statement = (
            dag_run.update()
            .where(r.dag_id == sa.bindparam("k_dag_id"), r.run_id == sa.bindparam("k_run_id"), r.state.in_(shape[0]))
            .values(state=sa.bindparam("p_new"), **{name: sa.bindparam(f"f_{name}") for name in shape[1]})
        )
        if len(_SET_RUN_STATE_IF) < 64:
            _SET_RUN_STATE_IF[shape] = statement
    params = {"k_dag_id": dag_id, "k_run_id": run_id, "p_new": new, **{f"f_{k}": v for k, v in fields.items()}}
    return conn.execute(statement, params).rowcount == 1


def get_run(conn: Connection, dag_id: str, run_id: str) -> sa.RowMapping | None:
    return conn.execute(_GET_RUN, {"k_dag_id": dag_id, "k_run_id": run_id}).mappings().first()


def previous_run_states(conn: Connection, dag_id: str, task_ids: Iterable[str], before: datetime, *,
                        manual_too: bool = True) -> tuple[bool, dict[str, list[str | None]]]:
    """For depends_on_past: whether an earlier run (manual ones too, or not) exists, and its task states by task id."""
    r, t = dag_run.c, task_instance.c
    query = sa.select(r.run_id).where(r.dag_id == dag_id, r.logical_date < before)
    if not manual_too:
        query = query.where(r.run_type != "manual")
    prev = conn.execute(query.order_by(r.logical_date.desc()).limit(1)).first()
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


def runs_with_id_or_date(conn: Connection, dag_id: str, run_id: str, logical_date: datetime | None) -> list[str]:
    """Run ids of a DAG's runs that have this run_id or this logical date."""
    r = dag_run.c
    match = r.run_id == run_id if logical_date is None else sa.or_(r.run_id == run_id, r.logical_date == logical_date)
    return [row.run_id for row in conn.execute(sa.select(r.run_id).where(r.dag_id == dag_id, match))]


def schedulable_dags(conn: Connection) -> list[sa.Row]:
    """Unpaused, current DAGs with a stored serialized version."""
    d = dag.c
    return list(conn.execute(
        sa.select(d.dag_id, d.latest_version, d.max_active_runs)
        .where(d.is_paused.is_(False), d.is_stale.is_(False), d.latest_version.is_not(None))
    ))


def paused_dags(conn: Connection) -> list[sa.Row]:
    """Paused, current DAGs with a stored serialized version."""
    d = dag.c
    return list(conn.execute(
        sa.select(d.dag_id, d.latest_version)
        .where(d.is_paused.is_(True), d.is_stale.is_(False), d.latest_version.is_not(None))
    ))


def queued_or_running_run_counts(conn: Connection) -> dict[str, int]:
    """Queued plus running runs per DAG: a new scheduled run is created only while this is under max_active_runs."""
    r = dag_run.c
    rows = conn.execute(sa.select(r.dag_id, sa.func.count()).where(r.state.in_(("queued", "running"))).group_by(r.dag_id))
    return {row[0]: row[1] for row in rows}


def last_automated_interval(conn: Connection, dag_id: str) -> tuple[datetime, datetime] | None:
    """The data interval of the DAG's latest scheduled run: where its timetable walk continues."""
    r = dag_run.c
    row = conn.execute(
        sa.select(r.data_interval_start, r.data_interval_end)
        .where(r.dag_id == dag_id, r.run_type.in_(("scheduled", "backfill")), r.data_interval_start.is_not(None))
        .order_by(r.data_interval_start.desc()).limit(1)
    ).first()
    return None if row is None else (row.data_interval_start, row.data_interval_end)


def start_run(conn: Connection, dag_id: str, run_id: str, now: datetime) -> bool:
    """queued -> running, compare-and-set."""
    return set_run_state_if(conn, dag_id, run_id, expected=["queued"], new="running", start_date=now, updated_at=now)


def running_runs(conn: Connection, only: Iterable[tuple[str, str]] | None = None) -> list[sa.Row]:
    """Running runs of unpaused DAGs (all, or `only` those (dag_id, run_id)), oldest first."""
    if only is None:
        return list(conn.execute(_RUNNING_RUNS))
    wanted = list(only)
    if len(wanted) == 1:  # the usual case between full scans: one run had a try end
        return list(conn.execute(_RUNNING_RUN, {"k_dag_id": wanted[0][0], "k_run_id": wanted[0][1]}))
    if not wanted:
        return []
    return list(conn.execute(_RUNNING_RUNS_ONLY, {"p_runs": wanted}))


def running_runs_of_dags(conn: Connection, dag_ids: Iterable[str]) -> list[sa.Row]:
    """Running runs of these unpaused DAGs, oldest first."""
    wanted = sorted(set(dag_ids))
    return list(conn.execute(_RUNNING_RUNS.where(_r.dag_id.in_(wanted)))) if wanted else []


@dataclass(frozen=True)
class Occupancy:
    """Slots in use by queued and running task instances, for the scheduler's limits."""

    total: int
    by_pool: dict[str, int]
    by_dag: dict[str, int]
    by_task: dict[tuple[str, str], int]


def occupancy(conn: Connection) -> Occupancy:
    rows = conn.execute(_OCCUPANCY).all()
    by_pool: dict[str, int] = {}
    by_dag: dict[str, int] = {}
    by_task: dict[tuple[str, str], int] = {}
    for dag_id, task_id, pool, count, slots in rows:
        by_pool[pool] = by_pool.get(pool, 0) + int(slots or 0)
        by_dag[dag_id] = by_dag.get(dag_id, 0) + count
        by_task[(dag_id, task_id)] = by_task.get((dag_id, task_id), 0) + count
    return Occupancy(sum(by_dag.values()), by_pool, by_dag, by_task)


def pool_sizes(conn: Connection) -> dict[str, int]:
    return {row.pool: row.slots for row in conn.execute(_POOL_SIZES)}


def queued_task_instances(conn: Connection) -> list[sa.Row]:
    """Tries handed to an executor but not started: re-sent after a scheduler restart."""
    t = task_instance.c
    return list(conn.execute(
        sa.select(t.dag_id, t.run_id, t.task_id, t.map_index, t.try_number).where(t.state == "queued")
    ))


def silent_running_task_instances(conn: Connection, heartbeat_before: datetime) -> list[sa.Row]:
    """Running tries whose last sign of life is older than `heartbeat_before`."""
    t = task_instance.c
    last_seen = sa.func.coalesce(t.last_heartbeat_at, t.start_date, t.queued_at)
    return list(conn.execute(
        sa.select(t.dag_id, t.run_id, t.task_id, t.map_index, t.try_number, t.max_tries)
        .where(t.state == "running", last_seen < heartbeat_before)
    ))


def task_instance_try(conn: Connection, dag_id: str, run_id: str, task_id: str, map_index: int) -> sa.Row | None:
    t = task_instance.c
    return conn.execute(
        sa.select(t.state, t.try_number, t.max_tries, t.start_date)
        .where(_ti_key(dag_id, run_id, task_id, map_index))
    ).first()


def skip_unfinished(conn: Connection, dag_id: str, run_id: str, now: datetime) -> int:
    """Set every unfinished task instance of a run to skipped (a run that timed out)."""
    t = task_instance.c
    unfinished = sa.or_(t.state.is_(None), t.state.in_(
        ("scheduled", "queued", "running", "up_for_retry", "up_for_reschedule", "deferred", "restarting")))
    return conn.execute(
        task_instance.update().where(t.dag_id == dag_id, t.run_id == run_id, unfinished)
        .values(state="skipped", end_date=now, updated_at=now)
    ).rowcount


def dag_rows_by_id(conn: Connection, dag_ids: Iterable[str]) -> dict[str, sa.Row]:
    d = dag.c
    ids = list(dag_ids)
    if not ids:
        return {}
    return {row.dag_id: row for row in conn.execute(sa.select(dag).where(d.dag_id.in_(ids)))}


def latest_version_number(conn: Connection, dag_id: str) -> int | None:
    s = serialized_dag.c
    return conn.execute(sa.select(sa.func.max(s.version_number)).where(s.dag_id == dag_id)).scalar()
