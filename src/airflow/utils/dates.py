"""Airflow's `airflow.utils.dates` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.dates import days_ago, cron_presets, date_range

warnings.warn(
    "airflow.utils.dates is deprecated; import from pendulum or datetime (Airflow 3 removed days_ago) instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["cron_presets", "date_range", "days_ago"]
