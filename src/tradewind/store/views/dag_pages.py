"""Read queries of the per-DAG pages: the DAG row, its serialized form, runs and their task instances."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tradewind.store import schema as s
from tradewind.store.serialized_dag import SerializedDag


def get_dag(conn: sa.Connection, dag_id: str) -> dict[str, Any] | None:
    """The dag row with its tags, or None."""
    row = conn.execute(sa.select(s.dag).where(s.dag.c.dag_id == dag_id)).first()
    if row is None:
        return None
    out = dict(row._mapping)
    out["tags"] = list(conn.execute(sa.select(s.dag_tag.c.name).where(s.dag_tag.c.dag_id == dag_id)
                                    .order_by(s.dag_tag.c.name)).scalars())
    return out


def latest_serialized(conn: sa.Connection, dag_id: str) -> SerializedDag | None:
    """The newest serialized version of a DAG, or None when it was never parsed."""
    sd = s.serialized_dag.c
    row = conn.execute(sa.select(sd.data, sd.version_number).where(sd.dag_id == dag_id)
                       .order_by(sd.version_number.desc()).limit(1)).first()
    return SerializedDag(row.data, version_number=row.version_number) if row else None


def dag_code(conn: sa.Connection, fileloc: str) -> str | None:
    """The source of a DAG file as last parsed, or None."""
    return conn.execute(sa.select(s.dag_code.c.source_code).where(s.dag_code.c.fileloc == fileloc)).scalar()


def recent_runs(conn: sa.Connection, dag_id: str, *, limit: int = 25, state: str | None = None,
                run_type: str | None = None) -> list[dict[str, Any]]:
    """The latest runs of a DAG, oldest first (the order the Grid and the charts draw them in)."""
    query = sa.select(s.dag_run).where(s.dag_run.c.dag_id == dag_id)
    if state:
        query = query.where(s.dag_run.c.state == state)
    if run_type:
        query = query.where(s.dag_run.c.run_type == run_type)
    query = query.order_by(s.dag_run.c.run_after.desc(), s.dag_run.c.id.desc()).limit(limit)
    return [dict(r._mapping) for r in reversed(conn.execute(query).all())]


def get_run(conn: sa.Connection, dag_id: str, run_id: str) -> dict[str, Any] | None:
    """One run, or None."""
    row = conn.execute(sa.select(s.dag_run).where(s.dag_run.c.dag_id == dag_id, s.dag_run.c.run_id == run_id)).first()
    return dict(row._mapping) if row else None


_TI_BRIEF = ("dag_id", "run_id", "task_id", "map_index", "state", "try_number", "max_tries", "start_date",
             "end_date", "duration", "queued_at", "operator")


def task_instances_for_runs(conn: sa.Connection, dag_id: str, run_ids: list[str]) -> list[dict[str, Any]]:
    """The task instances of some runs of a DAG (the columns the views draw)."""
    if not run_ids:
        return []
    ti = s.task_instance.c
    query = sa.select(*(ti[c] for c in _TI_BRIEF)).where(ti.dag_id == dag_id, ti.run_id.in_(run_ids))
    return [dict(r._mapping) for r in conn.execute(query)]


def run_state_summary(conn: sa.Connection, dag_id: str) -> dict[str, Any]:
    """How many runs a DAG has per state, and its first and last run start."""
    dr = s.dag_run.c
    counts = dict(conn.execute(sa.select(dr.state, sa.func.count()).where(dr.dag_id == dag_id).group_by(dr.state)).all())
    first, last = conn.execute(sa.select(sa.func.min(dr.start_date), sa.func.max(dr.start_date))
                               .where(dr.dag_id == dag_id)).one()
    return {"counts": counts, "first_start": first, "last_start": last}


def find_dag_ids(conn: sa.Connection, ids: list[str]) -> set[str]:
    """Which of these dag ids exist."""
    return set(conn.execute(sa.select(s.dag.c.dag_id).where(s.dag.c.dag_id.in_(ids))).scalars())


def history_for_runs(conn: sa.Connection, dag_id: str, run_ids: list[str]) -> list[dict[str, Any]]:
    """Earlier tries of the task instances of some runs (task_instance_history rows, brief columns)."""
    if not run_ids:
        return []
    h = s.task_instance_history.c
    query = sa.select(*(h[c] for c in _TI_BRIEF)).where(h.dag_id == dag_id, h.run_id.in_(run_ids))
    return [dict(r._mapping) for r in conn.execute(query)]


def run_days(conn: sa.Connection, dag_id: str, since: Any) -> list[tuple[Any, str]]:
    """(logical date or run_after, state) of every run of a DAG since an instant, for the calendar."""
    dr = s.dag_run.c
    when = sa.func.coalesce(dr.logical_date, dr.run_after)
    return [(w, st) for w, st in conn.execute(sa.select(when, dr.state).where(dr.dag_id == dag_id, dr.run_after >= since))]


def runs_around(conn: sa.Connection, dag_id: str, run: dict[str, Any], *, future: bool, past: bool) -> list[str]:
    """The run's id, plus the runs after it (future) and/or before it (past), by run_after."""
    dr = s.dag_run.c
    ids = [run["run_id"]]
    if future:
        ids += conn.execute(sa.select(dr.run_id).where(dr.dag_id == dag_id, dr.run_after > run["run_after"])).scalars().all()
    if past:
        ids += conn.execute(sa.select(dr.run_id).where(dr.dag_id == dag_id, dr.run_after < run["run_after"])).scalars().all()
    return ids
