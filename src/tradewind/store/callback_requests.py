"""Named SQL for `callback_request`: DAG callbacks the scheduler asks for and the DAG processor runs.

The scheduler adds a request in the transaction that ends the run. A DAG processor claims it
(compare-and-set on `claimed_at`), runs the callbacks, and deletes it. A claim older than
`stale_before` belongs to a processor that died mid-callback and may be taken again: a request is
run at least once, and exactly once when nothing dies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.store.schema import callback_request

_c = callback_request.c


def add(conn: sa.Connection, *, dag_id: str, run_id: str, fileloc: str, is_failure_callback: bool, reason: str,
        now: datetime) -> int:
    """Record one request (in the caller's transaction); returns its id."""
    result = conn.execute(callback_request.insert().values(
        created_at=now, dag_id=dag_id, run_id=run_id, fileloc=fileloc, is_failure_callback=is_failure_callback,
        reason=reason, claimed_at=None))
    return int(result.inserted_primary_key[0])


def _claimable(stale_before: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(_c.claimed_at.is_(None), _c.claimed_at < stale_before)


def has_claimable(conn: sa.Connection, *, stale_before: datetime) -> bool:
    """Whether any request waits for a processor: a cheap read before taking the write lock to claim."""
    query = sa.select(_c.id).where(_claimable(stale_before)).limit(1)
    return conn.execute(query).first() is not None


def claim_pending(conn: sa.Connection, *, now: datetime, stale_before: datetime, limit: int) -> list[dict[str, Any]]:
    """Take up to `limit` unclaimed (or stale) requests, oldest first; another processor's fresh claim is left alone."""
    if limit <= 0:
        return []
    ids = conn.execute(sa.select(_c.id).where(_claimable(stale_before)).order_by(_c.id).limit(limit)).scalars().all()
    claimed = []
    for request_id in ids:
        # The predicate again: a processor that claimed it since our read wins, and we skip it.
        taken = conn.execute(callback_request.update().where(_c.id == request_id, _claimable(stale_before))
                             .values(claimed_at=now)).rowcount == 1
        if taken:
            claimed.append(request_id)
    if not claimed:
        return []
    rows = conn.execute(sa.select(callback_request).where(_c.id.in_(claimed)).order_by(_c.id))
    return [dict(r._mapping) for r in rows]


def release(conn: sa.Connection, request_id: int) -> bool:
    """Give a claimed request back (its processor is stopping before it ran), so the next one takes it at once."""
    return conn.execute(callback_request.update().where(_c.id == request_id).values(claimed_at=None)).rowcount == 1


def delete(conn: sa.Connection, request_id: int) -> bool:
    """Forget a request whose callbacks ran (or can no longer run)."""
    return conn.execute(callback_request.delete().where(_c.id == request_id)).rowcount == 1


def list_requests(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every request, oldest first."""
    return [dict(r._mapping) for r in conn.execute(sa.select(callback_request).order_by(_c.id))]
