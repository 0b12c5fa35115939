"""Airflow's `airflow.models.dagrun` path: the type of `dag_run` in a running task's context."""

from tradewind.runner.runtime_dag_run import RuntimeDagRun as DagRun

__all__ = ["DagRun"]
