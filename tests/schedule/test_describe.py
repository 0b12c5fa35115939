"""Human descriptions of schedules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradewind.schedule.build import timetable_from_schedule


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        ("@hourly", "Every hour"),
        ("@daily", "At 00:00 every day"),
        ("@weekly", "At 00:00 on Sunday"),
        ("@monthly", "At 00:00 on day 1 of the month"),
        ("@quarterly", "At 00:00 on day 1 of the month, every 3 months"),
        ("@yearly", "At 00:00 on January 1"),
        ("*/15 * * * *", "Every 15 minutes"),
        ("* * * * *", "Every minute"),
        ("30 * * * *", "At minute 30 past every hour"),
        ("0 */6 * * *", "At minute 0 past every 6 hours"),
        ("0 9 * * MON-FRI", "At 09:00 on Monday through Friday"),
        ("0 9 * * 1,3,5", "At 09:00 on Monday, Wednesday and Friday"),
        ("0 0 13 * 5", "At 00:00 on day 13 of the month or on Friday"),
        ("0 0 L * *", "At 00:00 on the last day of the month"),
        (timedelta(days=1), "Every day"),
        (timedelta(hours=6), "Every 6 hours"),
        (None, "Never, external triggers only"),
    ],
)
def test_descriptions(schedule, text: str) -> None:
    assert timetable_from_schedule(schedule).description == text
