"""The `var` and `conn` objects of a task's context: `{{ var.value.k }}`, `{{ var.json.k }}`, `{{ conn.id.host }}`."""

from __future__ import annotations

import json
from typing import Any, Protocol

_MISSING = object()


class SecretReader(Protocol):
    """Where variables and connections come from (the store, through StoreServices)."""

    def get_variable(self, key: str) -> str | None: ...

    def get_connection(self, conn_id: str) -> Any: ...


class _VariableValues:
    """`var.value`: variables as strings; `var.json`: variables decoded from JSON."""

    def __init__(self, reader: SecretReader, *, decode_json: bool) -> None:
        self._reader, self._decode_json = reader, decode_json

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The variable `key`, or `default`; without a default a missing variable raises KeyError."""
        raw = self._reader.get_variable(key)
        if raw is None:
            if default is _MISSING:
                raise KeyError(f"Variable {key!r} does not exist: create it with `airflow variables set {key} VALUE`")
            return default
        if not self._decode_json:
            return raw
        try:
            return json.loads(raw)
        except ValueError:
            raise ValueError(f"Variable {key!r} is not valid JSON, so var.json.{key} cannot decode it") from None

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        return self.get(key)

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def __repr__(self) -> str:
        return "<var.json>" if self._decode_json else "<var.value>"


class VariableAccessor:
    """The context's `var`: `var.value.<key>` and `var.json.<key>`."""

    def __init__(self, reader: SecretReader) -> None:
        self.value = _VariableValues(reader, decode_json=False)
        self.json = _VariableValues(reader, decode_json=True)

    def __repr__(self) -> str:
        return "<var>"


class ConnectionAccessor:
    """The context's `conn`: `conn.<conn_id>` gives the connection, `conn.get(conn_id)` too."""

    def __init__(self, reader: SecretReader) -> None:
        self._reader = reader

    def get(self, conn_id: str, default: Any = _MISSING) -> Any:
        """The connection `conn_id`, or `default`; without a default a missing one raises."""
        from tradewind.sdk.exceptions import AirflowNotFoundException

        try:
            found = self._reader.get_connection(conn_id)
        except AirflowNotFoundException:
            found = None
        if found is None:
            if default is _MISSING:
                raise AirflowNotFoundException(
                    f"The conn_id {conn_id!r} isn't defined: create it with `airflow connections add {conn_id} ...`"
                )
            return default
        return found

    def __getattr__(self, conn_id: str) -> Any:
        if conn_id.startswith("__"):
            raise AttributeError(conn_id)
        return self.get(conn_id)

    def __getitem__(self, conn_id: str) -> Any:
        return self.get(conn_id)

    def __repr__(self) -> str:
        return "<conn>"
