"""Airflow's `airflow.hooks.base_hook` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.connections import BaseHook

warnings.warn(
    "airflow.hooks.base_hook is deprecated; import from airflow.hooks.base instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BaseHook"]
