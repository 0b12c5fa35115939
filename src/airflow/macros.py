"""Airflow's `airflow.macros` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.macros import (
    ds_add,
    ds_format,
    ds_format_locale,
    datetime_diff_for_humans,
    datetime,
    timedelta,
    time,
    uuid,
    random,
    json,
)
from tradewind.sdk.macros import __getattr__  # dateutil and yaml, imported on first use

__all__ = [
    "datetime",
    "datetime_diff_for_humans",
    "ds_add",
    "ds_format",
    "ds_format_locale",
    "json",
    "random",
    "time",
    "timedelta",
    "uuid",
]
