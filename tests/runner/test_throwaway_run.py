"""`tasks test`: one task run now, ignoring dependencies, printing its log, leaving no state behind."""

from __future__ import annotations

from datetime import datetime, timezone

from tradewind.runner.throwaway_run import run_task_test
from tradewind.store import dag_runs

DAG_SRC = """
def up(): return 1
def show(params, ds):
    print(f"ds={ds} n={params['n']}")
    return params["n"]
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), params={"n": 1}) as dag:
    PythonOperator(task_id="up", python_callable=up) >> PythonOperator(task_id="show", python_callable=show)
"""


def test_runs_one_task_ignoring_upstream_and_deletes_the_run(env, capsys):
    dag = env.load_dag(DAG_SRC)
    when = datetime(2026, 1, 2, tzinfo=timezone.utc)
    outcome = run_task_test(env.db, env.settings, dag, "show", logical_date=when, clock=env.clock, conf={"n": 5})
    assert outcome.state == "success"
    assert "ds=2026-01-02 n=5" in capsys.readouterr().out
    with env.db.read() as conn:
        assert dag_runs.list_runs(conn, "t") == []


def test_the_cli_prints_the_log_and_the_state(env):
    import subprocess
    import sys
    from pathlib import Path

    env.load_dag(DAG_SRC)
    airflow = Path(sys.executable).with_name("airflow")
    result = subprocess.run([str(airflow), "tasks", "test", "t", "show", "2026-01-02", "-t", '{"n": 3}'],
                            capture_output=True, text=True, env={"AIRFLOW_HOME": str(env.home), "PATH": "/usr/bin:/bin"},
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ds=2026-01-02 n=3" in result.stdout and "success" in result.stdout
