"""Airflow's `airflow.models` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.dag import DAG
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.variables import Variable
from tradewind.sdk.connections import Connection
from tradewind.sdk.params import Param
from tradewind.sdk.operators.branch import SkipMixin
from tradewind.sdk.mapping import MappedOperator

__all__ = ["BaseOperator", "Connection", "DAG", "MappedOperator", "Param", "SkipMixin", "Variable"]
