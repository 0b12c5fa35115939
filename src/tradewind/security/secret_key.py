"""The key that signs session cookies: [webserver] secret_key, or a per-install file when unset."""

from __future__ import annotations

import secrets
from pathlib import Path


def resolve_secret_key(configured: str, home: Path) -> str:
    """The configured key, else the one kept in $AIRFLOW_HOME/webserver_secret_key (created once)."""
    if configured:
        return configured
    path = home / "webserver_secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key)
    path.chmod(0o600)
    return key
