"""Read queries of one task instance: the row, its tries, its XComs."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tradewind.store import schema as s


def _key_filter(table: sa.Table, dag_id: str, run_id: str, task_id: str, map_index: int) -> sa.ColumnElement[bool]:
    return sa.and_(table.c.dag_id == dag_id, table.c.run_id == run_id, table.c.task_id == task_id,
                   table.c.map_index == map_index)


def get_task_instance(conn: sa.Connection, dag_id: str, run_id: str, task_id: str,
                      map_index: int = -1) -> dict[str, Any] | None:
    """One task instance row, or None."""
    row = conn.execute(sa.select(s.task_instance).where(
        _key_filter(s.task_instance, dag_id, run_id, task_id, map_index))).first()
    return dict(row._mapping) if row else None


def mapped_indexes(conn: sa.Connection, dag_id: str, run_id: str, task_id: str) -> list[dict[str, Any]]:
    """The map indexes of a task in a run with their states, in order."""
    ti = s.task_instance.c
    query = (sa.select(ti.map_index, ti.state, ti.rendered_map_index)
             .where(ti.dag_id == dag_id, ti.run_id == run_id, ti.task_id == task_id).order_by(ti.map_index))
    return [dict(r._mapping) for r in conn.execute(query)]


def tries(conn: sa.Connection, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> list[dict[str, Any]]:
    """The earlier tries of a task instance (from its history), oldest first."""
    h = s.task_instance_history
    query = sa.select(h).where(_key_filter(h, dag_id, run_id, task_id, map_index)).order_by(h.c.try_number)
    return [dict(r._mapping) for r in conn.execute(query)]


def xcoms_for(conn: sa.Connection, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> list[dict[str, Any]]:
    """The XComs one task instance pushed, by key."""
    query = (sa.select(s.xcom).where(_key_filter(s.xcom, dag_id, run_id, task_id, map_index))
             .order_by(s.xcom.c.key))
    return [dict(r._mapping) for r in conn.execute(query)]
