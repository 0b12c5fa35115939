"""Airflow's `airflow.operators.bash_operator` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.bash import BashOperator

warnings.warn(
    "airflow.operators.bash_operator is deprecated; import from airflow.operators.bash instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BashOperator"]
