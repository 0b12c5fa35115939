"""Hand-off latency: a 200-task chain of no-op PythonOperator tasks under the scheduler loop with the LocalExecutor.

Prints the median and p90 of (start of task n+1 - end of task n) from the task instance rows, the
run's wall time, and the memory of the scheduler process and its workers (peak RSS, and PSS,
which splits pages shared by the forks among them).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

CHAIN_LENGTH = 200
PARALLELISM = 4


def make_home(root: Path, dag_id: str, body: str) -> tuple[Any, Any, Any]:
    """A fresh AIRFLOW_HOME with a migrated SQLite DB and one parsed DAG file: (settings, db, serialized DAG)."""
    from tradewind.config.settings import load_settings
    from tradewind.dagfiles.processor import parse_and_sync
    from tradewind.store import serialized_dags
    from tradewind.store.database import Database
    from tradewind.store.defaults import create_defaults
    from tradewind.store.migrate import upgrade

    (root / "dags").mkdir()
    header = ("# an airflow DAG file\nfrom datetime import datetime, timezone\nfrom tradewind.sdk.dag import DAG\n"
              "from tradewind.sdk.operators.python import PythonOperator\n\ndef noop():\n    return None\n\n")
    (root / "dags" / f"{dag_id}.py").write_text(header + textwrap.dedent(body))
    settings = load_settings({"AIRFLOW_HOME": str(root), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"})
    db = Database.from_settings(settings)
    upgrade(db)
    create_defaults(db)
    parse_and_sync(settings, db)
    with db.read() as conn:
        sdag = serialized_dags.latest(conn, dag_id)
    if sdag is None:
        raise RuntimeError(f"the benchmark DAG {dag_id!r} did not parse")
    return settings, db, sdag


def start_run(db: Any, sdag: Any, clock: Any) -> str:
    """Create one running manual run of the DAG; its run_id."""
    from tradewind.scheduler.create_runs import create_run

    now = clock.now()
    with db.write() as conn:
        create_run(conn, sdag, run_id="manual__bench", run_type="manual", logical_date=now, data_interval=(now, now),
                   run_after=now, conf=None, state="running", triggered_by="bench", now=now)
    return "manual__bench"


def run_with_scheduler(db: Any, executor: Any, clock: Any, dag_id: str, run_id: str, parallelism: int) -> str:
    """Drive the run with the scheduler loop `airflow scheduler` runs; its final state."""
    from tradewind.scheduler.scheduler import Scheduler, SchedulerConfig
    from tradewind.store import dags, scheduling

    with db.write() as conn:
        dags.set_paused(conn, dag_id, False)

    def state() -> str:
        with db.read() as conn:
            return str(scheduling.get_run(conn, dag_id, run_id)["state"])

    scheduler = Scheduler(db, executor, clock, SchedulerConfig(parallelism=parallelism))
    scheduler.run(until=lambda: state() in ("success", "failed"))
    return state()


def _kib_field(path: str, name: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_figures(worker_pids: list[int]) -> dict[str, float]:
    """Peak RSS of the scheduler and of its workers, and their PSS now, in MiB."""
    pids = [os.getpid(), *worker_pids]
    return {
        "scheduler_peak_rss_mib": _kib_field("/proc/self/status", "VmHWM") / 1024,
        "workers_peak_rss_mib_sum": sum(_kib_field(f"/proc/{p}/status", "VmHWM") for p in worker_pids) / 1024,
        "scheduler_plus_workers_pss_mib": sum(_kib_field(f"/proc/{p}/smaps_rollup", "Pss") for p in pids) / 1024,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> dict[str, float]:
    from tradewind.clock import Clock
    from tradewind.executors.local import LocalExecutor
    from tradewind.store import scheduling

    body = f"""
    with DAG("handoff", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
        previous = None
        for i in range({CHAIN_LENGTH}):
            task = PythonOperator(task_id=f"t{{i:03d}}", python_callable=noop)
            if previous is not None:
                previous >> task
            previous = task
    """
    with tempfile.TemporaryDirectory(prefix="tradewind-bench-") as root:
        settings, db, sdag = make_home(Path(root), "handoff", body)
        clock = Clock()
        run_id = start_run(db, sdag, clock)
        executor = LocalExecutor(settings, settings.sql_alchemy_conn, parallelism=PARALLELISM, clock=clock)
        executor.start()
        try:
            started = clock.monotonic()
            state = run_with_scheduler(db, executor, clock, "handoff", run_id, PARALLELISM)
            wall_s = clock.monotonic() - started
            memory = memory_figures(executor.worker_pids)
        finally:
            executor.end()
        with db.read() as conn:
            rows = sorted(scheduling.run_task_states(conn, "handoff", run_id), key=lambda r: r.task_id)
        db.dispose()
    if state != "success":
        raise RuntimeError(f"the benchmark run ended {state}")
    gaps_ms = [(b.start_date - a.end_date).total_seconds() * 1000 for a, b in zip(rows, rows[1:])]
    figures = {
        "handoff_median_ms": statistics.median(gaps_ms),
        "handoff_p90_ms": percentile(gaps_ms, 0.9),
        "task_duration_median_ms": statistics.median(r.duration * 1000 for r in rows),
        "chain_wall_s": wall_s,
        "tasks_per_s_in_chain": CHAIN_LENGTH / wall_s,
        **memory,
    }
    return figures


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value:.4g}")
