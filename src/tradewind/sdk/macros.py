"""The `macros` namespace templates see: date helpers plus a few standard modules."""

from __future__ import annotations

import json
import random as _random_module
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

random = _random_module.random


def ds_add(ds: str, days: int) -> str:
    """Add (or subtract) days to a YYYY-MM-DD date string: ds_add('2015-01-01', 5) -> '2015-01-06'."""
    if not days:
        return str(ds)
    return (datetime.strptime(str(ds), "%Y-%m-%d") + timedelta(days=days)).strftime("%Y-%m-%d")


def ds_format(ds: str, input_format: str, output_format: str) -> str:
    """Re-format a date string: ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y') -> '01-01-15'."""
    return datetime.strptime(str(ds), input_format).strftime(output_format)


def ds_format_locale(ds: str, input_format: str, output_format: str, locale: str | None = None) -> str:
    """ds_format; the locale is accepted for compatibility and the C locale's names are used."""
    return ds_format(ds, input_format, output_format)


def datetime_diff_for_humans(dt: datetime, since: datetime | None = None) -> str:
    """A human description of the time between dt and since (default: now), e.g. '3 hours ago'."""
    from tradewind.sdk.timezone import coerce_utc, utcnow

    start, end = coerce_utc(dt), coerce_utc(since) if since is not None else utcnow()
    seconds = (start - end).total_seconds()  # type: ignore[operator]
    amount, unit = _largest_unit(abs(seconds))
    text = f"{amount} {unit}{'' if amount == 1 else 's'}"
    if since is None:
        return f"in {text}" if seconds > 0 else f"{text} ago"
    return f"{text} after" if seconds > 0 else f"{text} before"


def _largest_unit(seconds: float) -> tuple[int, str]:
    for size, unit in ((31536000, "year"), (2592000, "month"), (604800, "week"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):
        if seconds >= size:
            return int(seconds // size), unit
    return max(int(seconds), 1), "second"


def __getattr__(name: str) -> Any:
    # dateutil and yaml are imported on first use so that importing the macros stays cheap.
    if name == "dateutil":
        import dateutil
        import dateutil.relativedelta
        import dateutil.parser

        return dateutil
    if name == "yaml":
        import yaml

        return yaml
    raise AttributeError(f"module 'macros' has no attribute {name!r}")


__all__ = ["datetime", "datetime_diff_for_humans", "ds_add", "ds_format", "ds_format_locale", "json", "random",
           "time", "timedelta", "uuid"]
