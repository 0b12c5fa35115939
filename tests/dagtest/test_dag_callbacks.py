"""`airflow dags test` runs the DAG's callbacks itself, with the context the DAG processor gives them."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import AirflowHome

DAG_FILE = '''
import json
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def note(name):
    def callback(context):
        ti = context["ti"]
        line = {{"dag_id": context["dag"].dag_id, "callback": name, "reason": context["reason"],
                 "run_id": context["run_id"], "ds": context["ds"], "ti": [ti.task_id, ti.state]}}
        with open({markers!r}, "a") as out:
            out.write(json.dumps(line) + "\\n")
    return callback

def fail():
    raise ValueError("the task fails")

with DAG("tested_ok", schedule=None, start_date=datetime(2026, 1, 1),
         on_success_callback=[note("success_1"), note("success_2")], on_failure_callback=note("failure")):
    PythonOperator(task_id="a", python_callable=lambda: 1) >> PythonOperator(task_id="b", python_callable=lambda: 2)

with DAG("tested_failing", schedule=None, start_date=datetime(2026, 1, 1),
         on_success_callback=note("success"), on_failure_callback=note("failure")):
    PythonOperator(task_id="fails", python_callable=fail)
'''


def test_dags_test_calls_the_callbacks_with_the_run_context(airflow_home: AirflowHome) -> None:
    markers = airflow_home.path / "markers.jsonl"
    (airflow_home.dags / "tested.py").write_text(DAG_FILE.format(markers=str(markers)))
    airflow_home.cli("db", "init")
    airflow_home.cli("dags", "test", "tested_ok", "2026-01-02")
    assert airflow_home.cli("dags", "test", "tested_failing", "2026-01-02", check=False).returncode == 1
    lines = [json.loads(line) for line in markers.read_text().splitlines()]
    run_id = "manual__2026-01-02T00:00:00+00:00"
    assert lines == [
        {"dag_id": "tested_ok", "callback": "success_1", "reason": "success", "run_id": run_id, "ds": "2026-01-02",
         "ti": ["b", "success"]},
        {"dag_id": "tested_ok", "callback": "success_2", "reason": "success", "run_id": run_id, "ds": "2026-01-02",
         "ti": ["b", "success"]},
        {"dag_id": "tested_failing", "callback": "failure", "reason": "task_failure", "run_id": run_id,
         "ds": "2026-01-02", "ti": ["fails", "failed"]},
    ]
    # The callbacks ran here: nothing is left for a DAG processor to run a second time.
    with sqlite3.connect(airflow_home.path / "airflow.db") as conn:
        assert conn.execute("SELECT count(*) FROM callback_request").fetchone() == (0,)
