"""The database side of one try: start it (compare-and-set queued -> running), read what the context needs, finish it.

Every call goes through the store's named SQL; this module only decides what to read and write and
keeps the try's end to one write transaction.
"""

from __future__ import annotations

import functools
import getpass
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tradewind.executors.base import TaskInstanceKey
from tradewind.runner.context import PreviousSuccess
from tradewind.store import dag_runs, task_instances


@dataclass(frozen=True)
class StartedTry:
    """A try this runner now owns: the task instance row after the start, and whether it resumes a reschedule."""

    row: dict[str, Any]
    start_date: datetime
    reschedule_count: int


@dataclass
class FinalRecord:
    """Everything written when a try ends, in one transaction."""

    state: str
    end_date: datetime
    duration: float
    next_try_at: datetime | None = None
    reschedule_date: datetime | None = None
    xcoms: dict[str, Any] = field(default_factory=dict)
    skip_task_ids: list[str] = field(default_factory=list)
    rendered_fields: dict[str, Any] | None = None
    rendered_map_index: str | None = None
    record_history: bool = True


@functools.lru_cache(maxsize=1)
def _host_and_user() -> tuple[str, str]:
    # getfqdn may ask DNS: look it up once per worker (forked children inherit the answer).
    try:
        unixname = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        unixname = str(os.getuid())
    return socket.getfqdn(), unixname


def host_identity() -> dict[str, Any]:
    """Where the try runs: hostname, unixname and pid, as the task instance row records them."""
    hostname, unixname = _host_and_user()
    return {"hostname": hostname, "unixname": unixname, "pid": os.getpid()}


def start_try(db: Any, key: TaskInstanceKey, try_number: int, now: datetime) -> StartedTry | None:
    """Compare-and-set queued -> running for this try; None when another runner or a user got there first."""
    from tradewind.store import task_reschedules, xcoms

    with db.write() as conn:
        before = task_instances.get(conn, key)
        if before is None or before["state"] != "queued" or before["try_number"] != try_number:
            return None
        reschedules = task_reschedules.list_for_ti(conn, key, try_number=try_number)
        # A sensor resuming from up_for_reschedule keeps the start of its first poke (its timeout counts from there).
        start_date = reschedules[0]["start_date"] if reschedules else now
        won = task_instances.set_state_if(
            conn, key, expected_states=("queued",), new_state="running", try_number=try_number,
            start_date=start_date, end_date=None, duration=None, updated_at=now, last_heartbeat_at=now,
            **host_identity(),
        )
        if not won:
            return None
        if not reschedules:
            xcoms.delete_for_ti(conn, key)
        row = task_instances.get(conn, key)
    assert row is not None
    return StartedTry(row=row, start_date=start_date, reschedule_count=len(reschedules))


def read_run(db: Any, dag_id: str, run_id: str) -> dict[str, Any]:
    """The dag_run row of the try; LookupError naming it when the run is gone."""
    with db.read() as conn:
        run = dag_runs.get(conn, dag_id, run_id)
    if run is None:
        raise LookupError(f"DAG {dag_id!r} has no run {run_id!r}: it was deleted while its task was queued")
    return run


def previous_success(db: Any, dag_id: str, logical_date: datetime | None) -> PreviousSuccess:
    """The latest successful run of the DAG before `logical_date` (empty when there is none)."""
    if logical_date is None:
        return PreviousSuccess()
    with db.read() as conn:
        run = dag_runs.latest_success_before(conn, dag_id, logical_date)
    if run is None:
        return PreviousSuccess()
    return PreviousSuccess(run["data_interval_start"], run["data_interval_end"], run["start_date"], run["end_date"],
                           run["logical_date"])


def finish_try(db: Any, key: TaskInstanceKey, try_number: int, record: FinalRecord) -> bool:
    """Compare-and-set running -> final state with everything the try produced; False when the try was taken away."""
    from tradewind.store import task_reschedules, xcoms

    with db.write() as conn:
        won = task_instances.set_state_if(
            conn, key, expected_states=("running",), new_state=record.state, try_number=try_number,
            end_date=record.end_date, duration=record.duration, next_try_at=record.next_try_at,
            rendered_fields=record.rendered_fields, rendered_map_index=record.rendered_map_index,
            updated_at=record.end_date,
        )
        if not won:
            return False
        for xcom_key, value in record.xcoms.items():
            xcoms.set_xcom(conn, key, xcom_key, value, now=record.end_date)
        if record.state == "up_for_reschedule":
            row = task_instances.get(conn, key)
            task_reschedules.add(conn, key, try_number=try_number, start_date=row["start_date"] if row else record.end_date,
                                 end_date=record.end_date, reschedule_date=record.reschedule_date)
        elif record.record_history:
            task_instances.record_try_history(conn, key)
        if record.skip_task_ids:
            task_instances.set_tasks_state_if(
                conn, key.dag_id, key.run_id, record.skip_task_ids, expected_states=(None, "scheduled"),
                new_state="skipped", start_date=record.end_date, end_date=record.end_date, duration=0.0,
                updated_at=record.end_date,
            )
    return True


def current_state(db: Any, key: TaskInstanceKey) -> tuple[str | None, int | None]:
    """The instance's state and try number now (to explain a lost compare-and-set)."""
    with db.read() as conn:
        row = task_instances.get(conn, key)
    return (row["state"], row["try_number"]) if row else (None, None)
