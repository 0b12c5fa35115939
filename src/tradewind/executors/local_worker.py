"""A long-lived local-executor worker: receives tries, forks one child per try, watches it, reports its end.

The worker keeps the DAG files it has imported (cached by path and mtime), so a try costs a fork.
While a child runs, the worker records its heartbeat in the database and kills the child's process
group when the try outlives the task's execution_timeout (plus a grace period, so that the
runner's own timeout, which records a clean outcome, normally comes first). A child that ends
without reporting an outcome is failed here by compare-and-set (see dead_tries).
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import socket
import sys
from dataclasses import dataclass
from typing import Any, Callable, NoReturn

from tradewind.clock import Clock
from tradewind.executors import local_wire as wire
from tradewind.executors.base import TaskInstanceKey
from tradewind.executors.dead_tries import record_dead_try
from tradewind.executors.local_child import prepare_child, run_child

log = logging.getLogger("tradewind.executors.local")


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker needs, fixed when the executor starts."""

    settings: Any
    db: Any  # the executor's Database, warmed before the fork; its pool is empty
    heartbeat_interval_s: float
    timeout_grace_s: float


class _Terminated(Exception):
    """SIGTERM reached the worker: kill the running try and exit."""


def _on_sigterm(_signum: int, _frame: Any) -> None:
    raise _Terminated()


@dataclass
class _RunningTry:
    """The child running one try, and the worker's timers for it."""

    key: TaskInstanceKey
    try_number: int
    task: Any  # the serialized task (retry settings for a death), or None
    pid: int
    pidfd: int
    read_fd: int
    started_s: float
    deadline_s: float | None
    next_heartbeat_s: float
    kill_reason: str | None = None


def describe_status(status: int) -> str:
    """A wait status in words: 'exited with code N' or 'was killed by SIGKILL'."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"was killed by {name}"
    return f"exited with code {os.waitstatus_to_exitcode(status)}"


def kill_group(pid: int) -> None:
    """SIGKILL a try's whole process group (the child leads it), tolerating one that is already gone."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


class Worker:
    """The loop of one worker process; `serve()` never returns."""

    def __init__(self, sock: socket.socket, config: WorkerConfig, run_try: Callable[..., Any]) -> None:
        from tradewind.runner.services import StoreServices
        from tradewind.sdk.runtime import install_services

        self.sock, self.config, self.run_try = sock, config, run_try
        self.clock = Clock()
        self.db = config.db
        self.db.engine.dispose(close=False)  # connections are per process: never share the executor's
        # Variable.get / Connection lookups at a DAG file's top level read the metadata DB.
        install_services(StoreServices(self.db, config.settings, self.clock))
        self.serialized: dict[str, Any] = {}
        self.current: _RunningTry | None = None
        self.is_stopping = False

    def serve(self) -> NoReturn:
        """Run tries until told to stop or until the executor goes away; then exit the process."""
        signal.signal(signal.SIGTERM, _on_sigterm)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the scheduler's to handle, by end()
        code = 0
        try:
            while not (self.is_stopping and self.current is None):
                self._step()
        except (wire.PeerGone, _Terminated):
            self._kill_current("the executor went away")
        except BaseException:
            log.exception("local executor worker %s failed", os.getpid())
            self._kill_current("its worker failed")
            code = 1
        finally:
            os._exit(code)

    def _step(self) -> None:
        fds = [self.sock.fileno()] + ([self.current.pidfd] if self.current else [])
        readable, _, _ = select.select(fds, [], [], self._next_timer_s())
        if self.current is not None and self.current.pidfd in readable:
            self._finish_current()
        if self.sock.fileno() in readable:
            self._handle(wire.receive(self.sock))
        self._run_timers()

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == wire.RUN:
            self._start(TaskInstanceKey(*message[1]), message[2])
        elif kind == wire.CANCEL:
            current = self.current
            if current is not None and current.key == TaskInstanceKey(*message[1]) and current.try_number == message[2]:
                self._kill(current, "it was cancelled")
        elif kind == wire.STOP:
            self.is_stopping = True
        elif kind == wire.KILL:
            self.is_stopping = True
            if self.current is not None:
                self._kill(self.current, "the executor ended before it finished")

    def _serialized_task(self, key: TaskInstanceKey) -> tuple[str, Any]:
        """The DAG file of `key` and its serialized task, from the newest serialized DAG (cached per dag_id)."""
        from tradewind.store import serialized_dags

        sdag = self.serialized.get(key.dag_id)
        if sdag is None or key.task_id not in sdag.tasks:
            with self.db.read() as conn:
                sdag = serialized_dags.latest(conn, key.dag_id)
            if sdag is None:
                raise LookupError(f"DAG {key.dag_id!r} has no serialized version in the metadata DB: "
                                  "parse its DAG file first (`airflow dags reserialize`)")
            self.serialized[key.dag_id] = sdag
        return sdag.fileloc, sdag.tasks.get(key.task_id)

    def _load_dag(self, key: TaskInstanceKey, fileloc: str) -> Any:
        from tradewind.dagfiles.importer import load_dags_from_file

        dags = load_dags_from_file(fileloc, self.config.settings)
        dag = dags.get(key.dag_id)
        if dag is None or not dag.has_task(key.task_id):
            self.serialized.pop(key.dag_id, None)  # the file may have moved: look it up again next time
            missing = f"DAG {key.dag_id!r}" if dag is None else f"task {key.task_id!r} of DAG {key.dag_id!r}"
            raise LookupError(f"{fileloc} no longer defines {missing}: re-parse the DAG files")
        return dag

    def _start(self, key: TaskInstanceKey, try_number: int) -> None:
        if self.current is not None:  # the executor sends one try at a time; refuse rather than lose one
            wire.send(self.sock, wire.ENDED, tuple(key), try_number, None, "the worker was busy; queue it again")
            return
        task = None
        try:
            fileloc, task = self._serialized_task(key)
            dag = self._load_dag(key, fileloc)
        except Exception as exc:
            error = f"{key}: try {try_number} could not start: {type(exc).__name__}: {exc}"
            record_dead_try(self.db, key, try_number, task, expected_states=("queued",), now=self.clock.now())
            wire.send(self.sock, wire.ENDED, tuple(key), try_number, None, wire.cut_error(error))
            return
        self.current = self._fork_child(key, try_number, dag, task)
        wire.send(self.sock, wire.STARTED, tuple(key), try_number, self.current.pid)

    def _fork_child(self, key: TaskInstanceKey, try_number: int, dag: Any, task: Any) -> _RunningTry:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            prepare_child([self.sock.fileno(), read_fd])
            run_child(self.run_try, self.db, self.config.settings, key, try_number, dag, write_fd)
        os.close(write_fd)
        try:
            os.setpgid(pid, pid)  # the child does it too: whichever runs first wins the race
        except OSError:
            pass
        os.set_blocking(read_fd, False)
        now = self.clock.monotonic()
        limit = getattr(dag.get_task(key.task_id), "execution_timeout", None)
        limit_s = limit.total_seconds() if limit is not None else None
        deadline = now + limit_s + self.config.timeout_grace_s if limit_s else None
        return _RunningTry(key, try_number, task, pid, os.pidfd_open(pid), read_fd, now, deadline,
                           now + self.config.heartbeat_interval_s)

    def _finish_current(self) -> None:
        current, self.current = self.current, None
        assert current is not None
        _, status = os.waitpid(current.pid, 0)
        os.close(current.pidfd)
        state, error, reported = self._read_outcome(current.read_fd)
        if not reported:
            kill_group(current.pid)  # what the dead child started must not outlive it
            why = current.kill_reason or "it died"
            error = f"{current.key}: try {current.try_number} ended without an outcome: {why}; its process " \
                    f"{describe_status(status)}"
            self._record_death(current, error)
        wire.send(self.sock, wire.ENDED, tuple(current.key), current.try_number, state, wire.cut_error(error))

    @staticmethod
    def _read_outcome(read_fd: int) -> tuple[str | None, str | None, bool]:
        """The (state, error) the child wrote before it exited; reported=False when it wrote none."""
        chunks = []
        try:
            while chunk := os.read(read_fd, 1 << 16):
                chunks.append(chunk)
        except BlockingIOError:
            pass  # a process the task started still holds the pipe open; the child wrote everything already
        finally:
            os.close(read_fd)
        try:
            state, error = pickle.loads(b"".join(chunks))
        except Exception:
            return None, None, False
        return state, error, True

    def _record_death(self, current: _RunningTry, error: str) -> None:
        try:
            state = record_dead_try(self.db, current.key, current.try_number, current.task,
                                    expected_states=("running", "queued"), now=self.clock.now())
        except Exception:
            log.exception("could not record the death of %s try %s", current.key, current.try_number)
            return
        if state is not None:
            log.warning("%s -> %s", error, state)

    def _kill(self, current: _RunningTry, reason: str) -> None:
        if current.kill_reason is None:
            current.kill_reason = reason
        kill_group(current.pid)

    def _kill_current(self, reason: str) -> None:
        """Kill the running try and wait for its child (the worker is about to exit)."""
        if self.current is not None:
            self._kill(self.current, reason)
            try:
                os.waitpid(self.current.pid, 0)
            except ChildProcessError:
                pass

    def _next_timer_s(self) -> float | None:
        current = self.current
        if current is None:
            return None
        timers = [current.next_heartbeat_s] + ([current.deadline_s] if current.deadline_s is not None else [])
        return max(0.0, min(timers) - self.clock.monotonic())

    def _run_timers(self) -> None:
        current = self.current
        if current is None:
            return
        now = self.clock.monotonic()
        if current.deadline_s is not None and now >= current.deadline_s and current.kill_reason is None:
            self._kill(current, "it ran past its execution_timeout")
            current.deadline_s = None
        if now >= current.next_heartbeat_s:
            current.next_heartbeat_s = now + self.config.heartbeat_interval_s
            self._heartbeat(current)

    def _heartbeat(self, current: _RunningTry) -> None:
        from tradewind.store import task_instances

        try:
            with self.db.write() as conn:
                task_instances.heartbeat(conn, current.key, try_number=current.try_number, now=self.clock.now())
        except Exception:  # a missed heartbeat is retried at the next interval, never fatal
            log.exception("could not record the heartbeat of %s try %s", current.key, current.try_number)
