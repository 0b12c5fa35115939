"""The database side of one try: start it (compare-and-set queued -> running) with what its context needs, finish it.

A try's process needs no connection of its own: `start_try` reads everything the context needs
(`TryInputs`), and `finish_try` writes the `FinalRecord` the try produced. Each takes the caller's
connection, so one transaction may start or finish many tries.
"""

from __future__ import annotations

import dataclasses
import functools
import getpass
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tradewind.runner.context import PreviousSuccess
from tradewind.store import dag_runs, try_records
from tradewind.store.keys import TaskInstanceKey
from tradewind.store.try_records import FinalRecord, StartedTry

__all__ = ["FinalRecord", "StartedTry", "TryInputs", "finish_try", "for_task_process", "host_identity",
           "previous_success", "read_state", "start_try"]


@dataclass(frozen=True)
class TryInputs:
    """What a started try reads from the database before it runs: its row, its run, and the previous success."""

    started: StartedTry
    run: dict[str, Any]
    previous: PreviousSuccess


# What the runner reads from the started row; a task process is handed only these.
_ROW_FIELDS_FOR_THE_RUNNER = ("max_tries", "hostname", "try_number", "start_date", "state")


def for_task_process(inputs: TryInputs) -> TryInputs:
    """The inputs with the started row cut to what the runner reads: less to send and to unpickle."""
    row = {name: inputs.started.row.get(name) for name in _ROW_FIELDS_FOR_THE_RUNNER}
    return dataclasses.replace(inputs, started=dataclasses.replace(inputs.started, row=row))


@functools.lru_cache(maxsize=1)
def _host_and_user() -> tuple[str, str]:
    # getfqdn may ask DNS: look it up once per worker (forked children inherit the answer).
    try:
        unixname = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        unixname = str(os.getuid())
    return socket.getfqdn(), unixname


def host_identity(pid: int | None = None) -> dict[str, Any]:
    """Where the try runs: hostname, unixname and the pid of its process (this one unless given)."""
    hostname, unixname = _host_and_user()
    return {"hostname": hostname, "unixname": unixname, "pid": os.getpid() if pid is None else pid}


def start_try(conn: Any, key: TaskInstanceKey, try_number: int, now: datetime, *, pid: int | None = None,
              runs: dict[tuple[str, str], tuple[dict[str, Any], PreviousSuccess]] | None = None) -> TryInputs | None:
    """Take the try (queued -> running) and read its inputs; None when another runner or a user got there first.

    `runs` caches each run's row and previous success across the tries of one transaction.
    """
    started = try_records.start_try(conn, key, try_number, now, **host_identity(pid))
    if started is None:
        return None
    cache = runs if runs is not None else {}
    run_key = (key.dag_id, key.run_id)
    if run_key not in cache:
        run = dag_runs.get(conn, key.dag_id, key.run_id)
        if run is None:
            raise LookupError(f"DAG {key.dag_id!r} has no run {key.run_id!r}: it was deleted while its task was queued")
        cache[run_key] = (run, previous_success(conn, key.dag_id, run["logical_date"]))
    run, previous = cache[run_key]
    return TryInputs(started, run, previous)


def previous_success(conn: Any, dag_id: str, logical_date: datetime | None) -> PreviousSuccess:
    """The latest successful run of the DAG before `logical_date` (empty when there is none)."""
    if logical_date is None:
        return PreviousSuccess()
    run = dag_runs.latest_success_before(conn, dag_id, logical_date)
    if run is None:
        return PreviousSuccess()
    return PreviousSuccess(run["data_interval_start"], run["data_interval_end"], run["start_date"], run["end_date"],
                           run["logical_date"])


# The end of a try, and the state found when a compare-and-set was lost, need nothing of the runner's.
finish_try = try_records.finish_try
read_state = try_records.read_state
