"""DAG-level on_success_callback / on_failure_callback under the real scheduler, run by its DAG processor."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from tests.conftest import AirflowHome
from tests.scheduler_process.scheduler_proc import prepare_home, runs_of, wait_for, wait_for_runs

CALLBACK_DAGS = '''
import json
import os
import time
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.python import PythonOperator

MARKERS = {markers!r}


def note(name):
    def callback(context):
        ti = context["ti"]
        line = {{"dag_id": context["dag"].dag_id, "callback": name, "reason": context["reason"],
                 "run_id": context["run_id"], "dag_run_id": context["dag_run"].run_id, "ds": context["ds"],
                 "ti": [ti.task_id, ti.state, ti.try_number], "pid": os.getpid()}}
        print(f"callback {{name}} of {{context['run_id']}} ran")
        with open(MARKERS, "a") as out:
            out.write(json.dumps(line) + "\\n")
    callback.__name__ = name
    return callback


def broken(context):
    raise RuntimeError("the callback is broken")


def fail():
    raise ValueError("the task fails")


start = datetime(2026, 1, 1)
with DAG("cb_success", schedule=None, start_date=start, catchup=False,
         on_success_callback=[note("success_1"), note("success_2")], on_failure_callback=note("failure")):
    PythonOperator(task_id="first", python_callable=lambda: 1) >> PythonOperator(task_id="second", python_callable=lambda: 2)

with DAG("cb_failure", schedule=None, start_date=start, catchup=False,
         on_success_callback=note("success"), on_failure_callback=note("failure")):
    PythonOperator(task_id="fails", python_callable=fail)

with DAG("cb_timeout", schedule=None, start_date=start, catchup=False, dagrun_timeout=timedelta(seconds=1),
         on_failure_callback=note("failure")):
    PythonOperator(task_id="slow", python_callable=lambda: time.sleep(4))

with DAG("cb_broken", schedule=None, start_date=start, catchup=False,
         on_success_callback=[broken, note("after_broken")], on_failure_callback=broken):
    PythonOperator(task_id="ok", python_callable=lambda: 1)

with DAG("cb_exits", schedule=None, start_date=start, catchup=False, on_success_callback=lambda context: os._exit(3)):
    PythonOperator(task_id="ok", python_callable=lambda: 1)

with DAG("no_callbacks", schedule=None, start_date=start, catchup=False):
    PythonOperator(task_id="ok", python_callable=lambda: 1)
'''

DAG_IDS = ("cb_success", "cb_failure", "cb_timeout", "cb_broken", "cb_exits", "no_callbacks")
# The dagrun_timeout is checked on the scheduler's housekeeping pass: make it every second.
FAST_HOUSEKEEPING = {"AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1"}


def _markers(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _lines_for(path: Path, dag_id: str) -> list[dict]:
    return [m for m in _markers(path) if m["dag_id"] == dag_id]


def _pending_requests(home: AirflowHome) -> list[dict]:
    from tradewind.config.settings import load_settings
    from tradewind.store import callback_requests
    from tradewind.store.database import Database

    db = Database.from_settings(load_settings(home.env))
    try:
        with db.read() as conn:
            return callback_requests.list_requests(conn)
    finally:
        db.dispose()


def test_dag_callbacks_run_in_the_dag_processor(new_home, start_scheduler, database_env) -> None:
    home: AirflowHome = new_home(**FAST_HOUSEKEEPING, **database_env)
    markers = home.path / "markers.jsonl"
    prepare_home(home, {"callbacks.py": CALLBACK_DAGS.format(markers=str(markers))})
    scheduler = start_scheduler(home)
    for dag_id in DAG_IDS:
        home.cli("dags", "unpause", dag_id)
    for dag_id in DAG_IDS:
        home.cli("dags", "trigger", dag_id, "-r", "r1")

    def log() -> str:
        return f"markers: {_markers(markers)}\n{scheduler.log()}"

    wait_for("the callbacks of the first runs", lambda: len(_markers(markers)) >= 5, 60, log)
    runs = {dag_id: wait_for_runs(home, dag_id, 1, 30, scheduler)[0]["state"] for dag_id in DAG_IDS}
    assert runs == {"cb_success": "success", "cb_failure": "failed", "cb_timeout": "failed", "cb_broken": "success",
                    "cb_exits": "success", "no_callbacks": "success"}, runs

    # A callback that raised, and one that ended its process, left the processor working: later runs
    # get their callbacks.
    home.cli("dags", "trigger", "cb_success", "-r", "r2")
    wait_for("the callbacks of the later run", lambda: len(_lines_for(markers, "cb_success")) >= 4, 30, log)
    assert [r["state"] for r in runs_of(home, "cb_broken")] == ["success"]
    assert scheduler.stop() == 0, scheduler.log()

    lines = _markers(markers)
    assert Counter((m["dag_id"], m["run_id"], m["callback"], m["reason"]) for m in lines) == {
        ("cb_success", "r1", "success_1", "success"): 1, ("cb_success", "r1", "success_2", "success"): 1,
        ("cb_success", "r2", "success_1", "success"): 1, ("cb_success", "r2", "success_2", "success"): 1,
        ("cb_failure", "r1", "failure", "task_failure"): 1,
        ("cb_timeout", "r1", "failure", "timed_out"): 1,
        ("cb_broken", "r1", "after_broken", "success"): 1,
    }, log()
    failure = _lines_for(markers, "cb_failure")[0]
    assert (failure["dag_run_id"], failure["ti"]) == ("r1", ["fails", "failed", 1]), failure
    logical_date = runs_of(home, "cb_failure")[0]["logical_date"]
    assert failure["ds"] == datetime.fromisoformat(logical_date).strftime("%Y-%m-%d"), (failure, logical_date)
    success = [m for m in _lines_for(markers, "cb_success") if m["run_id"] == "r1"]
    assert {tuple(m["ti"]) for m in success} == {("second", "success", 1)}, success  # the last task instance
    timeout = _lines_for(markers, "cb_timeout")[0]
    assert timeout["ti"][0] == "slow", timeout
    # Callbacks ran in the DAG processor's children, never in the scheduler itself.
    assert scheduler.pid not in {m["pid"] for m in lines}
    assert _pending_requests(home) == []

    # What callbacks print and log, and a broken callback's traceback, go to the file's processor log.
    logs = list((home.path / "logs" / "scheduler").glob("*/callbacks.py.log"))
    assert len(logs) == 1, list((home.path / "logs").rglob("*"))
    text = logs[0].read_text()
    assert "callback success_1 of r1 ran" in text and "callback failure of r1 ran" in text, text
    assert "RuntimeError: the callback is broken" in text and "on_success_callback of DAG 'cb_broken' failed" in text
    assert "cb_exits" in scheduler.log() and "exited with code 3" in scheduler.log(), scheduler.log()
