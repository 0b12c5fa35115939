"""Airflow's `airflow.sensors.bash` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.sensors.bash import BashSensor

warnings.warn(
    "airflow.sensors.bash is deprecated; import from airflow.providers.standard.sensors.bash instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BashSensor"]
