"""The scheduler's batched and prebuilt statements (store.scheduling), on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa

from tradewind.store import dag_runs, migrate, scheduling
from tradewind.store.database import Database
from tradewind.store.schema import dag, task_instance
from tradewind.testing.postgres import PostgresServer

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
_names = itertools.count()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'airflow.db'}")
    else:
        database = Database(request.getfixturevalue("postgres").create_database(f"sched_{next(_names)}"))
    migrate.upgrade(database)
    yield database
    database.dispose()


def make_run(db: Database, run_id: str, states: dict[str, str | None], *, dag_id: str = "d") -> None:
    with db.write() as conn:
        if conn.execute(sa.select(dag.c.dag_id).where(dag.c.dag_id == dag_id)).first() is None:
            conn.execute(dag.insert().values(dag_id=dag_id, fileloc="x.py", is_paused=False, is_stale=False,
                                             has_import_errors=False))
        dag_runs.create_run(conn, dag_id=dag_id, run_id=run_id, run_type="manual", run_after=T0, state="running",
                            logical_date=T0 + timedelta(days=len(run_id)), now=T0,
                            task_instances=[{"task_id": t, "map_index": -1, "pool": "default_pool",
                                             "priority_weight": 1} for t in states])
        for task_id, state in states.items():
            conn.execute(task_instance.update().where(task_instance.c.task_id == task_id,
                                                      task_instance.c.run_id == run_id).values(state=state))


def states_of(db: Database, run_id: str) -> dict[str, str | None]:
    with db.read() as conn:
        return {r.task_id: r.state for r in scheduling.run_task_states(conn, "d", run_id)}


def test_set_ti_states_if_changes_only_instances_still_in_their_expected_state(db: Database) -> None:
    make_run(db, "r", {"a": None, "b": None, "c": "running", "d": "up_for_retry"})
    with db.write() as conn:
        scheduling.set_ti_states_if(conn, "d", "r", [
            ("a", -1, None, "skipped"),            # expected none: changed
            ("b", -1, "scheduled", "skipped"),     # lost race: b is none, left alone
            ("c", -1, None, "upstream_failed"),    # lost race: c runs
            ("d", -1, "up_for_retry", "upstream_failed"),
        ], T0)
        scheduling.set_ti_states_if(conn, "d", "r", [], T0)  # nothing to do is fine
    assert states_of(db, "r") == {"a": "skipped", "b": None, "c": "running", "d": "upstream_failed"}
    with db.read() as conn:
        rows = {r.task_id: r for r in scheduling.run_task_states(conn, "d", "r")}
    assert rows["a"].end_date == T0 and rows["b"].end_date is None


def test_mark_empty_successes_and_run_state_counts(db: Database) -> None:
    make_run(db, "r", {"a": None, "b": None, "c": "queued", "d": "success"})
    with db.write() as conn:
        scheduling.mark_empty_successes(conn, "d", "r", [("a", -1), ("c", -1)], T0)  # c is not none: untouched
        counts = scheduling.run_state_counts(conn, "d", "r")
    assert states_of(db, "r") == {"a": "success", "b": None, "c": "queued", "d": "success"}
    assert counts == {"success": 2, None: 1, "queued": 1}


def test_queue_task_instance_returns_the_try_it_queued(db: Database) -> None:
    make_run(db, "r", {"a": "scheduled", "b": "up_for_reschedule", "c": "running"})
    with db.write() as conn:
        a = scheduling.queue_task_instance(conn, "d", "r", "a", -1, now=T0)
        b = scheduling.queue_task_instance(conn, "d", "r", "b", -1, now=T0)
        c = scheduling.queue_task_instance(conn, "d", "r", "c", -1, now=T0)
    assert a is not None and (a.task_id, a.try_number, a.pool, a.pool_slots, a.priority_weight) == ("a", 1, "default_pool", 1, 1)
    assert b is not None and b.try_number == 0  # a sensor resuming keeps its try
    assert c is None
    assert states_of(db, "r") == {"a": "queued", "b": "queued", "c": "running"}


def test_running_runs_and_scheduled_candidates(db: Database) -> None:
    make_run(db, "r1", {"a": "scheduled", "b": "success"})
    make_run(db, "r22", {"a": "scheduled", "b": "scheduled"})
    with db.write() as conn:
        assert [r.run_id for r in scheduling.running_runs(conn)] == ["r1", "r22"]
        assert [r.run_id for r in scheduling.running_runs(conn, only=[("d", "r22")])] == ["r22"]
        assert [r.run_id for r in scheduling.running_runs(conn, only=[("d", "r22"), ("d", "r1"), ("x", "r1")])] == ["r1", "r22"]
        assert scheduling.running_runs(conn, only=[]) == []
        assert len(scheduling.scheduled_candidates(conn, limit=10, pools=["default_pool"])) == 3
        assert len(scheduling.scheduled_candidates(conn, limit=2, pools=["default_pool"])) == 2
        assert scheduling.scheduled_candidates(conn, limit=10, pools=[]) == []
        assert scheduling.scheduled_candidates(conn, limit=10, pools=["other"]) == []
        assert len(scheduling.scheduled_candidates(conn, limit=10)) == 3
        assert {r.task_id for r in scheduling.scheduled_candidates(conn, limit=10, run=("d", "r22"))} == {"a", "b"}
        assert scheduling.set_run_state_if(conn, "d", "r1", expected=["running"], new="failed", end_date=T0, updated_at=T0)
        assert not scheduling.set_run_state_if(conn, "d", "r1", expected=["running"], new="failed", end_date=T0, updated_at=T0)
        assert [r.run_id for r in scheduling.running_runs(conn)] == ["r22"]
        assert len(scheduling.scheduled_candidates(conn, limit=10)) == 2  # only running runs


def test_run_decision_states_reads_timers_as_aware_datetimes(db: Database) -> None:
    make_run(db, "r", {"a": "up_for_retry", "b": "up_for_reschedule", "c": None, "d": "success"})
    due = datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
    with db.write() as conn:
        conn.execute(task_instance.update().where(task_instance.c.run_id == "r").values(next_try_at=due))
        rows = {r[0]: r for r in scheduling.run_decision_states(conn, "d", "r")}
        typed = {r.task_id: r.next_try_at for r in scheduling.run_task_states(conn, "d", "r")}
    assert rows["a"] == ("a", -1, "up_for_retry", due) and rows["b"] == ("b", -1, "up_for_reschedule", due)
    assert rows["a"][3].tzinfo is not None and typed["a"] == rows["a"][3]
    assert rows["c"][:3] == ("c", -1, None) and rows["d"][:3] == ("d", -1, "success")  # timers of others: unread
