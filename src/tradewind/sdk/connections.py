"""`Connection` and `BaseHook.get_connection`: connection details stored in the metadata DB."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from tradewind.sdk.exceptions import AirflowNotFoundException
from tradewind.sdk.runtime import current_services


class Connection:
    """How to reach an external system: type, host, credentials and extra JSON."""

    def __init__(
        self,
        conn_id: str | None = None,
        conn_type: str | None = None,
        description: str | None = None,
        host: str | None = None,
        login: str | None = None,
        password: str | None = None,
        schema: str | None = None,
        port: int | None = None,
        extra: str | dict[str, Any] | None = None,
        uri: str | None = None,
    ) -> None:
        self.conn_id, self.conn_type, self.description = conn_id, conn_type, description
        self.host, self.login, self.password, self.schema = host, login, password, schema
        self.port = int(port) if port not in (None, "") else None
        self.extra = json.dumps(extra) if isinstance(extra, dict) else extra
        if uri:
            self._parse_uri(uri)

    def _parse_uri(self, uri: str) -> None:
        from urllib.parse import parse_qsl, unquote, urlsplit

        parts = urlsplit(uri)
        self.conn_type = parts.scheme.replace("-", "_")
        self.host = unquote(parts.hostname or "") or None
        self.schema = unquote(parts.path.lstrip("/")) or None
        self.login = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.port = parts.port
        if parts.query:
            self.extra = json.dumps(dict(parse_qsl(parts.query)))

    @property
    def extra_dejson(self) -> dict[str, Any]:
        """The extra field parsed as JSON ({} when empty or not JSON)."""
        if not self.extra:
            return {}
        try:
            value = json.loads(self.extra)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def get_uri(self) -> str:
        """The connection as a URI: type://login:password@host:port/schema?extra."""
        uri = f"{(self.conn_type or '').replace('_', '-')}://"
        if self.login or self.password:
            uri += quote(self.login or "", safe="")
            if self.password:
                uri += ":" + quote(self.password, safe="")
            uri += "@"
        uri += quote(self.host or "", safe="")
        if self.port:
            uri += f":{self.port}"
        if self.schema:
            uri += "/" + quote(self.schema, safe="")
        if self.extra_dejson:
            uri += "?" + urlencode(self.extra_dejson)
        return uri

    @classmethod
    def get_connection_from_secrets(cls, conn_id: str) -> Connection:
        """The stored connection `conn_id`; AirflowNotFoundException naming it when there is none."""
        fields = current_services().get_connection(conn_id)
        if fields is None:
            raise AirflowNotFoundException(f"The conn_id `{conn_id}` isn't defined")
        known = ("conn_type", "description", "host", "login", "password", "schema", "port", "extra")
        return cls(conn_id=conn_id, **{k: fields.get(k) for k in known})

    get = get_connection_from_secrets

    def __repr__(self) -> str:
        return f"Connection({self.conn_id!r}, conn_type={self.conn_type!r}, host={self.host!r})"


class BaseHook:
    """Base of hooks: `get_connection(conn_id)` reads a stored Connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.log_kwargs = kwargs

    @classmethod
    def get_connection(cls, conn_id: str) -> Connection:
        """The stored connection `conn_id`."""
        return Connection.get_connection_from_secrets(conn_id)

    def get_conn(self) -> Any:
        """The client object of the external system; hooks implement it."""
        raise NotImplementedError
