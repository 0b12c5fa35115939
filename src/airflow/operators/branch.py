"""Airflow's `airflow.operators.branch` path: re-exports Tradewind's objects under their Airflow names."""

import warnings

from tradewind.sdk.operators.branch import BaseBranchOperator, BranchMixIn

warnings.warn(
    "airflow.operators.branch is deprecated; import from airflow.providers.standard.operators.branch instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["BaseBranchOperator", "BranchMixIn"]
