"""`airflow connections add|get|list|delete`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tradewind.cli.db_cmd import log_cli_action, open_database
from tradewind.cli.output import print_rows
from tradewind.errors import TradewindError

GET_COLUMNS = ("id", "conn_id", "conn_type", "description", "host", "schema", "login", "password", "port",
               "is_encrypted", "is_extra_encrypted", "extra_dejson", "get_uri")
LIST_COLUMNS = ("id", "conn_id", "conn_type", "description", "host", "schema", "login", "password", "port",
                "is_encrypted", "is_extra_encrypted", "extra_dejson")
_FIELD_FLAGS = ("conn_type", "conn_host", "conn_login", "conn_password", "conn_schema", "conn_port", "conn_extra")


def _fields_from_args(args: argparse.Namespace) -> dict[str, Any]:
    from tradewind.store.connection_uri import parse_uri

    given_fields = [f for f in _FIELD_FLAGS if getattr(args, f, None) is not None]
    sources = [name for name, value in (("--conn-uri", args.conn_uri), ("--conn-json", args.conn_json)) if value]
    if len(sources) > 1:
        raise TradewindError("Give only one of --conn-uri and --conn-json")
    if sources and given_fields:
        raise TradewindError(f"{sources[0]} cannot be combined with --conn-type, --conn-host... : give one or the other")
    if args.conn_uri:
        fields = parse_uri(args.conn_uri)
    elif args.conn_json:
        try:
            fields = json.loads(args.conn_json)
        except ValueError as exc:
            raise TradewindError(f"--conn-json is not valid JSON ({exc})") from None
        if isinstance(fields.get("extra"), dict):
            fields["extra"] = json.dumps(fields["extra"])
    elif args.conn_type:
        fields = {"conn_type": args.conn_type, "host": args.conn_host, "login": args.conn_login,
                  "password": args.conn_password, "schema": args.conn_schema, "port": args.conn_port,
                  "extra": args.conn_extra}
    else:
        raise TradewindError("Must supply either --conn-uri or --conn-json if not supplying --conn-type")
    if fields.get("extra"):
        try:
            json.loads(fields["extra"])
        except ValueError:
            raise TradewindError(f"--conn-extra must be a JSON object, got {fields['extra']!r}") from None
    fields["conn_id"] = args.conn_id
    fields["description"] = args.conn_description
    return fields


def add(args: argparse.Namespace) -> int:
    """Add a connection from a URI, a JSON document or separate --conn-* fields."""
    from tradewind.store import connections
    from tradewind.store.connection_uri import build_uri

    settings, db = open_database()
    fields = _fields_from_args(args)
    with db.write() as conn:
        created = connections.add(conn, fields, fernet_key=settings.get("core", "fernet_key"))
    if not created:
        raise TradewindError(f"A connection with `conn_id`={args.conn_id} already exists.")
    log_cli_action(db, "connections_add", extra=args.conn_id)
    print(f"Successfully added `conn_id`={args.conn_id} : {build_uri(fields)}")
    return 0


def _row(fields: dict[str, Any], *, with_uri: bool) -> dict[str, Any]:
    from tradewind.store.connection_uri import build_uri

    try:
        extra = json.loads(fields["extra"]) if fields.get("extra") else {}
    except ValueError:
        extra = fields["extra"]
    row = {**fields, "extra_dejson": extra}
    if with_uri:
        row["get_uri"] = build_uri(fields)
    return row


def get(args: argparse.Namespace) -> int:
    """Show one connection, its password and URI included."""
    from tradewind.store import connections

    settings, db = open_database()
    with db.read() as conn:
        fields = connections.get(conn, args.conn_id, fernet_key=settings.get("core", "fernet_key"))
    if fields is None:
        raise TradewindError(f"Connection {args.conn_id} not found: list them with `airflow connections list`")
    print_rows([_row(fields, with_uri=True)], args.output, GET_COLUMNS)
    return 0


def list_(args: argparse.Namespace) -> int:
    """List connections with passwords and sensitive extras masked."""
    from tradewind.store import connections

    settings, db = open_database()
    words = [w for w in settings.get("core", "sensitive_var_conn_names").split(",") if w.strip()]
    with db.read() as conn:
        rows = connections.list_connections(conn, fernet_key=settings.get("core", "fernet_key"), extra_words=words)
    if args.conn_id:
        rows = [r for r in rows if r["conn_id"] == args.conn_id]
    print_rows([_row(r, with_uri=False) for r in rows], args.output, LIST_COLUMNS)
    return 0


def delete(args: argparse.Namespace) -> int:
    """Delete a connection."""
    from tradewind.store import connections

    _, db = open_database()
    with db.write() as conn:
        found = connections.delete(conn, args.conn_id)
    if not found:
        raise TradewindError(f"Did not find a connection with `conn_id`={args.conn_id}")
    log_cli_action(db, "connections_delete", extra=args.conn_id)
    print(f"Successfully deleted connection with `conn_id`={args.conn_id}")
    return 0
