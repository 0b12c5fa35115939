"""LocalExecutor with real worker processes: runs complete, parallelism holds, each try runs once, end() cleans up."""

from __future__ import annotations

import dataclasses

import os
import select
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from tradewind.clock import Clock
from tradewind.config.settings import Settings, load_settings
from tradewind.dagfiles.processor import parse_and_sync
from tradewind.executors.base import FinishedTry, TaskInstanceKey
from tradewind.executors.local import LocalExecutor, ResultWakingClock
from tradewind.scheduler.create_runs import create_run
from tradewind.scheduler.drive_run import drive_run
from tradewind.store import scheduling, serialized_dags, task_instances
from tradewind.store.database import Database
from tradewind.store.defaults import create_defaults
from tradewind.store.migrate import upgrade

HEADER = """\
# an airflow DAG file
import os, signal, time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.python import PythonOperator

def mark(name, text=""):
    with open(MARKS / name, "a") as f:
        f.write(text + "\\n")

def hand_pid_to_test(task_id):
    # Blocks until the test opens the FIFO: the test then knows the task is running.
    with open(MARKS / f"{task_id}.fifo", "w") as fifo:
        fifo.write(str(os.getpid()))
"""


@dataclass
class LocalEnv:
    """A temp AIRFLOW_HOME with a migrated SQLite DB, DAG files, and the executors started in it."""

    home: Path
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=Clock)
    executors: list[LocalExecutor] = field(default_factory=list)

    @property
    def marks(self) -> Path:
        return self.home / "marks"

    def write_dag(self, dag_id: str, body: str) -> Any:
        """Write a DAG file, parse it into the DB, and return its serialized DAG."""
        source = HEADER + f"MARKS = Path({str(self.marks)!r})\n" + textwrap.dedent(body)
        (self.settings.dags_folder / f"{dag_id}.py").write_text(source)
        report = parse_and_sync(self.settings, self.db)
        errors = [r.error for r in report.results if r.error]
        assert not errors, errors
        with self.db.read() as conn:
            return serialized_dags.latest(conn, dag_id)

    def create_run(self, sdag: Any, run_id: str = "manual__1") -> str:
        now = self.clock.now()
        with self.db.write() as conn:
            create_run(conn, sdag, run_id=run_id, run_type="manual", logical_date=now, data_interval=(now, now),
                       run_after=now, conf=None, state="running", triggered_by="test", now=now)
        return run_id

    def executor(self, parallelism: int, **options: Any) -> LocalExecutor:
        executor = LocalExecutor(self.settings, self.settings.sql_alchemy_conn, parallelism=parallelism,
                                 clock=self.clock, **options)
        executor.start()
        self.executors.append(executor)
        return executor

    def queue(self, dag_id: str, run_id: str, task_id: str) -> int:
        with self.db.write() as conn:
            queued = scheduling.queue_task_instance(conn, dag_id, run_id, task_id, -1, now=self.clock.now())
        assert queued is not None
        return queued.try_number

    def ti(self, dag_id: str, run_id: str, task_id: str) -> dict[str, Any]:
        with self.db.read() as conn:
            row = task_instances.get(conn, (dag_id, run_id, task_id, -1))
        assert row is not None
        return row

    def states(self, dag_id: str, run_id: str) -> dict[str, str | None]:
        with self.db.read() as conn:
            return {r.task_id: r.state for r in scheduling.run_task_states(conn, dag_id, run_id)}

    def receive_pid(self, task_id: str) -> int:
        """Wait (on a FIFO, no polling) until the task is running; its process id."""
        fifo = self.marks / f"{task_id}.fifo"
        with open(fifo) as reader:
            return int(reader.read())

    def make_fifo(self, task_id: str) -> None:
        os.mkfifo(self.marks / f"{task_id}.fifo")


@pytest.fixture
def local_env(tmp_path: Path) -> Iterator[LocalEnv]:
    (tmp_path / "dags").mkdir()
    (tmp_path / "marks").mkdir()
    settings = load_settings({"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"})
    db = Database.from_settings(settings)
    upgrade(db)
    create_defaults(db)
    env = LocalEnv(tmp_path, settings, db)
    yield env
    for executor in env.executors:
        executor.end()
    db.dispose()


def wait_for_exit(pid: int, timeout_s: float = 10.0) -> bool:
    """Whether process `pid` (not necessarily our child) is gone within `timeout_s`."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([pidfd], [], [], timeout_s)[0])
    finally:
        os.close(pidfd)


def collect(executor: LocalExecutor, count: int, timeout_s: float = 60.0) -> list[FinishedTry]:
    """Results until `count` tries have ended (bounded by join's timeout)."""
    assert executor.join(timeout=timeout_s), "tries did not end in time"
    finished = executor.sync()
    assert len(finished) == count, finished
    return finished


CHAIN = """
with DAG("chain", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    previous = None
    for i in range(5):
        task = PythonOperator(task_id=f"t{i}", python_callable=lambda name: mark(name, str(os.getpid())),
                              op_args=[f"t{i}"])
        if previous is not None:
            previous >> task
        previous = task
"""


@pytest.mark.parametrize("tries_per_process", [1, None], ids=["fresh process per try", "default"])
def test_a_chain_completes_in_order_each_task_once_in_a_task_process(local_env, tries_per_process):
    if tries_per_process is not None:
        local_env.settings = dataclasses.replace(local_env.settings, values={
            **local_env.settings.values, ("local_executor", "tries_per_process"): tries_per_process})
    sdag = local_env.write_dag("chain", CHAIN)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=2)
    clock = ResultWakingClock(local_env.clock, executor)
    assert drive_run(local_env.db, sdag, run_id, executor, clock) == "success"
    assert set(local_env.states("chain", run_id).values()) == {"success"}
    pids = []
    for i in range(5):
        lines = (local_env.marks / f"t{i}").read_text().splitlines()
        assert len(lines) == 1, f"t{i} ran {len(lines)} times"
        pids.append(int(lines[0]))
    assert os.getpid() not in pids and not set(pids) & set(executor.worker_pids)
    if tries_per_process == 1:
        assert len(set(pids)) == 5, "a try ran in a process an earlier try had used"
    else:
        assert len(set(pids)) < 5, "no task process took a second try of this clean chain"
    rows = [local_env.ti("chain", run_id, f"t{i}") for i in range(5)]
    assert all(a["end_date"] <= b["start_date"] for a, b in zip(rows, rows[1:]))


INDEPENDENT = """
def record(task_id):
    mark(task_id, f"start {time.monotonic_ns()}")
    time.sleep(0.01)  # hold the slot a little, so that tries overlap
    mark(task_id, f"end {time.monotonic_ns()}")

with DAG("wide", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), max_active_tasks=100) as dag:
    for i in range(50):
        PythonOperator(task_id=f"w{i}", python_callable=record, op_args=[f"w{i}"])
"""


def test_fifty_tasks_run_at_most_parallelism_at_once_and_each_exactly_once(local_env):
    sdag = local_env.write_dag("wide", INDEPENDENT)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=3)
    for i in range(50):
        executor.queue(("wide", run_id, f"w{i}", -1), local_env.queue("wide", run_id, f"w{i}"))
    assert not executor.has_capacity()
    finished = collect(executor, 50)
    assert {f.state for f in finished} == {"success"}
    events = []
    for i in range(50):
        lines = (local_env.marks / f"w{i}").read_text().split()
        assert lines[0::2] == ["start", "end"], f"w{i} ran more than once: {lines}"
        events += [(int(lines[1]), 1), (int(lines[3]), -1)]
    running = peak = 0
    for _, delta in sorted(events):
        running += delta
        peak = max(peak, running)
    assert 1 <= peak <= 3
    assert executor.has_capacity()


TOGETHER = """
def wait_for_partner(me, partner):
    mark(me)
    deadline = time.monotonic() + 20
    while not (MARKS / partner).exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{partner} never ran alongside {me}")
        time.sleep(0.01)

with DAG("pair", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="a", python_callable=wait_for_partner, op_args=["a", "b"])
    PythonOperator(task_id="b", python_callable=wait_for_partner, op_args=["b", "a"])
"""


def test_tries_run_concurrently_up_to_parallelism(local_env):
    sdag = local_env.write_dag("pair", TOGETHER)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=2)
    for task_id in ("a", "b"):
        executor.queue(("pair", run_id, task_id, -1), local_env.queue("pair", run_id, task_id))
    assert {f.state for f in collect(executor, 2)} == {"success"}


def test_wait_returns_at_the_first_result_and_sync_reports_it_once(local_env):
    sdag = local_env.write_dag("chain", CHAIN)
    run_id = local_env.create_run(sdag)
    executor = local_env.executor(parallelism=1)
    executor.queue(("chain", run_id, "t0", -1), local_env.queue("chain", run_id, "t0"))
    while not executor.wait(timeout=30):
        pass
    assert executor.sync() == [FinishedTry(TaskInstanceKey("chain", run_id, "t0"), 1, "success", None)]
    assert executor.sync() == []
    assert not executor.wait(timeout=0)


SLOW = """
with DAG("slow", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="hang", python_callable=lambda: (hand_pid_to_test("hang"), time.sleep(600)))
    PythonOperator(task_id="later", python_callable=mark, op_args=["later"])
"""


def test_cancel_kills_the_running_try_and_drops_a_waiting_one(local_env):
    sdag = local_env.write_dag("slow", SLOW)
    run_id = local_env.create_run(sdag)
    local_env.make_fifo("hang")
    executor = local_env.executor(parallelism=1)
    executor.queue(("slow", run_id, "hang", -1), local_env.queue("slow", run_id, "hang"))
    executor.queue(("slow", run_id, "later", -1), local_env.queue("slow", run_id, "later"))
    child = local_env.receive_pid("hang")
    assert executor.cancel(("slow", run_id, "later", -1))
    assert executor.cancel(("slow", run_id, "hang", -1))
    assert not executor.cancel(("slow", run_id, "nope", -1))
    finished = {f.key.task_id: f for f in collect(executor, 2)}
    assert finished["later"].state is None and "cancelled before it started" in finished["later"].error
    assert finished["hang"].state is None and "cancelled" in finished["hang"].error
    assert wait_for_exit(child)
    assert local_env.ti("slow", run_id, "hang")["state"] == "failed"
    assert not (local_env.marks / "later").exists()


def test_end_kills_what_outlives_the_grace_period_and_leaves_no_process(local_env):
    sdag = local_env.write_dag("slow", SLOW)
    run_id = local_env.create_run(sdag)
    local_env.make_fifo("hang")
    executor = local_env.executor(parallelism=2, end_grace_s=0.2)
    executor.queue(("slow", run_id, "hang", -1), local_env.queue("slow", run_id, "hang"))
    child = local_env.receive_pid("hang")
    workers = executor.worker_pids
    executor.end()
    assert all(wait_for_exit(pid) for pid in [child, *workers])
    [finished] = executor.sync()
    assert finished.state is None and "executor ended" in finished.error
    assert executor.worker_pids == []
    with pytest.raises(RuntimeError, match="ending"):
        executor.queue(("slow", run_id, "later", -1), 2)
