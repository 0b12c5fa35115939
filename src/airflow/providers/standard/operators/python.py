"""Airflow's `airflow.providers.standard.operators.python` path: re-exports Tradewind's objects under their Airflow names."""

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
