"""Named SQL for `slot_pool`: pools with their slot counts and the slots their task instances hold."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tradewind.errors import TradewindError
from tradewind.store.schema import slot_pool
from tradewind.store.task_instances import pool_slot_usage

DEFAULT_POOL = "default_pool"
DEFAULT_POOL_SLOTS = 128


class PoolNotDeletable(TradewindError):
    """default_pool cannot be deleted: set its slots instead (`airflow pools set default_pool N "..."`)."""


def _with_usage(row: Any, usage: dict[str, dict[str, int]]) -> dict[str, Any]:
    held = usage.get(row.pool, {})
    running, queued = held.get("running", 0), held.get("queued", 0)
    deferred, scheduled = held.get("deferred", 0), held.get("scheduled", 0)
    occupied = running + queued + (deferred if row.include_deferred else 0)
    # slots = -1 is an unlimited pool, as in Airflow.
    open_slots = -1 if row.slots == -1 else row.slots - occupied
    return {"pool": row.pool, "slots": row.slots, "description": row.description,
            "include_deferred": row.include_deferred, "occupied_slots": occupied, "running_slots": running,
            "queued_slots": queued, "scheduled_slots": scheduled, "deferred_slots": deferred, "open_slots": open_slots}


def list_pools(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every pool by name with its slots and occupied/running/queued/scheduled/deferred/open slot counts."""
    usage = pool_slot_usage(conn)
    return [_with_usage(r, usage) for r in conn.execute(sa.select(slot_pool).order_by(slot_pool.c.pool))]


def get(conn: sa.Connection, name: str) -> dict[str, Any] | None:
    """One pool with its slot counts, or None."""
    row = conn.execute(sa.select(slot_pool).where(slot_pool.c.pool == name)).first()
    return None if row is None else _with_usage(row, pool_slot_usage(conn))


def set_pool(conn: sa.Connection, name: str, slots: int, description: str | None = "", *,
             include_deferred: bool = False) -> dict[str, Any]:
    """Create or update a pool; returns it."""
    if slots < -1:
        raise ValueError(f"pool {name!r}: slots = {slots} must be -1 (unlimited) or more")
    values = {"slots": int(slots), "description": description or "", "include_deferred": bool(include_deferred)}
    if conn.execute(slot_pool.update().where(slot_pool.c.pool == name).values(**values)).rowcount == 0:
        conn.execute(slot_pool.insert().values(pool=name, **values))
    found = get(conn, name)
    assert found is not None
    return found


def delete(conn: sa.Connection, name: str) -> bool:
    """Delete a pool; False when it did not exist; PoolNotDeletable for default_pool."""
    if name == DEFAULT_POOL:
        raise PoolNotDeletable(f"{DEFAULT_POOL} cannot be deleted: set its slots instead")
    return conn.execute(slot_pool.delete().where(slot_pool.c.pool == name)).rowcount == 1


set = set_pool  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
list = list_pools  # noqa: A001
