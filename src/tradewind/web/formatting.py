"""Jinja filters: instants as <time> elements (UTC, switchable to local), durations, JSON."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup, escape


def time_tag(value: datetime | None, empty: str = "") -> Markup:
    """An instant as `<time datetime=iso>YYYY-MM-DD, HH:MM:SS UTC</time>`; the page script localises it."""
    if value is None:
        return Markup(escape(empty))
    text = value.strftime("%Y-%m-%d, %H:%M:%S UTC")
    return Markup(f'<time datetime="{value.isoformat()}">{escape(text)}</time>')


def duration_text(seconds: float | timedelta | None) -> str:
    """A duration as HH:MM:SS (with days when longer than one)."""
    if seconds is None:
        return ""
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    total = int(round(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}d {text}" if days else text


def pretty_json(value: Any) -> str:
    """JSON with indentation, for conf and XCom values."""
    return json.dumps(value, indent=2, sort_keys=True, default=str)


def run_duration_s(run: dict[str, Any]) -> float | None:
    """Seconds between a run's start and end, or None while it is unfinished."""
    if run.get("start_date") and run.get("end_date"):
        return (run["end_date"] - run["start_date"]).total_seconds()
    return None


def short_duration(seconds: float | None) -> str:
    """A duration for chart axes and tooltips: seconds with decimals under a minute, else HH:MM:SS."""
    if seconds is None:
        return ""
    if abs(seconds) < 60:
        return f"{seconds:.2f}s" if abs(seconds) < 10 else f"{seconds:.1f}s"
    return duration_text(seconds)
