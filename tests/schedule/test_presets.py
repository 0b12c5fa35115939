"""Airflow's cron presets."""

from __future__ import annotations

from tradewind.schedule.presets import PRESETS, expand_preset


def test_presets_match_airflow() -> None:
    assert PRESETS == {
        "@hourly": "0 * * * *",
        "@daily": "0 0 * * *",
        "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *",
        "@quarterly": "0 0 1 */3 *",
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
    }
    assert expand_preset("@daily") == "0 0 * * *" and expand_preset("5 4 * * *") == "5 4 * * *"
