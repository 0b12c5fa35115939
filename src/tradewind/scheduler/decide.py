"""What should happen next in one DAG run: a pure function of its serialized DAG and task states.

The scheduler and `dags test` both call `decide_run`; it never touches the database. Decisions are
taken to a fixed point in memory, so that a skip or an upstream failure cascades down a whole chain
in one pass instead of one scheduler iteration per task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Callable, Iterable, Mapping, NamedTuple
from weakref import WeakKeyDictionary

from tradewind.rules.run_state import decide_run_state
from tradewind.rules.states import FINISHED_TI_STATES, UNFINISHED_TI_STATES, DagRunState, TaskInstanceState as TI
from tradewind.rules.trigger_rules import (
    TriggerDecision,
    UpstreamCounts,
    count_upstream_states,
    evaluate_trigger_rule,
)
from tradewind.store.serialized_dag import SerializedDag, SerializedTask

TiKey = tuple[str, int]  # (task_id, map_index) within one run

# States from which a task instance may be (re)considered for running.
_FINISHED = frozenset(s.value for s in FINISHED_TI_STATES)
_SCHEDULED = TI.SCHEDULED.value
_IN_FLIGHT = {TI.QUEUED.value, TI.RUNNING.value, TI.RESTARTING.value, TI.DEFERRED.value}
_TIMED = {TI.UP_FOR_RETRY.value, TI.UP_FOR_RESCHEDULE.value}
_SETTLED = frozenset(_FINISHED | _IN_FLIGHT | {_SCHEDULED})  # nothing to decide for these
_WAITING_IN_LINE = frozenset(_IN_FLIGHT | {_SCHEDULED})  # unfinished, and will progress without a decision
_DECIDABLE = frozenset({None, *_TIMED})  # the only states decide_run can change or make ready
_KNOWN = frozenset(s if s is None else s.value for s in UNFINISHED_TI_STATES) | _FINISHED
# Where _upstream_verdict tallies each finished state (the order of UpstreamCounts' first fields).
_TALLY_SLOT = {TI.SUCCESS.value: 0, TI.SKIPPED.value: 1, TI.FAILED.value: 2, TI.UPSTREAM_FAILED.value: 3,
               TI.REMOVED.value: 4}


class TiState(NamedTuple):
    """What the decision needs of one task instance (a row read from the database has the same shape)."""

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


PAST_DID_NOT_SUCCEED = "the previous run of this task did not succeed (depends_on_past)"
"""Why an instance waits until someone clears or fixes the previous run; nothing else will change it."""

ExpansionLength = Callable[[SerializedTask], "int | None"]
PastCheck = Callable[[SerializedTask], "bool | None"]  # True met, False never will be, None not yet


def nothing_to_decide(state_counts: Mapping[str | None, int]) -> bool:
    """Whether a run with these numbers of instances per state has nothing for `decide_run` to do.

    That is so when no instance is in a state a decision can change (none, up_for_retry,
    up_for_reschedule) and at least one is scheduled, queued or running (so the run goes on):
    `decide_run` would then return an empty decision with no run state, whatever the DAG.
    The scheduler checks this on a per-state count of the run before reading every row of it.
    """
    if any(state not in _KNOWN or state in _DECIDABLE for state, n in state_counts.items() if n > 0):
        return False
    return any(n > 0 for state, n in state_counts.items() if state in _WAITING_IN_LINE)


@dataclass(frozen=True)
class _TaskPlan:
    """What decide_run reads of one task on every pass, looked up once per DAG version."""

    task: SerializedTask
    upstream: tuple[str, ...]
    setup_upstream: tuple[str, ...]  # the upstreams that are setup tasks
    trigger_rule: str
    checks_past: bool
    is_mapped: bool
    is_empty: bool


_PLANS: WeakKeyDictionary[SerializedDag, list[tuple[str, _TaskPlan]]] = WeakKeyDictionary()


def _plan(dag: SerializedDag) -> list[tuple[str, _TaskPlan]]:
    """The DAG's tasks in order with what decide_run needs of each (cached: a SerializedDag is read-only)."""
    plan = _PLANS.get(dag)
    if plan is None:
        plan = []
        for task_id in dag.task_ids:
            task = dag.tasks[task_id]
            upstream = tuple(task.upstream)
            plan.append((task_id, _TaskPlan(
                task=task, upstream=upstream,
                setup_upstream=tuple(up for up in upstream if dag.tasks[up].get("is_setup")),
                trigger_rule=task.trigger_rule,
                checks_past=bool(task.get("depends_on_past") or task.get("wait_for_downstream")),
                is_mapped=task.is_mapped, is_empty=bool(task.get("is_empty")),
            )))
        _PLANS[dag] = plan
    return plan


@lru_cache(maxsize=8192)
def _verdict(rule: str, counts: tuple[int, ...]) -> TriggerDecision:
    """evaluate_trigger_rule, remembered: it is a pure function of the rule and the upstream counts."""
    return evaluate_trigger_rule(rule, UpstreamCounts(*counts))


def _upstream_verdict(plan: _TaskPlan, states: Mapping[TiKey, str | None],
                      by_task: Mapping[str, list[TiKey]]) -> TriggerDecision:
    """The trigger rule's verdict on the current states of the task's direct upstream instances.

    Exactly `evaluate_trigger_rule(rule, count_upstream_states(...))`, counted without building
    enum values for every upstream state.
    """
    tally = [0, 0, 0, 0, 0]
    total = 0
    for up in plan.upstream:
        for k in by_task.get(up, ()):
            state = states[k]
            total += 1
            if state is not None:
                slot = _TALLY_SLOT.get(state)
                if slot is not None:
                    tally[slot] += 1
                elif state not in _KNOWN:  # an enum member, or unknown: count_upstream_states raises
                    extra = count_upstream_states([state])
                    for i, n in enumerate((extra.success, extra.skipped, extra.failed, extra.upstream_failed,
                                           extra.removed)):
                        tally[i] += n
    setup_total = setup_success = setup_skipped = 0
    for up in plan.setup_upstream:
        for k in by_task.get(up, ()):
            state = states[k]
            setup_total += 1
            if state == "success":
                setup_success += 1
            elif state == "skipped":
                setup_skipped += 1
    return _verdict(plan.trigger_rule, (*tally, total, setup_total, setup_success, setup_skipped))


def decide_run(
    dag: SerializedDag,
    tis: Iterable[tuple[str, int, str | None, datetime | None]],
    now: datetime,
    *,
    expansion_length: ExpansionLength,
    past_dependency: PastCheck = lambda task: True,
) -> RunDecision:
    """Decide, for one run, which instances become ready, skipped, upstream_failed or expanded."""
    decision = RunDecision()
    states: dict[TiKey, str | None] = {}
    by_task: dict[str, list[TiKey]] = {}
    next_try: dict[TiKey, datetime | None] = {}
    for task_id, map_index, state, next_try_at in tis:  # TiState or (task_id, map_index, state, next_try_at)
        key = (task_id, map_index)
        states[key] = state
        by_task.setdefault(task_id, []).append(key)
        if state in _TIMED:
            next_try[key] = next_try_at
    taken: set[TiKey] = set()  # in decision.ready or decision.mark_empty_success

    def change(key: TiKey, new: str) -> None:
        expected = states[key]
        if key in decision.set_state:
            expected = decision.set_state[key][0]
        decision.set_state[key] = (expected, new)
        states[key] = new

    plan = _plan(dag)
    # Tasks come in topological order, so one pass carries a skip down a whole chain; a later pass
    # looks only at the direct downstreams of what changed, in case the order is not topological.
    todo: set[str] | None = None  # None: every task
    while todo is None or todo:
        changed_tasks: set[str] = set()
        for task_id, p in plan:
            if todo is not None and task_id not in todo:
                continue
            keys = by_task.get(task_id)
            if not keys:
                continue
            for key in keys:
                state = states[key]
                if state in _SETTLED or key in taken:
                    continue  # decided already: running, finished, waiting in line for a slot, or ready
                if state in _TIMED:
                    due = next_try.get(key)
                    if due is not None and due > now:
                        decision.next_wake_at = _earliest(decision.next_wake_at, due)
                        decision.reasons[key] = f"waiting until {due.isoformat()} ({state})"
                        continue
                verdict = _upstream_verdict(p, states, by_task)
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
                past = past_dependency(p.task) if p.checks_past else True
                if past is None:
                    decision.reasons[key] = "waiting for the previous run of this task (depends_on_past)"
                    continue
                if past is False:
                    decision.reasons[key] = PAST_DID_NOT_SUCCEED
                    continue
                if p.is_mapped and key[1] == -1 and state is None:
                    length = expansion_length(p.task)
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
                        taken.add(new_key)
                    changed_tasks.add(task_id)
                    continue
                if p.is_empty and state is None:
                    decision.mark_empty_success.append(key)
                    taken.add(key)
                    states[key] = TI.SUCCESS.value
                    changed_tasks.add(task_id)
                    continue
                decision.ready.append(key)
                taken.add(key)
        todo = {down for task_id in changed_tasks for down in dag.tasks[task_id].downstream}
    decision.run_state = _run_state(dag, states, by_task, decision)
    return decision


def _waits_without_deadlock(task: SerializedTask) -> bool:
    """Whether an unfinished instance of `task` keeps its run from being found deadlocked (Airflow's rule).

    A task with depends_on_past (wait_for_downstream implies it) waits for the previous run, however
    long it takes; one with max_active_tis_per_dag or max_active_tis_per_dagrun waits for a slot.
    """
    return bool(task.get("depends_on_past") or task.get("wait_for_downstream")
                or task.get("max_active_tis_per_dag") or task.get("max_active_tis_per_dagrun"))


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate < current else current


def _run_state(dag: SerializedDag, states: Mapping[TiKey, str | None], by_task: Mapping[str, list[TiKey]],
               decision: RunDecision) -> DagRunState | None:
    unfinished = 0
    can_progress = bool(decision.ready)
    for state in states.values():
        if state not in _FINISHED:
            unfinished += 1
            if state in _WAITING_IN_LINE or state in _TIMED:
                can_progress = True
    # Progress is possible while something runs, waits on a timer, or was just found ready. As in
    # Airflow, a run is never found deadlocked while an unfinished instance's task waits on its past
    # or on a per-task limit: it waits for the previous run to be fixed, or for a slot.
    if not can_progress and unfinished:
        can_progress = any(state not in _FINISHED and _waits_without_deadlock(dag.tasks[key[0]])
                           for key, state in states.items() if key[0] in dag.tasks)
    leaf_states = [states[k] for leaf in dag.run_state_leaves for k in by_task.get(leaf, [])]
    return decide_run_state(leaf_states=leaf_states, unfinished=unfinished, can_progress=can_progress)
