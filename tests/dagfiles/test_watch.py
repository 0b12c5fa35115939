"""The DAG processor's scan: parse new, changed and vanished files, and everything after a while."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from tradewind.clock import ManualClock
from tradewind.config.settings import Settings
from tradewind.dagfiles.watch import FolderState, process_once, run_dag_processor
from tradewind.store import dags
from tradewind.store.database import Database
from tradewind.store.migrate import upgrade

HEADER = ("# an airflow dag\nfrom datetime import datetime\nfrom tradewind.sdk.dag import DAG\n"
          "from tradewind.sdk.operators.empty import EmptyOperator\n")


def write(path: Path, dag_id: str, tasks: str = "a") -> Path:
    body = f'with DAG("{dag_id}", start_date=datetime(2026, 1, 1), schedule=None):\n'
    body += "".join(f'    EmptyOperator(task_id="{t}")\n' for t in tasks.split())
    existed = path.exists()
    old_ns = path.stat().st_mtime_ns if existed else 0
    path.write_text(HEADER + body)
    if existed:  # a rewrite within the same clock tick must still look changed
        os.utime(path, ns=(old_ns + 1_000_000_000, old_ns + 1_000_000_000))
    return path


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(scheduler__min_file_process_interval="30")


@pytest.fixture
def db(settings: Settings) -> Database:
    database = Database.from_settings(settings)
    upgrade(database)
    yield database
    database.dispose()


def parsed(report) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(Path(r.path).name for r in report.results) if report is not None else []


def test_scan_parses_only_what_is_due(settings: Settings, db: Database, dags_folder: Path) -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    state = FolderState()
    one = write(dags_folder / "one.py", "one")
    write(dags_folder / "two.py", "two")
    assert parsed(process_once(settings, db, state, clock)) == ["one.py", "two.py"]
    assert process_once(settings, db, state, clock) is None
    write(one, "one", "a b")
    assert parsed(process_once(settings, db, state, clock)) == ["one.py"]
    write(dags_folder / "three.py", "three")
    assert parsed(process_once(settings, db, state, clock)) == ["three.py"]
    clock.advance(31)
    assert parsed(process_once(settings, db, state, clock)) == ["one.py", "three.py", "two.py"]


def test_vanished_file_makes_its_dag_stale(settings: Settings, db: Database, dags_folder: Path) -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    state = FolderState()
    gone = write(dags_folder / "gone.py", "gone")
    process_once(settings, db, state, clock)
    gone.unlink()
    process_once(settings, db, state, clock)
    with db.read() as conn:
        assert dags.get(conn, "gone")["is_stale"] is True


def test_first_scan_finds_files_that_vanished_while_no_processor_ran(
        settings: Settings, db: Database, dags_folder: Path) -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    gone = write(dags_folder / "gone.py", "gone")
    process_once(settings, db, FolderState(), clock)
    gone.unlink()
    process_once(settings, db, FolderState(), clock)
    with db.read() as conn:
        assert dags.get(conn, "gone")["is_stale"] is True


def test_loop_reports_changes_until_told_to_stop(settings: Settings, db: Database, dags_folder: Path) -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    write(dags_folder / "looped.py", "looped")
    seen: list[list[str]] = []
    run_dag_processor(settings, db, clock=clock, should_stop=lambda: clock.monotonic() >= 3,
                      on_scan=lambda report: seen.append(report.changed_dag_ids if report else None))
    assert seen == [["looped"], None, None]  # one scan a second: the change, then two quiet scans


def test_unchanged_files_are_parsed_again_only_when_an_interval_is_set() -> None:
    from tradewind.dagfiles.watch import FolderState, files_to_parse

    state = FolderState(mtimes={"/d/a.py": 1.0, "/d/b.py": 2.0}, parsed_at={"/d/a.py": 0.0, "/d/b.py": 0.0})
    current = {"/d/a.py": 1.0, "/d/b.py": 3.0, "/d/c.py": 4.0}
    assert files_to_parse(state, current, now_s=1000.0, reparse_after_s=0) == ["/d/b.py", "/d/c.py"]
    assert sorted(files_to_parse(state, current, now_s=1000.0, reparse_after_s=30)) == ["/d/a.py", "/d/b.py", "/d/c.py"]
    assert files_to_parse(state, {"/d/a.py": 1.0}, now_s=10.0, reparse_after_s=30) == ["/d/b.py"]
