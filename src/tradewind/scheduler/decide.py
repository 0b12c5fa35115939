"""What should happen next in one DAG run: a pure function of its serialized DAG and task states.

The scheduler and `dags test` both call `decide_run`; it never touches the database. Decisions are
taken to a fixed point in memory, so that a skip or an upstream failure cascades down a whole chain
in one pass instead of one scheduler iteration per task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Mapping

from tradewind.rules.run_state import decide_run_state
from tradewind.rules.states import FINISHED_TI_STATES, DagRunState, TaskInstanceState as TI
from tradewind.rules.trigger_rules import count_upstream_states, evaluate_trigger_rule
from tradewind.store.serialized_dag import SerializedDag, SerializedTask

TiKey = tuple[str, int]  # (task_id, map_index) within one run

# States from which a task instance may be (re)considered for running.
_FINISHED = frozenset(s.value for s in FINISHED_TI_STATES)
_SCHEDULED = TI.SCHEDULED.value
_IN_FLIGHT = {TI.QUEUED.value, TI.RUNNING.value, TI.RESTARTING.value, TI.DEFERRED.value}
_TIMED = {TI.UP_FOR_RETRY.value, TI.UP_FOR_RESCHEDULE.value}


@dataclass
class TiState:
    """What the decision needs of one task instance."""

    task_id: str
    map_index: int
    state: str | None
    next_try_at: datetime | None = None


@dataclass
class RunDecision:
    """The changes to make in one run, and when the run next needs looking at."""

    set_state: dict[TiKey, tuple[str | None, str]] = field(default_factory=dict)  # key -> (expected, new)
    mark_empty_success: list[TiKey] = field(default_factory=list)
    ready: list[TiKey] = field(default_factory=list)  # newly runnable: to mark scheduled (or resume) and queue
    expand: dict[str, int] = field(default_factory=dict)  # mapped task -> number of instances
    run_state: DagRunState | None = None
    next_wake_at: datetime | None = None
    reasons: dict[TiKey, str] = field(default_factory=dict)  # why a waiting instance waits


ExpansionLength = Callable[[SerializedTask], "int | None"]
PastCheck = Callable[[SerializedTask], "bool | None"]  # True met, False never will be, None not yet


def decide_run(
    dag: SerializedDag,
    tis: list[TiState],
    now: datetime,
    *,
    expansion_length: ExpansionLength,
    past_dependency: PastCheck = lambda task: True,
) -> RunDecision:
    """Decide, for one run, which instances become ready, skipped, upstream_failed or expanded."""
    decision = RunDecision()
    states: dict[TiKey, str | None] = {(t.task_id, t.map_index): t.state for t in tis}
    by_task: dict[str, list[TiKey]] = {}
    for key in states:
        by_task.setdefault(key[0], []).append(key)
    next_try = {(t.task_id, t.map_index): t.next_try_at for t in tis}

    def change(key: TiKey, new: str) -> None:
        expected = states[key]
        if key in decision.set_state:
            expected = decision.set_state[key][0]
        decision.set_state[key] = (expected, new)
        states[key] = new

    # Tasks come in topological order, so one pass carries a skip down a whole chain; a later pass
    # looks only at the direct downstreams of what changed, in case the order is not topological.
    todo = set(dag.task_ids)
    while todo:
        changed_tasks: set[str] = set()
        for task_id in dag.task_ids:
            if task_id not in todo:
                continue
            task = dag.tasks[task_id]
            for key in list(by_task.get(task_id, [])):
                state = states[key]
                if state in _IN_FLIGHT or state in _FINISHED or state == _SCHEDULED:
                    continue  # decided already: running, finished, or waiting in line for a slot
                if key in decision.ready or key in decision.mark_empty_success:
                    continue
                if state in _TIMED:
                    due = next_try.get(key)
                    if due is not None and due > now:
                        decision.next_wake_at = _earliest(decision.next_wake_at, due)
                        decision.reasons[key] = f"waiting until {due.isoformat()} ({state})"
                        continue
                upstream_states = [states[k] for up in task.upstream for k in by_task.get(up, [])]
                setup_states = [states[k] for up in task.upstream if dag.tasks[up].get("is_setup")
                                for k in by_task.get(up, [])]
                counts = count_upstream_states(upstream_states, setup_states=setup_states)
                verdict = evaluate_trigger_rule(task.trigger_rule, counts)
                if verdict.action == "skip":
                    change(key, TI.SKIPPED.value)
                    changed_tasks.add(task_id)
                    continue
                if verdict.action == "upstream_failed":
                    change(key, TI.UPSTREAM_FAILED.value)
                    changed_tasks.add(task_id)
                    continue
                if verdict.action == "wait":
                    decision.reasons[key] = verdict.reason
                    continue
                past = past_dependency(task) if task.get("depends_on_past") or task.get("wait_for_downstream") else True
                if past is None:
                    decision.reasons[key] = "waiting for the previous run of this task (depends_on_past)"
                    continue
                if past is False:
                    decision.reasons[key] = "the previous run of this task did not succeed (depends_on_past)"
                    continue
                if task.is_mapped and key[1] == -1 and state is None:
                    length = expansion_length(task)
                    if length is None:
                        decision.reasons[key] = "waiting for the values to map over"
                        continue
                    if length == 0:
                        change(key, TI.SKIPPED.value)
                        changed_tasks.add(task_id)
                        continue
                    decision.expand[task_id] = length
                    new_keys = [(task_id, i) for i in range(length)]
                    del states[key]
                    by_task[task_id] = new_keys
                    for new_key in new_keys:
                        states[new_key] = None
                        decision.ready.append(new_key)
                    changed_tasks.add(task_id)
                    continue
                if task.get("is_empty") and state is None:
                    decision.mark_empty_success.append(key)
                    states[key] = TI.SUCCESS.value
                    changed_tasks.add(task_id)
                    continue
                decision.ready.append(key)
        todo = {down for task_id in changed_tasks for down in dag.tasks[task_id].downstream}
    decision.run_state = _run_state(dag, states, by_task, decision)
    return decision


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate < current else current


def _run_state(dag: SerializedDag, states: Mapping[TiKey, str | None], by_task: Mapping[str, list[TiKey]],
               decision: RunDecision) -> DagRunState | None:
    unfinished = [k for k, s in states.items() if s not in _FINISHED]
    # Progress is possible while something runs, waits on a timer, or was just found ready.
    can_progress = bool(decision.ready) or any(
        states[k] in _IN_FLIGHT or states[k] in _TIMED or states[k] == _SCHEDULED for k in unfinished
    ) or any(k in decision.reasons and "depends_on_past" in decision.reasons[k]
             and "did not succeed" not in decision.reasons[k] for k in unfinished)
    leaf_states = [states[k] for leaf in dag.run_state_leaves for k in by_task.get(leaf, [])]
    return decide_run_state(leaf_states=leaf_states, unfinished=len(unfinished), can_progress=can_progress)
