"""Airflow's `airflow.models.baseoperator` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.chaining import chain, chain_linear, cross_downstream

__all__ = ["BaseOperator", "chain", "chain_linear", "cross_downstream"]
