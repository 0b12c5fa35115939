"""Airflow's `airflow.utils.timezone` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.timezone import (
    utc,
    utcnow,
    datetime,
    make_aware,
    make_naive,
    parse,
    convert_to_utc,
    is_localized,
    is_naive,
    coerce_datetime,
)

__all__ = [
    "coerce_datetime",
    "convert_to_utc",
    "datetime",
    "is_localized",
    "is_naive",
    "make_aware",
    "make_naive",
    "parse",
    "utc",
    "utcnow",
]
