"""`airflow pools list|get|set|delete|import|export`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tradewind.cli.db_cmd import log_cli_action, open_database
from tradewind.cli.output import print_rows
from tradewind.errors import TradewindError

COLUMNS = ("pool", "slots", "description", "include_deferred")


def _print(pools: list[dict[str, Any]], fmt: str) -> None:
    print_rows(pools, fmt, COLUMNS)


def list_(args: argparse.Namespace) -> int:
    """List pools."""
    from tradewind.store import pools

    _, db = open_database()
    with db.read() as conn:
        _print(pools.list_pools(conn), args.output)
    return 0


def get(args: argparse.Namespace) -> int:
    """Show one pool."""
    from tradewind.store import pools

    _, db = open_database()
    with db.read() as conn:
        pool = pools.get(conn, args.pool)
    if pool is None:
        raise TradewindError(f"Pool {args.pool} does not exist: list them with `airflow pools list`")
    _print([pool], args.output)
    return 0


def set_(args: argparse.Namespace) -> int:
    """Create or update a pool and show it."""
    from tradewind.store import pools

    _, db = open_database()
    try:
        with db.write() as conn:
            pool = pools.set_pool(conn, args.pool, args.slots, args.description,
                                  include_deferred=args.include_deferred)
    except ValueError as exc:
        raise TradewindError(str(exc)) from None
    log_cli_action(db, "pools_set", extra=args.pool)
    _print([pool], args.output)
    return 0


def delete(args: argparse.Namespace) -> int:
    """Delete a pool (default_pool cannot be deleted)."""
    from tradewind.store import pools

    _, db = open_database()
    with db.write() as conn:
        pool = pools.get(conn, args.pool)
        if pool is None:
            raise TradewindError(f"Pool {args.pool} does not exist: list them with `airflow pools list`")
        pools.delete(conn, args.pool)
    log_cli_action(db, "pools_delete", extra=args.pool)
    _print([pool], args.output)
    return 0


def import_(args: argparse.Namespace) -> int:
    """Create or update pools from a JSON file: {name: {"slots", "description", "include_deferred"}}."""
    from tradewind.store import pools

    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TradewindError(f"{args.file}: cannot read a JSON object of pools ({exc})") from None
    if not isinstance(data, dict):
        raise TradewindError(f"{args.file}: expected a JSON object of name: {{slots, description}}")
    _, db = open_database()
    with db.write() as conn:
        created = [pools.set_pool(conn, name, int(spec["slots"]), spec.get("description", ""),
                                  include_deferred=bool(spec.get("include_deferred", False)))
                   for name, spec in data.items()]
    log_cli_action(db, "pools_import", extra=args.file)
    print(f"Uploaded {len(created)} pool(s)")
    _print(created, "table")
    return 0


def export(args: argparse.Namespace) -> int:
    """Write every pool to a JSON file."""
    from tradewind.store import pools

    _, db = open_database()
    with db.read() as conn:
        rows = pools.list_pools(conn)
    data = {p["pool"]: {"slots": p["slots"], "description": p["description"],
                        "include_deferred": p["include_deferred"]} for p in rows}
    Path(args.file).write_text(json.dumps(data, sort_keys=True, indent=4) + "\n", encoding="utf-8")
    print(f"Exported {len(data)} pools to {args.file}")
    return 0
