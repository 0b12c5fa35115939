"""The terminal state of a DAG run, decided from its leaf tasks; and which tasks count as leaves."""

from __future__ import annotations

from typing import Iterable, Mapping

from tradewind.rules.states import DagRunState, TaskInstanceState as TI

_FAILING_LEAF_STATES = frozenset({TI.FAILED.value, TI.UPSTREAM_FAILED.value})


def decide_run_state(
    *, leaf_states: Iterable[str | None], unfinished: int, can_progress: bool
) -> DagRunState | None:
    """The run's final state, or None while it is still going.

    - `unfinished` tasks remain and one of them can still be scheduled: None (keep running).
    - `unfinished` tasks remain and none can progress (a deadlock: a rule that can never be met):
      FAILED. The caller counts as able to progress an instance that waits on the previous run
      (depends_on_past) or on a per-task limit, since Airflow never fails such a run.
    - Everything finished: FAILED if any leaf is failed or upstream_failed, else SUCCESS;
      skipped leaves count as success, and an all_done leaf that succeeds hides failures
      further up, as in Airflow.

    The caller chooses the leaves (see `run_leaf_task_ids`): teardown tasks are not leaves
    unless they set on_failure_fail_dagrun, and the task just upstream of an ignored teardown
    counts as a leaf instead.
    """
    if unfinished > 0:
        return None if can_progress else DagRunState.FAILED
    states = {str(s) for s in leaf_states if s is not None}
    return DagRunState.FAILED if states & _FAILING_LEAF_STATES else DagRunState.SUCCESS


def run_leaf_task_ids(
    downstream: Mapping[str, set[str]], *, teardowns: set[str] = frozenset(), failing_teardowns: set[str] = frozenset()
) -> set[str]:
    """The tasks whose states decide the run (§3.1 of Airflow's rules).

    `downstream` maps every task id to its direct downstream ids. Teardowns in `teardowns` that
    are not in `failing_teardowns` (on_failure_fail_dagrun=True) are ignored: a task is a leaf
    when every downstream it has is such an ignored teardown. If that leaves nothing (a DAG of
    only teardowns), the plain leaves are used.
    """
    ignored = set(teardowns) - set(failing_teardowns)
    leaves = {
        task_id
        for task_id, children in downstream.items()
        if task_id not in ignored and all(child in ignored for child in children)
    }
    return leaves or {task_id for task_id, children in downstream.items() if not children}
