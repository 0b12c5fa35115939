"""The scheduler as a long-running process: DAG files added while it runs, and a graceful stop on SIGTERM."""

from __future__ import annotations

import signal

from tests.scheduler_process.scheduler_proc import (alive, prepare_home, task_rows, wait_for, wait_for_runs,
                                                    write_dag)

LATE_DAG = '''
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

with DAG("late_arrival", schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
    PythonOperator(task_id="hello", python_callable=lambda: "hello")
'''

SLOW_DAG = '''
import time
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

STARTED = {started!r}

def slow():
    open(STARTED, "w").close()
    time.sleep(2)
    return "finished"

with DAG("slow", schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
    PythonOperator(task_id="slow_task", python_callable=slow)
'''


def test_dag_file_added_while_running_becomes_runnable(new_home, start_scheduler) -> None:
    home = new_home()
    prepare_home(home)
    scheduler = start_scheduler(home)
    wait_for("the scheduler to start", lambda: "scheduler started" in scheduler.log(), 60, scheduler.log)
    write_dag(home, "late_arrival.py", LATE_DAG)
    # `dags unpause` reads the DAG's row, which only the scheduler's DAG processor can have written.
    wait_for("late_arrival to be known", lambda: home.cli("dags", "unpause", "late_arrival", check=False).returncode == 0,
             30, scheduler.log)
    home.cli("dags", "trigger", "late_arrival", "-r", "r1")
    runs = wait_for_runs(home, "late_arrival", 1, 60, scheduler)
    assert runs[0]["state"] == "success", runs
    assert task_rows(home, "late_arrival", "r1")["hello"][0]["state"] == "success"
    assert scheduler.stop() == 0, scheduler.log()


def test_sigterm_stops_everything_with_exit_code_0(new_home, start_scheduler) -> None:
    home = new_home()
    started = home.path / "started"
    prepare_home(home, {"slow.py": SLOW_DAG.format(started=str(started))})
    scheduler = start_scheduler(home)
    home.cli("dags", "unpause", "slow")
    home.cli("dags", "trigger", "slow", "-r", "r1")
    wait_for("slow_task to start", started.exists, 60, scheduler.log)
    processes = scheduler.tree()
    assert len(processes) >= 3, "expected the scheduler, its DAG processor and executor workers"
    scheduler.popen.send_signal(signal.SIGTERM)
    assert scheduler.popen.wait(60) == 0, scheduler.log()
    assert alive(processes) == [] and scheduler.session() == [], f"left behind: {scheduler.session()}"
    # A graceful stop lets the running try finish rather than abandoning it in `running`.
    row = task_rows(home, "slow", "r1")["slow_task"][0]
    assert row["state"] == "success", row


def test_sigint_stops_an_idle_scheduler_with_exit_code_0(new_home, start_scheduler) -> None:
    home = new_home()
    prepare_home(home)
    scheduler = start_scheduler(home)
    wait_for("the scheduler to start", lambda: "scheduler started" in scheduler.log(), 60, scheduler.log)
    scheduler.popen.send_signal(signal.SIGINT)
    assert scheduler.popen.wait(60) == 0, scheduler.log()
    assert scheduler.session() == [], f"left behind: {scheduler.session()}"
