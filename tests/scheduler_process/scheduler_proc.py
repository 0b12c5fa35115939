"""A real `airflow scheduler` process on a test home, its process tree, and bounded waits on what it does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from tests.conftest import AIRFLOW_BIN, AirflowHome, make_home
from tradewind.testing.procfs import process_tree, stat_fields

T = TypeVar("T")

# Pause between two polls of the database or the CLI; it bounds nothing, the deadlines do.
POLL_S = 0.2
FINISHED_RUN_STATES = ("success", "failed")


def short_home(**env: str) -> AirflowHome:
    """A fresh AIRFLOW_HOME under a short path: the scheduler's wake-up socket path must stay under 100 bytes."""
    path = Path(tempfile.mkdtemp(prefix="tw-sp-")) / "airflow"
    return make_home(path, **env)


def remove_home(home: AirflowHome) -> None:
    """Delete a home made by short_home(), with its temporary parent folder."""
    shutil.rmtree(home.path.parent, ignore_errors=True)


def write_dag(home: AirflowHome, name: str, source: str) -> Path:
    """Write one DAG file into the home's dags folder (dedented), atomically so no half file is parsed."""
    path = home.dags / name
    partial = path.with_suffix(".partial")
    partial.write_text(textwrap.dedent(source))
    partial.rename(path)
    return path


def wait_for(what: str, probe: Callable[[], T | None], timeout_s: float, on_timeout: Callable[[], str] = lambda: ""
             ) -> T:
    """Call `probe` until it returns something truthy; fail naming `what` after `timeout_s` seconds."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}\n{on_timeout()}")
        time.sleep(POLL_S)


def session_members(sid: int) -> list[int]:
    """The pids whose session id is `sid`."""
    out = []
    for entry in os.listdir("/proc"):
        fields = stat_fields(entry) if entry.isdigit() else None
        if fields is not None and int(fields[3]) == sid:
            out.append(int(entry))
    return out


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` that still exist and are not zombies."""
    return [pid for pid in pids if (fields := stat_fields(pid)) is not None and fields[0] != "Z"]


@dataclass
class SchedulerProcess:
    """One `airflow scheduler` started by a test; its output goes to a log file in the home."""

    home: AirflowHome
    popen: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(cls, home: AirflowHome, **env: str) -> "SchedulerProcess":
        log_path = home.path / f"scheduler-{time.monotonic_ns()}.log"
        with log_path.open("wb") as out:
            popen = subprocess.Popen([str(AIRFLOW_BIN), "scheduler"], env={**home.env, **env}, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        return cls(home, popen, log_path)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log(self) -> str:
        """The end of the scheduler's output, for failure messages."""
        return self.log_path.read_text(errors="replace")[-6000:]

    def tree(self) -> list[int]:
        """The scheduler and its live descendants."""
        return process_tree(self.pid)

    def session(self) -> list[int]:
        """Every live process of the scheduler's session, orphans included."""
        return alive(session_members(self.pid))

    def stop(self, timeout_s: float = 60) -> int:
        """SIGTERM the scheduler and wait for it; returns its exit code."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the scheduler did not stop within {timeout_s:.0f} s of SIGTERM\n{self.log()}")

    def kill_tree(self) -> None:
        """SIGKILL the scheduler and every process it started (clean-up after a failed test).

        The scheduler leads its own session, so its descendants, even those orphaned by an earlier
        SIGKILL, are found by session id and never mistaken for someone else's processes.
        """
        for pid in alive(session_members(self.pid)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.popen.poll() is None:
            self.popen.wait(10)


def prepare_home(home: AirflowHome, dag_files: dict[str, str] | None = None, copy_from: Path | None = None) -> None:
    """`db init`, the DAG files, then `dags list` so that every DAG has its rows before the scheduler starts."""
    home.cli("db", "init")
    if copy_from is not None:
        for path in sorted(copy_from.glob("*.py")):
            shutil.copy(path, home.dags / path.name)
    for name, source in (dag_files or {}).items():
        write_dag(home, name, source)
    home.cli("dags", "list")


def runs_of(home: AirflowHome, dag_id: str) -> list[dict[str, Any]]:
    """The DAG's runs as `dags list-runs -o json` prints them."""
    return home.cli_json("dags", "list-runs", dag_id) or []


def wait_for_runs(home: AirflowHome, dag_id: str, count: int, timeout_s: float,
                  scheduler: SchedulerProcess | None = None) -> list[dict[str, Any]]:
    """Poll `dags list-runs` until the DAG has at least `count` runs and all of them have finished."""
    def finished() -> list[dict[str, Any]] | None:
        runs = runs_of(home, dag_id)
        done = len(runs) >= count and all(r["state"] in FINISHED_RUN_STATES for r in runs)
        return runs if done else None

    def describe() -> str:
        runs = runs_of(home, dag_id)
        states = {r["run_id"]: {task_id: [row["state"] for row in rows]
                                for task_id, rows in task_rows(home, dag_id, r["run_id"]).items()}
                  for r in runs if r["state"] not in FINISHED_RUN_STATES}
        return f"runs now: {runs}\nunfinished task states: {states}\n" + (scheduler.log() if scheduler else "")

    return wait_for(f"{count} finished run(s) of {dag_id}", finished, timeout_s, describe)


def task_rows(home: AirflowHome, dag_id: str, run_id: str) -> dict[str, list[dict[str, Any]]]:
    """`tasks states-for-dag-run` grouped by task id (mapped instances in map index order)."""
    rows = home.cli_json("tasks", "states-for-dag-run", dag_id, run_id) or []
    out: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["task_id"], r["map_index"])):
        out.setdefault(row["task_id"], []).append(row)
    return out
