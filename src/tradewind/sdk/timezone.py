"""Time-zone helpers under Airflow's names (`airflow.utils.timezone`, `airflow.sdk.timezone`).

Naive datetimes are read in the configured default zone (`defaults.DEFAULT_TIMEZONE`, UTC unless
configured); instants are returned as aware UTC stdlib datetimes, also when given pendulum ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from tradewind import clock
from tradewind.sdk import defaults

utc = dt.timezone.utc
UTC = utc


def resolve_timezone(zone: Any = None) -> dt.tzinfo:
    """A tzinfo for a zone name or tzinfo; None means the configured default zone."""
    if zone is None:
        zone = defaults.DEFAULT_TIMEZONE
    if isinstance(zone, dt.tzinfo):
        return zone
    if str(zone).upper() == "UTC":
        return utc
    return ZoneInfo(str(zone))


def timezone_name(tz: dt.tzinfo | None) -> str:
    """The IANA name of a tzinfo (zoneinfo, pendulum, dateutil), or its fixed-offset name."""
    if tz is None:
        return defaults.DEFAULT_TIMEZONE
    if tz is utc:
        return "UTC"
    for attr in ("key", "name", "zone"):
        name = getattr(tz, attr, None)
        if isinstance(name, str) and name:
            return name
    return tz.tzname(None) or "UTC"


def utcnow() -> dt.datetime:
    """The current instant, aware UTC."""
    return clock.utcnow()


def is_localized(value: dt.datetime) -> bool:
    """Whether `value` carries a time zone."""
    return value.utcoffset() is not None


def is_naive(value: dt.datetime) -> bool:
    """Whether `value` has no time zone."""
    return value.utcoffset() is None


def make_aware(value: dt.datetime, timezone: Any = None) -> dt.datetime:
    """Attach `timezone` (default: the configured zone) to a naive datetime; aware ones raise ValueError."""
    if is_localized(value):
        raise ValueError(f"make_aware expects a naive datetime, got {value!r}")
    return value.replace(tzinfo=resolve_timezone(timezone))


def make_naive(value: dt.datetime, timezone: Any = None) -> dt.datetime:
    """Convert an aware datetime to naive wall time in `timezone` (default: the configured zone)."""
    if is_naive(value):
        raise ValueError(f"make_naive expects an aware datetime, got {value!r}")
    return value.astimezone(resolve_timezone(timezone)).replace(tzinfo=None)


def convert_to_utc(value: dt.datetime | None) -> dt.datetime | None:
    """`value` as aware UTC; naive values are read in the configured default zone."""
    return coerce_utc(value)


def coerce_utc(value: Any) -> dt.datetime | None:
    """Aware stdlib UTC datetime from a datetime, date or pendulum instant; None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime, got {value!r} ({type(value).__name__})")
    if value.utcoffset() is None:
        value = value.replace(tzinfo=resolve_timezone(None))
    u = value.astimezone(utc)
    return dt.datetime(u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, tzinfo=utc)


def datetime(*args: Any, **kwargs: Any) -> dt.datetime:
    """`datetime.datetime(...)` that defaults to the UTC zone (tzinfo= may name another zone)."""
    if "tzinfo" not in kwargs and (len(args) < 8 or args[7] is None):
        kwargs["tzinfo"] = utc
    elif "tzinfo" in kwargs and not isinstance(kwargs["tzinfo"], dt.tzinfo):
        kwargs["tzinfo"] = resolve_timezone(kwargs["tzinfo"])
    return dt.datetime(*args, **kwargs)


def parse(string: str, timezone: Any = None) -> dt.datetime:
    """Parse an ISO-8601 (or dateutil-readable) string; naive results get `timezone` (default zone)."""
    try:
        value = dt.datetime.fromisoformat(string)
    except ValueError:
        from dateutil import parser as date_parser

        value = date_parser.parse(string)
    if value.utcoffset() is None:
        value = value.replace(tzinfo=resolve_timezone(timezone))
    return value


def coerce_datetime(value: Any, tz: Any = None) -> dt.datetime | None:
    """An aware datetime (naive ones get `tz`, default UTC); None stays None."""
    if value is None:
        return None
    if value.utcoffset() is None:
        return value.replace(tzinfo=resolve_timezone(tz or "UTC"))
    return value
