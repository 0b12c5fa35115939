"""Database: SQLite pragmas, write transactions that commit or roll back, writers from two processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tradewind.store import migrate, variables
from tradewind.store.database import Database


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}", busy_timeout_ms=1234)
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_write_commits_on_exit_and_rolls_back_on_error(db: Database) -> None:
    with db.write() as conn:
        variables.set_variable(conn, "kept", "1")
    with pytest.raises(RuntimeError):
        with db.write() as conn:
            variables.set_variable(conn, "dropped", "1")
            raise RuntimeError("boom")
    with db.read() as conn:
        assert variables.get_variable(conn, "kept") == "1"
        assert variables.get_variable(conn, "dropped") is None


def test_read_sees_committed_writes_of_another_database_handle(db: Database) -> None:
    other = Database(db.url)
    with other.write() as conn:
        variables.set_variable(conn, "x", "from other")
    with db.read() as conn:
        assert variables.get_variable(conn, "x") == "from other"
    other.dispose()


_WRITER = """
import sys
from tradewind.store.database import Database
from tradewind.store import variables
db = Database(sys.argv[1])
for i in range(200):
    with db.write() as conn:
        current = int(variables.get_variable(conn, "counter") or 0)
        variables.set_variable(conn, "counter", str(current + 1))
"""


def test_read_modify_write_from_several_processes_never_deadlocks_or_loses_updates(db: Database) -> None:
    with db.write() as conn:
        variables.set_variable(conn, "counter", "0")
    if db.is_sqlite:
        script = _WRITER
    else:
        # On PostgreSQL the same guarantee needs a row lock: SELECT ... FOR UPDATE.
        script = _WRITER.replace("current = int(variables.get_variable(conn, \"counter\") or 0)",
                                 "current = int(conn.exec_driver_sql(\"SELECT val FROM variable WHERE key='counter' "
                                 "FOR UPDATE\").scalar())")
    procs = [subprocess.Popen([sys.executable, "-c", script, db.url]) for _ in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    with db.read() as conn:
        assert variables.get_variable(conn, "counter") == "800"


def test_from_settings_reads_the_configured_url(tmp_path: Path) -> None:
    from tradewind.config.settings import load_settings

    settings = load_settings({"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__DATABASE__SQLITE_BUSY_TIMEOUT_MS": "777"})
    db = Database.from_settings(settings)
    assert db.url == f"sqlite:///{tmp_path}/airflow.db"
    assert db.busy_timeout_ms == 777
    migrate.upgrade(db)
    with db.read() as conn:
        assert "dag_run" in sa.inspect(conn).get_table_names()
    db.dispose()


def test_a_forked_child_uses_its_own_connections(db: Database) -> None:
    import os

    with db.write() as conn:
        variables.set_variable(conn, "parent", "1")
    pid = os.fork()
    if pid == 0:  # the child: write through fresh connections, then leave without running atexit hooks
        code = 1
        try:
            db.after_fork()
            with db.write() as conn:
                variables.set_variable(conn, "child", "1")
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with db.read() as conn:
        assert variables.get_variable(conn, "child") == "1"
        assert variables.get_variable(conn, "parent") == "1"
