"""Airflow's state colours, shared by templates, the SVG drawings and the stylesheet."""

from __future__ import annotations

STATE_COLORS: dict[str, str] = {
    "deferred": "mediumpurple",
    "failed": "red",
    "queued": "gray",
    "removed": "lightgrey",
    "restarting": "violet",
    "running": "lime",
    "scheduled": "tan",
    "skipped": "hotpink",
    "success": "green",
    "up_for_reschedule": "turquoise",
    "up_for_retry": "gold",
    "upstream_failed": "orange",
    "none": "#e6e9ef",
}


def state_color(state: str | None) -> str:
    """The colour of a state; no state is a pale grey."""
    return STATE_COLORS.get(state or "none", STATE_COLORS["none"])
