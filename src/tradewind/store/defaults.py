"""What `airflow db init` puts in a fresh database: default_pool and the default connections."""

from __future__ import annotations

import json

from tradewind.store import connections, pools
from tradewind.store.database import Database

# The defaults Airflow's db init made that work on a laptop: local services, no cloud accounts.
DEFAULT_CONNECTIONS: tuple[dict[str, object], ...] = (
    {"conn_id": "fs_default", "conn_type": "fs", "extra": json.dumps({"path": "/"})},
    {"conn_id": "sqlite_default", "conn_type": "sqlite", "host": "/tmp/sqlite_default.db"},
    {"conn_id": "postgres_default", "conn_type": "postgres", "host": "localhost", "schema": "airflow",
     "login": "postgres", "password": "airflow"},
    {"conn_id": "mysql_default", "conn_type": "mysql", "host": "mysql", "schema": "airflow", "login": "root"},
    {"conn_id": "redis_default", "conn_type": "redis", "host": "redis", "port": 6379, "extra": json.dumps({"db": 0})},
    {"conn_id": "http_default", "conn_type": "http", "host": "https://www.httpbin.org/"},
    {"conn_id": "ssh_default", "conn_type": "ssh", "host": "localhost"},
    {"conn_id": "smtp_default", "conn_type": "email", "host": "localhost", "port": 25, "login": "airflow",
     "schema": "airflow"},
    {"conn_id": "local_mysql", "conn_type": "mysql", "host": "localhost", "schema": "airflow", "login": "airflow",
     "password": "airflow"},
)


def create_defaults(db: Database, *, fernet_key: str = "") -> list[str]:
    """Create default_pool and the default connections that are missing; returns what was created."""
    created: list[str] = []
    with db.write() as conn:
        if pools.get(conn, pools.DEFAULT_POOL) is None:
            pools.set_pool(conn, pools.DEFAULT_POOL, pools.DEFAULT_POOL_SLOTS, "Default pool")
            created.append(pools.DEFAULT_POOL)
        for fields in DEFAULT_CONNECTIONS:
            if connections.add(conn, dict(fields), fernet_key=fernet_key):
                created.append(str(fields["conn_id"]))
    return created
