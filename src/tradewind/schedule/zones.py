"""Time zones for schedules: parse a name or tzinfo into one canonical form, encode it back to a name."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_UTC_NAMES = frozenset({"utc", "etc/utc", "z", "gmt", "etc/gmt", "+00:00", "+0000"})


def parse_timezone(value: str | tzinfo | None) -> tzinfo:
    """A zoneinfo zone (or a fixed offset) for an IANA name, a '+05:30' offset or a tzinfo object.

    pendulum and pytz zones are turned into `zoneinfo.ZoneInfo` by name, because only zoneinfo
    gives the `fold`-aware wall-clock arithmetic the cron code relies on.
    """
    if value is None:
        return UTC
    if isinstance(value, str):
        return _zone_from_name(value)
    if value is UTC:
        return UTC
    name = getattr(value, "key", None) or getattr(value, "name", None) or getattr(value, "zone", None)
    if isinstance(name, str) and name:
        return _zone_from_name(name)
    offset = value.utcoffset(None)
    if offset is not None:
        return UTC if offset == timedelta(0) else timezone(offset)
    raise ValueError(f"time zone {value!r} has no IANA name and no fixed offset; pass a name such as 'Europe/Amsterdam'")


def _zone_from_name(name: str) -> tzinfo:
    if name.strip().lower() in _UTC_NAMES:
        return UTC
    match = _OFFSET.match(name.strip())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return timezone(sign * delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Amsterdam' or 'UTC'") from exc


def timezone_name(zone: tzinfo) -> str:
    """The name `parse_timezone` turns back into `zone`: an IANA key, 'UTC' or a '+HH:MM' offset."""
    if zone is UTC:
        return "UTC"
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        return key
    offset = zone.utcoffset(None)
    if offset is None:
        raise ValueError(f"time zone {zone!r} cannot be named")
    total_min = int(offset.total_seconds()) // 60
    sign = "-" if total_min < 0 else "+"
    hours, minutes = divmod(abs(total_min), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def to_utc(value: datetime, *, field: str = "datetime") -> datetime:
    """`value` as a plain aware `datetime` in UTC; a naive value is an error naming `field`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} {value.isoformat()} is naive; schedules need aware datetimes (give it a tzinfo)")
    moved = value.astimezone(UTC)
    # Rebuild as a plain datetime so that subclasses (pendulum's DateTime) do not leak out.
    return datetime(
        moved.year, moved.month, moved.day, moved.hour, moved.minute, moved.second, moved.microsecond, tzinfo=UTC
    )
