"""`airflow variables get|set|list|delete|import|export`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tradewind.cli.db_cmd import log_cli_action, open_database
from tradewind.cli.output import print_rows
from tradewind.errors import TradewindError

_MISSING = object()


def _fernet_key(settings: Any) -> str:
    return settings.get("core", "fernet_key")


def get(args: argparse.Namespace) -> int:
    """Print a variable's value (decoded from JSON with -j); a missing one without --default is an error."""
    from tradewind.store import variables

    settings, db = open_database()
    with db.read() as conn:
        value = variables.get_variable(conn, args.key, fernet_key=_fernet_key(settings))
    if value is None:
        if args.default is None:
            raise TradewindError(f"Variable {args.key} does not exist: list them with `airflow variables list`")
        value = args.default
    elif args.json:
        try:
            value = json.dumps(json.loads(value), indent=2)
        except ValueError:
            raise TradewindError(f"Variable {args.key} is not JSON: drop -j/--json to print it as text") from None
    print(value)
    return 0


def set_(args: argparse.Namespace) -> int:
    """Create or replace a variable (a JSON value is checked and stored indented with -j)."""
    from tradewind.store import variables

    settings, db = open_database()
    value = args.value
    if args.json:
        try:
            value = json.dumps(json.loads(value), indent=2)
        except ValueError as exc:
            raise TradewindError(f"variable {args.key}: value is not valid JSON ({exc})") from None
    with db.write() as conn:
        variables.set_variable(conn, args.key, value, description=args.description, fernet_key=_fernet_key(settings))
    log_cli_action(db, "variables_set", extra=args.key)
    print(f"Variable {args.key} created")
    return 0


def list_(args: argparse.Namespace) -> int:
    """List variable keys (values stay secret, as in Airflow)."""
    from tradewind.store import variables

    settings, db = open_database()
    with db.read() as conn:
        rows = variables.list_variables(conn, decrypt_values=False)
    print_rows([{"key": r["key"]} for r in rows], args.output, ["key"])
    return 0


def delete(args: argparse.Namespace) -> int:
    """Delete a variable."""
    from tradewind.store import variables

    _, db = open_database()
    with db.write() as conn:
        found = variables.delete(conn, args.key)
    if not found:
        raise TradewindError(f"Variable {args.key} does not exist: list them with `airflow variables list`")
    log_cli_action(db, "variables_delete", extra=args.key)
    print(f"Variable {args.key} deleted")
    return 0


def _load_import_file(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TradewindError(f"Missing variables file {path}") from None
    except ValueError as exc:
        raise TradewindError(f"{path}: not a JSON file ({exc}); expected an object of key: value") from None
    if not isinstance(data, dict):
        raise TradewindError(f"{path}: expected a JSON object of key: value, got {type(data).__name__}")
    return data


def import_(args: argparse.Namespace) -> int:
    """Import variables from a JSON object file ({key: value} or {key: {"value", "description"}})."""
    from tradewind.store import variables

    settings, db = open_database()
    data = _load_import_file(args.file)
    updated, skipped = 0, []
    with db.write() as conn:
        for key, raw in data.items():
            exists = variables.get_row(conn, key, fernet_key=_fernet_key(settings)) is not None
            if exists and args.action_on_existing_key == "fail":
                raise TradewindError(f"Failed. These keys: {key} already exist (use -a overwrite or -a skip)")
            if exists and args.action_on_existing_key == "skip":
                skipped.append(key)
                continue
            description = None
            if isinstance(raw, dict) and "value" in raw:
                description, raw = raw.get("description"), raw["value"]
            value = raw if isinstance(raw, str) else json.dumps(raw)
            variables.set_variable(conn, key, value, description=description, fernet_key=_fernet_key(settings))
            updated += 1
    log_cli_action(db, "variables_import", extra=args.file)
    print(f"{updated} of {len(data)} variables successfully updated.")
    if skipped:
        print(f"The variables with these keys: {skipped} were skipped because they already exist")
    return 0


def export(args: argparse.Namespace) -> int:
    """Write every variable to a JSON file (`-` for stdout); JSON values are exported decoded."""
    from tradewind.store import variables

    settings, db = open_database()
    with db.read() as conn:
        rows = variables.list_variables(conn, fernet_key=_fernet_key(settings))
    data: dict[str, Any] = {}
    for row in rows:
        try:
            data[row["key"]] = json.loads(row["val"])
        except (TypeError, ValueError):
            data[row["key"]] = row["val"]
    text = json.dumps(data, sort_keys=True, indent=4)
    if args.file == "-":
        print(text)
        return 0
    Path(args.file).write_text(text + "\n", encoding="utf-8")
    print(f"{len(data)} variables successfully exported to {args.file}")
    return 0
