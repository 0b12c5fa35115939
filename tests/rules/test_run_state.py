"""The DAG-run state decided from leaf states, and the choice of leaves."""

from __future__ import annotations

from tradewind.rules.run_state import decide_run_state, run_leaf_task_ids
from tradewind.rules.states import DagRunState


def test_running_while_tasks_can_progress() -> None:
    assert decide_run_state(leaf_states=["failed"], unfinished=2, can_progress=True) is None


def test_deadlock_fails_the_run() -> None:
    assert decide_run_state(leaf_states=[None], unfinished=1, can_progress=False) == DagRunState.FAILED


def test_failed_or_upstream_failed_leaf_fails_the_run() -> None:
    assert decide_run_state(leaf_states=["success", "failed"], unfinished=0, can_progress=False) == DagRunState.FAILED
    assert decide_run_state(leaf_states=["upstream_failed"], unfinished=0, can_progress=True) == DagRunState.FAILED


def test_skipped_leaves_count_as_success() -> None:
    assert decide_run_state(leaf_states=["skipped", "skipped"], unfinished=0, can_progress=False) == DagRunState.SUCCESS
    assert decide_run_state(leaf_states=["success", "skipped"], unfinished=0, can_progress=False) == DagRunState.SUCCESS


def test_plain_leaves_without_teardowns() -> None:
    downstream = {"a": {"b", "c"}, "b": set(), "c": set()}
    assert run_leaf_task_ids(downstream) == {"b", "c"}


def test_ignored_teardown_hands_leaf_role_to_its_upstream() -> None:
    downstream = {"setup": {"work", "teardown"}, "work": {"teardown"}, "teardown": set()}
    assert run_leaf_task_ids(downstream, teardowns={"teardown"}) == {"work"}


def test_teardown_with_on_failure_fail_dagrun_stays_a_leaf() -> None:
    downstream = {"setup": {"work", "teardown"}, "work": {"teardown"}, "teardown": set()}
    assert run_leaf_task_ids(downstream, teardowns={"teardown"}, failing_teardowns={"teardown"}) == {"teardown"}


def test_dag_of_only_teardowns_uses_plain_leaves() -> None:
    assert run_leaf_task_ids({"t1": {"t2"}, "t2": set()}, teardowns={"t1", "t2"}) == {"t2"}
