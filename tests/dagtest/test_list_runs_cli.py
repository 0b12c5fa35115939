"""`airflow dags list-runs`, in Airflow 3's spelling (`list-runs DAG_ID`) and Airflow 2's (`list-runs -d DAG_ID`)."""

from __future__ import annotations

from tests.conftest import AirflowHome

DAG_FILE = '''
from datetime import datetime
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG("listed", schedule=None, start_date=datetime(2026, 1, 1)):
    EmptyOperator(task_id="a")
'''


def test_list_runs_takes_the_dag_id_either_way_and_names_a_missing_one(airflow_home: AirflowHome) -> None:
    (airflow_home.dags / "listed.py").write_text(DAG_FILE)
    airflow_home.cli("db", "init")
    airflow_home.cli("dags", "test", "listed", "2026-01-02")
    positional = airflow_home.cli_json("dags", "list-runs", "listed")
    assert [(r["run_id"], r["state"]) for r in positional] == [("manual__2026-01-02T00:00:00+00:00", "success")]
    assert airflow_home.cli_json("dags", "list-runs", "-d", "listed") == positional

    unknown = airflow_home.cli("dags", "list-runs", "-d", "nonexistent", check=False)
    assert unknown.returncode == 1 and "DAG 'nonexistent' not found" in unknown.stderr
    missing = airflow_home.cli("dags", "list-runs", check=False)
    assert missing.returncode == 1 and "give the DAG id" in missing.stderr
    both = airflow_home.cli("dags", "list-runs", "listed", "-d", "other", check=False)
    assert both.returncode == 1 and "two DAG ids given" in both.stderr
