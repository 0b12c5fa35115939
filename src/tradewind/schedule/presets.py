"""Airflow's cron presets and the two special schedule strings that are not crons."""

from __future__ import annotations

PRESETS: dict[str, str] = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@quarterly": "0 0 1 */3 *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
"""Preset name -> the cron expression it stands for."""

ONCE = "@once"
CONTINUOUS = "@continuous"


def expand_preset(expression: str) -> str:
    """The cron expression for a preset such as '@daily', or `expression` itself when it is no preset."""
    return PRESETS.get(expression.strip().lower(), expression)
