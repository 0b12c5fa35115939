"""Jobs, users, the audit log and task reschedules."""

from __future__ import annotations

from datetime import timedelta

from tradewind.store import action_log, jobs, task_reschedules, users
from tradewind.store.database import Database

from .conftest import T0, make_run


def test_job_heartbeats(db: Database) -> None:
    with db.write() as conn:
        job_id = jobs.start(conn, "SchedulerJob", hostname="h", pid=1, now=T0)
        assert jobs.heartbeat(conn, job_id, now=T0 + timedelta(seconds=5))
        assert jobs.latest_heartbeat(conn, "SchedulerJob") == T0 + timedelta(seconds=5)
        assert jobs.end(conn, job_id, now=T0 + timedelta(seconds=6))
        assert not jobs.heartbeat(conn, job_id)
        assert jobs.latest_heartbeat(conn, "SchedulerJob") is None
        assert jobs.latest_job(conn, "SchedulerJob")["state"] == "success"


def test_users(db: Database) -> None:
    with db.write() as conn:
        assert users.create(conn, username="ann", password_hash="h", role="Admin", now=T0)
        assert not users.create(conn, username="ann", password_hash="h", role="Admin", now=T0)
        assert users.update(conn, "ann", role="Viewer")
        assert users.record_login(conn, "ann", now=T0)
        got = users.get(conn, "ann")
        listed = users.list_users(conn)
        assert users.get_by_id(conn, got["id"])["username"] == "ann"
        assert users.delete(conn, "ann") and users.get(conn, "ann") is None
    assert (got["role"], got["last_login_at"], got["active"]) == ("Viewer", T0, True)
    assert "password_hash" not in listed[0]


def test_action_log_newest_first(db: Database) -> None:
    with db.write() as conn:
        action_log.append(conn, "trigger", dag_id="d", owner="ann", now=T0)
        action_log.append(conn, "clear", dag_id="d", owner="bob", now=T0 + timedelta(seconds=1))
        action_log.append(conn, "cli_variables_set", now=T0 + timedelta(seconds=2))
        assert [e["event"] for e in action_log.list_entries(conn, dag_id="d")] == ["clear", "trigger"]
        assert [e["event"] for e in action_log.list_entries(conn, owner="ann")] == ["trigger"]
        assert len(action_log.list_entries(conn, limit=2)) == 2


def test_task_reschedules(db: Database) -> None:
    make_run(db)
    key = ("d", "r1", "a")
    with db.write() as conn:
        for i in range(3):
            start = T0 + timedelta(minutes=i)
            task_reschedules.add(conn, key, try_number=1, start_date=start, end_date=start,
                                 reschedule_date=start + timedelta(seconds=30))
        assert task_reschedules.first_start_date(conn, key, try_number=1) == T0
        assert task_reschedules.first_start_date(conn, key, try_number=2) is None
        assert task_reschedules.count_for_ti(conn, key) == 3
        assert [r["start_date"] for r in task_reschedules.list_for_ti(conn, key, try_number=1)][0] == T0
        assert task_reschedules.delete_for_ti(conn, key) == 3
