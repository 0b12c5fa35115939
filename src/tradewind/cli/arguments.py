"""Values given on the command line: ISO instants and JSON conf, checked with errors that name them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from tradewind.errors import TradewindError


class BadArgument(TradewindError):
    """A command-line value could not be read; the message names the option and the value."""


def parse_instant(raw: str | None, what: str = "date") -> datetime | None:
    """An ISO date or datetime as aware UTC (naive values are UTC, Airflow's default zone); None stays None."""
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise BadArgument(f"{what} {raw!r} is not an ISO 8601 date such as 2026-01-02 or 2026-01-02T03:00:00+00:00") from None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def parse_conf(raw: str | None) -> dict[str, Any]:
    """The run conf from -c/--conf: a JSON object, or empty."""
    from tradewind.sdk.params import parse_conf as parse_conf_json

    return parse_conf_json(raw, field="--conf")

def with_dags_folder(settings: Any, subdir: str | None) -> Any:
    """The settings with [core] dags_folder replaced by -S/--subdir, when it was given."""
    if not subdir:
        return settings
    from dataclasses import replace
    from pathlib import Path

    folder = str(Path(subdir).expanduser().absolute())
    return replace(settings, values={**settings.values, ("core", "dags_folder"): folder})
