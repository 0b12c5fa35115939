"""`airflow webserver` and its Airflow 3 name `airflow api-server`: serve the UI with uvicorn."""

from __future__ import annotations

import argparse


def webserver(args: argparse.Namespace) -> int:
    """Serve the UI on --hostname:--port ([webserver] web_server_host / web_server_port by default)."""
    import uvicorn

    from tradewind.cli.metadata_db import checked_database
    from tradewind.config.settings import load_settings
    from tradewind.web.app import create_app

    settings = load_settings()
    db = checked_database(settings)
    host = args.hostname or str(settings.get("webserver", "web_server_host"))
    port = args.port or int(settings.get("webserver", "web_server_port"))
    print(f"Tradewind web server on http://{host}:{port}", flush=True)
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level=args.log_level, access_log=args.access_log)
    return 0
