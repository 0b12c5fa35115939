"""parse_and_sync against a real SQLite metadata DB: rows, versions, source, import errors, staleness, pausing."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest
import sqlalchemy as sa

from tradewind.config.settings import Settings
from tradewind.dagfiles.processor import parse_and_sync
from tradewind.store import dag_code, dags, import_errors, serialized_dags
from tradewind.store.database import Database
from tradewind.store.migrate import upgrade
from tradewind.store.schema import serialized_dag

HEADER = ("# an airflow dag\nfrom datetime import datetime\nfrom tradewind.sdk.dag import DAG\n"
          "from tradewind.sdk.operators.empty import EmptyOperator\n")


def dag_text(dag_id: str, tasks: str = "a", extra: str = "") -> str:
    lines = [f'with DAG("{dag_id}", start_date=datetime(2026, 1, 1), schedule=None{extra}) as dag_{dag_id}:']
    lines += [f'    EmptyOperator(task_id="{t}")' for t in tasks.split()]
    return "\n".join(lines) + "\n"


def write(path: Path, *dag_texts: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(dag_texts))
    stat = path.stat()  # a rewrite within the same clock tick must still look changed
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    return path


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def db(settings: Settings) -> Database:
    database = Database.from_settings(settings)
    upgrade(database)
    yield database
    database.dispose()


def dag_row(db: Database, dag_id: str) -> dict[str, Any]:
    with db.read() as conn:
        row = dags.get(conn, dag_id)
    assert row is not None, dag_id
    return row


def versions(db: Database, dag_id: str) -> list[int]:
    with db.read() as conn:
        return sorted(conn.execute(sa.select(serialized_dag.c.version_number)
                                   .where(serialized_dag.c.dag_id == dag_id)).scalars())


def errors(db: Database) -> dict[str, str]:
    with db.read() as conn:
        return {e["filename"]: e["stack_trace"] for e in import_errors.list_import_errors(conn)}


def test_first_parse_stores_rows_versions_and_source(settings: Settings, db: Database, dags_folder: Path) -> None:
    path = write(dags_folder / "pair.py", dag_text("alpha", "a b", ", tags=['t2', 't1']"), dag_text("beta"))
    report = parse_and_sync(settings, db)
    assert sorted(d["dag_id"] for d in report.dags) == ["alpha", "beta"]
    alpha = dag_row(db, "alpha")
    assert (alpha["fileloc"], alpha["is_paused"], alpha["is_stale"]) == (str(path), True, False)
    assert alpha["tags"] == ["t1", "t2"]
    assert alpha["owners"] == "airflow"
    assert versions(db, "alpha") == [1]
    with db.read() as conn:
        assert dag_code.get_source(conn, str(path)) == path.read_text()
        assert serialized_dags.latest(conn, "alpha").task_ids == ["a", "b"]


def test_unchanged_file_keeps_its_version_and_a_change_makes_a_new_one(
        settings: Settings, db: Database, dags_folder: Path) -> None:
    path = write(dags_folder / "v.py", dag_text("versioned", "a"))
    parse_and_sync(settings, db)
    parse_and_sync(settings, db)
    assert versions(db, "versioned") == [1]
    write(path, dag_text("versioned", "a b"))
    parse_and_sync(settings, db)
    assert versions(db, "versioned") == [1, 2]
    assert dag_row(db, "versioned")["latest_version"] == 2
    with db.read() as conn:
        assert dag_code.get_source(conn, str(path)) == path.read_text()


def test_a_dag_the_file_no_longer_defines_becomes_stale(settings: Settings, db: Database, dags_folder: Path) -> None:
    path = write(dags_folder / "two.py", dag_text("kept"), dag_text("dropped"))
    parse_and_sync(settings, db)
    write(path, dag_text("kept"))
    parse_and_sync(settings, db)
    assert dag_row(db, "dropped")["is_stale"] is True
    assert dag_row(db, "kept")["is_stale"] is False


def test_a_deleted_file_makes_its_dags_stale_and_forgets_its_source(
        settings: Settings, db: Database, dags_folder: Path) -> None:
    path = write(dags_folder / "gone.py", dag_text("gone"))
    write(dags_folder / "stays.py", dag_text("stays"))
    parse_and_sync(settings, db)
    path.unlink()
    parse_and_sync(settings, db)
    assert dag_row(db, "gone")["is_stale"] is True
    assert dag_row(db, "stays")["is_stale"] is False
    with db.read() as conn:
        assert dag_code.get_source(conn, str(path)) is None


def test_a_deleted_file_passed_explicitly_makes_its_dags_stale(
        settings: Settings, db: Database, dags_folder: Path) -> None:
    path = write(dags_folder / "gone.py", dag_text("gone"))
    parse_and_sync(settings, db)
    path.unlink()
    parse_and_sync(settings, db, files=[path])
    assert dag_row(db, "gone")["is_stale"] is True


def test_import_errors_are_replaced_then_cleared(settings: Settings, db: Database, dags_folder: Path) -> None:
    path = write(dags_folder / "flaky.py", dag_text("flaky"))
    parse_and_sync(settings, db)
    path.write_text(HEADER + "raise RuntimeError('first')\n")
    parse_and_sync(settings, db)
    assert errors(db)[str(path)].startswith("RuntimeError: first")
    assert dag_row(db, "flaky")["has_import_errors"] is True
    assert dag_row(db, "flaky")["is_stale"] is False
    path.write_text(HEADER + "raise RuntimeError('second')\n")
    parse_and_sync(settings, db)
    assert list(errors(db).values())[0].startswith("RuntimeError: second")
    write(path, dag_text("flaky"))
    parse_and_sync(settings, db)
    assert errors(db) == {}
    assert dag_row(db, "flaky")["has_import_errors"] is False


def test_an_import_error_of_a_deleted_file_goes_away(settings: Settings, db: Database, dags_folder: Path) -> None:
    path = dags_folder / "broken.py"
    path.write_text(HEADER + "raise RuntimeError('broken')\n")
    parse_and_sync(settings, db)
    assert list(errors(db)) == [str(path)]
    path.unlink()
    parse_and_sync(settings, db)
    assert errors(db) == {}


def test_new_dags_are_paused_per_settings_and_dag_existing_ones_keep_their_state(
        make_settings: Callable[..., Settings], db: Database, dags_folder: Path) -> None:
    write(dags_folder / "p.py", dag_text("plain"), dag_text("asks_paused", extra=", is_paused_upon_creation=True"))
    settings = make_settings(core__dags_are_paused_at_creation="false")
    parse_and_sync(settings, db)
    assert dag_row(db, "plain")["is_paused"] is False
    assert dag_row(db, "asks_paused")["is_paused"] is True
    with db.write() as conn:
        dags.set_paused(conn, "plain", True)
    parse_and_sync(settings, db)
    assert dag_row(db, "plain")["is_paused"] is True


def test_parsing_another_folder_leaves_the_dags_folder_alone(
        settings: Settings, db: Database, dags_folder: Path, tmp_path: Path) -> None:
    write(dags_folder / "main.py", dag_text("main_dag"))
    parse_and_sync(settings, db)
    other = tmp_path / "other"
    write(other / "side.py", dag_text("side_dag"))
    parse_and_sync(replace(settings, values={**settings.values, ("core", "dags_folder"): str(other)}), db)
    assert dag_row(db, "main_dag")["is_stale"] is False
    assert dag_row(db, "side_dag")["is_stale"] is False


def test_a_dag_id_defined_twice_is_an_error_in_the_second_file(
        settings: Settings, db: Database, dags_folder: Path) -> None:
    first = write(dags_folder / "a_first.py", dag_text("twin"))
    second = write(dags_folder / "b_second.py", dag_text("twin"))
    report = parse_and_sync(settings, db)
    assert report.errors.keys() == {str(second)}
    assert "'twin'" in report.errors[str(second)] and str(first) in report.errors[str(second)]
    assert dag_row(db, "twin")["fileloc"] == str(first)
