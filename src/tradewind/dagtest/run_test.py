"""Run one DAG run of an in-process DAG object, recorded in the metadata DB (`dags test`, `dag.test()`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.errors import DagNotFound


@dataclass
class DagTestResult:
    """How the tested run ended, with one row per task instance."""

    dag_id: str
    run_id: str
    state: str
    task_rows: list[dict[str, Any]] = field(default_factory=list)


def open_database(settings: Settings) -> Any:
    """The metadata DB, migrated and with its defaults: `dags test` works on a fresh home too."""
    from tradewind.errors import DatabaseNotInitialized
    from tradewind.store.database import Database
    from tradewind.store.migrate import check

    db = Database.from_settings(settings)
    try:
        check(db)  # plain SQL: no Alembic import when the schema is current
    except DatabaseNotInitialized:
        from tradewind.store.defaults import create_defaults
        from tradewind.store.migrate import upgrade

        upgrade(db)
        create_defaults(db, fernet_key=str(settings.get("core", "fernet_key")))
    return db


def find_dag(settings: Settings, dag_id: str) -> Any:
    """Import the DAG file that defines `dag_id` in this process; parse the folder if needed."""
    from tradewind.dagfiles.importer import load_dags_from_file
    from tradewind.dagfiles.processor import parse_and_sync

    db = open_database(settings)
    fileloc = _known_fileloc(db, dag_id)
    if fileloc is None:
        parse_and_sync(settings, db)
        fileloc = _known_fileloc(db, dag_id)
    if fileloc is None:
        raise DagNotFound(dag_id)
    dags = load_dags_from_file(fileloc, settings)
    if dag_id not in dags:
        raise DagNotFound(dag_id)
    return dags[dag_id]


def _known_fileloc(db: Any, dag_id: str) -> str | None:
    from tradewind.store import dags as dag_rows

    with db.read() as conn:
        row = dag_rows.get(conn, dag_id)
    if row is None or getattr(row, "is_stale", False) if not isinstance(row, dict) else row.get("is_stale"):
        return None
    return row["fileloc"] if isinstance(row, dict) else row.fileloc


def store_serialized(settings: Settings, db: Any, dag: Any) -> Any:
    """Serialize the DAG and store it (a new version only when it changed); returns the stored view."""
    from tradewind.dagfiles.serialize import serialize_dag
    from tradewind.store import serialized_dags
    from tradewind.store.serialized_dag import SerializedDag

    data = serialize_dag(dag, settings)
    with db.write() as conn:
        version, _changed = serialized_dags.write_if_changed(conn, dag.dag_id, data, data["fileloc"])
    return SerializedDag(data, version_number=version)


def run_dag_test(settings: Settings, dag: Any, *, logical_date: datetime, conf: dict[str, Any], clock: Clock,
                 echo: bool) -> DagTestResult:
    """Create a fresh run at `logical_date` (replacing an earlier one there) and drive it to its end."""
    from tradewind.executors.inline import InlineExecutor
    from tradewind.scheduler.create_runs import create_run, run_id_for
    from tradewind.scheduler.drive_run import drive_run
    from tradewind.sdk.params import validate_params
    from tradewind.store import dag_runs, scheduling

    db = open_database(settings)
    validate_params(dag.params, conf)
    sdag = store_serialized(settings, db, dag)
    _ensure_dag_row(db, sdag)
    run_id = run_id_for("manual", logical_date)
    now = clock.now()
    with db.write() as conn:
        for existing in scheduling.runs_with_id_or_date(conn, dag.dag_id, run_id, logical_date):
            dag_runs.delete_run(conn, dag.dag_id, existing)
        interval = sdag.timetable.infer_manual_data_interval(run_after=logical_date)
        # Every task runs, whatever its start_date: `airflow dags test tutorial 2015-06-01`, as the
        # classic tutorial shows it, runs a DAG that starts days ago (Airflow 2.0-2.4 ran it as a backfill).
        create_run(conn, sdag, run_id=run_id, run_type="manual", logical_date=logical_date,
                   data_interval=(interval.start, interval.end), run_after=logical_date, conf=conf,
                   state="running", triggered_by="test", now=now, every_task=True)
    executor = InlineExecutor(db, settings, dag_lookup=lambda _dag_id: dag, clock=clock, echo=echo)
    state = drive_run(db, sdag, run_id, executor, clock)
    _run_dag_callback(settings, db, dag, state, run_id, clock)
    with db.read() as conn:
        rows = scheduling.run_task_states(conn, dag.dag_id, run_id)
    order = {task_id: i for i, task_id in enumerate(sdag.task_ids)}
    task_rows = sorted(
        ({"task_id": r.task_id, "map_index": r.map_index, "state": r.state, "try_number": r.try_number,
          "duration": None if r.duration is None else round(r.duration, 3)} for r in rows),
        key=lambda row: (order.get(row["task_id"], 0), row["map_index"]),
    )
    return DagTestResult(dag.dag_id, run_id, state, task_rows)


def _ensure_dag_row(db: Any, sdag: Any) -> None:
    from tradewind.store import dags as dag_rows

    with db.write() as conn:
        dag_rows.upsert_from_serialized(conn, sdag.data)


def _run_dag_callback(settings: Settings, db: Any, dag: Any, state: str, run_id: str, clock: Clock) -> None:
    """The DAG's on_success / on_failure callbacks with the context the DAG processor gives them; never fatal."""
    import logging

    from tradewind.runner.dag_callbacks import callback_name, dag_callback_context, run_dag_callbacks
    from tradewind.scheduler.dag_callbacks import reason_for

    is_failure = state != "success"
    if not getattr(dag, callback_name(is_failure), None):
        return
    try:
        context = dag_callback_context(db, settings, dag, run_id, reason_for(state), clock=clock)
    except Exception:  # a context that cannot be built is reported like a failing callback
        logging.getLogger("airflow.task").exception("the context of DAG %s's callbacks could not be built", dag.dag_id)
        return
    if context is not None:
        run_dag_callbacks(dag, is_failure, context)
