"""Named SQL for `dag_run`: create a run with its task instances, read runs, change a run's state by compare-and-set."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.errors import DagRunAlreadyExists
from tradewind.store import task_instances as ti_store
from tradewind.store.keys import row_dict, state_in
from tradewind.store.schema import dag, dag_run, task_instance, task_reschedule, xcom


def create_run(conn: sa.Connection, *, dag_id: str, run_id: str, run_type: str, run_after: datetime,
               state: str = "queued", logical_date: datetime | None = None,
               data_interval: tuple[datetime, datetime] | None = None, conf: dict[str, Any] | None = None,
               triggered_by: str | None = None, dag_version: int | None = None,
               task_instances: Iterable[dict[str, Any]] = (), now: datetime | None = None) -> dict[str, Any]:
    """Insert a run and bulk-insert the task instances given; DagRunAlreadyExists on a taken run_id or date.

    Each task instance dict needs at least task_id; dag_id and run_id are filled in.
    """
    now = now or utcnow()
    values = {
        "dag_id": dag_id, "run_id": run_id, "run_type": str(run_type), "state": str(state), "run_after": run_after,
        "logical_date": logical_date, "conf": conf if conf is not None else {}, "triggered_by": triggered_by,
        "data_interval_start": data_interval[0] if data_interval else None,
        "data_interval_end": data_interval[1] if data_interval else None, "dag_version": dag_version,
        "queued_at": now, "start_date": now if str(state) == "running" else None, "clear_number": 0,
        "updated_at": now,
    }
    try:
        # A savepoint, so that a duplicate leaves the caller's transaction usable.
        with conn.begin_nested():
            conn.execute(dag_run.insert().values(**values))
            ti_store.insert_many(conn, [{**ti, "dag_id": dag_id, "run_id": run_id} for ti in task_instances], now=now)
    except sa.exc.IntegrityError:
        when = logical_date.isoformat() if logical_date else None
        raise DagRunAlreadyExists(f"DAG {dag_id!r} already has a run with run_id {run_id!r} or logical date {when}: "
                                  "choose another run_id or logical date") from None
    created = get(conn, dag_id, run_id)
    assert created is not None
    return created


# Built once: every task try reads its run and the latest success before it.
_GET = sa.select(dag_run).where(dag_run.c.dag_id == sa.bindparam("p_dag_id"), dag_run.c.run_id == sa.bindparam("p_run_id"))
_LATEST_SUCCESS_BEFORE = (
    sa.select(dag_run)
    .where(dag_run.c.dag_id == sa.bindparam("p_dag_id"), dag_run.c.state == "success",
           dag_run.c.logical_date < sa.bindparam("p_logical_date"))
    .order_by(dag_run.c.logical_date.desc()).limit(1)
)


def get(conn: sa.Connection, dag_id: str, run_id: str) -> dict[str, Any] | None:
    """One run as a dict of Airflow's fields, or None."""
    return row_dict(conn.execute(_GET, {"p_dag_id": dag_id, "p_run_id": run_id}).first())


def get_by_logical_date(conn: sa.Connection, dag_id: str, logical_date: datetime) -> dict[str, Any] | None:
    """The run of a DAG at this logical date, or None."""
    r = dag_run.c
    return row_dict(conn.execute(sa.select(dag_run).where(r.dag_id == dag_id, r.logical_date == logical_date)).first())


def list_runs(conn: sa.Connection, dag_id: str | None = None, *, state: str | Sequence[str] | None = None,
              run_type: str | Sequence[str] | None = None, after: datetime | None = None,
              before: datetime | None = None, limit: int | None = None, offset: int = 0,
              newest_first: bool = True) -> list[dict[str, Any]]:
    """Runs filtered by DAG, state, run type and run_after window, newest first by default."""
    r = dag_run.c
    query = sa.select(dag_run)
    if dag_id is not None:
        query = query.where(r.dag_id == dag_id)
    if state is not None:
        query = query.where(state_in(r.state, state))
    if run_type is not None:
        query = query.where(state_in(r.run_type, run_type))
    if after is not None:
        query = query.where(r.run_after >= after)
    if before is not None:
        query = query.where(r.run_after <= before)
    order = (r.run_after.desc(), r.id.desc()) if newest_first else (r.run_after, r.id)
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def set_state_if(conn: sa.Connection, dag_id: str, run_id: str, expected: str | Sequence[str], new: str,
                 **fields: Any) -> bool:
    """Compare-and-set a run's state (and other fields); False when the run was not in `expected`."""
    r = dag_run.c
    fields.setdefault("updated_at", utcnow())
    result = conn.execute(dag_run.update().where(r.dag_id == dag_id, r.run_id == run_id, state_in(r.state, expected))
                          .values(state=str(new), **fields))
    return result.rowcount == 1


def update_fields(conn: sa.Connection, dag_id: str, run_id: str, **fields: Any) -> bool:
    """Set fields of a run that are not its state (note, last_scheduling_decision...)."""
    r = dag_run.c
    return conn.execute(dag_run.update().where(r.dag_id == dag_id, r.run_id == run_id).values(**fields)).rowcount == 1


def runs_needing_scheduling(conn: sa.Connection, *, limit: int | None = None,
                            dag_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Running runs of unpaused DAGs, the least recently examined first."""
    r = dag_run.c
    query = (sa.select(dag_run).join(dag, dag.c.dag_id == r.dag_id)
             .where(r.state == "running", dag.c.is_paused.is_(False))
             .order_by(r.last_scheduling_decision.is_not(None), r.last_scheduling_decision, r.id))
    if dag_ids is not None:
        query = query.where(r.dag_id.in_(sorted(dag_ids)))
    if limit is not None:
        query = query.limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def queued_runs(conn: sa.Connection, *, dag_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Queued runs of unpaused DAGs, oldest run_after first: the candidates to start under max_active_runs."""
    r = dag_run.c
    query = (sa.select(dag_run).join(dag, dag.c.dag_id == r.dag_id)
             .where(r.state == "queued", dag.c.is_paused.is_(False)).order_by(r.run_after, r.id))
    if dag_ids is not None:
        query = query.where(r.dag_id.in_(sorted(dag_ids)))
    return [dict(row._mapping) for row in conn.execute(query)]


def active_run_counts(conn: sa.Connection) -> dict[str, int]:
    """Running runs per DAG, for max_active_runs."""
    r = dag_run.c
    query = sa.select(r.dag_id, sa.func.count()).where(r.state == "running").group_by(r.dag_id)
    return {row[0]: int(row[1]) for row in conn.execute(query)}


def latest_runs(conn: sa.Connection, dag_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The newest run (by run_after) of each DAG given."""
    r = dag_run.c
    newest = (sa.select(r.dag_id, sa.func.max(r.run_after).label("run_after"))
              .where(r.dag_id.in_(sorted(dag_ids))).group_by(r.dag_id).subquery())
    query = sa.select(dag_run).join(newest, sa.and_(r.dag_id == newest.c.dag_id, r.run_after == newest.c.run_after))
    return {row.dag_id: dict(row._mapping) for row in conn.execute(query.order_by(r.id))}


def delete_run(conn: sa.Connection, dag_id: str, run_id: str) -> bool:
    """Delete a run with its task instances, XComs and reschedules (try history and logs stay)."""
    for table in (xcom, task_reschedule, task_instance):
        conn.execute(table.delete().where(table.c.dag_id == dag_id, table.c.run_id == run_id))
    r = dag_run.c
    return conn.execute(dag_run.delete().where(r.dag_id == dag_id, r.run_id == run_id)).rowcount == 1


list = list_runs  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)


def latest_success_before(conn: sa.Connection, dag_id: str, logical_date: datetime) -> dict[str, Any] | None:
    """The DAG's latest successful run with a logical date before `logical_date` (prev_*_success context keys)."""
    row = conn.execute(_LATEST_SUCCESS_BEFORE, {"p_dag_id": dag_id, "p_logical_date": logical_date}).first()
    return None if row is None else dict(row._mapping)
