"""A task try's context as the runner builds it, with a task instance that records what the task asks for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

LOGICAL_DATE = datetime(2026, 1, 2, tzinfo=timezone.utc)


@dataclass
class RecordingTI:
    """The task-instance contract the runner offers: xcom_push/xcom_pull and skip_downstream, recorded."""

    dag_id: str
    task_id: str
    run_id: str = "manual__2026-01-02T00:00:00+00:00"
    map_index: int = -1
    try_number: int = 1
    max_tries: int = 0
    start_date: datetime = LOGICAL_DATE
    xcoms: dict[tuple[str, str], Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[(self.task_id, key)] = value

    def xcom_pull(self, task_ids: Any = None, key: str = "return_value", default: Any = None, **_: Any) -> Any:
        if task_ids is None:
            task_ids = self.task_id
        if isinstance(task_ids, str):
            return self.xcoms.get((task_ids, key), default)
        return [self.xcoms.get((t, key), default) for t in task_ids]

    def skip_downstream(self, task_ids: list[str]) -> None:
        self.skipped.extend(task_ids)


def build_context(task: Any, **overrides: Any) -> dict[str, Any]:
    """The context of one try of `task` in a manual run at LOGICAL_DATE."""
    ti = RecordingTI(dag_id=task.dag_id, task_id=task.task_id)
    dag_run = SimpleNamespace(
        dag_id=task.dag_id, run_id=ti.run_id, run_type="manual", logical_date=LOGICAL_DATE, run_after=LOGICAL_DATE, conf={}
    )
    context: dict[str, Any] = {
        "ti": ti,
        "task_instance": ti,
        "task": task,
        "dag": task.dag,
        "dag_run": dag_run,
        "run_id": ti.run_id,
        "logical_date": LOGICAL_DATE,
        "ds": "2026-01-02",
        "ts": LOGICAL_DATE.isoformat(),
        "data_interval_start": LOGICAL_DATE,
        "data_interval_end": LOGICAL_DATE,
        "params": {},
    }
    context.update(overrides)
    return context


@pytest.fixture
def make_context():
    """Build the context of a try of a task; keyword arguments replace context keys."""
    return build_context
