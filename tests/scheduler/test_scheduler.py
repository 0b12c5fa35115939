"""The scheduling loop with a manual clock: retries and delays, limits, pools, priorities, clear."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.scheduler.harness import START, make_harness

RETRY_DAG = """
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.python import PythonOperator

def flaky(ti=None, **_):
    if ti.try_number < 3:
        raise RuntimeError("not yet")
    return ti.try_number

with DAG("retry_dag", schedule=None, start_date=datetime(2026, 1, 1)) as dag:
    PythonOperator(task_id="flaky", python_callable=flaky, retries=2, retry_delay=timedelta(seconds=60))
"""


def test_retry_waits_its_delay_then_runs_again(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"retry_dag.py": RETRY_DAG})
    h.unpause("retry_dag")
    run_id = h.trigger("retry_dag")
    h.tick_until_idle()
    ti = h.states("retry_dag", run_id)["flaky"][0]
    assert (ti.state, ti.try_number) == ("up_for_retry", 1)
    assert ti.next_try_at == ti.end_date + timedelta(seconds=60)
    h.clock.advance(59)
    h.tick_until_idle()
    assert h.states("retry_dag", run_id)["flaky"][0].state == "up_for_retry"  # not due yet
    h.clock.advance(1)
    h.tick_until_idle()
    ti = h.states("retry_dag", run_id)["flaky"][0]
    assert (ti.state, ti.try_number) == ("up_for_retry", 2)
    h.clock.advance(60)
    h.tick_until_idle()
    ti = h.states("retry_dag", run_id)["flaky"][0]
    assert (ti.state, ti.try_number) == ("success", 3)
    assert h.run_state("retry_dag", run_id) == "success"


def test_a_zero_retry_delay_retries_at_once(tmp_path: Path) -> None:
    source = RETRY_DAG.replace("retry_delay=timedelta(seconds=60)", "retry_delay=timedelta(0)")
    h = make_harness(tmp_path, {"retry_dag.py": source})
    h.unpause("retry_dag")
    run_id = h.trigger("retry_dag")
    h.tick_until_idle()  # the clock does not move: every retry is due at once
    ti = h.states("retry_dag", run_id)["flaky"][0]
    assert (ti.state, ti.try_number) == ("success", 3)


POOL_DAG = """
import os
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def record(task_id, path):
    with open(path, "a") as f:
        f.write(task_id + "\\n")

with DAG("pool_dag", schedule=None, start_date=datetime(2026, 1, 1)) as dag:
    for name, weight in [("low", 1), ("high", 10), ("mid", 5)]:
        PythonOperator(task_id=name, python_callable=record, op_args=[name, os.environ["ORDER_FILE"]],
                       pool="single", priority_weight=weight, weight_rule="absolute")
"""


def test_pool_of_one_slot_runs_tasks_one_at_a_time_by_priority(tmp_path: Path, monkeypatch) -> None:
    order = tmp_path / "order.txt"
    monkeypatch.setenv("ORDER_FILE", str(order))
    h = make_harness(tmp_path, {"pool_dag.py": POOL_DAG})
    from tradewind.store import pools

    with h.db.write() as conn:
        pools.set_pool(conn, "single", 1, "one at a time")
    h.unpause("pool_dag")
    run_id = h.trigger("pool_dag")
    report = h.scheduler.tick()
    assert len(report.queued) == 1  # one slot: only one of the three is queued
    h.tick_until_idle()
    assert order.read_text().split() == ["high", "mid", "low"]
    assert h.run_state("pool_dag", run_id) == "success"


def test_a_missing_pool_keeps_the_task_waiting(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ORDER_FILE", str(tmp_path / "order.txt"))
    h = make_harness(tmp_path, {"pool_dag.py": POOL_DAG})
    h.unpause("pool_dag")
    run_id = h.trigger("pool_dag")
    h.tick_until_idle()
    assert {ti[0].state for ti in h.states("pool_dag", run_id).values()} == {"scheduled"}
    assert h.run_state("pool_dag", run_id) == "running"


CATCHUP_DAG = """
from datetime import datetime
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG("daily", schedule="@daily", start_date=datetime(2026, 2, 20), catchup=True, max_active_runs=2) as dag:
    EmptyOperator(task_id="noop")
"""


def test_max_active_runs_limits_catch_up(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"daily.py": CATCHUP_DAG})
    h.unpause("daily")
    report = h.scheduler.tick()
    assert len(report.created_runs) == 2 and len(report.started_runs) == 2
    h.tick_until_idle()
    from tradewind.store import dag_runs

    with h.db.read() as conn:
        runs = dag_runs.list_runs(conn, "daily")
    # 2026-02-20 .. 2026-02-28 are complete intervals by START (2026-03-01 12:00): nine runs in all.
    assert sorted(r["logical_date"].date().isoformat() for r in runs) == [f"2026-02-{d}" for d in range(20, 29)]
    assert {r["state"] for r in runs} == {"success"}


def test_paused_dag_gets_no_runs(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"daily.py": CATCHUP_DAG})
    report = h.scheduler.tick()
    assert report.created_runs == []


CLEAR_DAG = """
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

with DAG("clear_dag", schedule=None, start_date=datetime(2026, 1, 1)) as dag:
    a = PythonOperator(task_id="a", python_callable=lambda: 1)
    b = PythonOperator(task_id="b", python_callable=lambda: 2)
    c = PythonOperator(task_id="c", python_callable=lambda: 3)
    a >> b >> c
"""


def test_clearing_a_finished_task_reruns_it_and_its_downstream(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"clear_dag.py": CLEAR_DAG})
    h.unpause("clear_dag")
    run_id = h.trigger("clear_dag")
    h.tick_until_idle()
    assert h.run_state("clear_dag", run_id) == "success"
    from tradewind.store.task_instance_clear import clear_task_instances

    with h.db.write() as conn:
        clear_task_instances(conn, "clear_dag", run_id, ["b", "c"], now=h.clock.now())
    h.scheduler.request_full_scan()
    assert h.run_state("clear_dag", run_id) == "queued"
    h.tick_until_idle()
    states = h.states("clear_dag", run_id)
    assert [(t, states[t][0].state, states[t][0].try_number) for t in "abc"] == [
        ("a", "success", 1), ("b", "success", 2), ("c", "success", 2)]
    assert h.run_state("clear_dag", run_id) == "success"


def test_run_after_is_the_end_of_the_interval(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"daily.py": CATCHUP_DAG.replace("catchup=True", "catchup=False")})
    h.unpause("daily")
    report = h.scheduler.tick()
    assert len(report.created_runs) == 1
    # catchup=False: only the latest complete interval, [Feb 28, Mar 1).
    assert report.created_runs[0][1] == "scheduled__2026-02-28T00:00:00+00:00"
    h.tick_until_idle()
    assert report.next_wake_at is None or report.next_wake_at > START
    h.clock.advance(timedelta(hours=12))  # 2026-03-02 00:00: the next interval ends
    report = h.scheduler.tick()
    assert [r[1] for r in report.created_runs] == ["scheduled__2026-03-01T00:00:00+00:00"]


def test_next_run_is_recorded_for_the_dag_list_paused_or_not(tmp_path: Path) -> None:
    from tradewind.store import dags

    h = make_harness(tmp_path, {"daily.py": CATCHUP_DAG.replace("catchup=True", "catchup=False")})
    h.scheduler.tick()
    with h.db.read() as conn:
        paused = dags.get(conn, "daily")
    # Paused: the next run would be the latest complete interval, [Feb 28, Mar 1).
    assert paused["is_paused"] and paused["next_dagrun_logical_at"].isoformat() == "2026-02-28T00:00:00+00:00"
    h.unpause("daily")
    h.tick_until_idle()
    with h.db.read() as conn:
        running = dags.get(conn, "daily")
    assert running["next_dagrun_logical_at"].isoformat() == "2026-03-01T00:00:00+00:00"
    assert running["next_dagrun_create_after"].isoformat() == "2026-03-02T00:00:00+00:00"


DATED_TASKS_DAG = """
from datetime import datetime
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG("dated_tasks", schedule=None, start_date=datetime(2024, 1, 1)) as dag:
    a = EmptyOperator(task_id="a")
    b = EmptyOperator(task_id="b", start_date=datetime(2024, 6, 1))
    c = EmptyOperator(task_id="c", end_date=datetime(2024, 3, 1))
    early = EmptyOperator(task_id="early", start_date=datetime(2023, 1, 1))  # the DAG's later start_date wins
    a >> b
"""


def test_a_run_gets_only_the_tasks_whose_dates_include_its_logical_date(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    h = make_harness(tmp_path, {"dated.py": DATED_TASKS_DAG})
    h.unpause("dated_tasks")
    expected = {
        datetime(2023, 6, 1): set(),  # before the DAG's start_date: no task instance, and the run succeeds
        datetime(2024, 2, 1): {"a", "c", "early"},
        datetime(2024, 4, 1): {"a", "early"},  # b starts later, c has ended
        datetime(2024, 7, 1): {"a", "b", "early"},
    }
    runs = {day: h.trigger("dated_tasks", logical_date=day.replace(tzinfo=timezone.utc)) for day in expected}
    h.tick_until_idle()
    for day, task_ids in expected.items():
        states = h.states("dated_tasks", runs[day])
        assert set(states) == task_ids, day
        assert all(row.state == "success" for rows in states.values() for row in rows), day
        assert h.run_state("dated_tasks", runs[day]) == "success", day


SENSOR_TIMEOUT_DAG = """
from datetime import datetime
from airflow import DAG
from airflow.providers.standard.sensors.python import PythonSensor

with DAG("waits", schedule=None, start_date=datetime(2026, 1, 1)) as dag:
    PythonSensor(task_id="never", python_callable=lambda: False, mode="reschedule", poke_interval=30, timeout=70,
                 retries=2)
"""


def test_a_reschedule_sensor_times_out_on_the_schedulers_clock(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"waits.py": SENSOR_TIMEOUT_DAG})
    h.unpause("waits")
    run_id = h.trigger("waits")
    h.tick_until_idle()
    for _ in range(2):  # pokes at 0, 30 and 60 s of the manual clock: not yet past the 70 s timeout
        assert h.states("waits", run_id)["never"][0].state == "up_for_reschedule"
        h.clock.advance(30)
        h.tick_until_idle()
    assert h.states("waits", run_id)["never"][0].state == "up_for_reschedule"
    h.clock.advance(30)
    h.tick_until_idle()
    ti = h.states("waits", run_id)["never"][0]
    assert (ti.state, ti.try_number) == ("failed", 1)  # a sensor timeout is not retried


SEQUENTIAL_DAG = """
import os
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def load(ds=None, **_):
    if ds == "2026-02-26" and not os.path.exists(os.environ["FIXED_FILE"]):
        raise ValueError("bad input on " + ds)

with DAG("sequential", schedule="@daily", start_date=datetime(2026, 2, 25), catchup=True, max_active_runs=3) as dag:
    PythonOperator(task_id="load", python_callable=load, depends_on_past=True)
"""


def test_depends_on_past_holds_later_runs_until_the_failed_day_is_fixed(tmp_path: Path, monkeypatch) -> None:
    from tradewind.store import dag_runs
    from tradewind.store.task_instance_clear import clear_task_instances

    fixed = tmp_path / "fixed"
    monkeypatch.setenv("FIXED_FILE", str(fixed))
    h = make_harness(tmp_path, {"sequential.py": SEQUENTIAL_DAG})
    h.unpause("sequential")

    def runs() -> dict[str, tuple[str, str | None]]:
        with h.db.read() as conn:
            rows = dag_runs.list_runs(conn, "sequential")
        return {r["logical_date"].date().isoformat(): (r["state"], h.states("sequential", r["run_id"])["load"][0].state)
                for r in rows}

    # The clock stands still: each day's load starts as soon as the day before succeeds, in the same ticks.
    h.tick_until_idle()
    assert runs() == {"2026-02-25": ("success", "success"), "2026-02-26": ("failed", "failed"),
                      "2026-02-27": ("running", None), "2026-02-28": ("running", None)}
    h.clock.advance(60)  # full scans come and go: the held run waits, it is not failed as a deadlock
    h.tick_until_idle()
    assert runs()["2026-02-27"] == runs()["2026-02-28"] == ("running", None)

    fixed.touch()
    with h.db.write() as conn:
        run_id = dag_runs.get_by_logical_date(conn, "sequential", START.replace(month=2, day=26, hour=0))["run_id"]
        clear_task_instances(conn, "sequential", run_id, ["load"], now=h.clock.now())
    h.scheduler.request_full_scan()
    h.tick_until_idle()
    assert set(runs().values()) == {("success", "success")}
