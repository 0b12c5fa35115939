"""Connections: Fernet round-trip, masking on list, add/get/delete, and Airflow's connection URIs."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from tradewind.store import connections
from tradewind.store.connection_uri import InvalidConnectionUri, build_uri, parse_uri
from tradewind.store.database import Database
from tradewind.store.encryption import SecretDecryptionError
from tradewind.store.schema import connection

KEY = Fernet.generate_key().decode()
FIELDS = {"conn_id": "pg", "conn_type": "postgres", "host": "db", "login": "u", "password": "s3cret", "port": 5432,
          "schema": "x", "extra": json.dumps({"sslmode": "require", "api_key": "k"})}


def test_fernet_round_trip_keeps_secrets_encrypted_at_rest(db: Database) -> None:
    with db.write() as conn:
        assert connections.add(conn, FIELDS, fernet_key=KEY)
        assert not connections.add(conn, FIELDS, fernet_key=KEY)
    with db.read() as conn:
        raw = conn.execute(sa.select(connection).where(connection.c.conn_id == "pg")).one()
        got = connections.get(conn, "pg", fernet_key=KEY)
        with pytest.raises(SecretDecryptionError, match="fernet_key"):
            connections.get(conn, "pg", fernet_key=Fernet.generate_key().decode())
    assert raw.is_encrypted and raw.is_extra_encrypted
    assert "s3cret" not in raw.password and "sslmode" not in raw.extra
    assert {k: got[k] for k in FIELDS} == FIELDS


def test_rotated_keys_still_decrypt(db: Database) -> None:
    new_key = Fernet.generate_key().decode()
    with db.write() as conn:
        connections.add(conn, FIELDS, fernet_key=KEY)
    with db.read() as conn:
        assert connections.get(conn, "pg", fernet_key=f"{new_key},{KEY}")["password"] == "s3cret"


def test_without_a_key_values_are_plain_and_list_masks_them(db: Database) -> None:
    with db.write() as conn:
        connections.add(conn, FIELDS)
        listed = connections.list_connections(conn)
        unmasked = connections.list_connections(conn, mask=False)
        assert connections.delete(conn, "pg") and not connections.delete(conn, "pg")
    assert listed[0]["password"] == "***"
    assert json.loads(listed[0]["extra"]) == {"sslmode": "require", "api_key": "***"}
    assert unmasked[0]["password"] == "s3cret"


def test_set_connection_replaces(db: Database) -> None:
    with db.write() as conn:
        connections.set_connection(conn, FIELDS)
        connections.set_connection(conn, {**FIELDS, "host": "other", "port": ""})
        got = connections.get(conn, "pg")
    assert (got["host"], got["port"]) == ("other", None)


def test_uri_round_trip() -> None:
    fields = parse_uri("postgres://us%40r:p%2Fw@db.example.com:5433/my_db?sslmode=require")
    assert fields == {"conn_type": "postgres", "host": "db.example.com", "schema": "my_db", "login": "us@r",
                      "password": "p/w", "port": 5433, "extra": json.dumps({"sslmode": "require"})}
    assert parse_uri(build_uri(fields)) == fields
    assert parse_uri("google-cloud-platform://")["conn_type"] == "google_cloud_platform"
    nested = {"conn_type": "fs", "extra": json.dumps({"path": "/", "n": 1})}
    assert json.loads(parse_uri(build_uri(nested))["extra"]) == {"path": "/", "n": 1}
    with pytest.raises(InvalidConnectionUri):
        parse_uri("no-scheme")
