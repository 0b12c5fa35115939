"""Store fixtures: one migrated Database per test, on SQLite and on a throwaway PostgreSQL server."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

import pytest

from tradewind.store import dag_runs, migrate
from tradewind.store.database import Database
from tradewind.testing.postgres import PostgresNotInstalled, PostgresServer

_TEMPLATE = "tradewind_template"
_names = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session, with a migrated template database to copy per test."""
    try:
        server = PostgresServer().start()
    except PostgresNotInstalled as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        template = Database(server.create_database(_TEMPLATE))
        migrate.upgrade(template)
        template.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """URL of an empty database (not migrated) on the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'airflow.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"empty_{next(_names)}")


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated metadata database on the backend under test."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'airflow.db'}")
        migrate.upgrade(database)
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        database = Database(server.create_database(f"test_{next(_names)}", template=_TEMPLATE))
    yield database
    database.dispose()


T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def make_run(db: Database, dag_id: str = "d", run_id: str = "r1", task_ids: Sequence[str] = ("a", "b"),
             *, state: str = "running", map_counts: dict[str, int] | None = None, retries: int = 0,
             pool: str = "default_pool", logical_date: datetime | None = T0) -> str:
    """Create a run with task instances (mapped tasks get map indexes 0..n-1)."""
    rows = []
    for task_id in task_ids:
        count = (map_counts or {}).get(task_id)
        indexes = range(count) if count is not None else [-1]
        rows += [{"task_id": task_id, "map_index": i, "max_tries": retries, "pool": pool} for i in indexes]
    with db.write() as conn:
        dag_runs.create_run(conn, dag_id=dag_id, run_id=run_id, run_type="manual", run_after=T0, state=state,
                            logical_date=logical_date, task_instances=rows, now=T0)
    return run_id
