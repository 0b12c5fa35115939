"""The DAG processor's DAG callbacks: each request runs in a forked child, once, and is then deleted."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.dagfiles.dag_callbacks import DagCallbackRunner
from tradewind.store import callback_requests, dag_runs
from tradewind.store.database import Database
from tradewind.store.migrate import upgrade
from tradewind.store.schema import callback_request

T0 = datetime(2026, 3, 4, 5, 6, tzinfo=timezone.utc)

DAG_FILE = '''
import json, os, time
from datetime import datetime
from airflow import DAG
from airflow.operators.empty import EmptyOperator

def note(context):
    ti = context["ti"]
    line = {{"reason": context["reason"], "run_id": context["run_id"], "ds": context["ds"],
             "ti": [ti.task_id, ti.state], "conf": context["dag_run"].conf}}
    print("noting", context["run_id"])
    with open({markers!r}, "a") as out:
        out.write(json.dumps(line) + "\\n")

def hang(context):
    time.sleep(60)

with DAG("noted", schedule=None, start_date=datetime(2026, 1, 1), on_failure_callback=note):
    EmptyOperator(task_id="t2") >> EmptyOperator(task_id="t10")

with DAG("hangs", schedule=None, start_date=datetime(2026, 1, 1), on_failure_callback=hang):
    EmptyOperator(task_id="a")
'''


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(core__dag_file_processor_timeout="2")


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database.from_settings(settings)
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def dag_file(dags_folder: Path, home: Path) -> Path:
    path = dags_folder / "cb.py"
    path.write_text(DAG_FILE.format(markers=str(home / "markers.jsonl")))
    return path


def _markers(home: Path) -> list[dict]:
    path = home / "markers.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _request(db: Database, dag_file: Path, dag_id: str = "noted", run_id: str = "r1") -> int:
    with db.write() as conn:
        if dag_runs.get(conn, dag_id, run_id) is None:
            dag_runs.create_run(conn, dag_id=dag_id, run_id=run_id, run_type="manual", run_after=T0, state="failed",
                                logical_date=T0, conf={"k": "v"}, now=T0, task_instances=[
                                    {"task_id": t, "state": "failed"} for t in ("t2", "t10", "a")])
        return callback_requests.add(conn, dag_id=dag_id, run_id=run_id, fileloc=str(dag_file),
                                     is_failure_callback=True, reason="task_failure", now=T0)


def _pending(db: Database) -> list[dict]:
    with db.read() as conn:
        return callback_requests.list_requests(conn)


def test_a_request_runs_its_callback_once_with_the_last_task_instance(settings, db, dag_file, home) -> None:
    _request(db, dag_file)
    runner = DagCallbackRunner(settings, db, Clock())
    runner.poll()
    assert runner.join(30)
    runner.poll()  # the request is gone: nothing runs twice
    assert runner.join(30)
    assert _markers(home) == [{"reason": "task_failure", "run_id": "r1", "ds": "2026-03-04", "ti": ["t10", "failed"],
                               "conf": {"k": "v"}}]
    assert _pending(db) == []
    logs = list((home / "logs" / "scheduler").glob("*/cb.py.log"))
    assert len(logs) == 1 and "noting r1" in logs[0].read_text()


def test_a_request_for_a_dag_the_file_no_longer_has_is_dropped(settings, db, dag_file, home, caplog) -> None:
    _request(db, dag_file, dag_id="gone")
    runner = DagCallbackRunner(settings, db, Clock())
    with caplog.at_level(logging.WARNING, logger="tradewind.dag_processor"):
        runner.poll()
        assert runner.join(30)
    assert f"{dag_file} no longer defines DAG 'gone'" in caplog.text
    assert _pending(db) == [] and _markers(home) == []


def test_a_hanging_callback_is_killed_and_others_still_run(settings, db, dag_file, home, caplog) -> None:
    _request(db, dag_file, dag_id="hangs")
    _request(db, dag_file)
    runner = DagCallbackRunner(settings, db, Clock())
    with caplog.at_level(logging.ERROR, logger="tradewind.dag_processor"):
        runner.poll()
        assert runner.join(30)
    assert "dag_file_processor_timeout (2 s)" in caplog.text and "'hangs'" in caplog.text
    assert [m["run_id"] for m in _markers(home)] == ["r1"]
    assert _pending(db) == []


def test_only_a_stale_claim_is_taken_again(settings, db, dag_file, home) -> None:
    _request(db, dag_file)
    now = Clock().now()
    with db.write() as conn:  # claimed by a processor that is still at work
        assert callback_requests.claim_pending(conn, now=now, stale_before=now, limit=1)
    runner = DagCallbackRunner(settings, db, Clock())
    runner.poll()
    assert runner.join(30) and _markers(home) == []
    with db.write() as conn:  # now claimed long ago, by a processor that died
        conn.execute(callback_request.update().values(claimed_at=now - timedelta(minutes=5)))
    runner.poll()
    assert runner.join(30)
    assert [m["run_id"] for m in _markers(home)] == ["r1"]
    assert _pending(db) == []


def test_a_stop_hands_back_what_it_interrupted(settings, db, dag_file, home) -> None:
    _request(db, dag_file, dag_id="hangs")
    runner = DagCallbackRunner(settings, db, Clock())
    runner.poll()
    runner.stop(grace_s=0.1)
    assert [(r["dag_id"], r["claimed_at"]) for r in _pending(db)] == [("hangs", None)]
