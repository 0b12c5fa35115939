"""Manual runs: validate the conf against the DAG's Params, then create a queued run.

A conf that breaks a Param's rule is refused here, at trigger time, with the param's name and rule;
no run is created.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradewind.scheduler.create_runs import create_run, run_id_for
from tradewind.sdk.params import validate_params
from tradewind.store.serialized_dag import SerializedDag

if TYPE_CHECKING:  # SQLAlchemy lives in store/; the scheduler only passes connections along
    from sqlalchemy.engine import Connection


def trigger_dag_run(conn: Connection, dag: SerializedDag, *, now: datetime, conf: dict[str, Any] | None = None,
                    run_id: str | None = None, logical_date: datetime | None = None,
                    triggered_by: str = "cli") -> str:
    """Create a queued manual run; raises ParamValidationError or DagRunAlreadyExists."""
    validate_params(dag.data.get("params") or {}, conf or {})
    logical_date = logical_date or now
    interval = dag.timetable.infer_manual_data_interval(run_after=logical_date)
    return create_run(
        conn, dag, run_id=run_id or run_id_for("manual", logical_date), run_type="manual",
        logical_date=logical_date, data_interval=(interval.start, interval.end), run_after=logical_date,
        conf=conf or {}, state="queued", triggered_by=triggered_by, now=now,
    )
