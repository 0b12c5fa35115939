"""Limits under a real scheduler: execution_timeout, a reschedule-mode sensor freeing its slot, max_active_runs."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from tests.conftest import AirflowHome
from tests.scheduler_process.scheduler_proc import (SchedulerProcess, prepare_home, task_rows, wait_for,
                                                    wait_for_runs)

TIMEOUTS_DAG = '''
import time
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.python import PythonOperator

def sleep_past_timeout():
    time.sleep(120)

with DAG("timeouts", schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
    PythonOperator(task_id="no_retries", python_callable=sleep_past_timeout, execution_timeout=timedelta(seconds=1))
    PythonOperator(task_id="one_retry", python_callable=sleep_past_timeout, execution_timeout=timedelta(seconds=1),
                   retries=1, retry_delay=timedelta(hours=1))
'''

RESCHEDULE_DAG = '''
import os
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.sensors.python import PythonSensor

MARKER = {marker!r}

def marker_written():
    with open(MARKER + ".pokes", "a") as pokes:
        pokes.write("poke\\n")
    return os.path.exists(MARKER)

def write_marker():
    open(MARKER, "w").close()

with DAG("reschedule", schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
    # The sensor goes first (higher priority); with one slot, `other` runs only if the sensor gives it back.
    PythonSensor(task_id="wait_for_marker", python_callable=marker_written, mode="reschedule", poke_interval=1,
                 timeout=60, priority_weight=10)
    PythonOperator(task_id="other", python_callable=write_marker, priority_weight=1)
'''

ONE_AT_A_TIME_DAG = '''
import time
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

with DAG("one_at_a_time", schedule=None, start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1) as dag:
    PythonOperator(task_id="first", python_callable=lambda: time.sleep(0.3)) >> PythonOperator(
        task_id="second", python_callable=lambda: time.sleep(0.3))
'''


def _at(raw: str) -> datetime:
    return datetime.fromisoformat(raw)


def _started(home: AirflowHome, start_scheduler: Callable[..., SchedulerProcess], files: dict[str, str],
             **env: str) -> SchedulerProcess:
    prepare_home(home, files)
    scheduler = start_scheduler(home, **env)
    for dag_id in ("timeouts", "reschedule", "one_at_a_time"):
        if any(dag_id in source for source in files.values()):
            home.cli("dags", "unpause", dag_id)
    return scheduler


def test_execution_timeout_fails_or_retries_by_the_tasks_retries(new_home, start_scheduler) -> None:
    home = new_home()
    scheduler = _started(home, start_scheduler, {"timeouts.py": TIMEOUTS_DAG})
    home.cli("dags", "trigger", "timeouts", "-r", "r1")

    def settled() -> dict | None:
        rows = task_rows(home, "timeouts", "r1")
        states = {task_id: (r[0]["state"], r[0]["try_number"]) for task_id, r in rows.items()}
        return states if states == {"no_retries": ("failed", 1), "one_retry": ("up_for_retry", 1)} else None

    wait_for("no_retries failed and one_retry up_for_retry", settled, 60, scheduler.log)
    rows = task_rows(home, "timeouts", "r1")
    for task_id in ("no_retries", "one_retry"):
        row = rows[task_id][0]
        assert row["end_date"] is not None and _at(row["end_date"]) > _at(row["start_date"]), row
    assert scheduler.stop() == 0, scheduler.log()


def test_reschedule_sensor_frees_its_slot_between_pokes(new_home, start_scheduler) -> None:
    home = new_home()
    marker = home.path / "marker"
    scheduler = _started(home, start_scheduler, {"reschedule.py": RESCHEDULE_DAG.format(marker=str(marker))},
                         AIRFLOW__CORE__PARALLELISM="1")
    home.cli("dags", "trigger", "reschedule", "-r", "r1")
    runs = wait_for_runs(home, "reschedule", 1, 60, scheduler)
    assert runs[0]["state"] == "success", runs
    rows = task_rows(home, "reschedule", "r1")
    sensor, other = rows["wait_for_marker"][0], rows["other"][0]
    assert sensor["state"] == other["state"] == "success", rows
    assert sensor["try_number"] == 1, "a reschedule must not use up a try"
    pokes = (home.path / "marker.pokes").read_text().splitlines()
    assert len(pokes) >= 2, "the sensor's first poke found the marker: the order this test relies on did not happen"
    # With one slot, `other` ran between two pokes of the sensor: the sensor was not holding it.
    assert _at(sensor["start_date"]) <= _at(other["start_date"]) <= _at(other["end_date"]) <= _at(sensor["end_date"])
    assert scheduler.stop() == 0, scheduler.log()


def test_max_active_runs_holds_back_later_runs(new_home, start_scheduler) -> None:
    home = new_home()
    scheduler = _started(home, start_scheduler, {"one_at_a_time.py": ONE_AT_A_TIME_DAG})
    for n in range(3):
        home.cli("dags", "trigger", "one_at_a_time", "-r", f"r{n}")
    runs = sorted(wait_for_runs(home, "one_at_a_time", 3, 60, scheduler), key=lambda r: r["start_date"])
    assert [r["state"] for r in runs] == ["success"] * 3, runs
    for earlier, later in zip(runs, runs[1:]):
        assert _at(earlier["end_date"]) <= _at(later["start_date"]), f"runs overlap: {earlier} and {later}"
    spans = []
    for run in runs:
        for row in [r[0] for r in task_rows(home, "one_at_a_time", run["run_id"]).values()]:
            spans.append((_at(row["start_date"]), _at(row["end_date"]), run["run_id"]))
    spans.sort()
    for (_, end, run_id), (start, _, next_run_id) in zip(spans, spans[1:]):
        assert run_id == next_run_id or end <= start, f"tasks of {run_id} and {next_run_id} overlap"
    assert scheduler.stop() == 0, scheduler.log()
