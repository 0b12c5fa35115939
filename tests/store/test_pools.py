"""Pools: slot counts from the task instances that hold them; default_pool cannot be deleted."""

from __future__ import annotations

import pytest

from tradewind.store import pools, task_instances
from tradewind.store.database import Database
from tradewind.store.defaults import create_defaults

from .conftest import make_run


def test_slot_counts(db: Database) -> None:
    create_defaults(db)
    make_run(db, task_ids=("a", "b", "c", "d", "e"), pool="p")
    with db.write() as conn:
        pools.set_pool(conn, "p", 10, "a pool")
        for task_id, state, slots in (("a", "running", 2), ("b", "queued", 1), ("c", "scheduled", 1),
                                      ("d", "deferred", 3), ("e", "success", 1)):
            task_instances.update_fields(conn, ("d", "r1", task_id), state=state, pool_slots=slots)
        listed = {p["pool"]: p for p in pools.list_pools(conn)}
        assert listed["p"]["open_slots"] == 7
        pools.set_pool(conn, "p", 10, "a pool", include_deferred=True)
        counting_deferred = pools.get(conn, "p")
    p = listed["p"]
    assert (p["slots"], p["running_slots"], p["queued_slots"], p["scheduled_slots"], p["deferred_slots"],
            p["occupied_slots"]) == (10, 2, 1, 1, 3, 3)
    assert listed["default_pool"]["open_slots"] == 128
    assert (counting_deferred["occupied_slots"], counting_deferred["open_slots"]) == (6, 4)


def test_set_updates_and_delete_refuses_default_pool(db: Database) -> None:
    create_defaults(db)
    with db.write() as conn:
        pools.set_pool(conn, "p", 1)
        assert pools.set_pool(conn, "p", 4, "more")["slots"] == 4
        assert pools.delete(conn, "p") and not pools.delete(conn, "p")
        with pytest.raises(pools.PoolNotDeletable, match="default_pool"):
            pools.delete(conn, "default_pool")
        with pytest.raises(ValueError, match="slots"):
            pools.set_pool(conn, "bad", -5)
