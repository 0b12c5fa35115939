"""Named SQL for `ab_user`: web users and their roles (the caller hashes passwords)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.keys import row_dict
from tradewind.store.schema import ab_user

ROLES = ("Admin", "Op", "User", "Viewer", "Public")


def create(conn: sa.Connection, *, username: str, password_hash: str, role: str, email: str | None = None,
           first_name: str | None = None, last_name: str | None = None, now: datetime | None = None) -> bool:
    """Add a user; False when the username is taken."""
    if conn.execute(sa.select(ab_user.c.id).where(ab_user.c.username == username)).first() is not None:
        return False
    conn.execute(ab_user.insert().values(username=username, password_hash=password_hash, role=role, email=email,
                                         first_name=first_name, last_name=last_name, active=True,
                                         created_at=now or utcnow()))
    return True


def get(conn: sa.Connection, username: str) -> dict[str, Any] | None:
    """One user, password hash included, or None."""
    return row_dict(conn.execute(sa.select(ab_user).where(ab_user.c.username == username)).first())


def get_by_id(conn: sa.Connection, user_id: int) -> dict[str, Any] | None:
    """One user by row id, or None."""
    return row_dict(conn.execute(sa.select(ab_user).where(ab_user.c.id == user_id)).first())


def list_users(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every user by username, without password hashes."""
    columns = [c for c in ab_user.c if c.name != "password_hash"]
    return [dict(r._mapping) for r in conn.execute(sa.select(*columns).order_by(ab_user.c.username))]


def update(conn: sa.Connection, username: str, **fields: Any) -> bool:
    """Change a user's fields (role, email, password_hash, active, names); False when no such user."""
    return conn.execute(ab_user.update().where(ab_user.c.username == username).values(**fields)).rowcount == 1


def record_login(conn: sa.Connection, username: str, *, now: datetime | None = None) -> bool:
    """Remember when the user last logged in."""
    return update(conn, username, last_login_at=now or utcnow())


def delete(conn: sa.Connection, username: str) -> bool:
    """Remove a user; False when no such user."""
    return conn.execute(ab_user.delete().where(ab_user.c.username == username)).rowcount == 1
