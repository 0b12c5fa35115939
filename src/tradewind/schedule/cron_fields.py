"""Parse the five fields of a cron expression into sets of allowed values (Vixie cron syntax)."""

from __future__ import annotations

from dataclasses import dataclass

MONTH_NAMES = {name: i + 1 for i, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
WEEKDAY_NAMES = {name: i for i, name in enumerate("sun mon tue wed thu fri sat".split())}


@dataclass(frozen=True)
class FieldSpec:
    """How one cron field is spelled: its name, its range and the names it accepts."""

    name: str
    low: int
    high: int
    names: dict[str, int]


MINUTE = FieldSpec("minute", 0, 59, {})
HOUR = FieldSpec("hour", 0, 23, {})
DAY_OF_MONTH = FieldSpec("day-of-month", 1, 31, {})
MONTH = FieldSpec("month", 1, 12, MONTH_NAMES)
# 7 is accepted as a second spelling of Sunday and folded onto 0 after parsing.
DAY_OF_WEEK = FieldSpec("day-of-week", 0, 7, WEEKDAY_NAMES)


class CronSyntaxError(ValueError):
    """One field of a cron expression is malformed; the message says which value and why."""


def parse_field(text: str, spec: FieldSpec) -> frozenset[int]:
    """The set of values a plain field ('*', '1-5', '*/15', 'MON-FRI', '1,15') allows."""
    if text == "":
        raise CronSyntaxError(f"{spec.name} field is empty")
    values: set[int] = set()
    for item in text.split(","):
        values.update(_parse_item(item, spec))
    if spec is DAY_OF_WEEK and 7 in values:
        values.discard(7)
        values.add(0)
    return frozenset(values)


def _parse_item(item: str, spec: FieldSpec) -> range:
    if item == "":
        raise CronSyntaxError(f"{spec.name} field has an empty list element")
    base, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronSyntaxError(f"{spec.name} step {step_text!r} must be a positive whole number")
        step = int(step_text)
    if base in ("*", "?"):
        return range(spec.low, spec.high + 1, step)
    first_text, dash, last_text = base.partition("-")
    first = _parse_value(first_text, spec)
    if dash:
        last = _parse_value(last_text, spec)
    else:
        # 'a/n' means 'a-max/n' (as croniter and most crons read it); a bare 'a' is just a.
        last = spec.high if slash else first
    if last < first:
        raise CronSyntaxError(f"{spec.name} range {base!r} runs backwards; write it as {last_text}-{first_text}")
    return range(first, last + 1, step)


def _parse_value(text: str, spec: FieldSpec) -> int:
    lowered = text.strip().lower()
    if lowered in spec.names:
        return spec.names[lowered]
    if not lowered.isdigit():
        hint = f" or a name such as {next(iter(spec.names)).upper()}" if spec.names else ""
        raise CronSyntaxError(f"{spec.name} value {text!r} is not a number{hint}")
    value = int(lowered)
    if not spec.low <= value <= spec.high:
        raise CronSyntaxError(f"{spec.name} {value} is out of range {spec.low}-{spec.high}")
    return value


def parse_day_of_month(text: str) -> tuple[frozenset[int], bool]:
    """Allowed days of the month, and whether 'L' (the month's last day) is among them."""
    items = text.split(",")
    wants_last = any(item.upper() == "L" for item in items)
    rest = ",".join(item for item in items if item.upper() != "L")
    return (parse_field(rest, DAY_OF_MONTH) if rest else frozenset()), wants_last


def parse_day_of_week(text: str) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """Allowed weekdays (0 = Sunday), plus (weekday, n) pairs for 'FRI#3' (n >= 1) and '5L' (n = -1)."""
    plain: list[str] = []
    special: set[tuple[int, int]] = set()
    for item in text.split(","):
        if "#" in item:
            day_text, _, nth_text = item.partition("#")
            if not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
                raise CronSyntaxError(f"day-of-week {item!r}: the number after '#' must be 1-5")
            special.add((_parse_value(day_text, DAY_OF_WEEK) % 7, int(nth_text)))
        elif len(item) > 1 and item.upper().endswith("L"):
            special.add((_parse_value(item[:-1], DAY_OF_WEEK) % 7, -1))
        else:
            plain.append(item)
    days = parse_field(",".join(plain), DAY_OF_WEEK) if plain else frozenset()
    return days, frozenset(special)
