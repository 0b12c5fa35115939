"""The serialized form of a DAG: what the scheduler and the web server know of a DAG file.

The DAG processor turns each parsed DAG into one JSON document (format below) and stores it with a
content hash; the scheduler and the web server read only this, never user code.

Document (format 1)::

    {"format": 1, "dag_id", "fileloc", "relative_fileloc", "description", "doc_md", "owner",
     "tags": [str], "timetable": {...Timetable.serialize()}, "timetable_summary", "timetable_description",
     "timezone", "start_date": iso | None, "end_date": iso | None, "catchup": bool,
     "max_active_runs": int, "max_active_tasks": int, "dagrun_timeout_s": float | None,
     "is_paused_upon_creation": bool | None,
     "params": {name: {"default": json, "schema": {...}, "description": str | None}},
     "has_on_success_callback": bool, "has_on_failure_callback": bool,
     "task_groups": {group_id: {"parent": group_id | None, "tooltip": str, "ui_color": str,
                                "children": [task_id or group_id]}},   # the root group is ""
     "tasks": [task, ...]}                                               # topological order

    task = {"task_id", "operator", "operator_module", "task_group": group_id | None,
            "upstream": [task_id], "downstream": [task_id], "trigger_rule",
            "retries", "retry_delay_s", "retry_exponential_backoff": float (0 = off), "max_retry_delay_s",
            "execution_timeout_s", "depends_on_past", "wait_for_downstream", "ignore_first_depends_on_past",
            "pool", "pool_slots", "priority_weight", "weight_rule", "queue", "owner",
            "max_active_tis_per_dag", "max_active_tis_per_dagrun",
            "is_empty", "is_sensor", "sensor_mode", "is_setup", "is_teardown", "on_failure_fail_dagrun",
            "is_mapped", "expand_input": spec | None, "callbacks": [names of the callbacks it has],
            "template_fields": [str], "ui_color", "ui_fgcolor", "doc_md", "start_date", "end_date"}

`expand_input` is the mapped operator's spec: {"kind": "product" | "list", "args": {name: arg}} where an
arg is {"literal_length": n}, {"xcom": {"task_id", "key"}}, {"zip": [arg...], "longest": bool} or
{"concat": [arg...]}; for `expand_kwargs` it is {"kind": "list", "source": arg}.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from functools import cached_property
from typing import Any, Iterator

FORMAT_VERSION = 1


def dag_hash(data: dict[str, Any]) -> str:
    """A stable content hash of a serialized DAG: a changed hash is a new DAG version."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _parse_instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class _Dated:
    """The start_date and end_date of a serialized DAG or task document (`self.data`)."""

    __slots__ = ()
    data: dict[str, Any]

    @property
    def start_date(self) -> datetime | None:
        return _parse_instant(self.data.get("start_date"))

    @property
    def end_date(self) -> datetime | None:
        return _parse_instant(self.data.get("end_date"))


class SerializedTask(_Dated):
    """Read view of one task of a serialized DAG."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def task_id(self) -> str:
        return self.data["task_id"]

    @property
    def upstream(self) -> list[str]:
        return self.data["upstream"]

    @property
    def downstream(self) -> list[str]:
        return self.data["downstream"]

    @property
    def trigger_rule(self) -> str:
        return self.data["trigger_rule"]

    @property
    def is_mapped(self) -> bool:
        return bool(self.data.get("is_mapped"))

    @property
    def is_teardown(self) -> bool:
        return bool(self.data.get("is_teardown"))

    @property
    def operator(self) -> str:
        return self.data["operator"]


class SerializedDag(_Dated):
    """Read view of a serialized DAG document, with the graph queries the scheduler and UI need."""

    def __init__(self, data: dict[str, Any], *, version_number: int | None = None) -> None:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"serialized DAG {data.get('dag_id')!r} has format {data.get('format')!r}, "
                             f"expected {FORMAT_VERSION}: re-parse the DAG files (`airflow dags reserialize`)")
        self.data = data
        self.version_number = version_number
        self.tasks: dict[str, SerializedTask] = {t["task_id"]: SerializedTask(t) for t in data["tasks"]}

    @property
    def dag_id(self) -> str:
        return self.data["dag_id"]

    @property
    def fileloc(self) -> str:
        return self.data["fileloc"]

    @property
    def task_ids(self) -> list[str]:
        return list(self.tasks)

    def __iter__(self) -> Iterator[SerializedTask]:
        return iter(self.tasks.values())

    @cached_property
    def has_past_dependencies(self) -> bool:
        """Whether a task waits on its instance in the previous run (depends_on_past or wait_for_downstream)."""
        return any(t.get("depends_on_past") or t.get("wait_for_downstream") for t in self)

    @cached_property
    def timetable(self) -> Any:
        from tradewind.schedule.timetables import deserialize_timetable

        return deserialize_timetable(self.data["timetable"])

    @cached_property
    def roots(self) -> list[str]:
        return [t.task_id for t in self if not t.upstream]

    @cached_property
    def leaves(self) -> list[str]:
        return [t.task_id for t in self if not t.downstream]

    @cached_property
    def run_state_leaves(self) -> list[str]:
        """The tasks whose states decide the run's state: teardowns are not leaves (rules.run_state)."""
        from tradewind.rules.run_state import run_leaf_task_ids

        teardowns = {t.task_id for t in self if t.is_teardown}
        failing = {t.task_id for t in self if t.is_teardown and t.get("on_failure_fail_dagrun")}
        downstream = {t.task_id: set(t.downstream) for t in self}
        return sorted(run_leaf_task_ids(downstream, teardowns=teardowns, failing_teardowns=failing))
