"""Figures of a real `airflow scheduler` on SQLite with the LocalExecutor: trigger-to-start latency, idle CPU
with 1,000 DAG files, new file to runnable, memory under 50 parallel tasks, and the tutorial DAG's span.

Prints, never asserts; `main()` returns the figures. Goals are printed beside each figure.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tradewind.clock import Clock  # noqa: E402  (after the path set-up, as for a script)
from tradewind.testing.procfs import process_tree, stat_fields  # noqa: E402

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
CLOCK = Clock()
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

GOALS = {"trigger_to_start_ms": 50, "idle_cpu_percent": 1, "new_file_to_runnable_s": 2, "peak_memory_mb": 300,
         "tutorial_span_s": 10.5}

# PythonOperators, not EmptyOperators: the scheduler may finish an EmptyOperator without running it.
NOOP_DAG = '''
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def noop():
    return None

with DAG("{dag_id}", schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
    PythonOperator(task_id="first", python_callable=noop) >> PythonOperator(task_id="second", python_callable=noop)
'''

WIDE_DAG = '''
import time
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def nap(seconds):
    time.sleep(seconds)

with DAG("wide_50", schedule=None, start_date=datetime(2026, 1, 1), catchup=False, max_active_tasks=64) as dag:
    for i in range(50):
        PythonOperator(task_id=f"sleep_{i:02d}", python_callable=nap, op_args=[3])
'''


# --- a home, the CLI and the scheduler process --------------------------------------------------------


class Home:
    """A throwaway AIRFLOW_HOME (short path: the scheduler's wake-up socket needs one) and its CLI."""

    def __init__(self, root: Path, **env: str) -> None:
        self.path = root / "airflow"
        self.dags = self.path / "dags"
        self.dags.mkdir(parents=True)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "TRADEWIND"))}
        self.env = {**base, "AIRFLOW_HOME": str(self.path), **env}
        self._db: Any = None

    def cli(self, *args: str) -> str:
        return subprocess.run([AIRFLOW, *args], env=self.env, check=True, capture_output=True, text=True).stdout

    @property
    def db(self) -> Any:
        """The metadata database, read in this process (the scheduler writes it)."""
        if self._db is None:
            from tradewind.config.settings import load_settings
            from tradewind.store.database import Database

            self._db = Database.from_settings(load_settings(self.env))
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


@contextmanager
def home(**env: str) -> Iterator[Home]:
    root = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    h = Home(root, **env)
    try:
        yield h
    finally:
        h.close()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def scheduler(h: Home, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`airflow scheduler` running until the block ends (SIGTERM, then SIGKILL of its session if it hangs)."""
    log_path = h.path / f"scheduler-{CLOCK.monotonic()}.log"
    log = log_path.open("wb")
    process = subprocess.Popen([AIRFLOW, "scheduler"], env={**h.env, **env}, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        wait_for(lambda: b"scheduler started" in log_path.read_bytes(), 60)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_for(probe: Callable[[], Any], timeout_s: float, poll_s: float = 0.005) -> Any:
    deadline = CLOCK.monotonic() + timeout_s
    while CLOCK.monotonic() < deadline:
        value = probe()
        if value:
            return value
        CLOCK.sleep(poll_s)
    raise TimeoutError(f"gave up after {timeout_s} s")


# --- /proc ------------------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process plus those of its children it has reaped (forked parse or task children)."""
    fields = stat_fields(pid)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) if fields else 0


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; PSS falls back to RSS where smaps_rollup is missing."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    except OSError:
        return 0, 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return rss, int(line.split()[1])
    except OSError:
        pass
    return rss, rss


# --- the figures ------------------------------------------------------------------------------------


def _task_rows(h: Home, dag_id: str, run_id: str) -> list[Any]:
    from tradewind.store import scheduling

    with h.db.read() as conn:
        return scheduling.run_task_states(conn, dag_id, run_id)


def _run(h: Home, dag_id: str, run_id: str) -> Any:
    from tradewind.store import scheduling

    with h.db.read() as conn:
        return scheduling.get_run(conn, dag_id, run_id)


def _ti_times(h: Home, dag_id: str, run_id: str) -> dict[str, Any]:
    """Each task's scheduled_at, queued_at, start_date and end_date, by task id."""
    import sqlalchemy as sa

    from tradewind.store.schema import task_instance

    t = task_instance.c
    with h.db.read() as conn:
        rows = conn.execute(sa.select(t.task_id, t.scheduled_at, t.queued_at, t.start_date, t.end_date)
                            .where(t.dag_id == dag_id, t.run_id == run_id)).all()
    return {r.task_id: r for r in rows}


def _ms(later: Any, earlier: Any) -> float:
    return (later - earlier).total_seconds() * 1000


def trigger_to_start(h: Home, repeats: int = 9) -> dict[str, float]:
    """Trigger a 2-task DAG `repeats` times from the CLI; time from the run's creation to the first task's
    start_date, split into its steps, and the hand-off from the first task's end to the second's start."""
    steps: dict[str, list[float]] = {"trigger_to_start_ms": [], "trigger_cli_spawn_to_start_ms": [],
                                     "step_run_created_to_run_started_ms": [], "step_run_started_to_ti_queued_ms": [],
                                     "step_ti_queued_to_ti_started_ms": [], "task_handoff_ms": [],
                                     "step_handoff_end_to_queued_ms": []}
    for i in range(repeats):
        run_id = f"bench_{i}"
        before = CLOCK.now()
        h.cli("dags", "trigger", "noop", "-r", run_id)
        wait_for(lambda: _run(h, "noop", run_id)["state"] in ("success", "failed"), 30)
        run, ti = _run(h, "noop", run_id), _ti_times(h, "noop", run_id)
        first, second = ti["first"], ti["second"]
        steps["trigger_to_start_ms"].append(_ms(first.start_date, run["queued_at"]))
        steps["trigger_cli_spawn_to_start_ms"].append(_ms(first.start_date, before))
        steps["step_run_created_to_run_started_ms"].append(_ms(run["start_date"], run["queued_at"]))
        steps["step_run_started_to_ti_queued_ms"].append(_ms(first.queued_at, run["start_date"]))
        steps["step_ti_queued_to_ti_started_ms"].append(_ms(first.start_date, first.queued_at))
        steps["task_handoff_ms"].append(_ms(second.start_date, first.end_date))
        steps["step_handoff_end_to_queued_ms"].append(_ms(second.queued_at, first.end_date))
    return {name: statistics.median(values) for name, values in steps.items()}


def write_small_dags(h: Home, count: int) -> None:
    for i in range(count):
        (h.dags / f"dag_{i:04d}.py").write_text(NOOP_DAG.format(dag_id=f"dag_{i:04d}"))


def unpause_all(h: Home) -> None:
    from tradewind.store import dags

    with h.db.write() as conn:
        for i in range(1000):
            dags.set_paused(conn, f"dag_{i:04d}", False)


def settle(process: subprocess.Popen[bytes], max_s: float = 120.0) -> float:
    """Wait until the start-up parse of the DAGs folder is over: two quiet seconds in a row; returns the wait."""
    started, quiet = CLOCK.monotonic(), 0
    while quiet < 2 and CLOCK.monotonic() - started < max_s:
        pids = process_tree(process.pid)
        before = sum(cpu_ticks(pid) for pid in pids)
        CLOCK.sleep(1.0)
        quiet = quiet + 1 if sum(cpu_ticks(pid) for pid in pids) - before <= CLK_TCK // 50 else 0
    return CLOCK.monotonic() - started


def idle_cpu(process: subprocess.Popen[bytes], window_s: float = 20.0) -> dict[str, float]:
    """CPU of the scheduler's process tree over `window_s` once idle, in percent of one core."""
    settled_s = settle(process)
    pids = process_tree(process.pid)
    before = {pid: cpu_ticks(pid) for pid in pids}
    started = CLOCK.monotonic()
    CLOCK.sleep(window_s)
    elapsed = CLOCK.monotonic() - started
    after = {pid: cpu_ticks(pid) for pid in pids}
    main_pid, rest = process.pid, [p for p in pids if p != process.pid]
    processor = min(rest) if rest else None  # the DAG processor is forked first, before the workers

    def percent(selected: list[int]) -> float:
        return sum(after[p] - before[p] for p in selected) / CLK_TCK / elapsed * 100

    return {"idle_settle_s": settled_s, "idle_cpu_percent": percent(pids), "idle_cpu_scheduler_percent": percent([main_pid]),
            "idle_cpu_dag_processor_percent": percent([processor]) if processor else 0.0,
            "idle_cpu_workers_percent": percent([p for p in rest if p != processor])}


def new_file_to_runnable(h: Home, repeats: int = 5) -> dict[str, float]:
    """Write a new DAG file while the scheduler runs; time until its serialized DAG is in the database."""
    from tradewind.store import serialized_dags

    times = []
    for i in range(repeats):
        dag_id = f"new_{i}"
        path = h.dags / f"{dag_id}.py"
        partial = path.with_suffix(".tmp")
        partial.write_text(NOOP_DAG.format(dag_id=dag_id))
        started = CLOCK.monotonic()
        partial.rename(path)

        def listed() -> bool:
            with h.db.read() as conn:
                return serialized_dags.latest(conn, dag_id) is not None

        wait_for(listed, 60, poll_s=0.01)
        times.append(CLOCK.monotonic() - started)
    return {"new_file_to_runnable_s": statistics.median(times), "new_file_to_runnable_max_s": max(times)}


def _pss_by_role(root: int) -> dict[str, int]:
    """PSS (kB) of the scheduler's tree split into the scheduler, its direct children (the DAG processor and
    the executor's workers) and deeper descendants (task processes and spare children), plus the count."""
    out = {"scheduler": memory_kb(root)[1], "workers": 0, "task_processes": 0, "processes": 0}
    for pid in process_tree(root):
        fields = stat_fields(pid)
        if fields is None or pid == root:
            continue
        out["workers" if int(fields[1]) == root else "task_processes"] += memory_kb(pid)[1]
        out["processes"] += 1
    return out


def memory_under_50_tasks(h: Home, process: subprocess.Popen[bytes]) -> dict[str, float]:
    """Peak RSS and PSS sums of the scheduler's process tree while 50 tasks sleep in parallel."""
    settle(process)
    idle = _pss_by_role(process.pid)
    h.cli("dags", "unpause", "wide_50")
    h.cli("dags", "trigger", "wide_50", "-r", "wide")
    peak_rss = peak_pss = 0
    peak: dict[str, int] = {}
    deadline = CLOCK.monotonic() + 120
    while CLOCK.monotonic() < deadline:
        pids = process_tree(process.pid)
        sizes = [memory_kb(pid) for pid in pids]
        peak_rss = max(peak_rss, sum(s[0] for s in sizes))
        if sum(s[1] for s in sizes) > peak_pss:
            peak_pss, peak = sum(s[1] for s in sizes), _pss_by_role(process.pid)
        rows = _task_rows(h, "wide_50", "wide")
        if rows and all(r.state in ("success", "failed") for r in rows):
            break
        CLOCK.sleep(0.1)
    rows = _task_rows(h, "wide_50", "wide")
    failed = [r.task_id for r in rows if r.state != "success"]
    if failed:
        raise RuntimeError(f"the 50 sleeping tasks must succeed for a fair figure; these did not: {failed}")
    events = sorted([(r.start_date, 1) for r in rows] + [(r.end_date, -1) for r in rows])
    running = concurrent = 0
    for _, step in events:
        running += step
        concurrent = max(concurrent, running)
    return {"peak_memory_mb": peak_pss / 1024, "peak_rss_sum_mb": peak_rss / 1024,
            "peak_pss_scheduler_mb": peak.get("scheduler", 0) / 1024,
            "peak_pss_dag_processor_and_workers_mb": peak.get("workers", 0) / 1024,
            "peak_pss_task_processes_mb": peak.get("task_processes", 0) / 1024,
            "peak_processes": peak.get("processes", 0) + 1, "idle_tree_pss_mb": sum(
                v for k, v in idle.items() if k != "processes") / 1024,
            "idle_processes": idle["processes"] + 1, "tasks_running_at_once": concurrent}


def tutorial_span(h: Home) -> dict[str, float]:
    """my_python_dag triggered under the scheduler: first task's start to last task's end."""
    h.cli("dags", "unpause", "my_python_dag")
    h.cli("dags", "trigger", "my_python_dag", "-r", "tutorial")
    wait_for(lambda: _run(h, "my_python_dag", "tutorial")["state"] in ("success", "failed"), 120, poll_s=0.05)
    rows = _task_rows(h, "my_python_dag", "tutorial")
    starts = {r.task_id: r.start_date for r in rows}
    ends = {r.task_id: r.end_date for r in rows}
    span = (max(ends.values()) - min(starts.values())).total_seconds()
    gaps = {"tutorial_gap_1_to_3_s": (starts["task_3"] - ends["task_1"]).total_seconds(),
            "tutorial_gap_3_to_4_s": (starts["task_4"] - ends["task_3"]).total_seconds(),
            "tutorial_task_3_s": (ends["task_3"] - starts["task_3"]).total_seconds()}
    return {"tutorial_span_s": span, **gaps}


def main() -> dict[str, float]:
    from tests.corpus.locate import corpus_dir

    figures: dict[str, float] = {}
    with home() as h:
        h.cli("db", "init")
        (h.dags / "noop.py").write_text(NOOP_DAG.format(dag_id="noop"))
        shutil.copy(corpus_dir() / "good" / "seed_tutorial.py", h.dags / "seed_tutorial.py")
        h.cli("dags", "list")
        h.cli("dags", "unpause", "noop")
        with scheduler(h):
            figures.update(trigger_to_start(h))
            figures.update(tutorial_span(h))
    with home(AIRFLOW__CORE__PARALLELISM="50", AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG="64") as h:
        h.cli("db", "init")
        (h.dags / "wide_50.py").write_text(WIDE_DAG)
        h.cli("dags", "list")
        with scheduler(h) as process:
            figures.update(memory_under_50_tasks(h, process))
    with home() as h:
        h.cli("db", "init")
        write_small_dags(h, 1000)
        started = CLOCK.monotonic()
        h.cli("dags", "list")
        figures["dags_list_1000_files_s"] = CLOCK.monotonic() - started
        unpause_all(h)
        with scheduler(h) as process:
            figures.update(idle_cpu(process))
            figures.update(new_file_to_runnable(h))
        # The same folder with the periodic re-parse of unchanged files ([scheduler] min_file_process_interval) off.
        with scheduler(h, AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL="86400") as process:
            figures.update({f"{k}_no_periodic_reparse": v for k, v in idle_cpu(process).items()})
    _print(figures)
    return figures


def _print(figures: dict[str, float]) -> None:
    for name, value in figures.items():
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"   (goal < {goal}: {'met' if value < goal else 'MISSED'})"
        print(f"{name}: {value:.4g}{verdict}")


if __name__ == "__main__":
    main()
