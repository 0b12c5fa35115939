"""Trigger a DAG from the UI: the conf typed in the form, validated against Params by the scheduler's trigger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradewind.store.serialized_dag import SerializedDag


def trigger_run(conn: Any, dag: SerializedDag, *, conf: dict[str, Any], now: datetime,
                run_id: str | None = None) -> str:
    """Create a queued manual run (task instances with no state, try 0) and return its run_id.

    Raises ParamValidationError when the conf breaks a Param's rule, DagRunAlreadyExists on a taken run_id.
    """
    from tradewind.scheduler.trigger import trigger_dag_run

    return trigger_dag_run(conn, dag, now=now, conf=conf, run_id=run_id, triggered_by="ui")
