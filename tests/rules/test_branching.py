"""Skip sets for branches and short-circuits."""

from __future__ import annotations

import pytest

from tradewind.rules.branching import branch_skips, short_circuit_skips

# branch -> a -> join ; branch -> b -> join ; branch -> join (the "empty branch") ; join -> end
DOWNSTREAM = {
    "branch": {"a", "b", "join", "grp.x"},
    "a": {"join"},
    "b": {"join"},
    "grp.x": {"grp.y"},
    "grp.y": set(),
    "join": {"end"},
    "end": set(),
}
GROUPS = {"grp": ["grp.x"]}


def skips(chosen):
    return branch_skips(branch_task_id="branch", chosen=chosen, downstream=DOWNSTREAM, group_roots=GROUPS)


def test_unchosen_direct_downstreams_are_skipped_but_the_empty_branch_join_is_kept() -> None:
    assert skips(["a"]) == {"b", "grp.x"}


def test_single_string_choice() -> None:
    assert skips("b") == {"a", "grp.x"}


def test_choosing_the_join_itself_skips_the_other_paths() -> None:
    assert skips(["join"]) == {"a", "b", "grp.x"}


def test_group_id_means_its_roots() -> None:
    assert skips(["grp"]) == {"a", "b", "join"}


@pytest.mark.parametrize("chosen", [None, []])
def test_none_or_empty_skips_every_direct_downstream(chosen) -> None:
    assert skips(chosen) == {"a", "b", "join", "grp.x"}


def test_unknown_id_is_named() -> None:
    with pytest.raises(ValueError, match="'nope'"):
        skips(["a", "nope"])


def test_non_string_choice_is_rejected() -> None:
    with pytest.raises(ValueError, match="task_id"):
        skips([1])


SC_DOWNSTREAM = {"check": {"a", "td"}, "a": {"b"}, "b": {"td", "c"}, "c": set(), "td": set()}


def test_short_circuit_skips_everything_below_except_teardowns() -> None:
    result = short_circuit_skips(task_id="check", downstream=SC_DOWNSTREAM, ignore_downstream_trigger_rules=True, teardowns={"td"})
    assert result == {"a", "b", "c"}


def test_short_circuit_respecting_trigger_rules_skips_only_direct_downstreams() -> None:
    result = short_circuit_skips(task_id="check", downstream=SC_DOWNSTREAM, ignore_downstream_trigger_rules=False, teardowns={"td"})
    assert result == {"a"}
