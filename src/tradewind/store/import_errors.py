"""Named SQL for `import_error`: one row per DAG file that failed to import."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store import dags
from tradewind.store.schema import import_error


def replace_for_files(conn: sa.Connection, errors: Mapping[str, str], *, now: datetime | None = None) -> None:
    """Set the import error of each file in `errors` ({filename: stack_trace}), replacing older ones."""
    if not errors:
        return
    files = sorted(errors)
    conn.execute(import_error.delete().where(import_error.c.filename.in_(files)))
    stamp = now or utcnow()
    conn.execute(import_error.insert(), [{"filename": f, "stack_trace": errors[f], "timestamp": stamp} for f in files])
    dags.mark_import_errors(conn, files, True)


def clear_for_files(conn: sa.Connection, filenames: Iterable[str]) -> int:
    """Remove the import errors of these files (they now import cleanly, or are gone)."""
    files = sorted(filenames)
    if not files:
        return 0
    removed = conn.execute(import_error.delete().where(import_error.c.filename.in_(files))).rowcount
    dags.mark_import_errors(conn, files, False)
    return removed


def list_import_errors(conn: sa.Connection, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Import errors by file name, with Airflow's field names (import_error_id, timestamp, filename, stack_trace)."""
    c = import_error.c
    query = sa.select(c.id.label("import_error_id"), c.timestamp, c.filename, c.stack_trace).order_by(c.filename)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [dict(r._mapping) for r in conn.execute(query)]


def count_import_errors(conn: sa.Connection) -> int:
    """How many files have an import error."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(import_error)).scalar_one())


list = list_import_errors  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
