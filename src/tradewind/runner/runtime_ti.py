"""The `ti` / `task_instance` object of a running task: its identity, XCom push and pull, downstream skips.

Pushed XComs and requested skips are kept in memory and written with the try's final state, in the
same transaction; pulls read the database (and, for this task, what it pushed so far).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from tradewind.executors.base import TaskInstanceKey
from tradewind.runner.runtime_dag_run import RuntimeDagRun
from tradewind.runner.xcom_values import RETURN_VALUE, to_json_value


class XComRow(NamedTuple):
    """One stored XCom as a pull sees it."""

    task_id: str
    map_index: int
    key: str
    value: Any


class XComReader(Protocol):
    """Where pulls read XComs pushed by other task instances (StoreServices implements it)."""

    def read_xcoms(self, dag_id: str, run_id: str, task_id: str | None, key: str | None) -> list[XComRow]:
        """A task's XComs ordered by map index; with task_id None, any task's, newest first."""
        ...

    def prior_run_id(self, dag_id: str, run_id: str, task_id: str, key: str | None) -> str | None:
        """The newest earlier run (by logical date, this one included) in which the task pushed `key`."""
        ...


class _NotGiven:
    def __repr__(self) -> str:
        return "NOTSET"


NOTSET: Any = _NotGiven()


class RuntimeTaskInstance:
    """The running try of one task instance, as user code sees it through `context["ti"]`."""

    def __init__(self, key: TaskInstanceKey, *, try_number: int, max_tries: int, task: Any, dag: Any,
                 dag_run: RuntimeDagRun, start_date: datetime, xcoms: XComReader, hostname: str = "",
                 task_reschedule_count: int = 0) -> None:
        self.key = key
        self.dag_id, self.run_id, self.task_id, self.map_index = key
        self.try_number, self.max_tries = try_number, max_tries
        self.task, self.dag, self.dag_run = task, dag, dag_run
        self.start_date, self.end_date = start_date, None
        self.hostname = hostname
        self.state = "running"
        self.task_reschedule_count = task_reschedule_count
        self.rendered_map_index: str | None = None
        self.pushed: dict[str, Any] = {}
        self.skip_requests: list[str] = []
        self._xcoms = xcoms
        self.log = logging.getLogger("airflow.task")
        self._context: dict[str, Any] | None = None

    # Identity and Airflow 2 aliases -------------------------------------------------------------

    @property
    def logical_date(self) -> datetime | None:
        return self.dag_run.logical_date

    @property
    def execution_date(self) -> datetime | None:
        return self.dag_run.logical_date

    @property
    def operator(self) -> str:
        return type(self.task).__name__

    @property
    def pool(self) -> str:
        return getattr(self.task, "pool", "default_pool")

    @property
    def queue(self) -> str | None:
        return getattr(self.task, "queue", None)

    @property
    def priority_weight(self) -> int:
        return int(getattr(self.task, "priority_weight", 1))

    @property
    def prev_attempted_tries(self) -> int:
        return self.try_number - 1

    def get_dagrun(self) -> RuntimeDagRun:
        """The run this try belongs to."""
        return self.dag_run

    def get_template_context(self) -> dict[str, Any]:
        """The context this try runs with."""
        if self._context is None:
            raise RuntimeError(f"the context of task {self.task_id!r} is not built yet")
        return self._context

    def bind_context(self, context: dict[str, Any]) -> None:
        """Remember the context built for this try (for get_template_context)."""
        self._context = context

    # XCom ----------------------------------------------------------------------------------------

    def xcom_push(self, key: str, value: Any, execution_date: Any = None) -> None:
        """Push an XCom for this task instance; stored, as JSON, when the try ends."""
        if not isinstance(key, str) or not key:
            raise ValueError(f"Task {self.task_id!r}: an XCom key must be a non-empty string, not {key!r}")
        self.pushed[key] = to_json_value(value, task_id=self.task_id, key=key)

    def xcom_pull(self, task_ids: str | Iterable[str] | None = None, dag_id: str | None = None,
                  key: str | None = RETURN_VALUE, include_prior_dates: bool = False,
                  map_indexes: int | Iterable[int] | None = None, default: Any = None,
                  run_id: str | None = None, **_ignored: Any) -> Any:
        """Pull XComs (Airflow's rules): one task id gives a value, a list gives a list in that order.

        A mapped upstream gives the list of its values by map index. With task_ids=None the value
        comes from this task if it pushed one, else from any task of the run (3.x and 2.x files both work).
        """
        dag_id = dag_id or self.dag_id
        run_id = run_id or self.run_id
        if task_ids is None:
            return self._pull_any_task(dag_id, run_id, key, default)
        if isinstance(task_ids, str):
            return self._pull_one(dag_id, run_id, task_ids, key, map_indexes, default, include_prior_dates)
        return [self._pull_one(dag_id, run_id, t, key, map_indexes, default, include_prior_dates) for t in task_ids]

    def _pull_any_task(self, dag_id: str, run_id: str, key: str | None, default: Any) -> Any:
        if (dag_id, run_id) == (self.dag_id, self.run_id):
            own = self._own_pushed(key)
            if own is not NOTSET:
                return own
        rows = self._xcoms.read_xcoms(dag_id, run_id, None, key)
        return rows[0].value if rows else default

    def _own_pushed(self, key: str | None) -> Any:
        if key is None:
            return next(iter(reversed(self.pushed.values())), NOTSET)
        return self.pushed.get(key, NOTSET)

    def _pull_one(self, dag_id: str, run_id: str, task_id: str, key: str | None,
                  map_indexes: int | Iterable[int] | None, default: Any, include_prior_dates: bool) -> Any:
        if (dag_id, run_id, task_id) == (self.dag_id, self.run_id, self.task_id) and map_indexes is None:
            own = self._own_pushed(key)
            if own is not NOTSET:
                return own
        if include_prior_dates:
            run_id = self._xcoms.prior_run_id(dag_id, run_id, task_id, key) or run_id
        rows = self._xcoms.read_xcoms(dag_id, run_id, task_id, key)
        if map_indexes is not None:
            by_index = {r.map_index: r.value for r in rows}
            if isinstance(map_indexes, int):
                return by_index.get(map_indexes, default)
            return [by_index.get(i, default) for i in map_indexes]
        if not rows:
            return default
        if len(rows) == 1 and rows[0].map_index < 0:
            return rows[0].value
        if self._pulls_same_map_index(dag_id, task_id):
            same = [r.value for r in rows if r.map_index == self.map_index]
            return same[0] if same else default
        return [r.value for r in rows]

    def _pulls_same_map_index(self, dag_id: str, task_id: str) -> bool:
        """A task in a mapped task group reads its own map index of a sibling in that group."""
        if self.map_index < 0 or dag_id != self.dag_id:
            return False
        group = getattr(self.task, "task_group", None)
        while group is not None:
            if getattr(group, "is_mapped", False) and task_id.startswith(f"{group.group_id}."):
                return True
            group = getattr(group, "parent_group", None)
        return False

    # Skips ---------------------------------------------------------------------------------------

    def skip_downstream(self, task_ids: str | Iterable[str]) -> None:
        """Ask that these downstream tasks be skipped when this try ends (if they have not started)."""
        for task_id in [task_ids] if isinstance(task_ids, str) else task_ids:
            if task_id not in self.skip_requests:
                self.skip_requests.append(task_id)

    def __repr__(self) -> str:
        return f"<TaskInstance: {self.dag_id}.{self.task_id} {self.run_id} map_index={self.map_index} [{self.state}]>"
