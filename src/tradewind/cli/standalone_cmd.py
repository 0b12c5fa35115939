"""`airflow standalone`: the metadata DB, the DAG processor, the scheduler and the web server in one command.

On first start it creates an `admin` user with a generated password, prints it once and writes it to
$AIRFLOW_HOME/standalone_admin_password.txt, as Airflow does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import sys
from typing import Any

from tradewind.config.settings import Settings, load_settings

PASSWORD_FILE = "standalone_admin_password.txt"


def prepare_database(settings: Settings) -> Any:
    """Create or upgrade the metadata DB and its defaults (pools, connections)."""
    from tradewind.config.cfg_file import ensure_cfg_file
    from tradewind.store.database import Database
    from tradewind.store.defaults import create_defaults
    from tradewind.store.migrate import upgrade

    ensure_cfg_file(settings.home)
    settings.dags_folder.mkdir(parents=True, exist_ok=True)
    db = Database.from_settings(settings)
    upgrade(db)
    create_defaults(db, fernet_key=str(settings.get("core", "fernet_key")))
    return db


def ensure_admin_user(settings: Settings, db: Any) -> str | None:
    """Create `admin` with a fresh password when there is no user yet; returns the new password."""
    from tradewind.clock import Clock
    from tradewind.security.passwords import hash_password
    from tradewind.store import users

    with db.write() as conn:
        if users.list_users(conn):
            return None
        password = secrets.token_urlsafe(12)
        users.create(conn, username="admin", password_hash=hash_password(password), role="Admin",
                     first_name="Admin", last_name="User", email="admin@localhost", now=Clock().now())
    path = settings.home / PASSWORD_FILE
    path.write_text(password + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return password


def serve_web(settings: Settings, host: str, port: int) -> None:
    """Run the web server (UI and API) in this process until it is stopped."""
    import uvicorn

    from tradewind.store.database import Database
    from tradewind.web.app import create_app

    db = Database.from_settings(settings)
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning", access_log=False)


def standalone(args: argparse.Namespace) -> int:
    from tradewind.cli.scheduler_cmd import _setup_logging, run_scheduler

    settings = load_settings()
    _setup_logging(settings)
    db = prepare_database(settings)
    password = ensure_admin_user(settings, db)
    db.dispose()
    host = args.hostname or str(settings.get("webserver", "web_server_host"))
    port = args.port or int(settings.get("webserver", "web_server_port"))
    web = multiprocessing.get_context("fork").Process(target=serve_web, args=(settings, host, port), name="webserver")
    web.start()
    shown_host = "localhost" if host in ("0.0.0.0", "127.0.0.1") else host
    print(f"standalone | Tradewind is ready at http://{shown_host}:{port}/", file=sys.stderr)
    if password:
        print(f"standalone | Login with username: admin  password: {password}", file=sys.stderr)
        print(f"standalone | (also written to {settings.home / PASSWORD_FILE})", file=sys.stderr)
    else:
        print(f"standalone | Log in with your user (the first admin password is in {settings.home / PASSWORD_FILE})",
              file=sys.stderr)
    sys.stderr.flush()
    try:
        run_scheduler(settings, with_dag_processor=True)
    finally:
        web.terminate()
        web.join(10)
    return 0
