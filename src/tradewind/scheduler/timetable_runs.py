"""Create the runs a DAG's timetable asks for: catch-up, start/end dates, max_active_runs.

The next run is computed afresh from the last scheduled run's data interval each time one may be
due, so that catchup=False after a long pause picks the latest interval, not a stale one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tradewind.schedule.timetables import DagRunInfo, DataInterval, TimeRestriction, next_dagrun_info_at
from tradewind.scheduler.create_runs import create_run, run_id_for
from tradewind.store import scheduling
from tradewind.store.serialized_dag import SerializedDag

if TYPE_CHECKING:  # SQLAlchemy lives in store/; the scheduler only passes connections along
    from sqlalchemy.engine import Connection


def next_run_info(conn: Connection, dag: SerializedDag, now: datetime) -> DagRunInfo | None:
    """The DAG's next scheduled run after its last one, or None when its timetable has no more."""
    timetable = dag.timetable
    if not getattr(timetable, "can_be_scheduled", True):
        return None
    last = scheduling.last_automated_interval(conn, dag.dag_id)
    restriction = TimeRestriction(earliest=dag.start_date, latest=dag.end_date, catchup=bool(dag.data.get("catchup")))
    return next_dagrun_info_at(
        timetable,
        last_automated_data_interval=None if last is None else DataInterval(*last),
        restriction=restriction,
        now=now,
    )


def create_due_runs(conn: Connection, dag: SerializedDag, now: datetime, *, active_runs: int,
                    max_active_runs: int) -> tuple[list[str], DagRunInfo | None]:
    """Create every due run that max_active_runs allows; returns their ids and the next run to come.

    The next run is None when the timetable has no more, or when max_active_runs blocks creation
    (the scheduler looks again as soon as a run ends).
    """
    created: list[str] = []
    while active_runs + len(created) < max_active_runs:
        info = next_run_info(conn, dag, now)
        if info is None or info.run_after > now:
            return created, info
        run_id = run_id_for("scheduled", info.logical_date)
        if scheduling.get_run(conn, dag.dag_id, run_id) is not None:
            return created, None  # the walk did not move: refuse to loop on the same interval
        create_run(conn, dag, run_id=run_id, run_type="scheduled", logical_date=info.logical_date,
                   data_interval=(info.data_interval.start, info.data_interval.end), run_after=info.run_after,
                   conf={}, state="queued", triggered_by="timetable", now=now)
        created.append(run_id)
    return created, None
