"""Every corpus DAG through `airflow dags test`, checked against Airflow's own outcomes in expected.json.

The outcome is read back the way a user would: `dags list-runs` and `tasks states-for-dag-run`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import AirflowHome, make_home
from tests.corpus.locate import corpus_dir, expected

LOGICAL_DATE = "2026-01-02"
EXPECTED = expected()["good"]


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> AirflowHome:
    home = make_home(tmp_path_factory.mktemp("corpus") / "airflow")
    for path in (corpus_dir() / "good").glob("*.py"):
        shutil.copy(path, home.dags / path.name)
    home.cli("db", "init")
    return home


def _run_for(home: AirflowHome, dag_id: str, logical_date: str, output: str = "") -> dict:
    runs = home.cli_json("dags", "list-runs", dag_id)
    matching = [r for r in runs if r["logical_date"] and r["logical_date"].startswith(logical_date)]
    assert len(matching) == 1, f"expected one run of {dag_id} at {logical_date}, found {runs}\n{output[-3000:]}"
    return matching[0]


def _task_states(home: AirflowHome, dag_id: str, run_id: str) -> dict[str, list[dict]]:
    rows = home.cli_json("tasks", "states-for-dag-run", dag_id, run_id)
    by_task: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda r: (r["task_id"], r["map_index"])):
        by_task.setdefault(row["task_id"], []).append(row)
    return by_task


def _xcom(home: AirflowHome, dag_id: str, run_id: str, task_id: str):
    from tradewind.config.settings import load_settings
    from tradewind.store.database import Database
    from tradewind.store.scheduling import xcom_value

    db = Database.from_settings(load_settings(home.env))
    try:
        with db.read() as conn:
            return xcom_value(conn, dag_id, run_id, task_id, "return_value")
    finally:
        db.dispose()


def check_outcome(home: AirflowHome, dag_id: str, want: dict, run: dict) -> None:
    """Compare one finished run with its expected.json entry: run state, task states, tries, XComs."""
    assert run["state"] == want["run"], f"{dag_id}: run state {run['state']}, Airflow gives {want['run']}"
    states = _task_states(home, dag_id, run["run_id"])
    assert set(states) == set(want["tasks"]), f"{dag_id}: tasks {sorted(states)}"
    for task_id, expected_state in want["tasks"].items():
        got = [row["state"] for row in states[task_id]]
        wanted = expected_state if isinstance(expected_state, list) else [expected_state]
        assert got == wanted, f"{dag_id}.{task_id}: states {got}, Airflow gives {wanted}"
    for task_id, tries in want.get("tries", {}).items():
        assert states[task_id][0]["try_number"] == tries, f"{dag_id}.{task_id}: {states[task_id][0]['try_number']} tries"
    for task_id, value in want.get("xcom", {}).items():
        found, got = _xcom(home, dag_id, run["run_id"], task_id)
        assert found and got == value, f"{dag_id}.{task_id}: XCom {got!r}, Airflow gives {value!r}"


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_dags_test_gives_airflows_outcome(corpus_home: AirflowHome, dag_id: str) -> None:
    want = EXPECTED[dag_id]
    result = corpus_home.cli("dags", "test", dag_id, LOGICAL_DATE, check=False, timeout=240)
    # Exit 0 for a successful run, 1 for a failed one; anything printed as "error:" is not a run outcome.
    assert result.returncode == (0 if want["run"] == "success" else 1), result.stdout[-2000:] + result.stderr[-3000:]
    assert "error:" not in result.stderr, result.stderr[-3000:]
    check_outcome(corpus_home, dag_id, want, _run_for(corpus_home, dag_id, LOGICAL_DATE, result.stderr))


def test_conf_runs_of_params_conf(corpus_home: AirflowHome) -> None:
    conf_runs = EXPECTED["params_conf"]["conf_runs"]
    for day, conf_run in enumerate(conf_runs, start=10):
        logical_date = f"2026-01-{day}"
        import json

        result = corpus_home.cli("dags", "test", "params_conf", logical_date, "-c", json.dumps(conf_run["conf"]),
                                 check=False)
        if "error" in conf_run:
            assert result.returncode != 0
            reason = conf_run["error"].split(": ", 1)[1]
            assert reason in result.stderr, result.stderr
            runs = corpus_home.cli_json("dags", "list-runs", "params_conf")
            assert not [r for r in runs if (r["logical_date"] or "").startswith(logical_date)], "a refused conf made a run"
        else:
            assert result.returncode == 0, result.stdout + result.stderr
            run = _run_for(corpus_home, "params_conf", logical_date)
            for task_id, value in conf_run["xcom"].items():
                assert _xcom(corpus_home, "params_conf", run["run_id"], task_id) == (True, value)
