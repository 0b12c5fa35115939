"""Drive one DAG run to its end with a given executor: the loop behind `dags test`.

It uses the same decisions and compare-and-set changes as the scheduler, so a run tested here
ends exactly as it would under the scheduler.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from tradewind.clock import Clock
from tradewind.errors import TradewindError
from tradewind.scheduler.decide import PAST_DID_NOT_SUCCEED
from tradewind.scheduler.schedule_run import schedule_run
from tradewind.store import scheduling
from tradewind.store.serialized_dag import SerializedDag

# Sleep at most this long while nothing is ready, so that a sensor's reschedule or a retry is picked
# up promptly even if its timer was not known when the loop went to sleep.
MAX_IDLE_SLEEP_S = 1.0


class RunExecutor(Protocol):
    """The part of the executor interface this loop needs."""

    def queue(self, key: tuple[str, str, str, int], try_number: int) -> None: ...

    def sync(self) -> list[Any]: ...


def queue_ready(conn: Any, dag_id: str, run_id: str, ready: list[tuple[str, int]], dag: SerializedDag,
                now: datetime) -> list[scheduling.QueuedTry]:
    """Queue every runnable instance of one run (no limits: a test runs one try at a time), best first.

    Instances left `scheduled` by an earlier pass (a lost race) are picked up when nothing new is ready.
    """
    if not ready:
        ready = [(r.task_id, r.map_index) for r in scheduling.scheduled_candidates(conn, limit=1_000_000, run=(dag_id, run_id))]
    queued = []
    for task_id, map_index in ready:
        q = scheduling.queue_task_instance(conn, dag_id, run_id, task_id, map_index, now=now)
        if q is not None:
            queued.append(q)
    queued.sort(key=lambda q: (-q.priority_weight, q.task_id, q.map_index))
    return queued


def drive_run(db: Any, dag: SerializedDag, run_id: str, executor: RunExecutor, clock: Clock) -> str:
    """Schedule, queue and execute until the run is finished; returns its final state.

    No DAG callback is requested from the DAG processor: the caller runs the callbacks itself.
    """
    while True:
        now = clock.now()
        with db.write() as conn:
            progress = schedule_run(conn, dag, dag.dag_id, run_id, now, request_callbacks=False)
            queued = queue_ready(conn, dag.dag_id, run_id, progress.ready, dag, now)
            if progress.finished_state is None and not queued:
                run = scheduling.get_run(conn, dag.dag_id, run_id)
                if run is None:
                    raise LookupError(f"run {run_id!r} of DAG {dag.dag_id!r} vanished while it was being tested")
                if run["state"] != "running":
                    return str(run["state"])
        if progress.finished_state is not None:
            return progress.finished_state
        for q in queued:
            executor.queue((q.dag_id, q.run_id, q.task_id, q.map_index), q.try_number)
        finished = executor.sync()
        if not queued and not finished and progress.next_wake_at is None:
            _stop_if_held_by_the_past(db, dag, run_id, progress)
        if not queued and not finished:
            wake = progress.next_wake_at
            delay = MAX_IDLE_SLEEP_S if wake is None else (wake - clock.now()).total_seconds()
            delay = min(max(delay, 0.0), MAX_IDLE_SLEEP_S)
            # An executor that runs tries elsewhere wakes us when one ends; the in-process one never waits.
            wait = getattr(executor, "wait", None)
            if wait is not None:
                wait(delay)
            else:
                clock.sleep(delay)


def _stop_if_held_by_the_past(db: Any, dag: SerializedDag, run_id: str, progress: Any) -> None:
    """Raise, naming the tasks, when nothing runs or waits on a timer and a task's previous run did not succeed.

    Under the scheduler such a run waits until someone fixes the previous run; a test would wait forever.
    """
    held = sorted({task_id for (task_id, _), why in (progress.decision.reasons if progress.decision else {}).items()
                   if why == PAST_DID_NOT_SUCCEED})
    if not held:
        return
    with db.read() as conn:
        in_flight = [r for r in scheduling.run_task_states(conn, dag.dag_id, run_id) if r.state in ("queued", "running")]
    if not in_flight:
        raise TradewindError(
            f"run {run_id!r} of DAG {dag.dag_id!r} cannot go on: task(s) {', '.join(held)} depend on their previous "
            "run (depends_on_past), where they did not succeed; clear or fix that run, or test another date")
