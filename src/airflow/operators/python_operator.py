"""Airflow's `airflow.operators.python_operator` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.python import (
    PythonOperator,
    BranchPythonOperator,
    ShortCircuitOperator,
    PythonVirtualenvOperator,
)

warnings.warn(
    "airflow.operators.python_operator is deprecated; import from airflow.operators.python instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BranchPythonOperator", "PythonOperator", "PythonVirtualenvOperator", "ShortCircuitOperator"]
