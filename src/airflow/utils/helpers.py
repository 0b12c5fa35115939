"""Airflow's `airflow.utils.helpers` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.chaining import chain, cross_downstream

warnings.warn(
    "airflow.utils.helpers is deprecated; import from airflow.models.baseoperator instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["chain", "cross_downstream"]
