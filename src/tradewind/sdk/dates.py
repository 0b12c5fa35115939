"""Date helpers of Airflow 1.10/2.x (`airflow.utils.dates`): days_ago, cron_presets, date_range."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tradewind import clock
from tradewind.schedule.presets import PRESETS, expand_preset

# Airflow's table of presets; @annually, its alias of @yearly, is left out as Airflow's table leaves it out.
cron_presets: dict[str, str] = {name: cron for name, cron in PRESETS.items() if name != "@annually"}


def days_ago(n: int, hour: int = 0, minute: int = 0, second: int = 0, microsecond: int = 0) -> datetime:
    """Midnight UTC (or the given time of day) `n` days before today."""
    today = clock.utcnow().replace(hour=hour, minute=minute, second=second, microsecond=microsecond)
    return today - timedelta(days=n)


def date_range(
    start_date: datetime, end_date: datetime | None = None, num: int | None = None, delta: Any = None
) -> list[datetime]:
    """Datetimes from start_date stepping by `delta` (a timedelta, relativedelta or cron string) up to
    end_date, or `num` of them (a negative num counts back from end_date)."""
    if end_date is not None and num is not None:
        raise ValueError("date_range: give end_date or num, not both")
    if end_date is None and num is None:
        end_date = clock.utcnow()
    if delta is None:
        delta = timedelta(days=1)
    if isinstance(delta, str):
        return _cron_range(start_date, end_date, num, delta)
    dates: list[datetime] = []
    if num is not None and num < 0:
        current = end_date if end_date is not None else start_date
        for _ in range(-num):
            dates.insert(0, current)
            current = current - delta
        return dates
    current = start_date
    while (num is None and current <= end_date) or (num is not None and len(dates) < num):  # type: ignore[operator]
        dates.append(current)
        current = current + delta
    return dates


def _cron_range(start_date: datetime, end_date: datetime | None, num: int | None, expression: str) -> list[datetime]:
    from tradewind.schedule.cron import CronExpression

    cron = CronExpression.parse(expand_preset(expression))
    dates: list[datetime] = []
    current = start_date
    while (num is None and current <= end_date) or (num is not None and len(dates) < abs(num)):  # type: ignore[operator]
        dates.append(current)
        current = cron.next_after(current)
    return dates


def round_time(dt: datetime, delta: timedelta, start_date: datetime = datetime.min) -> datetime:
    """The datetime of the series start_date + k*delta nearest to `dt`."""
    steps = round((dt - start_date) / delta)
    return start_date + steps * delta
