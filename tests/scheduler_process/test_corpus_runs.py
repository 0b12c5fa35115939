"""The good corpus under a real `airflow scheduler`, on SQLite and on PostgreSQL: every DAG unpaused and
triggered from the CLI gives Airflow's outcome from expected.json; catch-up makes exactly the listed runs;
params are checked at trigger."""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Iterator

import pytest

from tests.conftest import AirflowHome
from tests.corpus.locate import corpus_dir, expected
from tests.corpus.test_dags_test import _xcom, check_outcome
from tests.scheduler_process.scheduler_proc import (SchedulerProcess, prepare_home, remove_home, runs_of,
                                                    short_home, wait_for_runs)
from tradewind.testing.postgres import postgres_server

EXPECTED = expected()["good"]
RUN_ID = "manual_under_scheduler"
CONF_RUN_ID = "manual_conf_n_7"
# The slowest corpus DAG sleeps 10 s; retries and sensor timeouts add a few seconds more.
RUN_TIMEOUT_S = 90


@dataclass
class CorpusScheduler:
    """The corpus home with its scheduler running and every DAG unpaused and triggered."""

    home: AirflowHome
    scheduler: SchedulerProcess
    refused: object  # the CompletedProcess of the trigger that params validation refused
    runs_before_refusal: int


def _trigger_all(home: AirflowHome) -> None:
    for dag_id in sorted(EXPECTED):
        home.cli("dags", "unpause", dag_id)
        if "scheduled_runs" not in EXPECTED[dag_id]:  # a catch-up DAG gets only its scheduled runs
            home.cli("dags", "trigger", dag_id, "-r", RUN_ID)
    home.cli("dags", "trigger", "params_conf", "-r", CONF_RUN_ID, "-c", json.dumps({"n": 7}))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def corpus(request: pytest.FixtureRequest) -> Iterator[CorpusScheduler]:
    """The corpus under the scheduler on SQLite, and again on PostgreSQL (the production database)."""
    with ExitStack() as stack:
        env = {}
        if request.param == "postgresql":
            server = stack.enter_context(postgres_server())
            env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = server.create_database("corpus")
        home = short_home(**env)
        url = home.cli("config", "get-value", "database", "sql_alchemy_conn").stdout.strip()
        assert url.startswith("sqlite" if request.param == "sqlite" else "postgresql+psycopg://"), url
        yield from _corpus_scheduler(home)


def _corpus_scheduler(home: AirflowHome) -> Iterator[CorpusScheduler]:
    scheduler = None
    try:
        prepare_home(home, copy_from=corpus_dir() / "good")
        scheduler = SchedulerProcess.start(home)
        _trigger_all(home)
        runs_before = len(runs_of(home, "params_conf"))
        refused = home.cli("dags", "trigger", "params_conf", "-c", json.dumps({"n": -1}), check=False)
        yield CorpusScheduler(home, scheduler, refused, runs_before)
        assert scheduler.stop() == 0, scheduler.log()
    finally:
        if scheduler is not None:
            scheduler.kill_tree()
        remove_home(home)


def _finished_runs(corpus: CorpusScheduler, dag_id: str, count: int) -> list[dict]:
    return wait_for_runs(corpus.home, dag_id, count, RUN_TIMEOUT_S, corpus.scheduler)


@pytest.mark.parametrize("dag_id", sorted(d for d in EXPECTED if "scheduled_runs" not in EXPECTED[d]))
def test_every_run_gives_airflows_outcome(corpus: CorpusScheduler, dag_id: str) -> None:
    """The triggered run, and any scheduled run that unpausing a DAG with a schedule made."""
    runs = _finished_runs(corpus, dag_id, 1)
    assert [r["run_id"] for r in runs].count(RUN_ID) == 1, f"{dag_id}: runs {runs}"
    for run in runs:
        if run["run_id"] != CONF_RUN_ID:
            check_outcome(corpus.home, dag_id, EXPECTED[dag_id], run)


@pytest.mark.parametrize("dag_id", sorted(d for d in EXPECTED if "scheduled_runs" in EXPECTED[d]))
def test_catchup_makes_exactly_the_listed_runs(corpus: CorpusScheduler, dag_id: str) -> None:
    want = EXPECTED[dag_id]["scheduled_runs"]
    runs = _finished_runs(corpus, dag_id, want["count"])
    assert len(runs) == want["count"], f"{dag_id}: {len(runs)} runs, Airflow makes {want['count']}: {runs}"
    assert all(r["run_type"] == "scheduled" for r in runs), runs
    assert sorted(r["logical_date"][:10] for r in runs) == want["ds"]
    for run in runs:
        check_outcome(corpus.home, dag_id, EXPECTED[dag_id], run)
        found, ds = _xcom(corpus.home, dag_id, run["run_id"], "check_interval")
        assert found and ds == run["logical_date"][:10], f"{dag_id} {run['run_id']}: ds {ds!r}"


def test_conf_overrides_params_under_the_scheduler(corpus: CorpusScheduler) -> None:
    conf_run = EXPECTED["params_conf"]["conf_runs"][0]
    runs = _finished_runs(corpus, "params_conf", 2)
    run = next(r for r in runs if r["run_id"] == CONF_RUN_ID)
    assert run["state"] == "success", run
    for task_id, value in conf_run["xcom"].items():
        assert _xcom(corpus.home, "params_conf", CONF_RUN_ID, task_id) == (True, value)


def test_invalid_conf_is_refused_at_trigger_and_makes_no_run(corpus: CorpusScheduler) -> None:
    refused = corpus.refused
    reason = EXPECTED["params_conf"]["conf_runs"][1]["error"].split(": ", 1)[1]
    assert refused.returncode != 0, refused.stdout
    assert reason in refused.stderr, refused.stderr
    runs = _finished_runs(corpus, "params_conf", 2)
    assert len(runs) == corpus.runs_before_refusal == 2, runs
    assert {r["run_id"] for r in runs} == {RUN_ID, CONF_RUN_ID}
