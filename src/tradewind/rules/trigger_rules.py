"""Trigger rules as pure functions of the direct upstream states: run, wait, skip or upstream_failed, with a reason.

Each rule says when the task may run and, separately, when it can never run and which
state the scheduler writes at once instead (Airflow's eager propagation: a default-rule
task is skipped as soon as one upstream is skipped, even while others are still running).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from tradewind.rules.states import TaskInstanceState as TI
from tradewind.rules.trigger_rule_names import normalize_trigger_rule

RUN, WAIT, SKIP, UPSTREAM_FAILED = "run", "wait", "skip", "upstream_failed"


@dataclass(frozen=True)
class UpstreamCounts:
    """How many direct upstream task instances are in each finished state, out of `total`.

    The setup_* fields count the upstreams that are setup tasks; only the teardown rule
    all_done_setup_success reads them.
    """

    success: int
    skipped: int
    failed: int
    upstream_failed: int
    removed: int
    total: int
    setup_total: int = 0
    setup_success: int = 0
    setup_skipped: int = 0

    @property
    def done(self) -> int:
        """Upstreams in a finished state."""
        return self.success + self.skipped + self.failed + self.upstream_failed + self.removed

    @property
    def all_done(self) -> bool:
        return self.done >= self.total


def count_upstream_states(
    states: Iterable[str | None], *, setup_states: Iterable[str | None] = ()
) -> UpstreamCounts:
    """Count the direct upstream states; anything not finished counts towards the total only.

    `setup_states` are the states of those upstreams that are setup tasks (a subset of `states`).
    """
    tally = {TI.SUCCESS: 0, TI.SKIPPED: 0, TI.FAILED: 0, TI.UPSTREAM_FAILED: 0, TI.REMOVED: 0}
    total = 0
    for state in states:
        total += 1
        key = _finished_state(state)
        if key is not None:
            tally[key] += 1
    setups = [_finished_state(s) for s in setup_states]
    return UpstreamCounts(
        success=tally[TI.SUCCESS],
        skipped=tally[TI.SKIPPED],
        failed=tally[TI.FAILED],
        upstream_failed=tally[TI.UPSTREAM_FAILED],
        removed=tally[TI.REMOVED],
        total=total,
        setup_total=len(setups),
        setup_success=setups.count(TI.SUCCESS),
        setup_skipped=setups.count(TI.SKIPPED),
    )


def _finished_state(state: str | None) -> TI | None:
    if state is None:
        return None
    try:
        value = TI(state)
    except ValueError:
        raise ValueError(f"unknown task instance state {state!r}") from None
    return value if value in (TI.SUCCESS, TI.SKIPPED, TI.FAILED, TI.UPSTREAM_FAILED, TI.REMOVED) else None


@dataclass(frozen=True)
class TriggerDecision:
    """What to do with a task now: "run", "wait", "skip" or "upstream_failed", and why, in words for the UI."""

    action: str
    reason: str


# Per rule: (is runnable, state to write when the rule can never be met or None, what the rule needs).
_Rule = tuple[Callable[[UpstreamCounts], bool], Callable[[UpstreamCounts], "str | None"], str]


def _all_success_blocked(c: UpstreamCounts) -> str | None:
    if c.failed or c.upstream_failed:
        return UPSTREAM_FAILED
    return SKIP if c.skipped else None


def _all_done_min_one_success_blocked(c: UpstreamCounts) -> str | None:
    if c.skipped:
        return SKIP
    return UPSTREAM_FAILED if c.all_done and c.success == 0 else None


def _setup_success_blocked(c: UpstreamCounts) -> str | None:
    if not c.all_done or not c.setup_total:
        return None
    if c.setup_skipped >= c.setup_total:
        return SKIP
    return UPSTREAM_FAILED if c.setup_success == 0 else None


def _one_success_blocked(c: UpstreamCounts) -> str | None:
    if not c.all_done:
        return None
    if c.skipped == c.done:
        return SKIP
    return UPSTREAM_FAILED if c.success == 0 else None


def _none_failed_min_one_success_blocked(c: UpstreamCounts) -> str | None:
    if c.failed or c.upstream_failed:
        return UPSTREAM_FAILED
    if c.skipped >= c.total:
        return SKIP
    return UPSTREAM_FAILED if c.all_done and c.success == 0 else None


_RULES: dict[str, _Rule] = {
    "all_success": (
        lambda c: c.success + c.removed >= c.total,
        _all_success_blocked,
        "needs all {n} upstream tasks to succeed",
    ),
    "all_failed": (
        lambda c: c.failed + c.upstream_failed + c.removed >= c.total,
        lambda c: SKIP if c.success or c.skipped else None,
        "needs all {n} upstream tasks to fail",
    ),
    "all_done": (lambda c: c.all_done, lambda c: None, "needs all {n} upstream tasks to finish"),
    "all_done_min_one_success": (
        lambda c: c.all_done and c.skipped == 0 and c.success >= 1,
        _all_done_min_one_success_blocked,
        "needs all {n} upstream tasks to finish, none skipped and at least one succeeded",
    ),
    "all_done_setup_success": (
        lambda c: c.all_done and (c.setup_total == 0 or c.setup_success >= 1),
        _setup_success_blocked,
        "needs all {n} upstream tasks to finish and a setup task to succeed",
    ),
    "one_success": (
        lambda c: c.success >= 1,
        _one_success_blocked,
        "needs one of {n} upstream tasks to succeed",
    ),
    "one_failed": (
        lambda c: c.failed + c.upstream_failed >= 1,
        lambda c: SKIP if c.all_done and not (c.failed or c.upstream_failed) else None,
        "needs one of {n} upstream tasks to fail",
    ),
    "one_done": (
        lambda c: c.success + c.failed >= 1,
        lambda c: SKIP if c.all_done and c.success + c.failed == 0 else None,
        "needs one of {n} upstream tasks to succeed or fail",
    ),
    "none_failed": (
        lambda c: c.success + c.skipped + c.removed >= c.total,
        lambda c: UPSTREAM_FAILED if c.failed or c.upstream_failed else None,
        "needs all {n} upstream tasks to succeed or be skipped",
    ),
    "none_failed_min_one_success": (
        lambda c: c.success + c.skipped + c.removed >= c.total and c.success >= 1,
        _none_failed_min_one_success_blocked,
        "needs all {n} upstream tasks to succeed or be skipped, and at least one to succeed",
    ),
    "none_skipped": (
        lambda c: c.all_done and c.skipped == 0,
        lambda c: SKIP if c.skipped else None,
        "needs all {n} upstream tasks to finish without being skipped",
    ),
    "all_skipped": (
        lambda c: c.skipped >= c.total,
        lambda c: SKIP if c.success or c.failed or c.upstream_failed else None,
        "needs all {n} upstream tasks to be skipped",
    ),
}


def evaluate_trigger_rule(rule: str, counts: UpstreamCounts) -> TriggerDecision:
    """Decide whether a task with trigger rule `rule` runs, waits, or is skipped / upstream_failed now."""
    name = normalize_trigger_rule(rule)
    if counts.total == 0:
        return TriggerDecision(RUN, f"trigger rule {name}: the task has no upstream tasks")
    if name == "always":
        return TriggerDecision(RUN, "trigger rule always runs the task regardless of its upstream tasks")
    is_runnable, blocked_state, needs = _RULES[name]
    requirement = f"trigger rule {name} {needs.format(n=counts.total)}"
    observed = describe_counts(counts)
    if is_runnable(counts):
        return TriggerDecision(RUN, f"{requirement}; {observed}")
    state = blocked_state(counts)
    if state is not None:
        verdict = "skipped" if state == SKIP else "marked upstream_failed"
        return TriggerDecision(state, f"{requirement}; {observed}, so it can never be met and the task is {verdict}")
    return TriggerDecision(WAIT, f"{requirement}; {observed}")


def describe_counts(counts: UpstreamCounts) -> str:
    """Upstream states in words, e.g. '1 succeeded, 1 failed, 1 not finished'."""
    parts = [
        (counts.success, "succeeded"),
        (counts.failed, "failed"),
        (counts.upstream_failed, "upstream_failed"),
        (counts.skipped, "skipped"),
        (counts.removed, "removed"),
        (counts.total - counts.done, "not finished"),
    ]
    text = ", ".join(f"{n} {label}" for n, label in parts if n > 0)
    if counts.setup_total:
        text += f" (setup tasks: {counts.setup_success} of {counts.setup_total} succeeded)"
    return text or "no upstream states"
