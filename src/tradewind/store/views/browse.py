"""Read queries of the Browse and Admin lists: runs, task instances, XComs, action log, variables..."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tradewind.store import schema as s


def _page(conn: sa.Connection, query: sa.Select, order: list[Any], limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(*order).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows], total


def _where_equal(query: sa.Select, table: sa.Table, filters: dict[str, Any]) -> sa.Select:
    for column, value in filters.items():
        if value not in (None, ""):
            query = query.where(table.c[column] == value)
    return query


def list_dag_runs(conn: sa.Connection, *, limit: int = 50, offset: int = 0, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """DAG runs, newest first, filtered by equality on dag_id, state, run_type; and the total."""
    query = _where_equal(sa.select(s.dag_run), s.dag_run, filters)
    return _page(conn, query, [s.dag_run.c.id.desc()], limit, offset)


def list_task_instances(conn: sa.Connection, *, limit: int = 50, offset: int = 0,
                        **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """Task instances, newest first, filtered by equality on dag_id, run_id, task_id, state; and the total."""
    ti = s.task_instance
    columns = [ti.c[c] for c in ("dag_id", "run_id", "task_id", "map_index", "state", "try_number", "start_date",
                                 "end_date", "duration", "operator", "pool", "queue", "hostname")]
    state = filters.pop("state", None)
    query = _where_equal(sa.select(*columns), ti, filters)
    if state == "none":
        query = query.where(ti.c.state.is_(None))
    elif state:
        query = query.where(ti.c.state == state)
    return _page(conn, query, [ti.c.id.desc()], limit, offset)


def list_xcoms(conn: sa.Connection, *, limit: int = 50, offset: int = 0, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """XComs, newest first, filtered by dag_id, run_id, task_id, key."""
    query = _where_equal(sa.select(s.xcom), s.xcom, filters)
    return _page(conn, query, [s.xcom.c.id.desc()], limit, offset)


def list_action_log(conn: sa.Connection, *, limit: int = 50, offset: int = 0, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """The audit log, newest first, filtered by dag_id, event, owner."""
    query = _where_equal(sa.select(s.log), s.log, filters)
    return _page(conn, query, [s.log.c.id.desc()], limit, offset)


def list_import_errors(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every import error, by file name."""
    return [dict(r._mapping) for r in conn.execute(sa.select(s.import_error).order_by(s.import_error.c.filename))]
