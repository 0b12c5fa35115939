"""Variables: set/get/list/delete, encrypted at rest with a Fernet key."""

from __future__ import annotations

import sqlalchemy as sa
from cryptography.fernet import Fernet

from tradewind.store import variables
from tradewind.store.database import Database
from tradewind.store.schema import variable


def test_set_get_list_delete(db: Database) -> None:
    with db.write() as conn:
        variables.set_variable(conn, "b", "2", description="bee")
        variables.set_variable(conn, "a", '{"x": 1}')
        variables.set_variable(conn, "b", "3")
    with db.write() as conn:
        assert variables.get_variable(conn, "b") == "3"
        assert variables.get_row(conn, "b")["description"] == "bee"
        assert [(v["key"], v["val"]) for v in variables.list_variables(conn)] == [("a", '{"x": 1}'), ("b", "3")]
        assert variables.delete(conn, "a") and not variables.delete(conn, "a")
        assert variables.get_variable(conn, "a") is None


def test_values_are_encrypted_at_rest_with_a_fernet_key(db: Database) -> None:
    key = Fernet.generate_key().decode()
    with db.write() as conn:
        variables.set_variable(conn, "api_token", "t0ken", fernet_key=key)
    with db.read() as conn:
        raw = conn.execute(sa.select(variable.c.val, variable.c.is_encrypted)).one()
        assert raw.is_encrypted and "t0ken" not in raw.val
        assert variables.get_variable(conn, "api_token", fernet_key=key) == "t0ken"
