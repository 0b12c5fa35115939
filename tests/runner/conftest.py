"""Runner fixtures: a temp AIRFLOW_HOME with a migrated SQLite DB, DAG files written by the test, runs to run."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tradewind.clock import ManualClock
from tradewind.config.settings import Settings, load_settings
from tradewind.dagfiles.importer import load_dags_from_file
from tradewind.executors.base import TaskInstanceKey
from tradewind.runner.outcome import TryOutcome
from tradewind.runner.run_try import run_task_try
from tradewind.store import dag_runs, scheduling, task_instances
from tradewind.store.database import Database
from tradewind.store.migrate import upgrade

LOGICAL_DATE = datetime(2026, 1, 2, tzinfo=timezone.utc)

HEADER = """\
from datetime import datetime, timedelta, timezone
from pathlib import Path
from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.python import PythonOperator
from tradewind.sdk.operators.bash import BashOperator
from tradewind.sdk.exceptions import *
"""


@dataclass
class RunnerEnv:
    """One AIRFLOW_HOME: settings, database, clock, and helpers to write DAGs and run their tasks."""

    home: Path
    settings: Settings
    db: Database
    clock: ManualClock

    @property
    def marks(self) -> Path:
        return self.home / "marks"

    def load_dag(self, source: str, dag_id: str = "t", name: str | None = None) -> Any:
        """Write a DAG file (the common imports prepended) and import it."""
        path = self.settings.dags_folder / (name or f"{dag_id}.py")
        path.parent.mkdir(parents=True, exist_ok=True)
        marks = f"MARKS = Path({str(self.marks)!r})\nMARKS.mkdir(exist_ok=True)\n"
        path.write_text(HEADER + marks + textwrap.dedent(source))
        return load_dags_from_file(path, self.settings)[dag_id]

    def create_run(self, dag: Any, *, run_id: str = "scheduled__2026-01-02", run_type: str = "scheduled",
                   logical_date: datetime | None = LOGICAL_DATE, conf: dict[str, Any] | None = None,
                   state: str = "running", map_lengths: dict[str, int] | None = None,
                   interval: tuple[datetime, datetime] | None = None) -> str:
        """A run of `dag` with one task instance per task (map_lengths gives mapped tasks their indexes)."""
        lengths = map_lengths or {}
        tis = []
        for task in dag.task_dict.values():
            indexes = range(lengths[task.task_id]) if task.task_id in lengths else [-1]
            tis += [{"task_id": task.task_id, "map_index": i, "max_tries": int(task.retries or 0)} for i in indexes]
        start = logical_date or self.clock.now()
        with self.db.write() as conn:
            dag_runs.create_run(conn, dag_id=dag.dag_id, run_id=run_id, run_type=run_type, run_after=start,
                                state=state, logical_date=logical_date, conf=conf or {},
                                data_interval=interval or ((start, start) if logical_date else None),
                                task_instances=tis, now=self.clock.now())
        return run_id

    def queue(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> int:
        """Queue the instance as the scheduler does; returns the try number it will run as."""
        with self.db.write() as conn:
            queued = scheduling.queue_task_instance(conn, dag_id, run_id, task_id, map_index, now=self.clock.now())
        assert queued is not None, f"{task_id}[{map_index}] could not be queued"
        return queued.try_number

    def run(self, dag: Any, task_id: str, run_id: str = "scheduled__2026-01-02", map_index: int = -1,
            **kwargs: Any) -> TryOutcome:
        """Queue the instance and run its next try."""
        try_number = self.queue(dag.dag_id, run_id, task_id, map_index)
        return run_task_try(self.db, self.settings, (dag.dag_id, run_id, task_id, map_index), try_number,
                            dag=dag, clock=self.clock, **kwargs)

    def ti(self, dag_id: str, task_id: str, run_id: str = "scheduled__2026-01-02", map_index: int = -1) -> dict:
        with self.db.read() as conn:
            row = task_instances.get(conn, TaskInstanceKey(dag_id, run_id, task_id, map_index))
        assert row is not None
        return row

    def xcom(self, dag_id: str, task_id: str, key: str = "return_value", run_id: str = "scheduled__2026-01-02",
             map_index: int = -1) -> Any:
        from tradewind.store import xcoms

        with self.db.read() as conn:
            return xcoms.get(conn, TaskInstanceKey(dag_id, run_id, task_id, map_index), key, default="<none>")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunnerEnv:
    home = tmp_path / "airflow"
    (home / "dags").mkdir(parents=True)
    for name in [n for n in __import__("os").environ if n.startswith(("AIRFLOW__", "TRADEWIND"))]:
        monkeypatch.delenv(name)
    settings = load_settings({"AIRFLOW_HOME": str(home)})
    db = Database.from_settings(settings)
    upgrade(db)
    yield RunnerEnv(home, settings, db, ManualClock(datetime(2026, 1, 3, 12, 0, tzinfo=timezone.utc)))
    db.dispose()
