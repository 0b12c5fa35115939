"""LocalExecutor when processes die: execution_timeout kills, a SIGKILLed child, a SIGKILLed worker, a missing DAG."""

from __future__ import annotations

import os
import signal

from tests.executors.test_local import collect, local_env, wait_for_exit  # noqa: F401

TIMEOUTS = """
def ignore_the_alarm(task_id):
    # Block SIGALRM so the runner's in-process timeout never fires: only the worker's kill can end this try.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    hand_pid_to_test(task_id)
    time.sleep(600)

with DAG("timeouts", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="retried", python_callable=ignore_the_alarm, op_args=["retried"],
                   execution_timeout=timedelta(seconds=0.3), retries=1, retry_delay=timedelta(seconds=30))
    PythonOperator(task_id="failed", python_callable=ignore_the_alarm, op_args=["failed"],
                   execution_timeout=timedelta(seconds=0.3), retries=0)
    PythonOperator(task_id="victim", python_callable=hand_pid_to_test, op_args=["victim"])
    PythonOperator(task_id="sleeper", python_callable=lambda: (hand_pid_to_test("sleeper"), time.sleep(600)),
                   retries=2)
    PythonOperator(task_id="after", python_callable=mark, op_args=["after"])
"""


def test_execution_timeout_kills_the_child_and_retries_decide_the_state(local_env):
    sdag = local_env.write_dag("timeouts", TIMEOUTS)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=2, timeout_grace_s=0.1)
    for task_id in ("retried", "failed"):
        local_env.make_fifo(task_id)
        executor.queue(("timeouts", run_id, task_id, -1), local_env.queue("timeouts", run_id, task_id))
    children = [local_env.receive_pid("retried"), local_env.receive_pid("failed")]
    finished = {f.key.task_id: f for f in collect(executor, 2)}
    for task_id in ("retried", "failed"):
        assert finished[task_id].state is None
        assert "execution_timeout" in finished[task_id].error and "SIGKILL" in finished[task_id].error
    assert all(wait_for_exit(pid) for pid in children)
    retried = local_env.ti("timeouts", run_id, "retried")
    assert retried["state"] == "up_for_retry"
    assert (retried["next_try_at"] - retried["end_date"]).total_seconds() == 30
    assert local_env.ti("timeouts", run_id, "failed")["state"] == "failed"


def test_a_child_killed_with_sigkill_is_reported_and_failed_by_retries(local_env):
    sdag = local_env.write_dag("timeouts", TIMEOUTS)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=1)
    local_env.make_fifo("sleeper")
    executor.queue(("timeouts", run_id, "sleeper", -1), local_env.queue("timeouts", run_id, "sleeper"))
    os.kill(local_env.receive_pid("sleeper"), signal.SIGKILL)
    [finished] = collect(executor, 1)
    assert finished.state is None and "killed by SIGKILL" in finished.error
    assert local_env.ti("timeouts", run_id, "sleeper")["state"] == "up_for_retry"
    # The worker survives its child and runs the next try.
    executor.queue(("timeouts", run_id, "after", -1), local_env.queue("timeouts", run_id, "after"))
    assert [f.state for f in collect(executor, 1)] == ["success"]


def test_a_worker_killed_with_sigkill_is_replaced_and_later_tries_run(local_env):
    sdag = local_env.write_dag("timeouts", TIMEOUTS)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=2)
    local_env.make_fifo("sleeper")
    key = ("timeouts", run_id, "sleeper", -1)
    executor.queue(key, local_env.queue("timeouts", run_id, "sleeper"))
    child = local_env.receive_pid("sleeper")
    worker = executor.running_workers[key]
    os.kill(worker, signal.SIGKILL)
    assert executor.join(timeout=30)  # the dead worker's try is dropped, not reported
    assert executor.sync() == []
    assert wait_for_exit(child), "the dead worker's child outlived it"
    assert worker not in executor.worker_pids and len(executor.worker_pids) == executor.workers
    # Left for the scheduler's heartbeat check: the executor does not guess how the try ended.
    assert local_env.ti("timeouts", run_id, "sleeper")["state"] == "running"
    executor.queue(("timeouts", run_id, "after", -1), local_env.queue("timeouts", run_id, "after"))
    assert [f.state for f in collect(executor, 1)] == ["success"]
    assert (local_env.marks / "after").read_text() == "\n"


def test_a_try_of_a_dag_that_is_gone_fails_without_running(local_env):
    sdag = local_env.write_dag("timeouts", TIMEOUTS)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=1)
    (local_env.settings.dags_folder / "timeouts.py").write_text("# an airflow DAG file that lost its DAG\n")
    executor.queue(("timeouts", run_id, "after", -1), local_env.queue("timeouts", run_id, "after"))
    [finished] = collect(executor, 1)
    assert finished.state is None and "no longer defines DAG 'timeouts'" in finished.error
    assert local_env.ti("timeouts", run_id, "after")["state"] == "failed"
    assert not (local_env.marks / "after").exists()


HEARTBEAT = """
import sqlite3

def wait_for_a_heartbeat(db_path):
    connection = sqlite3.connect(db_path)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        beat, started = connection.execute(
            "SELECT last_heartbeat_at, start_date FROM task_instance WHERE task_id = 'beat'").fetchone()
        if beat is not None and beat > started:
            return
        time.sleep(0.01)
    raise RuntimeError("the worker never recorded a heartbeat")

with DAG("beats", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="beat", python_callable=wait_for_a_heartbeat, op_args=[DB_PATH])
"""


def test_the_worker_records_heartbeats_while_its_child_runs(local_env):
    db_path = local_env.settings.sql_alchemy_conn.removeprefix("sqlite:///")
    sdag = local_env.write_dag("beats", f"DB_PATH = {db_path!r}\n" + HEARTBEAT)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=1, heartbeat_interval_s=0.05)
    executor.queue(("beats", run_id, "beat", -1), local_env.queue("beats", run_id, "beat"))
    [finished] = collect(executor, 1)
    assert finished.state == "success", finished.error
