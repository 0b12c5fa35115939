"""`conf` for DAG files (`from airflow.configuration import conf`): Tradewind's settings, read on first use."""

from __future__ import annotations

from typing import Any

from tradewind.errors import ConfigError

_MISSING: Any = object()


class ConfigView:
    """Airflow's config-parser calls (get, getboolean, getint, ...) over Tradewind's settings."""

    def __init__(self) -> None:
        self._settings: Any = None

    def _load(self) -> Any:
        if self._settings is None:
            from tradewind.config.settings import load_settings

            self._settings = load_settings()
        return self._settings

    def get(self, section: str, key: str, fallback: Any = _MISSING, **_: Any) -> Any:
        """The value of [section] key as text; `fallback` when the option is unknown."""
        try:
            value = self._load().get(section.lower(), key.lower())
        except ConfigError:
            if fallback is not _MISSING:
                return fallback
            raise
        return value if value is None or isinstance(value, str) else str(value)

    def getboolean(self, section: str, key: str, fallback: Any = _MISSING, **_: Any) -> bool:
        """The option as a bool."""
        value = self.get(section, key, fallback=fallback)
        return value if isinstance(value, bool) else str(value).strip().lower() in {"true", "t", "1", "yes", "y", "on"}

    def getint(self, section: str, key: str, fallback: Any = _MISSING, **_: Any) -> int:
        """The option as an int."""
        return int(self.get(section, key, fallback=fallback))

    def getfloat(self, section: str, key: str, fallback: Any = _MISSING, **_: Any) -> float:
        """The option as a float."""
        return float(self.get(section, key, fallback=fallback))

    def has_option(self, section: str, key: str) -> bool:
        """Whether the option exists."""
        try:
            self._load().get(section.lower(), key.lower())
        except ConfigError:
            return False
        return True

    def getsection(self, section: str) -> dict[str, Any]:
        """Every option of a section."""
        values = self._load().values
        return {k: v for (s, k), v in values.items() if s == section.lower()}


conf = ConfigView()
