"""`airflow dags test` and depends_on_past: which run is "the previous one", and a clear stop when it failed."""

from __future__ import annotations

from tests.conftest import AirflowHome

DAG_FILE = '''
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def load(ds=None, **_):
    if ds == "2026-02-26":
        raise ValueError("bad input")

with DAG("seq", schedule="@daily", start_date=datetime(2026, 2, 25), catchup={catchup}):
    PythonOperator(task_id="load", python_callable=load, depends_on_past=True)
'''


def test_with_catchup_a_manual_run_is_not_the_previous_run(airflow_home: AirflowHome) -> None:
    """Airflow looks back only at runs that were not manual when the DAG catches up."""
    (airflow_home.dags / "seq.py").write_text(DAG_FILE.format(catchup=True))
    airflow_home.cli("db", "init")
    assert airflow_home.cli("dags", "test", "seq", "2026-02-26", check=False).returncode == 1
    airflow_home.cli("dags", "test", "seq", "2026-02-27")  # the failed 02-26 test run does not hold it


def test_without_catchup_a_failed_previous_run_stops_the_test_with_the_reason(airflow_home: AirflowHome) -> None:
    (airflow_home.dags / "seq.py").write_text(DAG_FILE.format(catchup=False))
    airflow_home.cli("db", "init")
    assert airflow_home.cli("dags", "test", "seq", "2026-02-26", check=False).returncode == 1
    held = airflow_home.cli("dags", "test", "seq", "2026-02-27", check=False, timeout=60)
    assert held.returncode == 1
    assert "task(s) load depend on their previous run (depends_on_past), where they did not succeed" in held.stderr
