"""Trigger-rule decisions against an independent statement of Airflow's trigger-rule table."""

from __future__ import annotations

import itertools

import pytest

from tradewind.rules.trigger_rule_names import TriggerRule
from tradewind.rules.trigger_rules import (
    TriggerDecision,
    UpstreamCounts,
    count_upstream_states,
    evaluate_trigger_rule,
)

STATES = ["success", "skipped", "failed", "upstream_failed", "removed", None]
MIXES = [mix for n in (1, 2, 3) for mix in itertools.product(STATES, repeat=n)]
RULES = [
    "all_success",
    "all_failed",
    "all_done",
    "all_done_min_one_success",
    "all_done_setup_success",
    "one_success",
    "one_failed",
    "one_done",
    "none_failed",
    "none_failed_min_one_success",
    "none_skipped",
    "all_skipped",
    "always",
]


def expected_action(rule: str, mix: tuple[str | None, ...]) -> str:
    """The table, restated row by row from the upstream state list (no setup upstreams here)."""
    n = len(mix)
    s, k, f = mix.count("success"), mix.count("skipped"), mix.count("failed")
    u, r = mix.count("upstream_failed"), mix.count("removed")
    done = n - mix.count(None) == n
    table = {
        "all_success": ("run" if s + r == n else "upstream_failed" if f or u else "skip" if k else "wait"),
        "all_failed": ("run" if f + u + r == n else "skip" if s or k else "wait"),
        "all_done": "run" if done else "wait",
        "all_done_min_one_success": (
            "skip" if k else ("run" if s else "upstream_failed") if done else "wait"
        ),
        "all_done_setup_success": "run" if done else "wait",
        "one_success": (
            "run" if s else ("skip" if k == n else "upstream_failed") if done else "wait"
        ),
        "one_failed": "run" if f + u else "skip" if done else "wait",
        "one_done": "run" if s + f else "skip" if done else "wait",
        "none_failed": "upstream_failed" if f + u else "run" if s + k + r == n else "wait",
        "none_failed_min_one_success": (
            "upstream_failed" if f + u
            else "skip" if k == n
            else ("run" if s else "upstream_failed") if s + k + r == n
            else "wait"
        ),
        "none_skipped": "skip" if k else "run" if done else "wait",
        "all_skipped": "run" if k == n else "skip" if s + f + u else "wait",
        "always": "run",
    }
    return table[rule]


def test_every_rule_is_covered() -> None:
    canonical = TriggerRule.all_triggers() - {"dummy", "none_failed_or_skipped"}
    assert canonical == set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_rule_against_every_mix_of_upstream_states(rule: str) -> None:
    wrong = []
    for mix in MIXES:
        decision = evaluate_trigger_rule(rule, count_upstream_states(mix))
        if decision.action != expected_action(rule, mix):
            wrong.append((mix, decision.action, expected_action(rule, mix)))
    assert wrong == []


@pytest.mark.parametrize("rule", RULES)
def test_no_upstream_always_runs(rule: str) -> None:
    assert evaluate_trigger_rule(rule, count_upstream_states([])).action == "run"


def test_counts_ignore_unfinished_states_but_count_them_in_total() -> None:
    counts = count_upstream_states(["success", "running", None, "up_for_retry", "failed", "skipped", "removed"])
    assert counts == UpstreamCounts(success=1, skipped=1, failed=1, upstream_failed=0, removed=1, total=7)
    assert counts.done == 4


def test_unknown_state_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="'sucess'"):
        count_upstream_states(["sucess"])


def test_reason_names_rule_total_and_the_failure() -> None:
    decision = evaluate_trigger_rule("all_success", count_upstream_states(["success", "failed", "running"]))
    assert decision.action == "upstream_failed"
    assert "trigger rule all_success needs all 3 upstream tasks to succeed" in decision.reason
    assert "1 failed" in decision.reason


def test_skip_propagates_through_all_success_before_the_rest_finish() -> None:
    decision = evaluate_trigger_rule("all_success", count_upstream_states(["skipped", "running", None]))
    assert decision == TriggerDecision("skip", decision.reason)
    assert "1 skipped" in decision.reason and "2 not finished" in decision.reason


def test_failure_wins_over_skip_for_all_success() -> None:
    assert evaluate_trigger_rule("all_success", count_upstream_states(["skipped", "failed"])).action == "upstream_failed"


def test_join_after_branch_runs_with_none_failed_min_one_success() -> None:
    counts = count_upstream_states(["success", "skipped", "skipped"])
    assert evaluate_trigger_rule("none_failed_min_one_success", counts).action == "run"
    assert evaluate_trigger_rule("all_success", counts).action == "skip"


def test_one_success_fires_at_the_first_success() -> None:
    assert evaluate_trigger_rule("one_success", count_upstream_states(["success", None, None])).action == "run"


def test_waiting_reason_says_what_is_missing() -> None:
    decision = evaluate_trigger_rule("all_done", count_upstream_states(["success", "queued"]))
    assert decision.action == "wait"
    assert decision.reason == "trigger rule all_done needs all 2 upstream tasks to finish; 1 succeeded, 1 not finished"


@pytest.mark.parametrize(("alias", "canonical"), [("dummy", "always"), ("none_failed_or_skipped", "none_failed_min_one_success")])
def test_deprecated_aliases_behave_like_their_new_names(alias: str, canonical: str) -> None:
    for mix in MIXES:
        counts = count_upstream_states(mix)
        assert evaluate_trigger_rule(alias, counts).action == evaluate_trigger_rule(canonical, counts).action


def test_unknown_rule_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="'all_sucess'"):
        evaluate_trigger_rule("all_sucess", count_upstream_states(["success"]))


@pytest.mark.parametrize(
    ("setups", "states", "action"),
    [
        (["success"], ["success", "failed"], "run"),
        (["failed"], ["failed", "success"], "upstream_failed"),
        (["skipped"], ["skipped", "success"], "skip"),
        (["success", "failed"], ["success", "failed"], "run"),
        (["skipped", "failed"], ["skipped", "failed"], "upstream_failed"),
        (["success"], ["success", None], "wait"),
        ([], ["failed", "failed"], "run"),
    ],
)
def test_teardown_rule_looks_at_its_setup_upstreams(setups: list[str], states: list[str | None], action: str) -> None:
    counts = count_upstream_states(states, setup_states=setups)
    assert evaluate_trigger_rule("all_done_setup_success", counts).action == action
