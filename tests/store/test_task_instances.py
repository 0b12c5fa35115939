"""Task instances: compare-and-set under a real race, try history, clear and mark, concurrency counts."""

from __future__ import annotations

import threading

from tradewind.store import dag_runs, serialized_dags, task_instances, task_reschedules, xcoms
from tradewind.store.database import Database
from tradewind.store.keys import TaskInstanceKey

from .conftest import T0, make_run

A = TaskInstanceKey("d", "r1", "a")


def test_compare_and_set_wins_once_and_loses_once_between_two_racing_connections(db: Database) -> None:
    make_run(db)
    with db.write() as conn:
        assert task_instances.set_state_if(conn, A, expected_states=[None], new_state="queued", try_number=0)
    other = Database(db.url)
    first_updated, second_started = threading.Event(), threading.Event()
    results: dict[str, bool] = {}

    def second() -> None:
        first_updated.wait(30)
        second_started.set()
        with other.write() as conn:
            results["second"] = task_instances.set_state_if(conn, A, expected_states=["queued"], new_state="running")

    thread = threading.Thread(target=second)
    thread.start()
    with db.write() as conn:
        results["first"] = task_instances.set_state_if(conn, A, expected_states=["queued"], new_state="running")
        first_updated.set()
        second_started.wait(30)
    thread.join(60)
    other.dispose()
    assert results == {"first": True, "second": False}
    with db.read() as conn:
        assert task_instances.get(conn, A)["state"] == "running"


def test_compare_and_set_checks_the_try_number(db: Database) -> None:
    make_run(db)
    with db.write() as conn:
        task_instances.set_state_if(conn, A, expected_states=[None], new_state="queued")
        task_instances.update_fields(conn, A, try_number=2)
        assert not task_instances.set_state_if(conn, A, expected_states=["queued"], new_state="running", try_number=1)
        assert task_instances.set_state_if(conn, A, expected_states=["queued"], new_state="running", try_number=2,
                                           hostname="h1", pid=42)
    with db.read() as conn:
        row = task_instances.get(conn, A)
    assert (row["state"], row["try_number"], row["hostname"], row["pid"]) == ("running", 2, "h1", 42)


def test_a_try_is_recorded_in_the_history_once(db: Database) -> None:
    make_run(db)
    with db.write() as conn:
        task_instances.update_fields(conn, A, try_number=1, state="failed")
        assert task_instances.record_try_history(conn, A)
        assert task_instances.record_try_history(conn, A)
        task_instances.update_fields(conn, A, try_number=2, state="success")
        task_instances.record_try_history(conn, A)
    with db.read() as conn:
        history = task_instances.try_history(conn, A)
    assert [(h["try_number"], h["state"]) for h in history] == [(1, "failed"), (2, "success")]


def test_a_task_that_never_ran_has_no_history(db: Database) -> None:
    make_run(db)
    with db.write() as conn:
        assert not task_instances.record_try_history(conn, A)


def test_clear_resets_state_raises_max_tries_deletes_xcoms_and_requeues_the_run(db: Database) -> None:
    data = {"format": 1, "dag_id": "d", "fileloc": "/f.py",
            "tasks": [{"task_id": "a", "retries": 2, "upstream": [], "downstream": []}]}
    with db.write() as conn:
        serialized_dags.write_if_changed(conn, "d", data, "/f.py", now=T0)
    make_run(db, task_ids=("a", "b"), retries=2, state="failed")
    with db.write() as conn:
        task_instances.update_fields(conn, A, try_number=3, state="failed", end_date=T0)
        xcoms.set_xcom(conn, A, "return_value", 1, now=T0)
        task_reschedules.add(conn, A, try_number=3, start_date=T0, end_date=T0, reschedule_date=T0)
        dag_runs.set_state_if(conn, "d", "r1", "running", "failed", end_date=T0)
        cleared = task_instances.clear_task_instances(conn, "d", "r1", ["a"], now=T0)
    assert cleared == [A]
    with db.read() as conn:
        row = task_instances.get(conn, A)
        run = dag_runs.get(conn, "d", "r1")
        assert xcoms.get(conn, A) is None
        assert task_reschedules.count_for_ti(conn, A) == 0
        assert [h["try_number"] for h in task_instances.try_history(conn, A)] == [3]
        assert task_instances.get(conn, ("d", "r1", "b"))["state"] is None
    assert (row["state"], row["try_number"], row["max_tries"], row["end_date"]) == (None, 3, 5, None)
    assert (run["state"], run["clear_number"], run["end_date"]) == ("queued", 1, None)


def test_clear_without_a_serialized_dag_keeps_retries_available(db: Database) -> None:
    make_run(db, retries=1)
    with db.write() as conn:
        task_instances.update_fields(conn, A, try_number=2, state="failed")
        task_instances.clear_task_instances(conn, "d", "r1", ["a"], now=T0)
        row = task_instances.get(conn, A)
    assert row["max_tries"] >= row["try_number"]


def test_clear_of_a_mapped_task_can_pick_map_indexes(db: Database) -> None:
    make_run(db, task_ids=("m",), map_counts={"m": 3})
    with db.write() as conn:
        task_instances.set_tasks_state_if(conn, "d", "r1", ["m"], expected_states=[None], new_state="success")
        cleared = task_instances.clear_task_instances(conn, "d", "r1", ["m"], map_indexes=[1], now=T0)
        states = [(r["map_index"], r["state"]) for r in task_instances.list_for_run(conn, "d", "r1")]
    assert cleared == [TaskInstanceKey("d", "r1", "m", 1)]
    assert states == [(0, "success"), (1, None), (2, "success")]


def test_mark_state_sets_only_what_differs(db: Database) -> None:
    make_run(db, task_ids=("a", "b", "c"))
    with db.write() as conn:
        task_instances.update_fields(conn, ("d", "r1", "b"), state="success")
        task_instances.update_fields(conn, ("d", "r1", "c"), state="failed")
        changed = task_instances.mark_state(conn, "d", "r1", ["a", "b"], "success", now=T0)
        assert changed == [A]
        assert task_instances.get(conn, A)["end_date"] == T0
        changed = task_instances.mark_state(conn, "d", "r1", None, "failed", only_unfinished=True, now=T0)
    assert changed == []


def test_bulk_skip_changes_only_instances_still_waiting(db: Database) -> None:
    make_run(db, task_ids=("a", "b", "c"))
    with db.write() as conn:
        task_instances.update_fields(conn, ("d", "r1", "c"), state="running")
        n = task_instances.set_tasks_state_if(conn, "d", "r1", ["b", "c"], expected_states=[None, "scheduled"],
                                              new_state="skipped")
        changed = task_instances.set_states_if(conn, [A, ("d", "r1", "b")], expected_states=[None], new_state="queued")
    assert n == 1
    assert changed == [A]


def test_heartbeat_only_for_the_running_try_and_stale_detection(db: Database) -> None:
    from datetime import timedelta

    make_run(db)
    with db.write() as conn:
        task_instances.update_fields(conn, A, state="running", try_number=1, start_date=T0)
        assert not task_instances.heartbeat(conn, A, try_number=2, now=T0)
        assert task_instances.heartbeat(conn, A, try_number=1, now=T0 + timedelta(seconds=10))
        stale = task_instances.stale_running(conn, heartbeat_before=T0 + timedelta(seconds=20))
        fresh = task_instances.stale_running(conn, heartbeat_before=T0 + timedelta(seconds=5))
    assert [(r["task_id"], r["try_number"]) for r in stale] == [("a", 1)]
    assert fresh == []


def test_running_counts_per_pool_dag_and_task(db: Database) -> None:
    make_run(db, task_ids=("a", "b", "c"), pool="p")
    make_run(db, run_id="r2", task_ids=("a",), logical_date=None)
    with db.write() as conn:
        task_instances.update_fields(conn, A, state="running", pool_slots=3)
        task_instances.update_fields(conn, ("d", "r1", "b"), state="queued")
        task_instances.update_fields(conn, ("d", "r1", "c"), state="deferred")
        task_instances.update_fields(conn, ("d", "r2", "a"), state="queued")
    with db.read() as conn:
        assert task_instances.running_counts_per_pool(conn) == {"p": 4, "default_pool": 1}
        assert task_instances.running_counts_per_dag(conn) == {"d": 3}
        assert task_instances.running_counts_per_task(conn) == {("d", "a"): 2, ("d", "b"): 1}
        assert task_instances.running_counts_per_dagrun_task(conn)[("d", "r1", "a")] == 1
