"""A long-lived local-executor worker: receives tries, runs each in a forked child, watches it, reports its end.

The worker keeps the DAG files it has imported (cached by path and mtime) and keeps one child
forked ahead of time (a spare, see local_child), so handing over a try costs one pipe write; the
next spare is forked after the try has been reported, off the hand-off path. While a child runs,
the worker records its heartbeat in the database and kills the child's process group when the try
outlives the task's execution_timeout (plus a grace period, so that the runner's own timeout, which
records a clean outcome, normally comes first). A child that ends without reporting an outcome is
failed here by compare-and-set (see dead_tries).
"""

from __future__ import annotations

import logging
import os
import select
import signal
import socket
from dataclasses import dataclass
from typing import Any, Callable, NoReturn

from tradewind.clock import Clock
from tradewind.executors import local_wire as wire
from tradewind.executors.base import TaskInstanceKey
from tradewind.executors.dead_tries import record_dead_try
from tradewind.executors.local_task_process import TaskProcess, describe_status, kill_group

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
    process: TaskProcess
    deadline_s: float | None
    next_heartbeat_s: float
    kill_reason: str | None = None


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
        self.loaded: dict[str, Any] = {}  # fileloc -> the DAGs object this process holds for it
        self.generation = 0  # bumped whenever this process imports a file: older spares lack it
        self.spare: TaskProcess | None = None
        self.current: _RunningTry | None = None
        self.exiting: dict[int, TaskProcess] = {}  # by pidfd: children that reported and are exiting
        self.is_stopping = False

    def serve(self) -> NoReturn:
        """Run tries until told to stop or until the executor goes away; then exit the process."""
        signal.signal(signal.SIGTERM, _on_sigterm)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the scheduler's to handle, by end()
        code = 0
        try:
            self._ensure_spare()
            while not (self.is_stopping and self.current is None):
                self._step()
        except (wire.PeerGone, _Terminated):
            self._kill_current("the executor went away")
        except BaseException:
            log.exception("local executor worker %s failed", os.getpid())
            self._kill_current("its worker failed")
            code = 1
        finally:
            self._release_children()
            os._exit(code)

    # -- the loop ------------------------------------------------------------------------------

    def _step(self) -> None:
        current, spare = self.current, self.spare
        fds = [self.sock.fileno(), *self.exiting]
        if current is not None:
            fds.append(current.process.pidfd)
            if not current.process.is_result_closed:
                fds.append(current.process.result_fd)
        if spare is not None:
            fds.append(spare.pidfd)
        readable = set(select.select(fds, [], [], self._next_timer_s())[0])
        if current is not None and readable & {current.process.result_fd, current.process.pidfd}:
            self._on_child_event(current, exited=current.process.pidfd in readable)
        if spare is not None and spare.pidfd in readable:  # a spare died before it got a try
            spare.reap()
            self.spare = None
        for pidfd in readable & set(self.exiting):
            self.exiting.pop(pidfd).reap()
        if self.sock.fileno() in readable:
            self._handle(wire.receive(self.sock))
        self._run_timers()
        if self.current is None and not self.is_stopping:
            self._ensure_spare()

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

    # -- starting a try ------------------------------------------------------------------------

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
        if self.loaded.get(fileloc) is not dags:
            self.loaded[fileloc] = dags
            self.generation += 1
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
        process = self._take_spare()
        if not process.hand(key, try_number, fileloc):
            self._retire(process)
            process = self._take_spare()
            process.hand(key, try_number, fileloc)  # a fresh fork: if it died already, its death is reported
        now = self.clock.monotonic()
        limit = getattr(dag.get_task(key.task_id), "execution_timeout", None)
        limit_s = limit.total_seconds() if limit is not None else None
        deadline = now + limit_s + self.config.timeout_grace_s if limit_s else None
        self.current = _RunningTry(key, try_number, task, process, deadline, now + self.config.heartbeat_interval_s)
        wire.send(self.sock, wire.STARTED, tuple(key), try_number, process.pid)

    def _ensure_spare(self) -> None:
        if self.spare is None:
            self.spare = TaskProcess.fork(self.run_try, self.db, self.config.settings, self._own_fds(),
                                          self.generation)

    def _take_spare(self) -> TaskProcess:
        """A child forked after every DAG file this worker has loaded (the spare, or a fresh fork)."""
        spare, self.spare = self.spare, None
        if spare is not None and spare.generation != self.generation:
            self._retire(spare)  # it lacks a DAG file loaded since: it would import it again
            spare = None
        if spare is None:
            self._ensure_spare()
            spare, self.spare = self.spare, None
        assert spare is not None
        return spare

    def _retire(self, process: TaskProcess) -> None:
        process.retire()
        self.exiting[process.pidfd] = process

    def _own_fds(self) -> list[int]:
        """Every fd of this worker that a new child must close."""
        fds = [self.sock.fileno()]
        for process in [*self.exiting.values(), self.spare, self.current.process if self.current else None]:
            if process is not None:
                fds += process.fds
        return fds

    # -- the end of a try ----------------------------------------------------------------------

    def _on_child_event(self, current: _RunningTry, *, exited: bool) -> None:
        """The child wrote to its result pipe or exited: report the try once its outcome is known."""
        outcome = current.process.read()
        if outcome is None and not exited:
            return  # more to come, or the pipe closed and the exit follows
        self.current = None
        state, error = outcome if outcome is not None else (None, None)
        if outcome is None:
            status = current.process.reap()
            kill_group(current.process.pid)  # what the dead child started must not outlive it
            why = current.kill_reason or "it died"
            error = (f"{current.key}: try {current.try_number} ended without an outcome: {why}; its process "
                     f"{describe_status(status)}")
            self._record_death(current, error)
        elif exited:
            current.process.reap()
        else:
            self.exiting[current.process.pidfd] = current.process  # reaped when it has exited
        wire.send(self.sock, wire.ENDED, tuple(current.key), current.try_number, state, wire.cut_error(error))

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
        kill_group(current.process.pid)

    def _kill_current(self, reason: str) -> None:
        """Kill the running try and wait for its child (the worker is about to exit)."""
        if self.current is not None:
            self._kill(self.current, reason)
            self.current.process.reap()

    def _release_children(self) -> None:
        """Retire the spare and reap every child, so that none outlives the worker."""
        if self.spare is not None:
            self._retire(self.spare)
            self.spare = None
        for process in self.exiting.values():
            process.reap()
        self.exiting.clear()

    # -- timers --------------------------------------------------------------------------------

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
