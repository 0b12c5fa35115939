"""Named SQL for `task_reschedule`: one row per poke of a sensor in reschedule mode."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.store.keys import KeyLike, as_key, match_key
from tradewind.store.schema import task_reschedule


def add(conn: sa.Connection, key: KeyLike, *, try_number: int, start_date: datetime, end_date: datetime,
        reschedule_date: datetime) -> None:
    """Record that a try poked from start_date to end_date and asked to run again at reschedule_date."""
    k = as_key(key)
    conn.execute(task_reschedule.insert().values(
        dag_id=k.dag_id, run_id=k.run_id, task_id=k.task_id, map_index=k.map_index, try_number=try_number,
        start_date=start_date, end_date=end_date, reschedule_date=reschedule_date))


def list_for_ti(conn: sa.Connection, key: KeyLike, *, try_number: int | None = None) -> list[dict[str, Any]]:
    """The reschedules of one task instance (of one try when given), oldest first."""
    c = task_reschedule.c
    query = sa.select(task_reschedule).where(match_key(task_reschedule, key))
    if try_number is not None:
        query = query.where(c.try_number == try_number)
    return [dict(r._mapping) for r in conn.execute(query.order_by(c.id))]


def first_start_date(conn: sa.Connection, key: KeyLike, *, try_number: int) -> datetime | None:
    """When the first poke of this try started: reschedule-mode sensors measure their timeout from it."""
    c = task_reschedule.c
    query = sa.select(sa.func.min(c.start_date)).where(match_key(task_reschedule, key), c.try_number == try_number)
    return conn.execute(query).scalar()


def count_for_ti(conn: sa.Connection, key: KeyLike, *, try_number: int | None = None) -> int:
    """How many times the task instance (or one try of it) was rescheduled."""
    c = task_reschedule.c
    query = sa.select(sa.func.count()).select_from(task_reschedule).where(match_key(task_reschedule, key))
    if try_number is not None:
        query = query.where(c.try_number == try_number)
    return int(conn.execute(query).scalar_one())


def delete_for_ti(conn: sa.Connection, key: KeyLike) -> int:
    """Forget the reschedules of one task instance (when it is cleared); returns how many."""
    return conn.execute(task_reschedule.delete().where(match_key(task_reschedule, key))).rowcount
