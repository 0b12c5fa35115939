"""Throughput: 1,000 independent no-op PythonOperator tasks under the scheduler loop with the LocalExecutor, on SQLite.

Prints tasks per second over the whole run (first queue to the run's end), the CPU seconds spent
per task by the scheduler process and by the workers with their fork servers and task processes,
and memory. Runs with the default [core] parallelism (32) unless given one: `throughput.py 8`.
Then measures again with [local_executor] tries_per_process = 1 (a fresh process for every try,
as Airflow does) and prints its tasks per second beside the default's.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from handoff import make_home, memory_figures, run_with_scheduler, start_run  # noqa: E402

TASKS = 1000
DEFAULT_PARALLELISM = 32  # [core] parallelism as installed: what a user gets


def main(parallelism: int | None = None) -> dict[str, float]:
    """The default figures, then the tasks per second with [local_executor] tries_per_process = 1.

    Last, the most tries per second any executor could reach here with a fresh process per try:
    the CPU of one fork and reap (fork_floor.py) plus the CPU a try costs without one (the default's
    measure: worker, task process and scheduler), spread over every core, with no page copied at all.
    """
    import fork_floor

    figures = measure(parallelism or DEFAULT_PARALLELISM, tries_per_process=None)
    fresh = measure(parallelism or DEFAULT_PARALLELISM, tries_per_process=1)
    for name in ("tasks_per_s", "workers_and_children_cpu_ms_per_task"):
        figures[f"{name}_with_1_try_per_process"] = fresh[name]
    cores = os.cpu_count() or 1
    fork_cpu_ms = cores / fork_floor.main()["forks_per_s_all_cores"] * 1000
    try_cpu_ms = figures["workers_and_children_cpu_ms_per_task"] + figures["scheduler_cpu_ms_per_task"]
    figures["fork_and_reap_cpu_ms"] = fork_cpu_ms
    figures["ceiling_tasks_per_s_with_a_fresh_process_per_try"] = cores * 1000 / (fork_cpu_ms + try_cpu_ms)
    return figures


def measure(parallelism: int, *, tries_per_process: int | None) -> dict[str, float]:
    """The figures of one run; `tries_per_process` None keeps the installed default."""
    import dataclasses

    from tradewind.clock import Clock
    from tradewind.executors.local import LocalExecutor

    body = f"""
    with DAG("wide", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), max_active_tasks={TASKS}) as dag:
        for i in range({TASKS}):
            PythonOperator(task_id=f"t{{i:04d}}", python_callable=noop)
    """
    with tempfile.TemporaryDirectory(prefix="tradewind-bench-") as root:
        settings, db, sdag = make_home(Path(root), "wide", body)
        if tries_per_process is not None:
            settings = dataclasses.replace(settings, values={
                **settings.values, ("local_executor", "tries_per_process"): tries_per_process})
        clock = Clock()
        run_id = start_run(db, sdag, clock)
        executor = LocalExecutor(settings, settings.sql_alchemy_conn, parallelism=parallelism, clock=clock)
        executor.start()
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            started = clock.monotonic()
            state = run_with_scheduler(db, executor, clock, "wide", run_id, parallelism)
            wall_s = clock.monotonic() - started
            memory = memory_figures(executor.worker_pids)
        finally:
            executor.end()  # the workers exit and are reaped, so their CPU time is counted below
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        db.dispose()
    if state != "success":
        raise RuntimeError(f"the benchmark run ended {state}")
    scheduler_cpu_s = (own.ru_utime + own.ru_stime) - (own_before.ru_utime + own_before.ru_stime)
    workers_cpu_s = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    return {
        "parallelism": parallelism,
        "tries_per_process": int(settings.get("local_executor", "tries_per_process")),
        "tasks_per_s": TASKS / wall_s,
        "wall_s": wall_s,
        "scheduler_cpu_ms_per_task": scheduler_cpu_s / TASKS * 1000,
        "workers_and_children_cpu_ms_per_task": workers_cpu_s / TASKS * 1000,
        # Kernel time is mostly forks, exits and page faults (copy-on-write of the fork server's pages).
        "workers_and_children_kernel_share": (children.ru_stime - children_before.ru_stime) / workers_cpu_s,
        "workers_and_children_page_faults_per_task": (children.ru_minflt - children_before.ru_minflt) / TASKS,
        **memory,
    }


if __name__ == "__main__":
    for name, value in main(int(sys.argv[1]) if len(sys.argv) > 1 else None).items():
        print(f"{name}: {value:.4g}" if isinstance(value, float) else f"{name}: {value}")
