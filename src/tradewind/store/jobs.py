"""Named SQL for `job`: long-running processes (scheduler, dag processor, workers) and their heartbeats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.keys import row_dict
from tradewind.store.schema import job


def start(conn: sa.Connection, job_type: str, *, hostname: str | None = None, pid: int | None = None,
          now: datetime | None = None) -> int:
    """Register a running job (e.g. "SchedulerJob"); returns its id."""
    stamp = now or utcnow()
    result = conn.execute(job.insert().values(job_type=job_type, state="running", hostname=hostname, pid=pid,
                                              start_date=stamp, latest_heartbeat=stamp))
    return int(result.inserted_primary_key[0])


def heartbeat(conn: sa.Connection, job_id: int, *, now: datetime | None = None) -> bool:
    """Record that a running job is alive; False when the job is gone or no longer running."""
    query = job.update().where(job.c.id == job_id, job.c.state == "running")
    return conn.execute(query.values(latest_heartbeat=now or utcnow())).rowcount == 1


def end(conn: sa.Connection, job_id: int, *, state: str = "success", now: datetime | None = None) -> bool:
    """Mark a job finished (success, failed, killed)."""
    stamp = now or utcnow()
    return conn.execute(job.update().where(job.c.id == job_id).values(state=state, end_date=stamp)).rowcount == 1


def latest_heartbeat(conn: sa.Connection, job_type: str) -> datetime | None:
    """The newest heartbeat of any running job of this type (health checks), or None."""
    c = job.c
    query = sa.select(c.latest_heartbeat).where(c.job_type == job_type, c.state == "running")
    row = conn.execute(query.order_by(c.latest_heartbeat.desc()).limit(1)).first()
    return None if row is None else row.latest_heartbeat


def latest_job(conn: sa.Connection, job_type: str) -> dict[str, Any] | None:
    """The most recently heartbeating job of this type, whatever its state, or None."""
    c = job.c
    query = sa.select(job).where(c.job_type == job_type).order_by(c.latest_heartbeat.desc(), c.id.desc()).limit(1)
    return row_dict(conn.execute(query).first())


def get(conn: sa.Connection, job_id: int) -> dict[str, Any] | None:
    """One job, or None."""
    return row_dict(conn.execute(sa.select(job).where(job.c.id == job_id)).first())
