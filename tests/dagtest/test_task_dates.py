"""`airflow dags test` runs every task, whatever its start_date; a triggered run keeps only the tasks its date falls in."""

from __future__ import annotations

import sqlite3

from tests.conftest import AirflowHome

DAG_FILE = '''
from datetime import datetime
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG("starts_later", schedule=None, start_date=datetime(2026, 1, 1)):
    EmptyOperator(task_id="a") >> EmptyOperator(task_id="b", start_date=datetime(2026, 6, 1))
'''


def _task_states(airflow_home: AirflowHome, run_id: str) -> dict[str, str]:
    with sqlite3.connect(airflow_home.path / "airflow.db") as conn:
        rows = conn.execute("SELECT task_id, state FROM task_instance WHERE dag_id = 'starts_later' AND run_id = ?",
                            (run_id,)).fetchall()
    return dict(rows)


def test_dags_test_runs_tasks_that_start_after_its_logical_date(airflow_home: AirflowHome) -> None:
    """The classic tutorial's `airflow dags test tutorial 2015-06-01` on a DAG that starts days ago."""
    (airflow_home.dags / "starts_later.py").write_text(DAG_FILE)
    airflow_home.cli("db", "init")
    airflow_home.cli("dags", "test", "starts_later", "2015-06-01")
    assert _task_states(airflow_home, "manual__2015-06-01T00:00:00+00:00") == {"a": "success", "b": "success"}


def test_a_triggered_run_has_no_instance_of_a_task_that_starts_after_its_logical_date(
        airflow_home: AirflowHome) -> None:
    (airflow_home.dags / "starts_later.py").write_text(DAG_FILE)
    airflow_home.cli("db", "init")
    airflow_home.cli("dags", "reserialize")
    airflow_home.cli("dags", "trigger", "starts_later", "-l", "2026-03-01")
    assert _task_states(airflow_home, "manual__2026-03-01T00:00:00+00:00") == {"a": None}
