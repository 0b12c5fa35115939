"""`airflow scheduler`, `airflow dag-processor` and `airflow standalone`.

The scheduler process runs the scheduling loop; the DAG processor runs in a child process of its own
(or as `airflow dag-processor` when [scheduler] standalone_dag_processor is set), so that user code
never runs in the scheduler. SIGTERM and SIGINT stop everything gracefully.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import socket
import sys
from typing import Any, Callable

from tradewind.cli.metadata_db import checked_database
from tradewind.config.settings import Settings, load_settings

log = logging.getLogger("tradewind.scheduler")


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(level=str(settings.get("logging", "logging_level")).upper(),
                        format="[%(asctime)s] %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def make_executor(settings: Settings, db: Any) -> Any:
    """The executor named by [core] executor."""
    from tradewind.clock import Clock

    name = str(settings.get("core", "executor"))
    parallelism = int(settings.get("core", "parallelism"))
    if name in ("LocalExecutor", "local"):
        from tradewind.executors.local import LocalExecutor

        return LocalExecutor(settings, db.url, parallelism=parallelism, clock=Clock())
    if name in ("SequentialExecutor", "DebugExecutor", "sequential"):
        from tradewind.dagfiles.importer import load_dags_from_file
        from tradewind.executors.inline import InlineExecutor
        from tradewind.store import scheduling

        def lookup(dag_id: str) -> Any:
            with db.read() as conn:
                row = scheduling.latest_serialized(conn, dag_id)
            return load_dags_from_file(row["data"]["fileloc"], settings)[dag_id]

        return InlineExecutor(db, settings, dag_lookup=lookup, clock=Clock(), echo=False)
    if name in ("CeleryExecutor", "celery"):
        raise SystemExit("error: [core] executor = CeleryExecutor is not available in this version; "
                         "use LocalExecutor (the default) or SequentialExecutor")
    raise SystemExit(f"error: [core] executor = {name!r} is not known; use LocalExecutor, SequentialExecutor or CeleryExecutor")


def _stop_on_signals(stop: Callable[[], None]) -> None:
    def handler(signum: int, _frame: Any) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def dag_processor_main(settings: Settings, parent_pid: int | None = None) -> None:
    """The DAG processor: re-parse what changed every second, wake the scheduler when DAGs change.

    Started by a scheduler (`parent_pid`), it also stops when that scheduler is gone, even killed by
    SIGKILL, so that no orphan keeps parsing beside the next scheduler's own DAG processor.
    """
    from tradewind.clock import Clock
    from tradewind.dagfiles.watch import run_dag_processor
    from tradewind.store import jobs
    from tradewind.wakeup import notify_scheduler

    stopping = False

    def stop() -> None:
        nonlocal stopping
        stopping = True

    _stop_on_signals(stop)
    db = checked_database(settings)
    clock = Clock()
    with db.write() as conn:
        job_id = jobs.start(conn, "DagProcessorJob", hostname=socket.getfqdn(), pid=os.getpid(), now=clock.now())

    heartbeat_every_s = float(settings.get("scheduler", "scheduler_heartbeat_sec"))
    last_heartbeat = clock.monotonic()

    def on_scan(report: Any) -> None:
        nonlocal last_heartbeat
        if report is not None:
            notify_scheduler(settings.home)
        if clock.monotonic() - last_heartbeat >= heartbeat_every_s:
            with db.write() as conn:
                jobs.heartbeat(conn, job_id, now=clock.now())
            last_heartbeat = clock.monotonic()

    try:
        run_dag_processor(settings, db, clock=clock, on_scan=on_scan,
                          should_stop=lambda: stopping or (parent_pid is not None and os.getppid() != parent_pid))
    finally:
        with db.write() as conn:
            jobs.end(conn, job_id, now=clock.now())


def dag_processor(args: argparse.Namespace) -> int:
    settings = load_settings()
    _setup_logging(settings)
    dag_processor_main(settings)
    return 0


def _preload_for_children() -> None:
    """Import, before the DAG processor is forked, what it and the executor's workers would each import.

    Imported once here, those modules' pages are shared by every process forked from this one.
    """
    from tradewind.dagfiles import watch  # noqa: F401  (the DAG processor's loop and all it imports)
    from tradewind.dagfiles.importer import preload_modules

    preload_modules()


def _start_dag_processor_process(settings: Settings) -> multiprocessing.Process:
    import gc

    process = multiprocessing.get_context("fork").Process(target=dag_processor_main, args=(settings, os.getpid()),
                                                          name="dag-processor", daemon=False)
    # What exists now stays frozen in the DAG processor: its collector never walks (and so never
    # copies) the pages it shares with this process.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    return process


def run_scheduler(settings: Settings, *, with_dag_processor: bool) -> None:
    """Start the DAG processor (unless it runs on its own), the executor and the scheduling loop."""
    from tradewind.clock import Clock
    from tradewind.scheduler.scheduler import Scheduler, SchedulerConfig
    from tradewind.store import jobs
    from tradewind.wakeup import WakeupListener

    db = checked_database(settings)
    clock = Clock()
    executor = make_executor(settings, db)  # before any child process: a bad [core] executor stops here
    if with_dag_processor:
        _preload_for_children()
    processor = _start_dag_processor_process(settings) if with_dag_processor else None
    executor.start()
    config = SchedulerConfig(
        parallelism=int(settings.get("core", "parallelism")),
        default_max_active_runs=int(settings.get("core", "max_active_runs_per_dag")),
        default_max_active_tasks=int(settings.get("core", "max_active_tasks_per_dag")),
        heartbeat_timeout_s=float(settings.get("scheduler", "task_instance_heartbeat_timeout")),
        housekeeping_every_s=float(settings.get("scheduler", "scheduler_heartbeat_sec")),
    )
    wakeup = WakeupListener(settings.home)
    with db.write() as conn:
        job_id = jobs.start(conn, "SchedulerJob", hostname=socket.getfqdn(), pid=os.getpid(), now=clock.now())

    def heartbeat(conn: Any, now: Any) -> None:
        jobs.heartbeat(conn, job_id, now=now)

    scheduler = Scheduler(db, executor, clock, config, wakeup=wakeup, heartbeat=heartbeat)
    _stop_on_signals(scheduler.stop)
    log.info("scheduler started: executor %s, parallelism %d, DAGs folder %s", type(executor).__name__,
             config.parallelism, settings.dags_folder)
    try:
        scheduler.run()
    finally:
        log.info("stopping: waiting for running tasks")
        executor.end()
        if processor is not None:
            processor.terminate()
            processor.join(10)
        wakeup.close()
        with db.write() as conn:
            jobs.end(conn, job_id, now=clock.now())


def scheduler(args: argparse.Namespace) -> int:
    settings = load_settings()
    _setup_logging(settings)
    run_scheduler(settings, with_dag_processor=not settings.get("scheduler", "standalone_dag_processor"))
    return 0
