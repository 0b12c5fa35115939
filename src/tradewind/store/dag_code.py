"""Named SQL for `dag_code`: the source of each DAG file, for the UI's code view."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.schema import dag_code


def write_if_changed(conn: sa.Connection, fileloc: str, source_code: str, *, now: datetime | None = None) -> bool:
    """Store a file's source unless the stored copy is identical; True when it was written."""
    digest = hashlib.sha256(source_code.encode()).hexdigest()
    stored = conn.execute(sa.select(dag_code.c.source_hash).where(dag_code.c.fileloc == fileloc)).first()
    if stored is not None and stored.source_hash == digest:
        return False
    values = {"source_code": source_code, "source_hash": digest, "updated_at": now or utcnow()}
    if stored is None:
        conn.execute(dag_code.insert().values(fileloc=fileloc, **values))
    else:
        conn.execute(dag_code.update().where(dag_code.c.fileloc == fileloc).values(**values))
    return True


def get_source(conn: sa.Connection, fileloc: str) -> str | None:
    """The stored source of a DAG file, or None."""
    return conn.execute(sa.select(dag_code.c.source_code).where(dag_code.c.fileloc == fileloc)).scalar()


def remove(conn: sa.Connection, filelocs: Iterable[str]) -> int:
    """Forget the source of these files (deleted from the DAGs folder); returns how many."""
    files = sorted(filelocs)
    return conn.execute(dag_code.delete().where(dag_code.c.fileloc.in_(files))).rowcount if files else 0


get = get_source
