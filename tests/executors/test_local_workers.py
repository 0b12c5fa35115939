"""LocalExecutor workers: how many there are, many tries at once in one worker, and the fork server behind them."""

from __future__ import annotations

import dataclasses
import os
import signal
import time

import pytest

from tests.executors.test_local import collect, local_env, wait_for_exit  # noqa: F401
from tradewind.executors.local import LocalExecutor, worker_count
from tradewind.testing.procfs import children_of, parent_pid, stat_fields

TOGETHER = """
def start_together(me, everyone):
    # Each task records its process and its parent, then waits until every task has started.
    mark(me, f"{os.getpid()} {os.getppid()}")
    deadline = time.monotonic() + 20
    while not all((MARKS / other).exists() for other in everyone):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{me}: not all of {everyone} ran at once")
        time.sleep(0.01)

NAMES = [f"t{i}" for i in range(6)]
with DAG("together", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    for name in NAMES:
        PythonOperator(task_id=name, python_callable=start_together, op_args=[name, NAMES])
"""

ONE = """
with DAG("one", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="a", python_callable=mark, op_args=["a"])
    PythonOperator(task_id="b", python_callable=mark, op_args=["b"])
"""


def with_workers(env, workers: int, tries_per_process: int = 1):
    """The env's settings with [local_executor] workers (and tries_per_process) set."""
    values = {**env.settings.values, ("local_executor", "workers"): workers,
              ("local_executor", "tries_per_process"): tries_per_process}
    return dataclasses.replace(env.settings, values=values)


def wait_until(probe, timeout_s: float = 10.0):
    """The first truthy value of `probe()` within `timeout_s` (polled), or the last falsy one."""
    deadline = time.monotonic() + timeout_s
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return value


def executor_with_workers(env, workers: int, parallelism: int, tries_per_process: int = 1,
                          **options) -> LocalExecutor:
    """A started LocalExecutor with [local_executor] workers (and tries_per_process) set, ended with the env."""
    executor = LocalExecutor(with_workers(env, workers, tries_per_process), env.settings.sql_alchemy_conn,
                             parallelism=parallelism, clock=env.clock, **options)
    executor.start()
    env.executors.append(executor)
    return executor


def test_one_worker_runs_many_tries_at_once_each_in_a_process_its_fork_server_made(local_env):
    sdag = local_env.write_dag("together", TOGETHER)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=6)
    [worker] = executor.worker_pids
    for i in range(6):
        executor.queue(("together", run_id, f"t{i}", -1), local_env.queue("together", run_id, f"t{i}"))
    assert {f.state for f in collect(executor, 6)} == {"success"}
    pids, parents = zip(*((int(a), int(b)) for a, b in
                          ((local_env.marks / f"t{i}").read_text().split() for i in range(6))))
    assert len(set(pids)) == 6 and worker not in pids
    # Every task process was forked by the worker's one fork server, a child of the worker.
    [fork_server] = set(parents)
    assert fork_server != worker and parent_pid(fork_server) == worker


def test_worker_count_follows_the_setting_and_parallelism(local_env):
    assert worker_count(with_workers(local_env, 3), parallelism=8) == 3
    assert worker_count(with_workers(local_env, 3), parallelism=2) == 2
    assert worker_count(with_workers(local_env, 0), parallelism=64) == max(1, (os.cpu_count() or 1) // 4)
    with pytest.raises(ValueError, match=r"\[local_executor\] workers = -1"):
        worker_count(with_workers(local_env, -1), parallelism=8)
    executor = executor_with_workers(local_env, 3, parallelism=8)
    assert len(executor.worker_pids) == 3


def one_worker_after_a_try(env) -> tuple[LocalExecutor, str, int, int]:
    """An executor with one worker that has run task `a` of DAG `one`: (executor, run_id, worker, fork server)."""
    sdag = env.write_dag("one", ONE)
    run_id = env.create_run(sdag)
    executor = executor_with_workers(env, 1, parallelism=2)
    executor.queue(("one", run_id, "a", -1), env.queue("one", run_id, "a"))
    assert [f.state for f in collect(executor, 1)] == ["success"]
    [worker] = executor.worker_pids
    [fork_server] = children_of(worker)
    return executor, run_id, worker, fork_server


def test_a_killed_fork_server_is_replaced_and_the_next_tries_run(local_env):
    executor, run_id, worker, fork_server = one_worker_after_a_try(local_env)
    os.kill(fork_server, signal.SIGKILL)
    assert wait_for_exit(fork_server)
    executor.queue(("one", run_id, "b", -1), local_env.queue("one", run_id, "b"))
    assert [f.state for f in collect(executor, 1)] == ["success"]
    assert executor.worker_pids == [worker]  # the worker lived on, with a new fork server
    assert children_of(worker) and fork_server not in children_of(worker)


def test_a_killed_worker_takes_its_fork_server_and_spares_with_it(local_env):
    _executor, _run_id, worker, fork_server = one_worker_after_a_try(local_env)
    spares = wait_until(lambda: children_of(fork_server))
    assert spares, "the worker keeps task processes forked ahead of the next try"
    os.kill(worker, signal.SIGKILL)
    assert all(wait_for_exit(pid) for pid in [worker, fork_server, *spares])


def test_a_try_taken_by_another_runner_is_not_run_and_reports_the_state_found(local_env):
    from tradewind.store import task_instances

    sdag = local_env.write_dag("one", ONE)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=2)
    try_number = local_env.queue("one", run_id, "a")
    with local_env.db.write() as conn:  # another runner started this try first
        assert task_instances.set_state_if(conn, ("one", run_id, "a", -1), expected_states=("queued",),
                                           new_state="running", try_number=try_number)
    executor.queue(("one", run_id, "a", -1), try_number)
    [finished] = collect(executor, 1)
    assert finished.state == "running" and "was not run" in finished.error
    assert local_env.ti("one", run_id, "a")["state"] == "running"
    assert not (local_env.marks / "a").exists()


SLEEPER = """
with DAG("sleepy", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="long", python_callable=lambda: (hand_pid_to_test("long"), time.sleep(120)))
"""


@pytest.mark.parametrize("change", ["cleared", "marked failed"])
def test_a_running_try_whose_instance_is_changed_by_a_user_is_stopped(local_env, change):
    from tradewind.store import task_instances

    sdag = local_env.write_dag("sleepy", SLEEPER)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=2, heartbeat_interval_s=0.2)
    local_env.make_fifo("long")
    executor.queue(("sleepy", run_id, "long", -1), local_env.queue("sleepy", run_id, "long"))
    child = local_env.receive_pid("long")
    with local_env.db.write() as conn:
        if change == "cleared":
            task_instances.clear_task_instances(conn, "sleepy", run_id, ["long"])
        else:
            task_instances.mark_state(conn, "sleepy", run_id, ["long"], "failed")
    assert wait_for_exit(child), "the try's process outlived the change to its instance"
    [finished] = collect(executor, 1)
    assert finished.state is None and "was set to" in finished.error
    assert local_env.ti("sleepy", run_id, "long")["state"] == (None if change == "cleared" else "failed")


def test_a_dag_file_that_moved_is_found_again_after_it_is_parsed(local_env):
    from tradewind.dagfiles.processor import parse_and_sync

    sdag = local_env.write_dag("one", ONE)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=2)
    executor.queue(("one", run_id, "a", -1), local_env.queue("one", run_id, "a"))
    assert [f.state for f in collect(executor, 1)] == ["success"]
    folder = local_env.settings.dags_folder
    (folder / "one.py").rename(folder / "moved_one.py")
    parse_and_sync(local_env.settings, local_env.db)
    executor.queue(("one", run_id, "b", -1), local_env.queue("one", run_id, "b"))
    assert [f.state for f in collect(executor, 1)] == ["success"]
    assert (local_env.marks / "b").exists()


PAIR_RETURNING = """
def meet_then_return(me, partner):
    mark(me)
    deadline = time.monotonic() + 20
    while not (MARKS / partner).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    return me

with DAG("pair", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="good", python_callable=meet_then_return, op_args=["good", "bad"])
    PythonOperator(task_id="bad", python_callable=meet_then_return, op_args=["bad", "good"])
"""


def test_a_try_whose_end_the_database_refuses_does_not_fail_the_others(local_env):
    sdag = local_env.write_dag("pair", PAIR_RETURNING)
    run_id = local_env.create_run(sdag)
    with local_env.db.write() as conn:  # the database refuses the XCom of one task
        conn.exec_driver_sql("CREATE TRIGGER refuse_bad BEFORE INSERT ON xcom WHEN NEW.task_id = 'bad' "
                             "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
    executor = executor_with_workers(local_env, 1, parallelism=2)
    for task_id in ("good", "bad"):
        executor.queue(("pair", run_id, task_id, -1), local_env.queue("pair", run_id, task_id))
    by_task = {f.key.task_id: f for f in collect(executor, 2)}
    assert by_task["good"].state == "success" and local_env.ti("pair", run_id, "good")["state"] == "success"
    assert by_task["bad"].state is None and "could not record" in by_task["bad"].error
    # Nothing of the refused end was written: the scheduler fails or retries the try from here.
    assert local_env.ti("pair", run_id, "bad")["state"] == "running"


RESTARTED = """
def long_then_quick(ti=None):
    mark("long", f"start {ti.try_number}")
    if ti.try_number == 1:
        hand_pid_to_test("long")
        time.sleep(120)
    mark("long", f"end {ti.try_number}")

with DAG("restarted", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="long", python_callable=long_then_quick)
"""


def test_a_cleared_running_instance_runs_again_only_after_its_old_process_is_gone(local_env):
    from tradewind.store import task_instances

    sdag = local_env.write_dag("restarted", RESTARTED)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=4, heartbeat_interval_s=0.2)
    local_env.make_fifo("long")
    key = ("restarted", run_id, "long", -1)
    executor.queue(key, local_env.queue("restarted", run_id, "long"))
    old = local_env.receive_pid("long")
    with local_env.db.write() as conn:
        task_instances.clear_task_instances(conn, "restarted", run_id, ["long"])
    executor.queue(key, local_env.queue("restarted", run_id, "long"))  # try 2, while try 1 still runs
    finished = collect(executor, 2)
    assert [(f.try_number, f.state) for f in finished] == [(1, None), (2, "success")]
    assert wait_for_exit(old, 0.1)
    assert (local_env.marks / "long").read_text().split("\n")[:3] == ["start 1", "start 2", "end 2"]
    assert local_env.ti("restarted", run_id, "long")["state"] == "success"


REUSED = """
def record_then_change(me):
    mark(me, f"{os.getpid()} {os.environ.get('SET_BY_A_TASK')} {os.getcwd()}")
    os.environ["SET_BY_A_TASK"] = me
    os.chdir("/")

with DAG("reused", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    for i in range(4):
        PythonOperator(task_id=f"r{i}", python_callable=record_then_change, op_args=[f"r{i}"])
"""


def test_tries_per_process_runs_tries_in_one_process_and_puts_its_environment_back(local_env):
    sdag = local_env.write_dag("reused", REUSED)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=1, tries_per_process=3)
    for i in range(4):  # one after the other, so that a process is free to take the next
        executor.queue(("reused", run_id, f"r{i}", -1), local_env.queue("reused", run_id, f"r{i}"))
        assert [f.state for f in collect(executor, 1)] == ["success"]
    seen = [(local_env.marks / f"r{i}").read_text().split() for i in range(4)]
    pids = [int(pid) for pid, _, _ in seen]
    assert pids[0] == pids[1] == pids[2] != pids[3], "three tries per process, then a fresh one"
    assert [env for _, env, _ in seen] == ["None"] * 4, "a task saw an environment variable an earlier one set"
    assert len({cwd for _, _, cwd in seen}) == 1 and seen[0][2] != "/"
    assert wait_for_exit(pids[0]), "a process that ran its last try exits"


UNFIT = """
import threading

def record_pid(me, then=None):
    mark(me, str(os.getpid()))
    if then == "fail":
        raise ValueError("this try fails")
    if then == "thread":
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()

with DAG("unfit", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="fails", python_callable=record_pid, op_args=["fails", "fail"])
    PythonOperator(task_id="after_failure", python_callable=record_pid, op_args=["after_failure"])
    PythonOperator(task_id="leaves_a_thread", python_callable=record_pid, op_args=["leaves_a_thread", "thread"])
    PythonOperator(task_id="after_thread", python_callable=record_pid, op_args=["after_thread"])
    PythonOperator(task_id="clean", python_callable=record_pid, op_args=["clean"])
    PythonOperator(task_id="after_clean", python_callable=record_pid, op_args=["after_clean"])
"""


def test_a_reused_process_that_failed_or_left_a_thread_takes_no_further_try(local_env):
    sdag = local_env.write_dag("unfit", UNFIT)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=1, tries_per_process=10)
    ended = {}
    for task_id in ("fails", "after_failure", "leaves_a_thread", "after_thread", "clean", "after_clean"):
        executor.queue(("unfit", run_id, task_id, -1), local_env.queue("unfit", run_id, task_id))
        [finished] = collect(executor, 1)
        ended[task_id] = finished.state
    assert ended == {"fails": "failed", "after_failure": "success", "leaves_a_thread": "success",
                     "after_thread": "success", "clean": "success", "after_clean": "success"}
    pid = {task_id: int((local_env.marks / task_id).read_text()) for task_id in ended}
    assert pid["after_failure"] != pid["fails"] and wait_for_exit(pid["fails"]), "a failed try's process was reused"
    assert pid["after_thread"] != pid["leaves_a_thread"] and wait_for_exit(pid["leaves_a_thread"]), \
        "a process with a thread still running was reused"
    assert pid["after_clean"] == pid["clean"], "a process that ended its try cleanly was not reused"


MODULE_STATE = """
import logging

SEEN = []
COUNTS = {}
TOTAL = 0

class Box:
    value = 0

def look_then_change(me, change):
    global TOTAL
    import sys
    mark(me, repr((os.getpid(), list(SEEN), dict(COUNTS), TOTAL, Box.value, "wave" in sys.modules,
                   len(logging.getLogger("shared").handlers))))
    if change == "append":
        SEEN.append(me)
    elif change == "item":
        COUNTS[me] = 1
    elif change == "global":
        TOTAL += 1
    elif change == "class":
        Box.value += 1
    elif change == "import":
        import wave  # noqa: F401
    elif change == "logger":
        logging.getLogger("shared").addHandler(logging.NullHandler())

CHANGES = ["append", "item", "global", "class", "import", "logger", None, None]
with DAG("module_state", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    for i, change in enumerate(CHANGES):
        PythonOperator(task_id=f"m{i}", python_callable=look_then_change, op_args=[f"m{i}", change])
"""


def test_by_default_a_try_sees_its_process_as_fresh_whatever_the_tries_before_it_changed(local_env):
    """As in Airflow, where every try has a new process: a reused process takes another try only when clean."""
    sdag = local_env.write_dag("module_state", MODULE_STATE)
    run_id = local_env.create_run(sdag)
    settings = dataclasses.replace(local_env.settings, values={**local_env.settings.values,
                                                               ("local_executor", "workers"): 1})
    assert int(settings.get("local_executor", "tries_per_process")) > 1, "the default reuses clean processes"
    executor = LocalExecutor(settings, settings.sql_alchemy_conn, parallelism=1, clock=local_env.clock)
    executor.start()
    local_env.executors.append(executor)
    for i in range(8):  # one after the other, each after a try that changed something (but the last two)
        executor.queue(("module_state", run_id, f"m{i}", -1), local_env.queue("module_state", run_id, f"m{i}"))
        assert [f.state for f in collect(executor, 1)] == ["success"]
    seen = [eval((local_env.marks / f"m{i}").read_text()) for i in range(8)]
    pristine = ([], {}, 0, 0, False, 0)
    assert [tuple(s[1:]) for s in seen] == [pristine] * 8, "a try saw what an earlier try changed"
    pids = [s[0] for s in seen]
    assert len(set(pids[:7])) == 7, "a process whose try changed its state took another try"
    assert pids[6] == pids[7], "a process whose try changed nothing was not reused"


def test_idle_task_processes_left_by_a_burst_are_retired_but_one(local_env):
    sdag = local_env.write_dag("together", TOGETHER)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=6, tries_per_process=100, spare_idle_s=0.3)
    for i in range(6):
        executor.queue(("together", run_id, f"t{i}", -1), local_env.queue("together", run_id, f"t{i}"))
    assert {f.state for f in collect(executor, 6)} == {"success"}
    pids = [int((local_env.marks / f"t{i}").read_text().split()[0]) for i in range(6)]

    def alive() -> list[int]:
        return [pid for pid in pids if (fields := stat_fields(pid)) is not None and fields[0] != "Z"]

    assert wait_until(lambda: len(alive()) <= 1), f"idle task processes were not retired: {alive()}"
    [kept] = alive()
    assert kept in pids, "the newest idle process stays, ready for the next try of the file"


SLOW_BURST = """
def nap(me):
    mark(me, str(os.getpid()))
    time.sleep(1.2)  # longer than the worker's demand window: no try started while these ran

with DAG("slow_burst", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    for i in range(4):
        PythonOperator(task_id=f"s{i}", python_callable=nap, op_args=[f"s{i}"])
"""


def test_processes_back_from_tries_no_new_try_followed_exit_at_once(local_env):
    """Idle processes keep every page their tries copied: after a burst, they go (not 300 s later)."""
    sdag = local_env.write_dag("slow_burst", SLOW_BURST)
    run_id = local_env.create_run(sdag)
    executor = executor_with_workers(local_env, 1, parallelism=4, tries_per_process=100, spare_idle_s=300)
    for i in range(4):
        executor.queue(("slow_burst", run_id, f"s{i}", -1), local_env.queue("slow_burst", run_id, f"s{i}"))
    assert {f.state for f in collect(executor, 4)} == {"success"}
    pids = [int((local_env.marks / f"s{i}").read_text()) for i in range(4)]
    exited = [wait_for_exit(pid, timeout_s=5) for pid in pids]
    assert all(exited), f"a process with no try to come stayed: {exited}"


def test_tries_per_process_below_one_is_refused_with_the_option_named(local_env):
    with pytest.raises(ValueError, match=r"\[local_executor\] tries_per_process = 0"):
        LocalExecutor(with_workers(local_env, 1, tries_per_process=0), local_env.settings.sql_alchemy_conn,
                      parallelism=2, clock=local_env.clock)
