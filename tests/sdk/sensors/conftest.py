"""A sensor try's context with a task instance that records XComs, and a DAG to put sensors in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

LOGICAL_DATE = datetime(2026, 1, 2, tzinfo=timezone.utc)


@dataclass
class RecordingTI:
    """The task-instance contract the runner offers a sensor, recording pushed XComs."""

    dag_id: str
    task_id: str
    run_id: str = "manual__2026-01-02T00:00:00+00:00"
    map_index: int = -1
    try_number: int = 1
    start_date: datetime = LOGICAL_DATE
    xcoms: dict[str, Any] = field(default_factory=dict)

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value

    def skip_downstream(self, task_ids: list[str]) -> None:
        raise AssertionError("sensors never skip downstream tasks directly")


def build_context(task: Any, **overrides: Any) -> dict[str, Any]:
    """The context of one try of `task` in a manual run at LOGICAL_DATE."""
    ti = RecordingTI(dag_id=task.dag_id, task_id=task.task_id)
    dag_run = SimpleNamespace(run_id=ti.run_id, run_type="manual", logical_date=LOGICAL_DATE, run_after=LOGICAL_DATE)
    context: dict[str, Any] = {
        "ti": ti,
        "task_instance": ti,
        "task": task,
        "dag": task.dag,
        "dag_run": dag_run,
        "run_id": ti.run_id,
        "logical_date": LOGICAL_DATE,
        "ds": "2026-01-02",
        "data_interval_start": LOGICAL_DATE,
        "data_interval_end": LOGICAL_DATE,
        "params": {},
        "task_reschedule_count": 0,
    }
    context.update(overrides)
    return context


@pytest.fixture
def make_context():
    """Build the context of a try of a sensor; keyword arguments replace context keys."""
    return build_context
