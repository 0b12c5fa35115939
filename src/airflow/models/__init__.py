"""Airflow's `airflow.models` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.dag import DAG
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.variables import Variable
from tradewind.sdk.connections import Connection
from tradewind.sdk.params import Param
from tradewind.sdk.operators.branch import SkipMixin
from tradewind.sdk.mapping import MappedOperator

__all__ = ["BaseOperator", "Connection", "DAG", "MappedOperator", "Param", "SkipMixin", "Variable"]

_LAZY = {
    "TaskInstance": ("tradewind.runner.runtime_ti", "RuntimeTaskInstance"),
    "DagRun": ("tradewind.runner.runtime_dag_run", "RuntimeDagRun"),
}


def __getattr__(name: str) -> object:
    # The run-time classes live above the sdk; they are imported only when a DAG file asks for them.
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'airflow.models' has no attribute {name!r}")
