"""Named SQL for `serialized_dag`: versioned DAG documents, a new version only when the hash changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.schema import dag, serialized_dag
from tradewind.store.serialized_dag import SerializedDag, dag_hash


def write_if_changed(conn: sa.Connection, dag_id: str, data: dict[str, Any], fileloc: str,
                     *, now: datetime | None = None) -> tuple[int, bool]:
    """Store the document as a new version unless it equals the latest; returns (version_number, changed)."""
    digest = dag_hash(data)
    s = serialized_dag.c
    latest = conn.execute(
        sa.select(s.version_number, s.dag_hash).where(s.dag_id == dag_id).order_by(s.version_number.desc()).limit(1)
    ).first()
    if latest is not None and latest.dag_hash == digest:
        return latest.version_number, False
    version = (latest.version_number if latest is not None else 0) + 1
    conn.execute(serialized_dag.insert().values(dag_id=dag_id, version_number=version, dag_hash=digest, data=data,
                                                fileloc=fileloc, created_at=now or utcnow()))
    conn.execute(dag.update().where(dag.c.dag_id == dag_id).values(latest_version=version))
    return version, True


def latest(conn: sa.Connection, dag_id: str, version_number: int | None = None) -> SerializedDag | None:
    """The newest stored version of a DAG (or the given version), or None."""
    s = serialized_dag.c
    query = sa.select(s.data, s.version_number).where(s.dag_id == dag_id)
    if version_number is not None:
        query = query.where(s.version_number == version_number)
    row = conn.execute(query.order_by(s.version_number.desc()).limit(1)).first()
    return None if row is None else SerializedDag(row.data, version_number=row.version_number)


def latest_many(conn: sa.Connection, dag_ids: Iterable[str] | None = None) -> dict[str, SerializedDag]:
    """The newest version of each DAG (all DAGs when dag_ids is None), by dag_id."""
    s = serialized_dag.c
    newest = sa.select(s.dag_id, sa.func.max(s.version_number).label("version_number")).group_by(s.dag_id)
    if dag_ids is not None:
        newest = newest.where(s.dag_id.in_(sorted(dag_ids)))
    newest_sq = newest.subquery()
    query = sa.select(s.dag_id, s.data, s.version_number).join(
        newest_sq, sa.and_(s.dag_id == newest_sq.c.dag_id, s.version_number == newest_sq.c.version_number))
    return {r.dag_id: SerializedDag(r.data, version_number=r.version_number) for r in conn.execute(query)}


def latest_hashes(conn: sa.Connection) -> dict[str, tuple[int, str]]:
    """(version_number, dag_hash) of each DAG's newest version, for cheap change detection."""
    s = serialized_dag.c
    newest = sa.select(s.dag_id, sa.func.max(s.version_number).label("v")).group_by(s.dag_id).subquery()
    query = sa.select(s.dag_id, s.version_number, s.dag_hash).join(
        newest, sa.and_(s.dag_id == newest.c.dag_id, s.version_number == newest.c.v))
    return {r.dag_id: (r.version_number, r.dag_hash) for r in conn.execute(query)}


def versions(conn: sa.Connection, dag_id: str) -> list[dict[str, Any]]:
    """Every stored version of a DAG, newest first, without the documents."""
    s = serialized_dag.c
    query = sa.select(s.version_number, s.dag_hash, s.fileloc, s.created_at).where(s.dag_id == dag_id)
    return [dict(r._mapping) for r in conn.execute(query.order_by(s.version_number.desc()))]
