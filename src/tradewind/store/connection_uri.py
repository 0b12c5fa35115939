"""Airflow's connection URI: `conn-type://login:password@host:port/schema?extra=...`, both ways."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from tradewind.errors import TradewindError

FIELDS = ("conn_type", "host", "schema", "login", "password", "port", "extra")


class InvalidConnectionUri(TradewindError):
    """A connection URI cannot be parsed: use `type://login:password@host:port/schema?key=value`."""


def parse_uri(uri: str) -> dict[str, Any]:
    """The fields of a connection URI (conn_type, host, schema, login, password, port, extra as JSON text)."""
    parts = urlsplit(uri)
    if not parts.scheme:
        raise InvalidConnectionUri(f"connection URI {uri!r} has no scheme: use `type://login:password@host:port/schema`")
    try:
        port = parts.port
    except ValueError:
        raise InvalidConnectionUri(f"connection URI {uri!r} has a port that is not a number") from None
    conn_type = parts.scheme.replace("-", "_")
    if conn_type == "postgresql":
        conn_type = "postgres"
    host = unquote(parts.hostname or "") or None
    # A scheme inside the host part (`http://https%3A%2F%2Fexample.com`) survives quoting.
    extra = _extra_from_query(parts.query)
    return {"conn_type": conn_type, "host": host, "schema": unquote(parts.path.lstrip("/")) or None,
            "login": unquote(parts.username) if parts.username else None,
            "password": unquote(parts.password) if parts.password else None, "port": port, "extra": extra}


def _extra_from_query(query: str) -> str | None:
    if not query:
        return None
    pairs = parse_qsl(query, keep_blank_values=True)
    values = dict(pairs)
    if "__extra__" in values:
        return values["__extra__"]
    return json.dumps(values)


def build_uri(fields: dict[str, Any]) -> str:
    """A connection's URI, as `airflow connections get` shows it."""
    conn_type = (fields.get("conn_type") or "").replace("_", "-")
    auth = ""
    if fields.get("login") or fields.get("password"):
        auth = quote(fields.get("login") or "", safe="")
        if fields.get("password"):
            auth += ":" + quote(fields["password"], safe="")
        auth += "@"
    host = quote(fields.get("host") or "", safe="")
    port = f":{fields['port']}" if fields.get("port") else ""
    schema = "/" + quote(fields["schema"], safe="") if fields.get("schema") else ""
    uri = f"{conn_type}://{auth}{host}{port}{schema}"
    extra = fields.get("extra")
    if extra:
        try:
            parsed = json.loads(extra)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and all(isinstance(v, str) for v in parsed.values()):
            uri += "?" + urlencode(parsed)
        else:
            uri += "?" + urlencode({"__extra__": extra})
    return uri
