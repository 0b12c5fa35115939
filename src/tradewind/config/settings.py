"""Load the effective configuration once: defaults < airflow.cfg < AIRFLOW__SECTION__KEY variables."""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from tradewind.config.options import OPTIONS, OPTIONS_BY_KEY, Option
from tradewind.errors import ConfigError

_TRUE = {"true", "t", "1", "yes", "y", "on"}
_FALSE = {"false", "f", "0", "no", "n", "off", ""}


def airflow_home(environ: Mapping[str, str]) -> Path:
    """AIRFLOW_HOME, or its alias TRADEWIND_HOME, or ~/airflow."""
    home = environ.get("AIRFLOW_HOME") or environ.get("TRADEWIND_HOME") or "~/airflow"
    return Path(home).expanduser().resolve()


def _convert(option: Option, raw: str, origin: str) -> Any:
    text = raw.strip()
    try:
        if option.type is bool:
            lowered = text.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError
        return option.type(text)
    except ValueError:
        raise ConfigError(f"{origin} [{option.section}] {option.key} = {raw!r}: not a {option.type.__name__}",
                          section=option.section, key=option.key, value=raw) from None


@dataclass(frozen=True)
class Settings:
    """The effective configuration: typed values by (section, key), plus where each came from."""

    home: Path
    values: Mapping[tuple[str, str], Any]
    sources: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def get(self, section: str, key: str) -> Any:
        try:
            return self.values[(section, key)]
        except KeyError:
            raise ConfigError(f"unknown option [{section}] {key}", section=section, key=key) from None

    @property
    def cfg_path(self) -> Path:
        return self.home / "airflow.cfg"

    @property
    def dags_folder(self) -> Path:
        return Path(self.get("core", "dags_folder")).expanduser()

    @property
    def sql_alchemy_conn(self) -> str:
        return self.get("database", "sql_alchemy_conn")

    @property
    def log_folder(self) -> Path:
        return Path(self.get("logging", "base_log_folder")).expanduser()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read defaults, then $AIRFLOW_HOME/airflow.cfg, then AIRFLOW__SECTION__KEY variables."""
    env = os.environ if environ is None else environ
    home = airflow_home(env)
    values: dict[tuple[str, str], Any] = {}
    sources: dict[tuple[str, str], str] = {}
    for option in OPTIONS:
        default = option.default
        if isinstance(default, str):
            default = default.replace("{AIRFLOW_HOME}", str(home))
        values[(option.section, option.key)] = default
        sources[(option.section, option.key)] = "default"
    cfg_path = home / "airflow.cfg"
    if cfg_path.exists():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(cfg_path, encoding="utf-8")
        except configparser.Error as exc:
            raise ConfigError(f"{cfg_path}: cannot be read: {exc}") from None
        for section in parser.sections():
            for key, raw in parser.items(section):
                option = OPTIONS_BY_KEY.get((section, key))
                if option is not None:
                    raw = raw.replace("{AIRFLOW_HOME}", str(home))
                    values[(section, key)] = _convert(option, raw, str(cfg_path))
                    sources[(section, key)] = "airflow.cfg"
    for name, raw in env.items():
        if not name.startswith("AIRFLOW__"):
            continue
        parts = name[len("AIRFLOW__"):].lower().split("__", 1)
        if len(parts) != 2:
            continue
        option = OPTIONS_BY_KEY.get((parts[0], parts[1]))
        if option is not None:
            values[(option.section, option.key)] = _convert(option, raw, f"environment {name}")
            sources[(option.section, option.key)] = "env var"
    return Settings(home=home, values=values, sources=sources)
