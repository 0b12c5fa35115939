"""Crash safety: a scheduler killed with SIGKILL and started again, and a LocalExecutor worker killed mid-task."""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

from tests.conftest import AirflowHome
from tests.scheduler_process.scheduler_proc import alive, prepare_home, runs_of, task_rows, wait_for, wait_for_runs
from tradewind.testing.procfs import parent_pid

CHAIN_DAG = '''
import time
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.python import PythonOperator

MARKERS = {markers!r}

def append_marker(ti=None, **_):
    with open(MARKERS, "a") as out:
        out.write(f"{{ti.run_id}} {{ti.task_id}} {{ti.try_number}}\\n")
    time.sleep(0.5)

with DAG("chain", schedule=None, start_date=datetime(2026, 1, 1), catchup=False,
         default_args={{"retries": 2, "retry_delay": timedelta(seconds=1)}}) as dag:
    previous = None
    for i in range(6):
        task = PythonOperator(task_id=f"step_{{i}}", python_callable=append_marker)
        if previous is not None:
            previous >> task
        previous = task
'''

VICTIM_DAG = '''
import os
import time
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.python import PythonOperator

PIDS = {pids!r}

def report_then_hang(ti=None, **_):
    if ti.try_number == 1:
        with open(PIDS + "." + ti.task_id, "w") as out:
            out.write(f"{{os.getpid()}} {{os.getppid()}}")
        time.sleep(120)
    return ti.try_number

with DAG("victim", schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
    PythonOperator(task_id="with_retry", python_callable=report_then_hang, retries=1,
                   retry_delay=timedelta(seconds=1))
    PythonOperator(task_id="without_retry", python_callable=report_then_hang, retries=0)
'''

RUNS = ("r0", "r1", "r2")
# A silent try is found a few seconds after its last heartbeat, instead of Airflow's default 5 minutes.
FAST_HEARTBEAT_CHECK = {"AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "3",
                        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1"}
TASKS = [f"step_{i}" for i in range(6)]


def _markers(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_scheduler_killed_and_restarted_loses_and_repeats_nothing(new_home, start_scheduler, database_env) -> None:
    home: AirflowHome = new_home(**FAST_HEARTBEAT_CHECK, **database_env)
    markers = home.path / "markers.txt"
    prepare_home(home, {"chain.py": CHAIN_DAG.format(markers=str(markers))})
    first = start_scheduler(home)
    home.cli("dags", "unpause", "chain")
    for run_id in RUNS:
        home.cli("dags", "trigger", "chain", "-r", run_id)
    wait_for("the chains to be part-way", lambda: len(_markers(markers)) >= 4, 60, first.log)
    first.popen.send_signal(signal.SIGKILL)
    first.popen.wait(10)

    second = start_scheduler(home)
    runs = wait_for_runs(home, "chain", len(RUNS), 90, second)
    assert sorted(r["run_id"] for r in runs) == list(RUNS), runs
    assert {r["run_id"]: r["state"] for r in runs} == {run_id: "success" for run_id in RUNS}, runs
    # The tries running when the scheduler died ran to their end in their worker, and those queued
    # were started once by the next scheduler: every task succeeded at its first try, which ran once.
    assert Counter(_markers(markers)) == {f"{run_id} {task_id} 1": 1 for run_id in RUNS for task_id in TASKS}, \
        first.log() + second.log()
    for run_id in RUNS:
        rows = task_rows(home, "chain", run_id)
        assert {t: (rows[t][0]["state"], rows[t][0]["try_number"]) for t in TASKS} == \
            {t: ("success", 1) for t in TASKS}, (run_id, rows)
    assert second.stop() == 0, second.log()
    wait_for("the killed scheduler's processes to end", lambda: not first.session(), 30,
             lambda: f"still running: {first.session()}")


def test_killed_worker_is_found_by_the_heartbeat_check(new_home, start_scheduler) -> None:
    home: AirflowHome = new_home(**FAST_HEARTBEAT_CHECK)
    pids = home.path / "pids"
    prepare_home(home, {"victim.py": VICTIM_DAG.format(pids=str(pids))})
    scheduler = start_scheduler(home)
    home.cli("dags", "unpause", "victim")
    home.cli("dags", "trigger", "victim", "-r", "r1")
    children, workers = [], set()
    for task_id in ("with_retry", "without_retry"):  # both run at once, in one worker or two
        marker = Path(f"{pids}.{task_id}")
        wait_for(f"{task_id} to start", marker.exists, 60, scheduler.log)
        child, fork_server = (int(p) for p in wait_for(f"{task_id}'s pids", lambda: marker.read_text().split(), 10))
        worker = parent_pid(fork_server)  # a worker's fork server forks its task processes
        assert worker in scheduler.tree() and worker != scheduler.pid, "the try's grandparent is not a worker"
        children.append(child)
        workers.add(worker)
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    wait_for("the tries to end with their worker", lambda: not alive(children), 30)
    runs = wait_for_runs(home, "victim", 1, 60, scheduler)
    assert runs[0]["state"] == "failed", runs
    rows = task_rows(home, "victim", "r1")
    assert (rows["with_retry"][0]["state"], rows["with_retry"][0]["try_number"]) == ("success", 2), rows
    assert (rows["without_retry"][0]["state"], rows["without_retry"][0]["try_number"]) == ("failed", 1), rows
    assert scheduler.stop() == 0, scheduler.log()
    assert len(runs_of(home, "victim")) == 1
