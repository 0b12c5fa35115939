"""Ask for a DAG's on_success / on_failure callback when the scheduler ends one of its runs.

The scheduler never runs user code: it records a request in the transaction that ends the run, and
the DAG processor, which imports the DAG file anyway, runs the callbacks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradewind.store import callback_requests
from tradewind.store.serialized_dag import SerializedDag


def reason_for(state: str) -> str:
    """Airflow's `reason` of a run the scheduler ended by its tasks' states."""
    return "success" if state == "success" else "task_failure"


def request_dag_callback(conn: Any, dag: SerializedDag, run_id: str, *, state: str, reason: str,
                         now: datetime) -> bool:
    """Record the callback request of a run that just ended in `state`; False when the DAG has no such callback.

    Reads nothing: whether the DAG has the callback is in its serialized form.
    """
    is_failure = state != "success"
    if not dag.data.get("has_on_failure_callback" if is_failure else "has_on_success_callback"):
        return False
    callback_requests.add(conn, dag_id=dag.dag_id, run_id=run_id, fileloc=dag.data["fileloc"],
                          is_failure_callback=is_failure, reason=reason, now=now)
    return True
