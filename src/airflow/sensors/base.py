"""Airflow's `airflow.sensors.base` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.base import BaseSensorOperator, PokeReturnValue, poke_mode_only

warnings.warn(
    "airflow.sensors.base is deprecated; import from airflow.sdk instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BaseSensorOperator", "PokeReturnValue", "poke_mode_only"]
