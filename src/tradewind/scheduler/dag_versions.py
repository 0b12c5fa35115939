"""A running run follows its DAG's newest version, as in Airflow, where DAG files are edited in place.

When the DAG processor stores a new version of a DAG (its file changed), each running run of it
moves to that version the next time the scheduler looks at it, in the same transaction:
- instances of tasks the DAG no longer has become `removed`, whatever their state (a try still
  running is stopped by its worker, which sees the change at its next heartbeat);
- instances a run had `removed` whose task is back get no state, and are scheduled again;
- tasks new to the DAG get an instance, if their dates include the run's logical date;
- the run records the version, so the grid shows it with the tasks it now has.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradewind.rules.states import TI, TaskInstanceState
from tradewind.scheduler.create_runs import task_instance_rows
from tradewind.store import dag_runs, scheduling, task_instances
from tradewind.store.serialized_dag import SerializedDag

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

_NOT_REMOVED = [None, *(str(s) for s in TaskInstanceState if s is not TI.REMOVED)]


def follow_latest_version(conn: Connection, run: Any, latest: SerializedDag, now: datetime) -> None:
    """Move the running `run` (dag_id, run_id, logical_date, run_type) onto `latest`, its DAG's newest version."""
    states: dict[str, set[str | None]] = {}
    for row in scheduling.run_task_states(conn, run.dag_id, run.run_id):
        states.setdefault(row.task_id, set()).add(row.state)
    gone = sorted(task_id for task_id in states if task_id not in latest.tasks)
    back = sorted(task_id for task_id, found in states.items() if task_id in latest.tasks and found == {"removed"})
    task_instances.set_tasks_state_if(conn, run.dag_id, run.run_id, gone, expected_states=_NOT_REMOVED,
                                      new_state=TI.REMOVED.value, updated_at=now)
    task_instances.set_tasks_state_if(conn, run.dag_id, run.run_id, back, expected_states=[TI.REMOVED.value],
                                      new_state=None, updated_at=now)
    new_rows = [row for row in task_instance_rows(latest, run.run_id, now, logical_date=run.logical_date,
                                                  every_task=run.run_type == "backfill")
                if row["task_id"] not in states]
    task_instances.insert_many(conn, new_rows, now=now)
    dag_runs.update_fields(conn, run.dag_id, run.run_id, dag_version=latest.version_number, updated_at=now)
    if gone or back or new_rows:
        log.info("Run %s of DAG %s follows version %s of the DAG: removed %s, restored %s, added %s", run.run_id,
                 run.dag_id, latest.version_number, gone or "none", back or "none",
                 [row["task_id"] for row in new_rows] or "none")
