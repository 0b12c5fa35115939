"""Read queries of the DAG list page: one page of DAGs with their last run, next run and recent states."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tradewind.store import schema as s


@dataclass
class DagListFilter:
    """What the user asked the DAG list for."""

    search: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "all"            # all | active | paused
    limit: int = 25
    offset: int = 0


def _filtered(query: sa.Select, flt: DagListFilter, *, with_status: bool = True) -> sa.Select:
    query = query.where(s.dag.c.is_stale.is_(False))
    if flt.search:
        query = query.where(s.dag.c.dag_id.ilike(f"%{flt.search}%"))
    if flt.tags:
        tagged = sa.select(s.dag_tag.c.dag_id).where(s.dag_tag.c.name.in_(flt.tags))
        query = query.where(s.dag.c.dag_id.in_(tagged))
    if with_status and flt.status == "active":
        query = query.where(s.dag.c.is_paused.is_(False))
    elif with_status and flt.status == "paused":
        query = query.where(s.dag.c.is_paused.is_(True))
    return query


def status_counts(conn: sa.Connection, flt: DagListFilter) -> dict[str, int]:
    """How many DAGs match the search and tags, in all, active and paused."""
    query = _filtered(sa.select(s.dag.c.is_paused, sa.func.count()).group_by(s.dag.c.is_paused), flt,
                      with_status=False)
    counts = {bool(paused): n for paused, n in conn.execute(query)}
    return {"all": sum(counts.values()), "active": counts.get(False, 0), "paused": counts.get(True, 0)}


def list_dags(conn: sa.Connection, flt: DagListFilter) -> list[dict[str, Any]]:
    """One page of DAG rows (sorted by dag_id), each with tags, last run, run counts and recent task states."""
    query = _filtered(sa.select(s.dag), flt).order_by(s.dag.c.dag_id).limit(flt.limit).offset(flt.offset)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    ids = [r["dag_id"] for r in rows]
    if not ids:
        return rows
    tags = _tags_by_dag(conn, ids)
    last_runs = _last_runs(conn, ids)
    run_counts = _run_state_counts(conn, ids)
    ti_counts = _ti_state_counts(conn, [(r["dag_id"], r["run_id"]) for r in last_runs.values()])
    for row in rows:
        dag_id = row["dag_id"]
        row["tags"] = tags.get(dag_id, [])
        row["last_run"] = last_runs.get(dag_id)
        row["run_counts"] = run_counts.get(dag_id, {})
        last = last_runs.get(dag_id)
        row["recent_task_states"] = ti_counts.get((dag_id, last["run_id"]), {}) if last else {}
    return rows


def _tags_by_dag(conn: sa.Connection, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    query = sa.select(s.dag_tag.c.dag_id, s.dag_tag.c.name).where(s.dag_tag.c.dag_id.in_(ids)).order_by(s.dag_tag.c.name)
    for dag_id, name in conn.execute(query):
        out.setdefault(dag_id, []).append(name)
    return out


def _last_runs(conn: sa.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    latest = (sa.select(s.dag_run.c.dag_id, sa.func.max(s.dag_run.c.run_after).label("run_after"))
              .where(s.dag_run.c.dag_id.in_(ids)).group_by(s.dag_run.c.dag_id).subquery())
    query = sa.select(s.dag_run).join(
        latest, sa.and_(s.dag_run.c.dag_id == latest.c.dag_id, s.dag_run.c.run_after == latest.c.run_after))
    return {r.dag_id: dict(r._mapping) for r in conn.execute(query)}


def _run_state_counts(conn: sa.Connection, ids: list[str]) -> dict[str, dict[str, int]]:
    query = (sa.select(s.dag_run.c.dag_id, s.dag_run.c.state, sa.func.count())
             .where(s.dag_run.c.dag_id.in_(ids)).group_by(s.dag_run.c.dag_id, s.dag_run.c.state))
    out: dict[str, dict[str, int]] = {}
    for dag_id, state, n in conn.execute(query):
        out.setdefault(dag_id, {})[state] = n
    return out


def _ti_state_counts(conn: sa.Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, int]]:
    if not keys:
        return {}
    ti = s.task_instance.c
    query = (sa.select(ti.dag_id, ti.run_id, ti.state, sa.func.count())
             .where(sa.or_(*(sa.and_(ti.dag_id == d, ti.run_id == r) for d, r in keys)))
             .group_by(ti.dag_id, ti.run_id, ti.state))
    out: dict[tuple[str, str], dict[str, int]] = {}
    for dag_id, run_id, state, n in conn.execute(query):
        out.setdefault((dag_id, run_id), {})[state or "none"] = n
    return out


def all_tags(conn: sa.Connection) -> list[str]:
    """Every tag in use, sorted."""
    return list(conn.execute(sa.select(s.dag_tag.c.name).distinct().order_by(s.dag_tag.c.name)).scalars())


def import_errors(conn: sa.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """The import errors of DAG files, newest first."""
    query = sa.select(s.import_error).order_by(s.import_error.c.filename).limit(limit)
    return [dict(r._mapping) for r in conn.execute(query)]
