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


def list_variables(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every variable (values as stored; the caller decrypts or masks)."""
    return [dict(r._mapping) for r in conn.execute(sa.select(s.variable).order_by(s.variable.c.key))]


def list_connections(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every connection without its password, and whether it has one."""
    c = s.connection.c
    query = sa.select(c.id, c.conn_id, c.conn_type, c.description, c.host, c.schema, c.login, c.port,
                      (c.password.is_not(None) & (c.password != "")).label("has_password")).order_by(c.conn_id)
    return [dict(r._mapping) for r in conn.execute(query)]


def get_connection(conn: sa.Connection, conn_id: str) -> dict[str, Any] | None:
    """One connection row without its password."""
    c = s.connection.c
    row = conn.execute(sa.select(c.conn_id, c.conn_type, c.description, c.host, c.schema, c.login, c.port, c.extra,
                                 c.is_extra_encrypted).where(c.conn_id == conn_id)).first()
    return dict(row._mapping) if row else None


def list_pools(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every pool with its running, queued and deferred slot counts and the slots still open."""
    ti = s.task_instance.c
    used = {(pool, state): n for pool, state, n in conn.execute(
        sa.select(ti.pool, ti.state, sa.func.sum(ti.pool_slots))
        .where(ti.state.in_(("running", "queued", "deferred"))).group_by(ti.pool, ti.state))}
    out = []
    for row in conn.execute(sa.select(s.slot_pool).order_by(s.slot_pool.c.pool)):
        pool = dict(row._mapping)
        running, queued, deferred = (int(used.get((pool["pool"], st), 0) or 0) for st in ("running", "queued", "deferred"))
        occupied = running + queued + (deferred if pool["include_deferred"] else 0)
        pool.update(running=running, queued=queued, deferred=deferred, occupied=occupied,
                    open=pool["slots"] - occupied if pool["slots"] >= 0 else None)
        out.append(pool)
    return out


def list_users(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every user without the password hash."""
    u = s.ab_user.c
    query = sa.select(u.id, u.username, u.role, u.email, u.first_name, u.last_name, u.active, u.created_at,
                      u.last_login_at).order_by(u.username)
    return [dict(r._mapping) for r in conn.execute(query)]


def get_user(conn: sa.Connection, username: str) -> dict[str, Any] | None:
    """One user row with its password hash, or None."""
    row = conn.execute(sa.select(s.ab_user).where(s.ab_user.c.username == username)).first()
    return dict(row._mapping) if row else None
