"""The `macros` namespace templates see: date helpers and a few standard modules, as Airflow offers them."""

from __future__ import annotations

import json as json
import random as _random_module
import time as time
import uuid as uuid
from datetime import datetime as datetime
from datetime import timedelta as timedelta
from typing import Any

import dateutil as dateutil
import dateutil.relativedelta  # noqa: F401  (makes macros.dateutil.relativedelta usable)


def __getattr__(name: str) -> Any:
    """`macros.yaml`, imported on first use: it costs more start-up than most tasks take to run."""
    if name != "yaml":
        raise AttributeError(f"module 'macros' has no attribute {name!r}")
    try:
        import yaml as module
    except ImportError:  # yaml is optional in Airflow 2 and some installs leave it out
        module = None
    globals()["yaml"] = module
    return module


random = _random_module.random


def ds_add(ds: str, days: int) -> str:
    """`ds` (YYYY-MM-DD) moved by `days` days: ds_add('2015-01-01', 5) == '2015-01-06'."""
    if not days:
        return str(ds)
    return (datetime.strptime(str(ds), "%Y-%m-%d") + timedelta(days=days)).strftime("%Y-%m-%d")


def ds_format(ds: str, input_format: str, output_format: str) -> str:
    """Re-format a date string: ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y') == '01-01-15'."""
    return datetime.strptime(str(ds), input_format).strftime(output_format)


def ds_format_locale(ds: str, input_format: str, output_format: str, locale: str | None = None) -> str:
    """Like ds_format; `output_format` uses strftime codes and the locale is accepted but not applied."""
    return ds_format(ds, input_format, output_format)


def datetime_diff_for_humans(dt: Any, since: Any = None) -> str:
    """A human phrase for the distance between two instants ("3 hours after", "2 days before")."""
    import pendulum

    start = pendulum.instance(dt)
    end = pendulum.instance(since) if since is not None else pendulum.now("UTC")
    return start.diff_for_humans(end)


__all__ = [
    "datetime", "datetime_diff_for_humans", "dateutil", "ds_add", "ds_format", "ds_format_locale", "json",
    "random", "time", "timedelta", "uuid", "yaml",
]
