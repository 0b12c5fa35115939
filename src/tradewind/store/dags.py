"""Named SQL for the `dag` and `dag_tag` tables: what the DAG processor upserts and the UI lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.keys import row_dict
from tradewind.store.schema import dag, dag_tag

# Columns the scheduler owns; a re-parse never touches them.
_SCHEDULER_COLUMNS = ("next_dagrun_logical_at", "next_dagrun_data_interval_start",
                      "next_dagrun_data_interval_end", "next_dagrun_create_after")


def _owners(data: dict[str, Any]) -> str | None:
    owners: dict[str, None] = {}
    for task in data.get("tasks", ()):
        if task.get("owner"):
            owners[task["owner"]] = None
    if not owners and data.get("owner"):
        owners[data["owner"]] = None
    return ", ".join(owners) or None


def upsert_from_serialized(conn: sa.Connection, data: dict[str, Any], *, version_number: int | None = None,
                           paused_at_creation: bool = True, parse_duration_s: float | None = None,
                           now: datetime | None = None) -> bool:
    """Insert or refresh a DAG's row and tags from its serialized document; True when the DAG is new.

    A new DAG starts paused per its is_paused_upon_creation, else [core] dags_are_paused_at_creation;
    an existing DAG keeps its paused flag and its scheduling columns.
    """
    now = now or utcnow()
    dag_id = data["dag_id"]
    values = {
        "fileloc": data["fileloc"], "description": data.get("description"), "owners": _owners(data),
        "timetable_summary": data.get("timetable_summary"), "timetable_description": data.get("timetable_description"),
        "max_active_runs": data.get("max_active_runs"), "max_active_tasks": data.get("max_active_tasks"),
        "is_stale": False, "has_import_errors": False, "last_parsed_at": now,
        "last_parse_duration_s": parse_duration_s,
    }
    if version_number is not None:
        values["latest_version"] = version_number
    exists = conn.execute(sa.select(dag.c.dag_id).where(dag.c.dag_id == dag_id)).first() is not None
    if exists:
        conn.execute(dag.update().where(dag.c.dag_id == dag_id).values(**values))
    else:
        paused = data.get("is_paused_upon_creation")
        conn.execute(dag.insert().values(dag_id=dag_id, is_paused=paused_at_creation if paused is None else bool(paused),
                                         **values))
    _replace_tags(conn, dag_id, data.get("tags") or ())
    return not exists


def _replace_tags(conn: sa.Connection, dag_id: str, tags: Iterable[str]) -> None:
    wanted = sorted({str(t)[:100] for t in tags})
    current = sorted(r.name for r in conn.execute(sa.select(dag_tag.c.name).where(dag_tag.c.dag_id == dag_id)))
    if wanted == current:
        return
    conn.execute(dag_tag.delete().where(dag_tag.c.dag_id == dag_id))
    if wanted:
        conn.execute(dag_tag.insert(), [{"dag_id": dag_id, "name": t} for t in wanted])


def set_paused(conn: sa.Connection, dag_id: str, is_paused: bool) -> bool:
    """Pause or unpause a DAG; False when no such DAG is known."""
    return conn.execute(dag.update().where(dag.c.dag_id == dag_id).values(is_paused=is_paused)).rowcount == 1


def set_next_dagrun(conn: sa.Connection, dag_id: str, *, logical_at: datetime | None,
                    data_interval: tuple[datetime, datetime] | None, create_after: datetime | None) -> None:
    """Record where the scheduler's timetable walk stands for this DAG."""
    conn.execute(dag.update().where(dag.c.dag_id == dag_id).values(
        next_dagrun_logical_at=logical_at,
        next_dagrun_data_interval_start=data_interval[0] if data_interval else None,
        next_dagrun_data_interval_end=data_interval[1] if data_interval else None,
        next_dagrun_create_after=create_after,
    ))


def _tags_by_dag(conn: sa.Connection, dag_ids: Sequence[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {d: [] for d in dag_ids}
    if dag_ids:
        query = sa.select(dag_tag.c.dag_id, dag_tag.c.name).where(dag_tag.c.dag_id.in_(dag_ids)).order_by(dag_tag.c.name)
        for row in conn.execute(query):
            tags[row.dag_id].append(row.name)
    return tags


def get(conn: sa.Connection, dag_id: str) -> dict[str, Any] | None:
    """One DAG's row with its `tags`, or None."""
    found = row_dict(conn.execute(sa.select(dag).where(dag.c.dag_id == dag_id)).first())
    if found is not None:
        found["tags"] = _tags_by_dag(conn, [dag_id])[dag_id]
    return found


def _filtered(query: sa.Select, *, tags: Sequence[str] | None, paused: bool | None, pattern: str | None,
              include_stale: bool) -> sa.Select:
    if tags:
        query = query.where(dag.c.dag_id.in_(sa.select(dag_tag.c.dag_id).where(dag_tag.c.name.in_(tags))))
    if paused is not None:
        query = query.where(dag.c.is_paused == paused)
    if pattern:
        query = query.where(dag.c.dag_id.ilike(f"%{pattern}%"))
    if not include_stale:
        query = query.where(dag.c.is_stale.is_(False))
    return query


def list_dags(conn: sa.Connection, *, tags: Sequence[str] | None = None, paused: bool | None = None,
              pattern: str | None = None, include_stale: bool = False, limit: int | None = None,
              offset: int = 0) -> list[dict[str, Any]]:
    """DAG rows (with `tags`) by dag_id; tags match any of those given, pattern is a substring of the id."""
    query = _filtered(sa.select(dag), tags=tags, paused=paused, pattern=pattern, include_stale=include_stale)
    query = query.order_by(dag.c.dag_id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    tags_of = _tags_by_dag(conn, [r["dag_id"] for r in rows])
    for row in rows:
        row["tags"] = tags_of[row["dag_id"]]
    return rows


def count_dags(conn: sa.Connection, *, tags: Sequence[str] | None = None, paused: bool | None = None,
               pattern: str | None = None, include_stale: bool = False) -> int:
    """How many DAGs list_dags would return without limit and offset."""
    query = _filtered(sa.select(sa.func.count()).select_from(dag), tags=tags, paused=paused, pattern=pattern,
                      include_stale=include_stale)
    return int(conn.execute(query).scalar_one())


def mark_stale(conn: sa.Connection, *, keep_dag_ids: Iterable[str], filelocs: Iterable[str] | None = None) -> int:
    """Mark stale the DAGs not in `keep_dag_ids` (only those from `filelocs` when given); returns how many."""
    keep = sorted(keep_dag_ids)
    query = dag.update().where(dag.c.is_stale.is_(False))
    if keep:
        query = query.where(dag.c.dag_id.not_in(keep))
    if filelocs is not None:
        query = query.where(dag.c.fileloc.in_(sorted(filelocs)))
    return conn.execute(query.values(is_stale=True)).rowcount


def mark_import_errors(conn: sa.Connection, filelocs: Iterable[str], has_errors: bool) -> None:
    """Flag the DAGs defined in these files as having (or no longer having) import errors."""
    files = sorted(filelocs)
    if files:
        conn.execute(dag.update().where(dag.c.fileloc.in_(files)).values(has_import_errors=has_errors))


def delete_dag(conn: sa.Connection, dag_id: str) -> bool:
    """Remove a DAG's row and tags (its runs are the caller's business)."""
    conn.execute(dag_tag.delete().where(dag_tag.c.dag_id == dag_id))
    return conn.execute(dag.delete().where(dag.c.dag_id == dag_id)).rowcount == 1


list = list_dags  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
