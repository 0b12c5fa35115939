"""Named SQL for `variable`: key/value settings for DAGs, encrypted at rest when [core] fernet_key is set."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tradewind.store.encryption import decrypt, encrypt
from tradewind.store.schema import variable


def _plain(row: Any, fernet_key: str) -> str | None:
    if row.val is None or not row.is_encrypted:
        return row.val
    return decrypt(row.val, fernet_key, what=f"variable {row.key!r}")


def get_variable(conn: sa.Connection, key: str, *, fernet_key: str = "") -> str | None:
    """A variable's value as stored text (decrypted), or None when it does not exist."""
    row = conn.execute(sa.select(variable).where(variable.c.key == key)).first()
    return None if row is None else _plain(row, fernet_key)


def get_row(conn: sa.Connection, key: str, *, fernet_key: str = "") -> dict[str, Any] | None:
    """A variable as {key, val, description, is_encrypted} with its value decrypted, or None."""
    row = conn.execute(sa.select(variable).where(variable.c.key == key)).first()
    if row is None:
        return None
    return {"key": row.key, "val": _plain(row, fernet_key), "description": row.description,
            "is_encrypted": row.is_encrypted}


def set_variable(conn: sa.Connection, key: str, value: str | None, *, description: str | None = None,
                 fernet_key: str = "") -> None:
    """Create or replace a variable; its value is encrypted when a Fernet key is configured."""
    is_encrypted = bool(fernet_key) and value is not None
    stored = encrypt(value, fernet_key) if is_encrypted and value is not None else value
    values: dict[str, Any] = {"val": stored, "is_encrypted": is_encrypted}
    if description is not None:
        values["description"] = description
    if conn.execute(variable.update().where(variable.c.key == key).values(**values)).rowcount == 0:
        conn.execute(variable.insert().values(key=key, description=description, val=stored, is_encrypted=is_encrypted))


def delete(conn: sa.Connection, key: str) -> bool:
    """Delete a variable; False when it did not exist."""
    return conn.execute(variable.delete().where(variable.c.key == key)).rowcount == 1


def list_variables(conn: sa.Connection, *, fernet_key: str = "", decrypt_values: bool = True) -> list[dict[str, Any]]:
    """Every variable by key as {key, val, description, is_encrypted}; val is None unless decrypt_values."""
    rows = conn.execute(sa.select(variable).order_by(variable.c.key))
    return [{"key": r.key, "val": _plain(r, fernet_key) if decrypt_values else None, "description": r.description,
             "is_encrypted": r.is_encrypted} for r in rows]


get = get_variable
set = set_variable  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
list = list_variables  # noqa: A001
