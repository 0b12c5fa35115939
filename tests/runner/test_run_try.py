"""run_task_try: states from exceptions, retries, timeouts, callbacks, the compare-and-set, downstream skips."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradewind.runner.run_try import run_task_try

STATES_DAG = """
def ok(): return "fine"
def skip(): raise AirflowSkipException("not today")
def fail(): raise AirflowFailException("broken for good")
def timeout_sensor(): raise AirflowSensorTimeout("waited too long")
def boom(): raise ValueError("boom")
def resched(): raise AirflowRescheduleException(datetime(2026, 1, 3, 12, 5, tzinfo=timezone.utc))
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    for name, fn in [("ok", ok), ("skip", skip), ("fail", fail), ("sensor_timeout", timeout_sensor),
                     ("boom", boom), ("resched", resched)]:
        PythonOperator(task_id=name, python_callable=fn)
    PythonOperator(task_id="boom_retry", python_callable=boom, retries=2, retry_delay=timedelta(seconds=30))
    PythonOperator(task_id="fail_retry", python_callable=fail, retries=2)
"""


@pytest.mark.parametrize("task_id, state", [
    ("ok", "success"), ("skip", "skipped"), ("fail", "failed"), ("sensor_timeout", "failed"),
    ("boom", "failed"), ("resched", "up_for_reschedule"), ("boom_retry", "up_for_retry"), ("fail_retry", "failed"),
])
def test_exception_maps_to_state(env, task_id, state):
    dag = env.load_dag(STATES_DAG)
    env.create_run(dag)
    outcome = env.run(dag, task_id)
    assert outcome.state == state
    assert env.ti("t", task_id)["state"] == state


def test_failure_outcome_names_the_exception(env):
    dag = env.load_dag(STATES_DAG)
    env.create_run(dag)
    assert env.run(dag, "boom").error == "ValueError: boom"


def test_retries_set_next_try_at_and_end_in_failed(env):
    dag = env.load_dag(STATES_DAG)
    env.create_run(dag)
    for try_number in (1, 2):
        assert env.run(dag, "boom_retry").state == "up_for_retry"
        row = env.ti("t", "boom_retry")
        assert row["try_number"] == try_number
        assert row["next_try_at"] == env.clock.now() + timedelta(seconds=30)
        env.clock.advance(60)
    assert env.run(dag, "boom_retry").state == "failed"
    assert env.ti("t", "boom_retry")["try_number"] == 3
    from tradewind.store import task_instances
    with env.db.read() as conn:
        history = task_instances.try_history(conn, ("t", "scheduled__2026-01-02", "boom_retry", -1))
    assert [h["state"] for h in history] == ["up_for_retry", "up_for_retry", "failed"]


def test_reschedule_records_next_try_and_keeps_try_number(env):
    dag = env.load_dag(STATES_DAG)
    env.create_run(dag)
    env.run(dag, "resched")
    row = env.ti("t", "resched")
    assert row["next_try_at"].isoformat() == "2026-01-03T12:05:00+00:00"
    assert row["try_number"] == 1
    from tradewind.store import task_reschedules
    with env.db.read() as conn:
        assert task_reschedules.count_for_ti(conn, ("t", "scheduled__2026-01-02", "resched", -1)) == 1


def test_start_and_end_fields(env):
    dag = env.load_dag(STATES_DAG)
    env.create_run(dag)
    env.run(dag, "ok")
    row = env.ti("t", "ok")
    assert row["start_date"] == env.clock.now() and row["end_date"] == env.clock.now()
    assert row["duration"] == 0.0 and row["pid"] > 0 and row["hostname"] and row["unixname"]


CAS_DAG = """
def count():
    n = len(list(MARKS.iterdir()))
    (MARKS / f"run{n}").write_text("x")
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="count", python_callable=count)
"""


def test_a_try_runs_at_most_once(env):
    dag = env.load_dag(CAS_DAG)
    env.create_run(dag)
    try_number = env.queue("t", "scheduled__2026-01-02", "count")
    key = ("t", "scheduled__2026-01-02", "count", -1)
    first = run_task_try(env.db, env.settings, key, try_number, dag=dag, clock=env.clock)
    second = run_task_try(env.db, env.settings, key, try_number, dag=dag, clock=env.clock)
    assert first.state == "success"
    assert second.state is None and "not run" in second.error
    assert len(list(env.marks.iterdir())) == 1


def test_a_stale_try_number_does_not_run(env):
    dag = env.load_dag(CAS_DAG)
    env.create_run(dag)
    try_number = env.queue("t", "scheduled__2026-01-02", "count")
    outcome = run_task_try(env.db, env.settings, ("t", "scheduled__2026-01-02", "count", -1), try_number + 1,
                           dag=dag, clock=env.clock)
    assert outcome.state is None
    assert not list(env.marks.iterdir())
    assert env.ti("t", "count")["state"] == "queued"


TIMEOUT_DAG = """
import time
def slow():
    time.sleep(30)
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="slow", python_callable=slow, execution_timeout=timedelta(seconds=0.2), retries=1)
    PythonOperator(task_id="slow_last", python_callable=slow, execution_timeout=timedelta(seconds=0.2))
"""


def test_execution_timeout_retries_then_fails(env):
    dag = env.load_dag(TIMEOUT_DAG)
    env.create_run(dag)
    outcome = env.run(dag, "slow")
    assert outcome.state == "up_for_retry" and outcome.error.startswith("AirflowTaskTimeout")
    assert env.run(dag, "slow_last").state == "failed"


CALLBACKS_DAG = """
def note(name):
    def callback(context):
        exc = context.get("exception")
        with open(MARKS / "calls", "a") as f:
            f.write(f"{name}:{context['ti'].task_id}:{type(exc).__name__ if exc else ''}\\n")
    return callback
def broken(context): raise RuntimeError("callback bug")
cbs = dict(on_execute_callback=note("execute"), on_success_callback=[broken, note("success")],
           on_failure_callback=note("failure"), on_retry_callback=note("retry"), on_skipped_callback=note("skipped"))
def ok(): return 1
def boom(): raise ValueError("x")
def skip(): raise AirflowSkipException()
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="ok", python_callable=ok, **cbs)
    PythonOperator(task_id="retry", python_callable=boom, retries=1, **cbs)
    PythonOperator(task_id="skip", python_callable=skip, **cbs)
"""


def calls(env):
    return (env.marks / "calls").read_text().splitlines()


def test_callbacks_order_and_a_failing_callback_is_not_fatal(env):
    dag = env.load_dag(CALLBACKS_DAG)
    env.create_run(dag)
    assert env.run(dag, "ok").state == "success"
    assert calls(env) == ["execute:ok:", "success:ok:"]


def test_retry_then_failure_callbacks_get_the_exception(env):
    dag = env.load_dag(CALLBACKS_DAG)
    env.create_run(dag)
    env.run(dag, "retry")
    env.clock.advance(3600)
    env.run(dag, "retry")
    assert calls(env) == ["execute:retry:", "retry:retry:ValueError", "execute:retry:", "failure:retry:ValueError"]


def test_skipped_callback_when_the_task_skips_itself(env):
    dag = env.load_dag(CALLBACKS_DAG)
    env.create_run(dag)
    env.run(dag, "skip")
    assert calls(env) == ["execute:skip:", "skipped:skip:AirflowSkipException"]


SKIP_DAG = """
def choose(ti):
    ti.skip_downstream(["b"])
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    s = PythonOperator(task_id="s", python_callable=choose)
    a = PythonOperator(task_id="a", python_callable=lambda: 1)
    b = PythonOperator(task_id="b", python_callable=lambda: 1)
    s >> [a, b]
"""


def test_downstream_skips_are_written_with_the_final_state(env):
    dag = env.load_dag(SKIP_DAG)
    env.create_run(dag)
    assert env.run(dag, "s").state == "success"
    assert env.ti("t", "b")["state"] == "skipped"
    assert env.ti("t", "a")["state"] is None


RESUME_DAG = """
from tradewind.sdk.context import get_current_context
def poke(ti):
    (MARKS / f"start{len(list(MARKS.iterdir()))}").write_text(ti.start_date.isoformat())
    if len(list(MARKS.iterdir())) < 2:
        raise AirflowRescheduleException(datetime(2026, 1, 3, 12, 5, tzinfo=timezone.utc))
    get_current_context()["label"] = "done-label"
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="poke", python_callable=poke)
    PythonOperator.partial(task_id="m", python_callable=poke, map_index_template="{{ label }}").expand(op_args=[[]])
"""


def test_a_resumed_reschedule_keeps_its_first_start_date(env):
    dag = env.load_dag(RESUME_DAG)
    env.create_run(dag, map_lengths={"m": 1})
    first_start = env.clock.now()
    assert env.run(dag, "poke").state == "up_for_reschedule"
    env.clock.advance(300)
    assert env.run(dag, "poke").state == "success"
    assert [p.read_text() for p in sorted(env.marks.iterdir())] == [first_start.isoformat()] * 2
    row = env.ti("t", "poke")
    assert row["try_number"] == 1 and row["start_date"] == first_start and row["duration"] == 300.0


def test_rendered_map_index_comes_from_map_index_template(env):
    dag = env.load_dag(RESUME_DAG)
    env.create_run(dag, map_lengths={"m": 1})
    (env.marks / "seed").write_text("")
    (env.marks / "seed2").write_text("")
    assert env.run(dag, "m", map_index=0).state == "success"
    assert env.ti("t", "m", map_index=0)["rendered_map_index"] == "done-label"
