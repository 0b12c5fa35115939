"""`airflow db init|migrate|reset|check`: create, upgrade, rebuild and verify the metadata database."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from tradewind.errors import TradewindError

if TYPE_CHECKING:
    from tradewind.config.settings import Settings
    from tradewind.store.database import Database


def open_database(*, check: bool = True) -> tuple["Settings", "Database"]:
    """The settings and the metadata database; with check, refuse a database that is not migrated."""
    from tradewind.cli.metadata_db import checked_database
    from tradewind.config.settings import load_settings
    from tradewind.store.database import Database

    settings = load_settings()
    return settings, (checked_database(settings) if check else Database.from_settings(settings))


def log_cli_action(db: "Database", event: str, **fields: Any) -> None:
    """Record a CLI change in the audit log, as Airflow's CLI does (`cli_<command>`)."""
    import getpass

    from tradewind.store import action_log

    with db.write() as conn:
        action_log.append(conn, f"cli_{event}", owner=getpass.getuser(), **fields)


def _describe(db: "Database") -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _prepare_home() -> "Settings":
    from tradewind.config.cfg_file import ensure_cfg_file
    from tradewind.config.settings import airflow_home, load_settings

    ensure_cfg_file(airflow_home(os.environ))
    settings = load_settings()
    settings.dags_folder.mkdir(parents=True, exist_ok=True)
    settings.log_folder.mkdir(parents=True, exist_ok=True)
    return settings


def init(args: argparse.Namespace) -> int:
    """Write airflow.cfg if missing, create the dags and logs folders, migrate, and create the defaults."""
    from tradewind.store import migrate
    from tradewind.store.database import Database
    from tradewind.store.defaults import create_defaults

    settings = _prepare_home()
    db = Database.from_settings(settings)
    print(f"DB: {_describe(db)}")
    migrate.upgrade(db)
    create_defaults(db, fernet_key=settings.get("core", "fernet_key"))
    print(f"Config: {settings.cfg_path}")
    print(f"DAGs folder: {settings.dags_folder}")
    print("Initialization done")
    return 0


def migrate_db(args: argparse.Namespace) -> int:
    """Bring the schema to the newest revision (creating it if needed) and add missing defaults."""
    from tradewind.store import migrate
    from tradewind.store.defaults import create_defaults

    settings = _prepare_home()
    _, db = open_database(check=False)
    print(f"DB: {_describe(db)}")
    before = migrate.current_revision(db)
    migrate.upgrade(db)
    create_defaults(db, fernet_key=settings.get("core", "fernet_key"))
    print(f"Migrated from revision {before or 'none'} to {migrate.head_revision()}")
    print("Database migrating done!")
    return 0


def reset(args: argparse.Namespace) -> int:
    """Drop every table and rebuild the schema and defaults (asks first unless -y)."""
    from tradewind.store import migrate
    from tradewind.store.defaults import create_defaults

    settings, db = open_database(check=False)
    if not args.yes:
        answer = input("This will drop existing tables if they exist. Proceed? (y/n) ").strip().lower()
        if answer not in ("y", "yes"):
            print("Cancelled")
            return 1
    print(f"DB: {_describe(db)}")
    migrate.reset(db)
    create_defaults(db, fernet_key=settings.get("core", "fernet_key"))
    print("Database reset done")
    return 0


def check(args: argparse.Namespace) -> int:
    """Connect to the database and verify its schema is current; exit 1 otherwise."""
    from tradewind.store import migrate

    _, db = open_database(check=False)
    try:
        revision = migrate.check(db)
    except TradewindError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"DB: {_describe(db)}")
    print(f"Connection successful. Schema at revision {revision}.")
    return 0
