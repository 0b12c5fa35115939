"""`Variable`: key/value settings stored in the metadata DB, read from DAG files and tasks."""

from __future__ import annotations

import json
from typing import Any

from tradewind.sdk.runtime import current_services

_MISSING: Any = object()


class Variable:
    """Access to Airflow Variables through the installed runtime services."""

    def __init__(self, key: str | None = None, val: Any = None, description: str | None = None) -> None:
        self.key, self.val, self.description = key, val, description

    @classmethod
    def get(cls, key: str, default_var: Any = _MISSING, deserialize_json: bool = False, default: Any = _MISSING) -> Any:
        """The value of `key` (parsed as JSON if asked); `default_var` when missing, else KeyError."""
        if default is not _MISSING and default_var is _MISSING:
            default_var = default
        value = current_services().get_variable(key)
        if value is None:
            if default_var is not _MISSING:
                return default_var
            raise KeyError(f"Variable {key} does not exist")
        return json.loads(value) if deserialize_json else value

    @classmethod
    def set(cls, key: str, value: Any, description: str | None = None, serialize_json: bool = False) -> None:
        """Create or replace `key` (JSON-encoding the value if asked)."""
        text = json.dumps(value, indent=2) if serialize_json else str(value)
        current_services().set_variable(key, text, description)

    @classmethod
    def delete(cls, key: str) -> None:
        """Delete `key` if it exists."""
        current_services().delete_variable(key)

    @classmethod
    def setdefault(cls, key: str, default: Any, description: str | None = None, deserialize_json: bool = False) -> Any:
        """The value of `key`, storing `default` first when it is missing."""
        value = cls.get(key, default_var=None, deserialize_json=deserialize_json)
        if value is None:
            if default is None:
                raise ValueError("Default Value must be set")
            cls.set(key, default, description=description, serialize_json=deserialize_json)
            return default
        return value


__all__ = ["Variable"]
