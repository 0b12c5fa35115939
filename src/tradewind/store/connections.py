"""Named SQL for `connection`: passwords and extras encrypted with Fernet when a key is set, masked on list."""

from __future__ import annotations

import json
from typing import Any, Iterable

import sqlalchemy as sa

from tradewind.store.encryption import decrypt, encrypt
from tradewind.store.schema import connection

MASK = "***"
# Airflow's default sensitive names: a field or extra key containing one of them is masked.
SENSITIVE_WORDS = ("access_token", "api_key", "apikey", "authorization", "passphrase", "passwd", "password",
                   "private_key", "secret", "token", "keyfile_dict", "service_account")
FIELDS = ("conn_id", "conn_type", "description", "host", "schema", "login", "password", "port", "extra")


def is_sensitive(name: str, extra_words: Iterable[str] = ()) -> bool:
    """Whether a field or key name marks a secret (password, token, api_key...)."""
    lowered = name.lower()
    return any(word and word in lowered for word in (*SENSITIVE_WORDS, *(w.strip().lower() for w in extra_words)))


def _stored(fields: dict[str, Any], fernet_key: str) -> dict[str, Any]:
    values = {k: fields.get(k) for k in FIELDS if k != "conn_id"}
    if values["port"] in ("", None):
        values["port"] = None
    else:
        values["port"] = int(values["port"])
    values["is_encrypted"] = bool(fernet_key) and values["password"] is not None
    values["is_extra_encrypted"] = bool(fernet_key) and values["extra"] is not None
    if values["is_encrypted"]:
        values["password"] = encrypt(values["password"], fernet_key)
    if values["is_extra_encrypted"]:
        values["extra"] = encrypt(values["extra"], fernet_key)
    return values


def _plain(row: Any, fernet_key: str) -> dict[str, Any]:
    fields = {k: getattr(row, k) for k in FIELDS}
    fields["id"] = row.id
    if row.is_encrypted and fields["password"] is not None:
        fields["password"] = decrypt(fields["password"], fernet_key, what=f"connection {row.conn_id!r} password")
    if row.is_extra_encrypted and fields["extra"] is not None:
        fields["extra"] = decrypt(fields["extra"], fernet_key, what=f"connection {row.conn_id!r} extra")
    fields["is_encrypted"], fields["is_extra_encrypted"] = row.is_encrypted, row.is_extra_encrypted
    return fields


def add(conn: sa.Connection, fields: dict[str, Any], *, fernet_key: str = "") -> bool:
    """Create a connection from its fields (conn_id, conn_type, host...); False when the conn_id exists."""
    exists = conn.execute(sa.select(connection.c.id).where(connection.c.conn_id == fields["conn_id"])).first()
    if exists is not None:
        return False
    conn.execute(connection.insert().values(conn_id=fields["conn_id"], **_stored(fields, fernet_key)))
    return True


def set_connection(conn: sa.Connection, fields: dict[str, Any], *, fernet_key: str = "") -> None:
    """Create or replace a connection."""
    c = connection.c
    values = _stored(fields, fernet_key)
    if conn.execute(connection.update().where(c.conn_id == fields["conn_id"]).values(**values)).rowcount == 0:
        conn.execute(connection.insert().values(conn_id=fields["conn_id"], **values))


def get(conn: sa.Connection, conn_id: str, *, fernet_key: str = "") -> dict[str, Any] | None:
    """A connection's fields with password and extra decrypted, or None."""
    row = conn.execute(sa.select(connection).where(connection.c.conn_id == conn_id)).first()
    return None if row is None else _plain(row, fernet_key)


def delete(conn: sa.Connection, conn_id: str) -> bool:
    """Delete a connection; False when it did not exist."""
    return conn.execute(connection.delete().where(connection.c.conn_id == conn_id)).rowcount == 1


def mask_extra(extra: str | None, extra_words: Iterable[str] = ()) -> str | None:
    """The extra JSON with the values of sensitive keys replaced by ***."""
    if not extra:
        return extra
    try:
        parsed = json.loads(extra)
    except ValueError:
        return extra
    if not isinstance(parsed, dict):
        return extra
    words = tuple(extra_words)
    return json.dumps({k: MASK if is_sensitive(str(k), words) else v for k, v in parsed.items()})


def list_connections(conn: sa.Connection, *, fernet_key: str = "", mask: bool = True,
                     extra_words: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every connection by conn_id; with mask, passwords and sensitive extra values read ***."""
    words = tuple(extra_words)
    rows = []
    for row in conn.execute(sa.select(connection).order_by(connection.c.conn_id)):
        if not mask:
            rows.append(_plain(row, fernet_key))
            continue
        fields = {k: getattr(row, k) for k in FIELDS}
        fields.update(id=row.id, is_encrypted=row.is_encrypted, is_extra_encrypted=row.is_extra_encrypted,
                      password=MASK if row.password else None)
        if row.is_extra_encrypted and row.extra is not None:
            # Without the key the whole extra stays hidden; with it, only its sensitive keys are.
            fields["extra"] = decrypt(row.extra, fernet_key, what=f"connection {row.conn_id!r} extra") if fernet_key else MASK
        fields["extra"] = mask_extra(fields["extra"], words)
        rows.append(fields)
    return rows


list = list_connections  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
