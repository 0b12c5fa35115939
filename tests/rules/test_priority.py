"""Effective priority weights under each weight rule."""

from __future__ import annotations

import pytest

from tradewind.rules.priority import INT32_MAX, effective_priority_weights

# a -> b -> d, a -> c -> d (a diamond): d counted once for a.
UPSTREAM = {"a": set(), "b": {"a"}, "c": {"a"}, "d": {"b", "c"}}


def test_downstream_rule_adds_each_descendant_once() -> None:
    tasks = {t: (1, "downstream") for t in UPSTREAM}
    assert effective_priority_weights(tasks, UPSTREAM) == {"a": 4, "b": 2, "c": 2, "d": 1}


def test_upstream_rule_adds_each_ancestor_once() -> None:
    tasks = {"a": (1, "upstream"), "b": (2, "upstream"), "c": (3, "upstream"), "d": (10, "upstream")}
    assert effective_priority_weights(tasks, UPSTREAM) == {"a": 1, "b": 3, "c": 4, "d": 16}


def test_absolute_rule_keeps_the_own_weight() -> None:
    tasks = {t: (5, "absolute") for t in UPSTREAM}
    assert effective_priority_weights(tasks, UPSTREAM) == {t: 5 for t in UPSTREAM}


def test_rules_mix_per_task() -> None:
    tasks = {"a": (1, "downstream"), "b": (2, "absolute"), "c": (3, "upstream"), "d": (4, "downstream")}
    assert effective_priority_weights(tasks, UPSTREAM) == {"a": 10, "b": 2, "c": 4, "d": 4}


def test_result_is_clamped_to_int32() -> None:
    tasks = {"a": (INT32_MAX, "downstream"), "b": (INT32_MAX, "absolute"), "c": (-(2**40), "absolute"), "d": (2**40, "absolute")}
    weights = effective_priority_weights(tasks, UPSTREAM)
    assert weights["a"] == INT32_MAX and weights["c"] == -(2**31)


def test_long_chain_does_not_recurse_too_deep() -> None:
    n = 5000
    upstream = {f"t{i}": ({f"t{i - 1}"} if i else set()) for i in range(n)}
    weights = effective_priority_weights({t: (1, "downstream") for t in upstream}, upstream)
    assert weights["t0"] == n


def test_unknown_weight_rule_names_the_task() -> None:
    with pytest.raises(ValueError, match="'b'.*'sideways'"):
        effective_priority_weights({"a": (1, "absolute"), "b": (1, "sideways")}, {"a": set(), "b": {"a"}})
