"""Airflow's `airflow.operators.python` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.python import (
    PythonOperator,
    BranchPythonOperator,
    ShortCircuitOperator,
    PythonVirtualenvOperator,
    ExternalPythonOperator,
    BranchExternalPythonOperator,
    BranchPythonVirtualenvOperator,
    get_current_context,
    is_venv_installed,
)

warnings.warn(
    "airflow.operators.python is deprecated; import from airflow.providers.standard.operators.python instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = [
    "BranchExternalPythonOperator",
    "BranchPythonOperator",
    "BranchPythonVirtualenvOperator",
    "ExternalPythonOperator",
    "PythonOperator",
    "PythonVirtualenvOperator",
    "ShortCircuitOperator",
    "get_current_context",
    "is_venv_installed",
]
