"""decide_run's counted, remembered trigger-rule verdicts against the plain evaluation, on random runs."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest

from tradewind.rules.run_state import decide_run_state
from tradewind.rules.states import FINISHED_TI_STATES, TaskInstanceState as TI
from tradewind.rules.trigger_rule_names import TriggerRule
from tradewind.rules.trigger_rules import count_upstream_states, evaluate_trigger_rule
from tradewind.scheduler.decide import RunDecision, TiState, _plan, _upstream_verdict, decide_run, nothing_to_decide
from tradewind.store.serialized_dag import SerializedDag, SerializedTask

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
RULES = sorted(TriggerRule.all_triggers())
STATES: list[str | None] = [None, *(s.value for s in TI)]
FINISHED = {s.value for s in FINISHED_TI_STATES}


def random_dag(rng: random.Random, n_tasks: int) -> SerializedDag:
    """A random DAG in topological order (or shuffled), with every task flag decide_run reads."""
    ids = [f"t{i}" for i in range(n_tasks)]
    tasks = []
    for i, task_id in enumerate(ids):
        upstream = sorted(rng.sample(ids[:i], rng.randint(0, min(i, 4))))
        tasks.append({
            "task_id": task_id, "operator": "X", "upstream": upstream, "downstream": [],
            "trigger_rule": rng.choice(RULES),
            "is_setup": rng.random() < 0.2, "is_teardown": rng.random() < 0.1,
            "on_failure_fail_dagrun": rng.random() < 0.5,
            "is_empty": rng.random() < 0.2, "is_mapped": rng.random() < 0.2,
            "depends_on_past": rng.random() < 0.1, "wait_for_downstream": rng.random() < 0.05,
        })
    by_id = {t["task_id"]: t for t in tasks}
    for t in tasks:
        for up in t["upstream"]:
            by_id[up]["downstream"].append(t["task_id"])
    if rng.random() < 0.3:
        rng.shuffle(tasks)  # decide_run must also reach its fixed point when the order is not topological
    return SerializedDag({"format": 1, "dag_id": "d", "tasks": tasks})


def random_tis(rng: random.Random, dag: SerializedDag) -> list[TiState]:
    """Random states, mapped tasks either unexpanded (-1, no state) or expanded to 1..3 instances."""
    tis = []
    for task in dag:
        if task.is_mapped and rng.random() < 0.5:
            tis.append(TiState(task.task_id, -1, None))
            continue
        indexes = range(rng.randint(1, 3)) if task.is_mapped else [-1]
        for i in indexes:
            state = rng.choice(STATES)
            due = NOW + timedelta(seconds=rng.choice([-60, 60])) if rng.random() < 0.8 else None
            tis.append(TiState(task.task_id, i, state, due))
    return tis


def reference_decide_run(dag: SerializedDag, tis: list[TiState], now: datetime, *,
                         expansion_length: Callable[[SerializedTask], int | None],
                         past_dependency: Callable[[SerializedTask], bool | None]) -> RunDecision:
    """The plain evaluation: every unfinished task's rule on every pass, counted with count_upstream_states."""
    in_flight = {"queued", "running", "restarting", "deferred"}
    timed = {"up_for_retry", "up_for_reschedule"}
    decision = RunDecision()
    states: dict[Any, str | None] = {(t.task_id, t.map_index): t.state for t in tis}
    by_task: dict[str, list[Any]] = {}
    for key in states:
        by_task.setdefault(key[0], []).append(key)
    next_try = {(t.task_id, t.map_index): t.next_try_at for t in tis}

    def change(key: Any, new: str) -> None:
        expected = decision.set_state[key][0] if key in decision.set_state else states[key]
        decision.set_state[key] = (expected, new)
        states[key] = new

    todo = set(dag.task_ids)
    while todo:
        changed: set[str] = set()
        for task_id in dag.task_ids:
            if task_id not in todo:
                continue
            task = dag.tasks[task_id]
            for key in list(by_task.get(task_id, [])):
                state = states[key]
                if state in in_flight or state in FINISHED or state == "scheduled":
                    continue
                if key in decision.ready or key in decision.mark_empty_success:
                    continue
                if state in timed:
                    due = next_try.get(key)
                    if due is not None and due > now:
                        decision.next_wake_at = due if decision.next_wake_at is None else min(decision.next_wake_at, due)
                        decision.reasons[key] = f"waiting until {due.isoformat()} ({state})"
                        continue
                ups = [states[k] for up in task.upstream for k in by_task.get(up, [])]
                setups = [states[k] for up in task.upstream if dag.tasks[up].get("is_setup") for k in by_task.get(up, [])]
                verdict = evaluate_trigger_rule(task.trigger_rule, count_upstream_states(ups, setup_states=setups))
                if verdict.action in ("skip", "upstream_failed"):
                    change(key, "skipped" if verdict.action == "skip" else "upstream_failed")
                    changed.add(task_id)
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
                        change(key, "skipped")
                        changed.add(task_id)
                        continue
                    decision.expand[task_id] = length
                    del states[key]
                    by_task[task_id] = [(task_id, i) for i in range(length)]
                    for new_key in by_task[task_id]:
                        states[new_key] = None
                        decision.ready.append(new_key)
                    changed.add(task_id)
                    continue
                if task.get("is_empty") and state is None:
                    decision.mark_empty_success.append(key)
                    states[key] = "success"
                    changed.add(task_id)
                    continue
                decision.ready.append(key)
        todo = {down for task_id in changed for down in dag.tasks[task_id].downstream}
    unfinished = [k for k, s in states.items() if s not in FINISHED]
    can_progress = bool(decision.ready) or any(
        states[k] in in_flight or states[k] in timed or states[k] == "scheduled" for k in unfinished
    ) or any(dag.tasks[k[0]].get(flag) for k in unfinished if k[0] in dag.tasks
             for flag in ("depends_on_past", "wait_for_downstream", "max_active_tis_per_dag", "max_active_tis_per_dagrun"))
    leaf_states = [states[k] for leaf in dag.run_state_leaves for k in by_task.get(leaf, [])]
    decision.run_state = decide_run_state(leaf_states=leaf_states, unfinished=len(unfinished), can_progress=can_progress)
    return decision


def _hooks(seed: int) -> tuple[Callable[[SerializedTask], int | None], Callable[[SerializedTask], bool | None]]:
    """Expansion lengths and depends_on_past answers that are random but the same for both implementations."""
    def length(task: SerializedTask) -> int | None:
        return random.Random(f"{seed}-{task.task_id}-len").choice([None, 0, 1, 3])

    def past(task: SerializedTask) -> bool | None:
        return random.Random(f"{seed}-{task.task_id}-past").choice([True, True, False, None])

    return length, past


@pytest.mark.parametrize("seed", range(400))
def test_decide_run_matches_the_plain_evaluation(seed: int) -> None:
    rng = random.Random(seed)
    dag = random_dag(rng, rng.randint(1, 14))
    tis = random_tis(rng, dag)
    length, past = _hooks(seed)
    fast = decide_run(dag, tis, NOW, expansion_length=length, past_dependency=past)
    plain = reference_decide_run(dag, tis, NOW, expansion_length=length, past_dependency=past)
    assert fast == plain


@pytest.mark.parametrize("seed", range(300))
def test_counted_verdict_matches_evaluate_trigger_rule(seed: int) -> None:
    """Many upstream instances per task (mapped upstreams), every rule, every state mix."""
    rng = random.Random(1000 + seed)
    dag = random_dag(rng, rng.randint(2, 10))
    plans = dict(_plan(dag))
    states: dict[tuple[str, int], str | None] = {}
    by_task: dict[str, list[tuple[str, int]]] = {}
    for task in dag:
        for i in range(rng.randint(1, 5)):
            # Skewed mixes: often no upstream finished at all, the case a skip-ahead would shortcut.
            pool = STATES if rng.random() < 0.5 else [None, "scheduled", "queued", "running", "up_for_retry"]
            states[(task.task_id, i)] = rng.choice(pool)
            by_task.setdefault(task.task_id, []).append((task.task_id, i))
    for task in dag:
        for rule in RULES:
            plan = plans[task.task_id].__class__(**{**plans[task.task_id].__dict__, "trigger_rule": rule})
            ups = [states[k] for up in task.upstream for k in by_task[up]]
            setups = [states[k] for up in task.upstream if dag.tasks[up].get("is_setup") for k in by_task[up]]
            expected = evaluate_trigger_rule(rule, count_upstream_states(ups, setup_states=setups))
            assert _upstream_verdict(plan, states, by_task) == expected, (rule, ups, setups)


def test_counted_verdict_rejects_an_unknown_state_as_count_upstream_states_does() -> None:
    dag = SerializedDag({"format": 1, "dag_id": "d", "tasks": [
        {"task_id": "a", "operator": "X", "upstream": [], "downstream": ["b"], "trigger_rule": "all_success"},
        {"task_id": "b", "operator": "X", "upstream": ["a"], "downstream": [], "trigger_rule": "all_success"},
    ]})
    with pytest.raises(ValueError, match="unknown task instance state 'bogus'"):
        decide_run(dag, [TiState("a", -1, "bogus"), TiState("b", -1, None)], NOW, expansion_length=lambda t: None)


@pytest.mark.parametrize("seed", range(300))
def test_nothing_to_decide_only_when_decide_run_would_do_nothing(seed: int) -> None:
    rng = random.Random(5000 + seed)
    dag = random_dag(rng, rng.randint(1, 10))
    tis = random_tis(rng, dag)
    if rng.random() < 0.6:  # many runs have only scheduled, in-flight and finished instances
        settled = [s for s in STATES if s not in (None, "up_for_retry", "up_for_reschedule")]
        tis = [TiState(t.task_id, max(t.map_index, 0) if t.map_index == -1 and dag.tasks[t.task_id].is_mapped else t.map_index,
                       rng.choice(settled), t.next_try_at) for t in tis]
    counts: dict[str | None, int] = {}
    for t in tis:
        counts[t.state] = counts.get(t.state, 0) + 1
    length, past = _hooks(seed)
    decision = decide_run(dag, tis, NOW, expansion_length=length, past_dependency=past)
    if nothing_to_decide(counts):
        assert decision == RunDecision()
    else:
        decidable = any(s in (None, "up_for_retry", "up_for_reschedule") for s in counts)
        all_finished = all(s in FINISHED for s in counts)
        assert decidable or all_finished


def test_nothing_to_decide_cases() -> None:
    assert nothing_to_decide({"success": 3, "running": 1})
    assert nothing_to_decide({"scheduled": 2})
    assert not nothing_to_decide({"success": 3})  # the run is over: decide its state
    assert not nothing_to_decide({})
    assert not nothing_to_decide({"running": 1, None: 1})
    assert not nothing_to_decide({"running": 1, "up_for_retry": 1})
    assert not nothing_to_decide({"running": 1, "up_for_reschedule": 1})
    assert not nothing_to_decide({"running": 1, "bogus": 1})  # unknown: let decide_run see (and reject) it
    assert nothing_to_decide({"running": 1, None: 0})
