"""Human descriptions of cron expressions for the UI, such as 'At 02:30 every day'."""

from __future__ import annotations

import calendar

from tradewind.schedule.cron import CronExpression

_WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def describe_cron(cron: CronExpression) -> str:
    """A sentence for `cron`; shapes it cannot phrase fall back to listing the fields."""
    time_part = _describe_time(cron)
    if _is_one_date(cron):
        month, day = cron.months[0], min(cron.days)
        return f"{time_part} on {calendar.month_name[month]} {day}"
    day_part = _describe_days(cron)
    month_part = _describe_months(cron)
    if not day_part and not month_part and len(cron.hours) == 1 and len(cron.minutes) == 1:
        day_part = "every day"
    text = " ".join(part for part in (time_part, day_part) if part)
    return f"{text}, {month_part}" if month_part else text


def _is_one_date(cron: CronExpression) -> bool:
    """A yearly date such as 'January 1' (one month, one day of the month, any weekday)."""
    return len(cron.months) == 1 and len(cron.days) == 1 and not cron.last_day_of_month and cron.weekday_is_star


def _describe_time(cron: CronExpression) -> str:
    minutes, hours = cron.minutes, cron.hours
    if len(minutes) == 1 and len(hours) == 1:
        return f"At {hours[0]:02d}:{minutes[0]:02d}"
    minute_text = _describe_minutes(minutes)
    if cron.every_hour:
        return minute_text
    step = _step_of(hours, 0, 23)
    hour_text = f"every {step} hours" if step else f"hours {_join([str(h) for h in hours])}"
    if len(minutes) == 1:
        return f"At minute {minutes[0]} past {hour_text}"
    return f"{minute_text}, during {hour_text}"


def _describe_minutes(minutes: tuple[int, ...]) -> str:
    if len(minutes) == 60:
        return "Every minute"
    if minutes == (0,):
        return "Every hour"
    step = _step_of(minutes, 0, 59)
    if step:
        return f"Every {step} minutes"
    if len(minutes) == 1:
        return f"At minute {minutes[0]} past every hour"
    return f"At minutes {_join([str(m) for m in minutes])} past every hour"


def _describe_days(cron: CronExpression) -> str:
    parts = []
    if not cron.day_is_star:
        days = [f"day {d}" for d in sorted(cron.days)]
        if cron.last_day_of_month:
            days.append("the last day")
        parts.append(f"on {_join(days)} of the month")
    if not cron.weekday_is_star:
        names = _weekday_names(sorted(cron.weekdays))
        names += [f"the {_ORDINALS[n]} {_WEEKDAYS[wd]} of the month" for wd, n in sorted(cron.weekday_specials)]
        parts.append(f"on {_join(names)}")
    # Vixie cron: with both day fields restricted a day matching either one fires.
    return " or ".join(parts)


def _weekday_names(days: list[int]) -> list[str]:
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return [f"{_WEEKDAYS[days[0]]} through {_WEEKDAYS[days[-1]]}"]
    return [_WEEKDAYS[d] for d in days]


def _describe_months(cron: CronExpression) -> str:
    months = cron.months
    if len(months) == 12:
        return ""
    step = _step_of(months, 1, 12)
    if step and months[0] == 1:
        return f"every {step} months"
    return "in " + _join([calendar.month_name[m] for m in months])


def _step_of(values: tuple[int, ...], low: int, high: int) -> int | None:
    """k when `values` is exactly low, low+k, ... up to high (k > 1), else None."""
    if len(values) < 2:
        return None
    step = values[1] - values[0]
    if step > 1 and values[0] == low and values == tuple(range(low, high + 1, step)):
        return step
    return None


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
