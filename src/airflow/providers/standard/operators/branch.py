"""Airflow's `airflow.providers.standard.operators.branch` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.operators.branch import BaseBranchOperator, BranchMixIn

__all__ = ["BaseBranchOperator", "BranchMixIn"]
