"""Branching: which direct downstreams a branch skips, for task ids, group ids, None and the empty-branch join."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.operators.branch import BaseBranchOperator
from tradewind.sdk.operators.empty import EmptyOperator
from tradewind.sdk.operators.python import BranchPythonOperator
from tradewind.sdk.taskgroup import TaskGroup

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def branching_dag(choice):
    """branch >> [path_a, path_b, join]; path_a >> after_a >> join; branch >> group g (g.x >> g.y)."""
    with DAG("branch_dag", schedule=None, start_date=START):
        branch = BranchPythonOperator(task_id="branch", python_callable=lambda: choice)
        path_a, after_a = EmptyOperator(task_id="path_a"), EmptyOperator(task_id="after_a")
        path_b = EmptyOperator(task_id="path_b")
        join = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")
        with TaskGroup("g") as group:
            EmptyOperator(task_id="x") >> EmptyOperator(task_id="y")
        branch >> [path_a, path_b, join]
        path_a >> after_a >> join
        branch >> group
    return branch


def run_branch(choice, make_context):
    branch = branching_dag(choice)
    context = make_context(branch)
    result = branch.execute(context)
    return result, sorted(context["ti"].skipped), context["ti"]


def test_unchosen_direct_downstreams_are_skipped_and_choice_returned(make_context):
    result, skipped, _ = run_branch("path_b", make_context)
    assert result == "path_b"
    assert skipped == ["g.x", "join", "path_a"]


def test_join_reachable_from_the_chosen_task_is_not_skipped(make_context):
    _, skipped, _ = run_branch("path_a", make_context)
    assert skipped == ["g.x", "path_b"]


def test_list_of_ids(make_context):
    _, skipped, _ = run_branch(["path_b", "join"], make_context)
    assert skipped == ["g.x", "path_a"]


@pytest.mark.parametrize("choice", [None, []])
def test_none_or_empty_skips_every_direct_downstream(choice, make_context):
    _, skipped, _ = run_branch(choice, make_context)
    assert skipped == ["g.x", "join", "path_a", "path_b"]


def test_task_group_id_follows_the_group_roots(make_context):
    _, skipped, _ = run_branch("g", make_context)
    assert skipped == ["join", "path_a", "path_b"]


def test_unknown_id_fails_the_branch_task_naming_it(make_context):
    branch = branching_dag("nowhere")
    context = make_context(branch)
    with pytest.raises(AirflowException, match="nowhere"):
        branch.execute(context)
    assert context["ti"].skipped == []


def test_non_string_choice_fails(make_context):
    branch = branching_dag(["path_a", 3])
    with pytest.raises(AirflowException, match="not strings"):
        branch.execute(make_context(branch))


def test_mapped_instance_records_what_it_followed_instead_of_skipping(make_context):
    branch = branching_dag("path_b")
    context = make_context(branch)
    context["ti"].map_index = 0
    branch.execute(context)
    assert context["ti"].skipped == []
    assert context["ti"].xcoms[("branch", "skipmixin_key")] == {"followed": ["path_b"]}


class PickSecond(BaseBranchOperator):
    def choose_branch(self, context):
        return sorted(self.downstream_task_ids)[1]


def test_base_branch_operator_uses_choose_branch(make_context):
    with DAG("base_branch", schedule=None, start_date=START):
        branch = PickSecond(task_id="branch")
        branch >> [EmptyOperator(task_id="one"), EmptyOperator(task_id="two")]
    context = make_context(branch)
    assert branch.execute(context) == "two"
    assert context["ti"].skipped == ["one"]


def test_branch_has_no_effect_on_tasks_further_down(make_context):
    _, skipped, ti = run_branch("path_b", make_context)
    assert "after_a" not in skipped and "g.y" not in skipped
    assert ti.xcoms == {}
