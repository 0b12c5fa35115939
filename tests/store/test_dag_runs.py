"""DAG runs: create with task instances, duplicates refused, filters, compare-and-set, scheduling queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradewind.errors import DagRunAlreadyExists
from tradewind.store import dag_runs, dags, task_instances, xcoms
from tradewind.store.database import Database

from .conftest import T0, make_run


def test_create_run_inserts_its_task_instances(db: Database) -> None:
    with db.write() as conn:
        run = dag_runs.create_run(conn, dag_id="d", run_id="manual__1", run_type="manual", run_after=T0,
                                  logical_date=T0, data_interval=(T0, T0 + timedelta(days=1)), conf={"a": 1},
                                  task_instances=[{"task_id": "t1", "max_tries": 2}, {"task_id": "t2", "pool": "p"}],
                                  now=T0)
        tis = task_instances.list_for_run(conn, "d", "manual__1")
    assert (run["state"], run["conf"], run["data_interval_end"], run["queued_at"]) == (
        "queued", {"a": 1}, T0 + timedelta(days=1), T0)
    assert [(t["task_id"], t["state"], t["try_number"], t["max_tries"], t["pool"]) for t in tis] == [
        ("t1", None, 0, 2, "default_pool"), ("t2", None, 0, 0, "p")]


def test_duplicate_run_id_or_logical_date_is_refused_and_the_transaction_survives(db: Database) -> None:
    make_run(db)
    with db.write() as conn:
        with pytest.raises(DagRunAlreadyExists, match="'d'"):
            dag_runs.create_run(conn, dag_id="d", run_id="r1", run_type="manual", run_after=T0)
        with pytest.raises(DagRunAlreadyExists):
            dag_runs.create_run(conn, dag_id="d", run_id="other", run_type="manual", run_after=T0, logical_date=T0)
        dag_runs.create_run(conn, dag_id="d", run_id="r2", run_type="manual", run_after=T0)
    with db.read() as conn:
        assert [r["run_id"] for r in dag_runs.list_runs(conn, "d", newest_first=False)] == ["r1", "r2"]


def test_list_filters_and_set_state_if(db: Database) -> None:
    make_run(db, run_id="r1", state="running")
    make_run(db, run_id="r2", state="queued", logical_date=None)
    with db.write() as conn:
        assert dag_runs.set_state_if(conn, "d", "r1", "running", "success", end_date=T0)
        assert not dag_runs.set_state_if(conn, "d", "r1", ["running", "queued"], "failed")
        assert [r["run_id"] for r in dag_runs.list_runs(conn, "d", state="success")] == ["r1"]
        assert [r["run_id"] for r in dag_runs.list_runs(conn, state=["queued", "success"], limit=1, offset=1)]
        assert dag_runs.get(conn, "d", "r1")["end_date"] == T0
        assert dag_runs.get_by_logical_date(conn, "d", T0)["run_id"] == "r1"
        assert dag_runs.get(conn, "d", "nope") is None


def test_runs_needing_scheduling_skip_paused_dags(db: Database) -> None:
    from .test_dags import doc

    with db.write() as conn:
        dags.upsert_from_serialized(conn, doc("on"), paused_at_creation=False)
        dags.upsert_from_serialized(conn, doc("off"), paused_at_creation=True)
    make_run(db, dag_id="on", run_id="a", state="running")
    make_run(db, dag_id="on", run_id="b", state="queued", logical_date=None)
    make_run(db, dag_id="off", run_id="c", state="running")
    with db.write() as conn:
        dag_runs.update_fields(conn, "on", "a", last_scheduling_decision=T0)
        assert [r["run_id"] for r in dag_runs.runs_needing_scheduling(conn)] == ["a"]
        assert [r["run_id"] for r in dag_runs.queued_runs(conn)] == ["b"]
        assert dag_runs.active_run_counts(conn) == {"on": 1, "off": 1}
        assert dag_runs.latest_runs(conn, ["on"])["on"]["run_id"] in {"a", "b"}


def test_delete_run_removes_its_task_instances_and_xcoms(db: Database) -> None:
    make_run(db)
    with db.write() as conn:
        xcoms.set_xcom(conn, ("d", "r1", "a"), "return_value", 1, now=T0)
        assert dag_runs.delete_run(conn, "d", "r1")
        assert task_instances.list_for_run(conn, "d", "r1") == []
        assert xcoms.list_for_run(conn, "d", "r1") == []
