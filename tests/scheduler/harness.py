"""A scheduler on a temp AIRFLOW_HOME with a manual clock and the in-process executor, for tests."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tradewind.clock import ManualClock
from tradewind.config.settings import Settings, load_settings
from tradewind.dagfiles.importer import load_dags_from_file
from tradewind.dagfiles.processor import parse_and_sync
from tradewind.executors.inline import InlineExecutor
from tradewind.scheduler.scheduler import Scheduler, SchedulerConfig
from tradewind.scheduler.trigger import trigger_dag_run
from tradewind.store import dags as dag_rows
from tradewind.store import scheduling, serialized_dags
from tradewind.store.database import Database
from tradewind.store.defaults import create_defaults
from tradewind.store.migrate import upgrade

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@dataclass
class Harness:
    """Everything a scheduler test touches."""

    settings: Settings
    db: Database
    clock: ManualClock
    scheduler: Scheduler
    executor: InlineExecutor

    def tick_until_idle(self, max_ticks: int = 50) -> None:
        """Tick while ticks do work (bounded), without moving the clock."""
        for _ in range(max_ticks):
            if not self.scheduler.tick().did_work:
                return
        raise AssertionError(f"the scheduler was still busy after {max_ticks} ticks")

    def unpause(self, dag_id: str) -> None:
        with self.db.write() as conn:
            dag_rows.set_paused(conn, dag_id, False)
        self.scheduler.request_full_scan()  # what the CLI's wake-up does

    def trigger(self, dag_id: str, conf: dict | None = None, logical_date: datetime | None = None) -> str:
        with self.db.write() as conn:
            dag = serialized_dags.latest(conn, dag_id)
            run_id = trigger_dag_run(conn, dag, now=self.clock.now(), conf=conf, logical_date=logical_date)
        self.scheduler.request_full_scan()
        return run_id

    def states(self, dag_id: str, run_id: str) -> dict[str, list[Any]]:
        with self.db.read() as conn:
            rows = scheduling.run_task_states(conn, dag_id, run_id)
        out: dict[str, list[Any]] = {}
        for r in rows:
            out.setdefault(r.task_id, []).append(r)
        return out

    def run_state(self, dag_id: str, run_id: str) -> str:
        with self.db.read() as conn:
            return scheduling.get_run(conn, dag_id, run_id)["state"]


def make_harness(tmp_path: Path, files: dict[str, str], **config: Any) -> Harness:
    home = tmp_path / "home"
    (home / "dags").mkdir(parents=True)
    for name, source in files.items():
        (home / "dags" / name).write_text(textwrap.dedent(source))
    settings = load_settings({"AIRFLOW_HOME": str(home)})
    db = Database.from_settings(settings)
    upgrade(db)
    create_defaults(db)
    parse_and_sync(settings, db)
    clock = ManualClock(START)
    cache: dict[str, Any] = {}

    def lookup(dag_id: str) -> Any:
        if dag_id not in cache:
            with db.read() as conn:
                fileloc = serialized_dags.latest(conn, dag_id).fileloc
            cache.update(load_dags_from_file(fileloc, settings))
        return cache[dag_id]

    executor = InlineExecutor(db, settings, dag_lookup=lookup, clock=clock, echo=False)
    scheduler = Scheduler(db, executor, clock, replace(SchedulerConfig(), **config))
    return Harness(settings, db, clock, scheduler, executor)
