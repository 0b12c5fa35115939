"""Write a ParseReport into the metadata DB in one transaction: DAG rows, versions, source, import errors, staleness."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from tradewind.clock import Clock
from tradewind.dagfiles.importer import FileResult
from tradewind.dagfiles.processor import ParseReport
from tradewind.store import dag_code, dags, import_errors, serialized_dags
from tradewind.store.schema import dag as dag_table

if TYPE_CHECKING:
    from tradewind.store.database import Database


def _read_source(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _sync_file(conn: sa.Connection, result: FileResult, *, paused_at_creation: bool, now: datetime) -> list[str]:
    """Store one cleanly imported file: its DAGs (a new version only on change) and its source.

    Returns the ids of the DAGs that changed: new versions, and DAGs the file stopped defining.
    """
    changed = []
    for doc in result.dags:
        dags.upsert_from_serialized(conn, doc, paused_at_creation=paused_at_creation,
                                    parse_duration_s=result.duration_s, now=now)
        _version, is_new_version = serialized_dags.write_if_changed(conn, doc["dag_id"], doc, result.path, now=now)
        if is_new_version:
            changed.append(doc["dag_id"])
    # The file no longer defines the DAGs it used to, beyond those just stored.
    changed.extend(_mark_stale(conn, keep_dag_ids=result.dag_ids, filelocs=[result.path]))
    source = _read_source(result.path)
    if source is not None and result.dags:
        dag_code.write_if_changed(conn, result.path, source, now=now)
    return changed


def _mark_stale(conn: sa.Connection, *, keep_dag_ids: list[str], filelocs: list[str]) -> list[str]:
    """Mark stale the live DAGs of these files that are not kept; returns their ids."""
    query = sa.select(dag_table.c.dag_id).where(dag_table.c.is_stale.is_(False), dag_table.c.fileloc.in_(filelocs))
    going = sorted(set(conn.execute(query).scalars()) - set(keep_dag_ids))
    if going:
        dags.mark_stale(conn, keep_dag_ids=keep_dag_ids, filelocs=filelocs)
    return going


def _is_under(path: str, folder: Path) -> bool:
    try:
        Path(path).relative_to(folder)
    except ValueError:
        return False
    return True


def _gone_files(conn: sa.Connection, report: ParseReport) -> list[str]:
    """Files under the parsed folder that DAGs or import errors still point at, but that this parse did not find.

    Files outside the folder are left alone: `-S/--subdir` parses another folder without
    making the DAGs of [core] dags_folder stale.
    """
    if not report.is_full_scan:
        return sorted(report.removed_files)
    seen = {r.path for r in report.results}
    known = {row.fileloc for row in conn.execute(sa.select(dag_table.c.fileloc).where(dag_table.c.is_stale.is_(False)))}
    known.update(e["filename"] for e in import_errors.list_import_errors(conn))
    return sorted(f for f in known - seen if _is_under(f, report.dags_folder))


def sync_report(db: Database, report: ParseReport, *, paused_at_creation: bool = True,
                clock: Clock | None = None) -> list[str]:
    """Record the report: DAG rows and tags, serialized versions, dag_code, import_error rows, stale DAGs.

    New DAGs start paused per their is_paused_upon_creation, else `paused_at_creation`
    ([core] dags_are_paused_at_creation); existing DAGs keep their paused flag. Returns the ids of
    the DAGs that changed (a new version, or stale now), and records them in `report.changed_dag_ids`.
    """
    now = (clock or Clock()).now()
    changed: list[str] = []
    with db.write() as conn:
        errors = report.errors
        import_errors.replace_for_files(conn, errors, now=now)
        for result in report.results:
            if result.error is None:
                import_errors.clear_for_files(conn, [result.path])
                changed.extend(_sync_file(conn, result, paused_at_creation=paused_at_creation, now=now))
        gone = _gone_files(conn, report)
        if gone:
            changed.extend(_mark_stale(conn, keep_dag_ids=[], filelocs=gone))
            import_errors.clear_for_files(conn, gone)
            dag_code.remove(conn, gone)
    report.changed_dag_ids = sorted(set(changed))
    return report.changed_dag_ids
