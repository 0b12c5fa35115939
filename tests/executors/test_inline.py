"""InlineExecutor: queued tries run in this process when sync() is called, and are reported once."""

from __future__ import annotations

from tests.runner.conftest import env  # noqa: F401
from tradewind.executors.base import FinishedTry, TaskInstanceKey
from tradewind.executors.inline import InlineExecutor

DAG_SRC = """
def ok(): return 1
def boom(): raise ValueError("nope")
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="ok", python_callable=ok)
    PythonOperator(task_id="boom", python_callable=boom)
"""


def test_sync_runs_queued_tries_in_order(env):
    dag = env.load_dag(DAG_SRC)
    run_id = env.create_run(dag)
    executor = InlineExecutor(env.db, env.settings, dag_lookup=lambda _dag_id: dag, clock=env.clock)
    for task_id in ("ok", "boom"):
        executor.queue(("t", run_id, task_id, -1), env.queue("t", run_id, task_id))
    assert executor.has_capacity()
    finished = executor.sync()
    assert finished == [FinishedTry(TaskInstanceKey("t", run_id, "ok"), 1, "success", None),
                        FinishedTry(TaskInstanceKey("t", run_id, "boom"), 1, "failed", "ValueError: nope")]
    assert executor.sync() == []


def test_join_runs_and_the_next_sync_reports(env):
    dag = env.load_dag(DAG_SRC)
    run_id = env.create_run(dag)
    executor = InlineExecutor(env.db, env.settings, dag_lookup=lambda _dag_id: dag, clock=env.clock)
    executor.queue(("t", run_id, "ok", -1), env.queue("t", run_id, "ok"))
    assert executor.join(timeout=5)
    assert env.ti("t", "ok", run_id)["state"] == "success"
    assert [f.state for f in executor.sync()] == ["success"]


def test_cancel_drops_a_queued_try_and_a_missing_dag_is_reported(env):
    dag = env.load_dag(DAG_SRC)
    run_id = env.create_run(dag)

    def lookup(dag_id):
        raise LookupError(f"no DAG {dag_id}")

    executor = InlineExecutor(env.db, env.settings, dag_lookup=lookup, clock=env.clock)
    executor.queue(("t", run_id, "ok", -1), 1)
    executor.queue(("t", run_id, "boom", -1), 1)
    assert executor.cancel(("t", run_id, "ok", -1)) and not executor.cancel(("t", run_id, "ok", -1))
    [finished] = executor.sync()
    assert finished.state is None and "no DAG t" in finished.error
