"""Defaults: default_pool and fs_default exist after create_defaults, and running it twice changes nothing."""

from __future__ import annotations

import json

from tradewind.store import connections, pools
from tradewind.store.database import Database
from tradewind.store.defaults import create_defaults


def test_defaults_are_created_once(db: Database) -> None:
    created = create_defaults(db)
    assert "default_pool" in created and "fs_default" in created
    with db.write() as conn:
        pools.set_pool(conn, "default_pool", 5, "changed by the user")
    assert create_defaults(db) == []
    with db.read() as conn:
        pool = pools.get(conn, "default_pool")
        fs = connections.get(conn, "fs_default")
        assert len(connections.list_connections(conn)) == len(created) - 1
    assert (pool["slots"], pool["description"]) == (5, "changed by the user")
    assert fs["conn_type"] == "fs" and json.loads(fs["extra"]) == {"path": "/"}


def test_fresh_default_pool_has_128_slots(db: Database) -> None:
    create_defaults(db)
    with db.read() as conn:
        pool = pools.get(conn, "default_pool")
    assert (pool["slots"], pool["description"]) == (128, "Default pool")
