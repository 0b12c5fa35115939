"""Writes of the Admin pages: variables, connections, pools and users, by key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.store import schema as s


def _upsert(conn: sa.Connection, table: sa.Table, key_column: str, key: str, values: dict[str, Any]) -> None:
    exists = conn.execute(sa.select(table.c.id).where(table.c[key_column] == key)).first()
    if exists:
        conn.execute(sa.update(table).where(table.c[key_column] == key).values(**values))
    else:
        conn.execute(sa.insert(table).values(**{key_column: key}, **values))


def _delete(conn: sa.Connection, table: sa.Table, key_column: str, key: str) -> bool:
    return conn.execute(sa.delete(table).where(table.c[key_column] == key)).rowcount > 0


def set_variable(conn: sa.Connection, key: str, val: str, description: str | None, *, is_encrypted: bool) -> None:
    """Create or replace a variable (val already encrypted when is_encrypted)."""
    _upsert(conn, s.variable, "key", key, {"val": val, "description": description, "is_encrypted": is_encrypted})


def delete_variable(conn: sa.Connection, key: str) -> bool:
    """Delete a variable; False when there was none."""
    return _delete(conn, s.variable, "key", key)


def set_connection(conn: sa.Connection, conn_id: str, fields: dict[str, Any]) -> None:
    """Create or replace a connection; a password of None keeps the stored one."""
    values = {k: v for k, v in fields.items() if not (k in ("password", "is_encrypted") and fields.get("password") is None)}
    _upsert(conn, s.connection, "conn_id", conn_id, values)


def delete_connection(conn: sa.Connection, conn_id: str) -> bool:
    """Delete a connection; False when there was none."""
    return _delete(conn, s.connection, "conn_id", conn_id)


def set_pool(conn: sa.Connection, pool: str, slots: int, description: str | None, include_deferred: bool) -> None:
    """Create or resize a pool."""
    _upsert(conn, s.slot_pool, "pool", pool, {"slots": slots, "description": description,
                                               "include_deferred": include_deferred})


def delete_pool(conn: sa.Connection, pool: str) -> bool:
    """Delete a pool; default_pool cannot be deleted."""
    if pool == "default_pool":
        raise ValueError("default_pool cannot be deleted: resize it instead")
    return _delete(conn, s.slot_pool, "pool", pool)


def create_user(conn: sa.Connection, *, username: str, password_hash: str, role: str, email: str | None,
                first_name: str | None, last_name: str | None, now: datetime) -> None:
    """A new user; the caller hashes the password. Raises ValueError when the username is taken."""
    if conn.execute(sa.select(s.ab_user.c.id).where(s.ab_user.c.username == username)).first():
        raise ValueError(f"user {username!r} exists already: pick another username or delete it first")
    conn.execute(sa.insert(s.ab_user).values(username=username, password_hash=password_hash, role=role, email=email,
                                             first_name=first_name, last_name=last_name, active=True, created_at=now))


def update_user_role(conn: sa.Connection, username: str, role: str) -> bool:
    """Change a user's role."""
    return conn.execute(sa.update(s.ab_user).where(s.ab_user.c.username == username).values(role=role)).rowcount > 0


def delete_user(conn: sa.Connection, username: str) -> bool:
    """Delete a user; False when there was none."""
    return _delete(conn, s.ab_user, "username", username)


def record_login(conn: sa.Connection, username: str, at: datetime) -> None:
    """Remember when a user last logged in."""
    conn.execute(sa.update(s.ab_user).where(s.ab_user.c.username == username).values(last_login_at=at))
