"""Branching: follow the chosen downstream tasks and skip the other direct downstreams."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from tradewind.rules import branching
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.context import get_current_context
from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.operators.branch_targets import downstream_map, group_roots_map, normalize_branch_ids, teardown_ids

log = logging.getLogger("airflow.task")

SKIPMIXIN_KEY = "skipmixin_key"
"""XCom key under which a mapped branch records what it followed, for the scheduler to skip the rest."""


class SkipMixin:
    """Lets a task mark downstream tasks to be skipped when its try succeeds."""

    def skip(self, *args: Any, tasks: Iterable[Any] | None = None, **kwargs: Any) -> None:
        """Skip `tasks` (operators or task ids); accepts Airflow 2's and 3's positional signatures."""
        if tasks is None:
            tasks = args[-1] if args else []
        ids = sorted({t if isinstance(t, str) else t.task_id for t in tasks})
        if ids:
            _current_ti().skip_downstream(ids)

    def skip_all_except(self, ti: Any, branch_task_ids: str | Iterable[str] | None) -> None:
        """Skip every direct downstream of this task except the given ids (and tasks they lead to)."""
        chosen = normalize_branch_ids(self.task_id, branch_task_ids)  # type: ignore[attr-defined]
        _record_skips(ti, branch_skip_ids(self, chosen), {"followed": sorted(chosen)})

    def skip_short_circuit(self, context: Any, ignore_downstream_trigger_rules: bool) -> None:
        """Skip what follows a falsy short circuit: everything downstream, or only the direct downstreams."""
        skipped = short_circuit_skip_ids(self, ignore_downstream_trigger_rules)
        if not skipped:
            log.info("No downstream tasks; nothing to do.")
            return
        log.info("Skipping downstream tasks: %s", sorted(skipped))
        _record_skips(context["ti"], skipped, {"skipped": sorted(skipped)})


class BranchMixIn(SkipMixin):
    """Shared logic of branching operators: validate the choice, then skip the branches not taken."""

    def do_branch(self, context: Any, branches_to_execute: str | Iterable[str] | None) -> Any:
        """Skip the direct downstreams not chosen (or reachable from a chosen task) and return the choice."""
        chosen = normalize_branch_ids(self.task_id, branches_to_execute)  # type: ignore[attr-defined]
        log.info("Branch into %s", chosen)
        _record_skips(context["ti"], branch_skip_ids(self, chosen), {"followed": sorted(chosen)})
        return branches_to_execute


class BaseBranchOperator(BaseOperator, BranchMixIn):
    """Base for operators whose `choose_branch(context)` returns the task id(s) or group id(s) to follow."""

    inherits_from_skipmixin = True

    def choose_branch(self, context: Any) -> str | Iterable[str] | None:
        """Return the task id(s) or task group id(s) to follow; subclasses implement this."""
        raise NotImplementedError(f"{type(self).__name__} must implement choose_branch(context)")

    def execute(self, context: Any) -> Any:
        """Choose, then branch."""
        return self.do_branch(context, self.choose_branch(context))


def branch_skip_ids(task: Any, chosen: list[str]) -> set[str]:
    """The direct downstreams of `task` that a branch choosing `chosen` (task or group ids) must skip."""
    dag = task.dag
    try:
        return branching.branch_skips(
            branch_task_id=task.task_id, chosen=chosen, downstream=downstream_map(dag), group_roots=group_roots_map(dag)
        )
    except ValueError as exc:
        raise AirflowException(f"DAG {dag.dag_id!r}: {exc}; return existing task ids or task group ids") from None


def short_circuit_skip_ids(task: Any, ignore_downstream_trigger_rules: bool) -> set[str]:
    """The tasks a falsy short circuit skips (teardowns never)."""
    dag = task.dag
    return branching.short_circuit_skips(
        task_id=task.task_id,
        downstream=downstream_map(dag),
        ignore_downstream_trigger_rules=ignore_downstream_trigger_rules,
        teardowns=teardown_ids(dag),
    )


def _record_skips(ti: Any, skipped: set[str], mapped_record: dict[str, list[str]]) -> None:
    """Hand the skips to the runner; a mapped instance only records its decision in an XCom."""
    map_index = getattr(ti, "map_index", -1)
    if map_index is not None and map_index >= 0:
        # Skipping directly would decide for the other map indexes too; the scheduler reads this instead.
        ti.xcom_push(SKIPMIXIN_KEY, mapped_record)
        return
    if skipped:
        log.info("Skipping tasks %s", sorted(skipped))
        ti.skip_downstream(sorted(skipped))


def _current_ti() -> Any:
    return get_current_context()["ti"]
