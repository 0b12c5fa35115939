"""Advance one DAG run: apply the decisions of `decide_run` to the database in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradewind.rules.states import FINISHED_TI_STATES
from tradewind.scheduler.decide import RunDecision, TiState, decide_run
from tradewind.scheduler.expansion import NotMappable, expansion_length
from tradewind.store import scheduling
from tradewind.store.serialized_dag import SerializedDag, SerializedTask

if TYPE_CHECKING:  # SQLAlchemy lives in store/; the scheduler only passes connections along
    from sqlalchemy.engine import Connection


@dataclass
class RunProgress:
    """What one pass over a run did: the instances now ready to queue, and the run's new state."""

    ready: list[tuple[str, int]] = field(default_factory=list)  # newly runnable instances
    resumed: list[tuple[str, int]] = field(default_factory=list)  # of those, sensors back from up_for_reschedule
    rows: dict[tuple[str, int], Any] = field(default_factory=dict)  # the run's task instances, as read
    finished_state: str | None = None
    next_wake_at: datetime | None = None
    decision: RunDecision | None = None


def _past_dependency(conn: Connection, dag: SerializedDag, run: dict, task: SerializedTask) -> bool | None:
    """depends_on_past / wait_for_downstream against the previous run by logical date."""
    if run.get("logical_date") is None:
        return True
    wanted = [task.task_id] + (list(task.downstream) if task.get("wait_for_downstream") else [])
    exists, states = scheduling.previous_run_states(conn, dag.dag_id, wanted, run["logical_date"])
    if not exists or task.task_id not in states:
        return True  # the first run, or a task new since then, has no past to wait for
    finished = {s.value for s in FINISHED_TI_STATES}
    flat = [s for task_id in wanted for s in states.get(task_id, [])]
    if all(s in ("success", "skipped") for s in flat):
        return True
    return False if all(s in finished for s in flat) else None


def schedule_run(conn: Connection, dag: SerializedDag, dag_id: str, run_id: str, now: datetime,
                 *, running_run: Any = None) -> RunProgress:
    """Decide and apply the next steps of one running DAG run; returns what is ready to queue.

    `running_run` is the run's row when the caller has just read it as running in this transaction.
    """
    run = running_run._mapping if running_run is not None else scheduling.get_run(conn, dag_id, run_id)
    if run is None or (running_run is None and run["state"] != "running"):
        return RunProgress()
    rows = scheduling.run_decision_states(conn, dag_id, run_id)
    tis = [TiState(r.task_id, r.map_index, r.state, r.next_try_at) for r in rows]
    failed_mapping: dict[str, str] = {}

    def length_of(task: SerializedTask) -> int | None:
        try:
            return expansion_length(task, lambda t, k: scheduling.xcom_value(conn, dag_id, run_id, t, k))
        except NotMappable as exc:
            failed_mapping[task.task_id] = str(exc)
            return 0

    decision = decide_run(dag, tis, now, expansion_length=length_of,
                          past_dependency=lambda task: _past_dependency(conn, dag, dict(run), task))
    for (task_id, map_index), (expected, new) in decision.set_state.items():
        if task_id in failed_mapping:
            new = "failed"
        fields = {"end_date": now, "updated_at": now}
        scheduling.set_ti_state_if(conn, dag_id, run_id, task_id, map_index, expected=expected, new=new, **fields)
    for task_id, length in decision.expand.items():
        scheduling.expand_mapped_task(conn, dag_id, run_id, task_id, length, now)
    for task_id, map_index in decision.mark_empty_success:
        scheduling.mark_empty_success(conn, dag_id, run_id, task_id, map_index, now)
    by_key = {(r.task_id, r.map_index): r for r in rows}
    # Newly runnable instances wait in line as `scheduled` (queued by priority as slots free up); a
    # sensor back from up_for_reschedule keeps its state so that queueing keeps its try number.
    resumed = [k for k in decision.ready if k in by_key and by_key[k].state == "up_for_reschedule"]
    scheduling.mark_scheduled(conn, dag_id, run_id, [k for k in decision.ready if k not in set(resumed)], now)
    progress = RunProgress(ready=list(decision.ready), resumed=resumed, rows=by_key,
                           next_wake_at=decision.next_wake_at, decision=decision)
    if decision.run_state is not None and not decision.ready:
        if scheduling.set_run_state_if(conn, dag_id, run_id, expected=["running"], new=decision.run_state.value,
                                       end_date=now, updated_at=now):
            progress.finished_state = decision.run_state.value
    return progress
