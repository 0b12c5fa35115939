"""`airflow dags list | list-import-errors | show | details | report | reserialize`: DAGs as the parser sees them.

Every command parses the DAGs folder (or `-S/--subdir`) first and records the outcome in the
metadata DB, so what it prints is what the files say now, not what an earlier parse found.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradewind.cli.metadata_db import checked_database
from tradewind.cli.output import print_rows
from tradewind.errors import DagNotFound

if TYPE_CHECKING:
    from tradewind.config.settings import Settings
    from tradewind.store.database import Database
    from tradewind.store.serialized_dag import SerializedDag

LIST_COLUMNS = ["dag_id", "fileloc", "owners", "is_paused"]
IMPORT_ERROR_COLUMNS = ["filepath", "error"]
REPORT_COLUMNS = ["file", "duration", "dag_num", "task_num", "dags"]


def settings_for(args: argparse.Namespace) -> Settings:
    """The effective settings, with [core] dags_folder replaced by -S/--subdir when given."""
    from tradewind.cli.arguments import with_dags_folder
    from tradewind.config.settings import load_settings

    return with_dags_folder(load_settings(), getattr(args, "subdir", None))


def _warn_import_errors(report: Any) -> None:
    if report.errors:
        print(f"{len(report.errors)} DAG file(s) failed to import: see `airflow dags list-import-errors`",
              file=sys.stderr)


def _under(path: str, folder: Path) -> bool:
    try:
        Path(path).relative_to(folder)
    except ValueError:
        return False
    return True


def list_dags(args: argparse.Namespace) -> int:
    from tradewind.dagfiles.processor import parse_and_sync
    from tradewind.store import dags

    settings = settings_for(args)
    db = checked_database(settings)
    report = parse_and_sync(settings, db)
    folder = settings.dags_folder.absolute()
    with db.read() as conn:
        rows = [r for r in dags.list_dags(conn) if _under(r["fileloc"], folder)]
    print_rows(rows, args.output, LIST_COLUMNS)
    _warn_import_errors(report)
    return 0


def list_import_errors(args: argparse.Namespace) -> int:
    from tradewind.dagfiles.processor import parse_and_sync
    from tradewind.store import import_errors

    settings = settings_for(args)
    db = checked_database(settings)
    parse_and_sync(settings, db)
    folder = settings.dags_folder.absolute()
    with db.read() as conn:
        rows = [{"filepath": e["filename"], "error": e["stack_trace"]}
                for e in import_errors.list_import_errors(conn) if _under(e["filename"], folder)]
    print_rows(rows, args.output, IMPORT_ERROR_COLUMNS)
    return 0


def report_dags(args: argparse.Namespace) -> int:
    from tradewind.dagfiles.processor import parse_and_sync

    settings = settings_for(args)
    report = parse_and_sync(settings, checked_database(settings))
    rows = [{"file": report.relative_path(r.path), "duration": str(timedelta(seconds=r.duration_s)),
             "dag_num": len(r.dags), "task_num": sum(len(d["tasks"]) for d in r.dags), "dags": ", ".join(r.dag_ids)}
            for r in sorted(report.results, key=lambda r: r.duration_s, reverse=True)]
    print_rows(rows, args.output, REPORT_COLUMNS)
    _warn_import_errors(report)
    return 0


def reserialize(args: argparse.Namespace) -> int:
    from tradewind.dagfiles.processor import parse_and_sync

    settings = settings_for(args)
    report = parse_and_sync(settings, checked_database(settings))
    print(f"Serialized {len(report.dags)} DAG(s) from {len(report.results)} file(s); "
          f"{len(report.errors)} file(s) with import errors")
    _warn_import_errors(report)
    return 0


def fresh_serialized_dag(settings: Settings, dag_id: str, db: Database | None = None) -> SerializedDag:
    """The DAG as its file defines it now: re-parse its known file (or the folder), then read it back."""
    from tradewind.dagfiles.processor import parse_and_sync
    from tradewind.store import dags, serialized_dags

    db = db or checked_database(settings)
    with db.read() as conn:
        row = dags.get(conn, dag_id)
    known = row is not None and not row["is_stale"] and Path(row["fileloc"]).is_file()
    parse_and_sync(settings, db, files=[row["fileloc"]] if known else None)
    with db.read() as conn:
        row = dags.get(conn, dag_id)
        found = serialized_dags.latest(conn, dag_id) if row is not None and not row["is_stale"] else None
    if found is None:
        raise DagNotFound(dag_id)
    return found


def show_dag(args: argparse.Namespace) -> int:
    from tradewind.cli.tasks_list_cmd import tree_lines

    sdag = fresh_serialized_dag(settings_for(args), args.dag_id)
    print("\n".join(tree_lines(sdag)) if args.tree else render_dot(sdag))
    return 0


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(sdag: SerializedDag) -> str:
    """The DAG as Graphviz dot text: a box per task, a cluster per task group, an arrow per dependency."""
    groups = sdag.data.get("task_groups") or {"": {"children": sdag.task_ids}}
    lines = [f"digraph {_quote(sdag.dag_id)} {{",
             f"    graph [label={_quote(sdag.dag_id)} labelloc=t rankdir=LR];"]

    def emit(group_id: str, depth: int) -> None:
        pad = "    " * depth
        for child in groups[group_id]["children"]:
            if child in groups:
                lines.append(f"{pad}subgraph {_quote('cluster_' + child)} {{")
                lines.append(f"{pad}    graph [label={_quote(child)} style=dashed];")
                emit(child, depth + 1)
                lines.append(f"{pad}}}")
            elif child in sdag.tasks:
                task = sdag.tasks[child]
                lines.append(f"{pad}{_quote(child)} [label={_quote(child)} shape=rectangle style=\"filled,rounded\" "
                             f"fillcolor={_quote(task.get('ui_color') or '#fff')} "
                             f"fontcolor={_quote(task.get('ui_fgcolor') or '#000')}];")

    emit("", 1)
    for task in sdag:
        for child in task.downstream:
            lines.append(f"    {_quote(task.task_id)} -> {_quote(child)};")
    lines.append("}")
    return "\n".join(lines)


def dag_details(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    db = checked_database(settings)
    sdag = fresh_serialized_dag(settings, args.dag_id, db)
    details = _details(db, sdag)
    if args.output in ("table", "plain"):
        rows = [{"property_name": k, "property_value": v} for k, v in details.items()]
        print_rows(rows, args.output, ["property_name", "property_value"])
    else:
        print_rows([details], args.output, list(details))
    return 0


def _details(db: Database, sdag: SerializedDag) -> dict[str, Any]:
    from tradewind.store import dags

    with db.read() as conn:
        row = dags.get(conn, sdag.dag_id) or {}
    data = sdag.data
    return {
        "dag_id": sdag.dag_id, "dag_display_name": sdag.dag_id, "is_paused": row.get("is_paused"),
        "is_stale": row.get("is_stale"), "last_parsed_time": row.get("last_parsed_at"),
        "fileloc": data["fileloc"], "relative_fileloc": data.get("relative_fileloc"), "owners": row.get("owners"),
        "description": data.get("description"), "timetable_summary": data.get("timetable_summary"),
        "timetable_description": data.get("timetable_description"), "tags": data.get("tags"),
        "max_active_tasks": data.get("max_active_tasks"), "max_active_runs": data.get("max_active_runs"),
        "has_import_errors": row.get("has_import_errors"), "next_dagrun_logical_date": row.get("next_dagrun_logical_at"),
        "next_dagrun_create_after": row.get("next_dagrun_create_after"), "start_date": data.get("start_date"),
        "end_date": data.get("end_date"), "catchup": data.get("catchup"), "timezone": data.get("timezone"),
        "dagrun_timeout": data.get("dagrun_timeout_s"), "is_paused_upon_creation": data.get("is_paused_upon_creation"),
        "params": data.get("params"), "doc_md": data.get("doc_md"), "task_count": len(sdag.tasks),
        "latest_version": sdag.version_number,
    }
