"""callback_request: add, claim (once, and again when stale), release and delete."""

from __future__ import annotations

from datetime import timedelta

from tradewind.store import callback_requests
from tradewind.store.database import Database

from .conftest import T0

TIMEOUT = timedelta(seconds=50)


def _add(db: Database, run_id: str, *, failure: bool = True) -> int:
    with db.write() as conn:
        return callback_requests.add(conn, dag_id="d", run_id=run_id, fileloc="/dags/d.py", is_failure_callback=failure,
                                     reason="task_failure" if failure else "success", now=T0)


def _claim(db: Database, now=T0, limit: int = 10) -> list[dict]:
    with db.write() as conn:
        return callback_requests.claim_pending(conn, now=now, stale_before=now - TIMEOUT, limit=limit)


def test_a_request_is_claimed_once_then_deleted(db: Database) -> None:
    first, second = _add(db, "r1"), _add(db, "r2", failure=False)
    with db.read() as conn:
        assert callback_requests.has_claimable(conn, stale_before=T0 - TIMEOUT)
    claimed = _claim(db, limit=1)
    assert [(r["id"], r["run_id"], r["is_failure_callback"], r["reason"], r["fileloc"]) for r in claimed] == \
        [(first, "r1", True, "task_failure", "/dags/d.py")]
    assert claimed[0]["claimed_at"] == T0 and claimed[0]["created_at"] == T0
    assert [r["id"] for r in _claim(db)] == [second]
    assert _claim(db, now=T0 + timedelta(seconds=1)) == []  # both fresh claims belong to someone
    with db.read() as conn:
        assert not callback_requests.has_claimable(conn, stale_before=T0 + timedelta(seconds=1) - TIMEOUT)
    with db.write() as conn:
        assert callback_requests.delete(conn, first) and callback_requests.delete(conn, second)
        assert not callback_requests.delete(conn, first)
        assert callback_requests.list_requests(conn) == []


def test_a_stale_claim_is_taken_again(db: Database) -> None:
    request_id = _add(db, "r1")
    assert [r["id"] for r in _claim(db)] == [request_id]
    assert _claim(db, now=T0 + TIMEOUT) == []  # exactly the timeout old: its processor may still be at work
    later = T0 + TIMEOUT + timedelta(seconds=1)
    again = _claim(db, now=later)
    assert [(r["id"], r["claimed_at"]) for r in again] == [(request_id, later)]
    assert _claim(db, now=later) == []


def test_a_released_request_is_claimable_at_once(db: Database) -> None:
    request_id = _add(db, "r1")
    _claim(db)
    with db.write() as conn:
        assert callback_requests.release(conn, request_id)
    assert [r["id"] for r in _claim(db, now=T0 + timedelta(seconds=1))] == [request_id]


def test_a_claim_with_no_room_takes_nothing(db: Database) -> None:
    _add(db, "r1")
    assert _claim(db, limit=0) == []
    with db.read() as conn:
        assert [r["claimed_at"] for r in callback_requests.list_requests(conn)] == [None]
