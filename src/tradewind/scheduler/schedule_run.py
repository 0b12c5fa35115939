"""Advance one DAG run: apply the decisions of `decide_run` to the database in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradewind.rules.states import FINISHED_TI_STATES
from tradewind.scheduler.dag_callbacks import reason_for, request_dag_callback
from tradewind.scheduler.decide import RunDecision, decide_run, nothing_to_decide
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
    rows: dict[tuple[str, int], Any] = field(default_factory=dict)  # the rows of the resumed instances, as read
    finished_state: str | None = None
    next_wake_at: datetime | None = None
    decision: RunDecision | None = None


def _past_dependency(conn: Connection, dag: SerializedDag, run: dict, task: SerializedTask) -> bool | None:
    """depends_on_past / wait_for_downstream against the previous run by logical date.

    As in Airflow, the previous run of a DAG with catchup is the previous one that was not manual;
    without catchup it is the previous run of any kind.
    """
    if run.get("logical_date") is None:
        return True
    wanted = [task.task_id] + (list(task.downstream) if task.get("wait_for_downstream") else [])
    exists, states = scheduling.previous_run_states(conn, dag.dag_id, wanted, run["logical_date"],
                                                    manual_too=not dag.data.get("catchup"))
    if not exists or task.task_id not in states:
        return True  # the first run, or a task new since then, has no past to wait for
    finished = {s.value for s in FINISHED_TI_STATES}
    flat = [s for task_id in wanted for s in states.get(task_id, [])]
    if all(s in ("success", "skipped") for s in flat):
        return True
    return False if all(s in finished for s in flat) else None


def schedule_run(conn: Connection, dag: SerializedDag, dag_id: str, run_id: str, now: datetime,
                 *, running_run: Any = None, request_callbacks: bool = True) -> RunProgress:
    """Decide and apply the next steps of one running DAG run; returns what is ready to queue.

    `running_run` is the run's row when the caller has just read it as running in this transaction.
    When this pass ends the run, the DAG's callback is requested in the same transaction, unless
    `request_callbacks` is False (`dags test` runs the callbacks itself).
    """
    run = running_run._mapping if running_run is not None else scheduling.get_run(conn, dag_id, run_id)
    if run is None or (running_run is None and run["state"] != "running"):
        return RunProgress()
    # A count per state is much cheaper than every row of a big run, and tells when there is nothing
    # to decide: every unfinished instance is already scheduled, queued or running.
    if nothing_to_decide(scheduling.run_state_counts(conn, dag_id, run_id)):
        return RunProgress(decision=RunDecision())
    rows = scheduling.run_decision_states(conn, dag_id, run_id)
    failed_mapping: dict[str, str] = {}

    def length_of(task: SerializedTask) -> int | None:
        try:
            return expansion_length(task, lambda t, k: scheduling.xcom_value(conn, dag_id, run_id, t, k))
        except NotMappable as exc:
            failed_mapping[task.task_id] = str(exc)
            return 0

    decision = decide_run(dag, rows, now, expansion_length=length_of,
                          past_dependency=lambda task: _past_dependency(conn, dag, dict(run), task))
    scheduling.set_ti_states_if(conn, dag_id, run_id, [
        (task_id, map_index, expected, "failed" if task_id in failed_mapping else new)
        for (task_id, map_index), (expected, new) in decision.set_state.items()
    ], now)
    for task_id, length in decision.expand.items():
        scheduling.expand_mapped_task(conn, dag_id, run_id, task_id, length, now)
    scheduling.mark_empty_successes(conn, dag_id, run_id, decision.mark_empty_success, now)
    # Newly runnable instances wait in line as `scheduled` (queued by priority as slots free up); a
    # sensor back from up_for_reschedule keeps its state so that queueing keeps its try number.
    resumed_rows: dict[tuple[str, int], Any] = {}
    if decision.ready:
        ready = set(decision.ready)
        for task_id, map_index, state, _due in rows:
            if state == "up_for_reschedule" and (task_id, map_index) in ready:
                fields = scheduling.resumed_ti_fields(conn, dag_id, run_id, task_id, map_index)
                if fields is not None:
                    resumed_rows[(task_id, map_index)] = fields
    resumed = [k for k in decision.ready if k in resumed_rows]
    scheduling.mark_scheduled(conn, dag_id, run_id, [k for k in decision.ready if k not in resumed_rows], now)
    progress = RunProgress(ready=list(decision.ready), resumed=resumed, rows=resumed_rows,
                           next_wake_at=decision.next_wake_at, decision=decision)
    if decision.run_state is not None and not decision.ready:
        state = decision.run_state.value
        if scheduling.set_run_state_if(conn, dag_id, run_id, expected=["running"], new=state, end_date=now,
                                       updated_at=now):
            progress.finished_state = state
            if request_callbacks:
                request_dag_callback(conn, dag, run_id, state=state, reason=reason_for(state), now=now)
    return progress
