"""The LocalExecutor: a few long-lived worker processes on this machine, one forked process per try.

The scheduler process forks the workers at start(), with Tradewind already imported: one per four
CPU cores unless `[local_executor] workers` says otherwise, never more than `parallelism`. Each worker
runs many tries at once, each in its own process forked by the worker's fork server, and does their
database work in batches (see local_worker and docs/decisions/0004); `parallelism` bounds the tries
running at once across all workers. Each
worker talks to the executor over its own message socket, so a finished try wakes the scheduler
at once: `wait(timeout)` sleeps until the first result or the timeout, never a fixed poll
interval. A worker that dies is replaced; the tries it was running are left to the scheduler's
heartbeat check. A worker whose scheduler dies finishes the tries it started, then exits.
"""

from __future__ import annotations

import gc
import logging
import os
import select
import socket
import sys
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterable

from tradewind.clock import Clock
from tradewind.executors import local_wire as wire
from tradewind.executors.base import BaseExecutor, FinishedTry, TaskInstanceKey
from tradewind.executors.local_task_process import kill_group
from tradewind.executors.local_warmup import warm_up_runner
from tradewind.executors.local_worker import Worker, WorkerConfig

log = logging.getLogger("tradewind.executors.local")


@dataclass
class _WorkerHandle:
    """The executor's side of one worker: its pid, its socket, the tries it runs and their children."""

    pid: int
    sock: socket.socket
    running: dict[TaskInstanceKey, int] = field(default_factory=dict)  # try number by key
    child_pids: dict[TaskInstanceKey, int] = field(default_factory=dict)


def _as_key(key: Any) -> TaskInstanceKey:
    return key if isinstance(key, TaskInstanceKey) else TaskInstanceKey(*key)


CORES_PER_WORKER = 4
"""With a fork server each, one worker keeps about four cores busy with task processes."""


def worker_count(settings: Any, parallelism: int) -> int:
    """How many workers to fork: `[local_executor] workers`, or one per four CPU cores; at most `parallelism`."""
    wanted = int(settings.get("local_executor", "workers") or 0)
    if wanted < 0:
        raise ValueError(f"[local_executor] workers = {wanted}: must be 0 (one per four CPU cores) or more")
    return max(1, min(parallelism, wanted or (os.cpu_count() or 1) // CORES_PER_WORKER))


class LocalExecutor(BaseExecutor):
    """Runs up to `parallelism` tries at once, each in a child forked from one of a few long-lived workers."""

    def __init__(self, settings: Any, db_url: str, *, parallelism: int, clock: Clock,
                 heartbeat_interval_s: float | None = None, timeout_grace_s: float = 2.0,
                 end_grace_s: float = 30.0, spare_idle_s: float = 10.0) -> None:
        if parallelism < 1:
            raise ValueError(f"LocalExecutor parallelism = {parallelism!r}: must be at least 1 ([core] parallelism)")
        self.workers = worker_count(settings, parallelism)
        self.tries_per_process = int(settings.get("local_executor", "tries_per_process"))
        if self.tries_per_process < 1:
            raise ValueError(f"[local_executor] tries_per_process = {self.tries_per_process}: must be at least 1 "
                             "(1 runs every try in a fresh process)")
        if heartbeat_interval_s is None:
            # Several heartbeats fit in the timeout, so one slow write never makes a live try look dead.
            heartbeat_timeout_s = float(settings.get("scheduler", "task_instance_heartbeat_timeout"))
            heartbeat_interval_s = min(5.0, max(0.5, heartbeat_timeout_s / 6))
        self.parallelism = parallelism
        self.clock = clock
        self.end_grace_s = end_grace_s
        self.settings, self.db_url = settings, db_url
        self._heartbeat_interval_s, self._timeout_grace_s = heartbeat_interval_s, timeout_grace_s
        self._spare_idle_s = spare_idle_s
        self._config: WorkerConfig | None = None
        self._workers: dict[int, _WorkerHandle] = {}  # by socket fd
        self._pending: deque[tuple[TaskInstanceKey, int]] = deque()
        self._running: dict[TaskInstanceKey, _WorkerHandle] = {}
        self._finished: list[FinishedTry] = []
        self._is_started = False
        self._is_ending = False

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Fork the worker processes (after importing what every try needs, so that they share it)."""
        if self._is_started:
            return
        from tradewind.dagfiles.importer import preload_modules
        from tradewind.runner.run_try import run_task_try
        from tradewind.store import serialized_dags, task_instances  # noqa: F401  (imported once, shared)
        from tradewind.store.database import Database

        preload_modules()
        db = Database(self.db_url, busy_timeout_ms=self.settings.get("database", "sqlite_busy_timeout_ms"))
        warm_up_runner(db, self.settings, run_task_try, self.clock)
        db.dispose()  # the workers inherit the compiled statements, never a connection
        self._config = WorkerConfig(self.settings, db, self._heartbeat_interval_s, self._timeout_grace_s,
                                    tries_per_process=self.tries_per_process, spare_idle_s=self._spare_idle_s)
        self._is_started = True
        for _ in range(self.workers):
            self._spawn_worker()

    def _spawn_worker(self) -> _WorkerHandle:
        ours, theirs = wire.socket_pair()
        sys.stdout.flush()
        sys.stderr.flush()
        # Objects that exist now are never collected in the worker, so their pages stay shared.
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid != 0:
            gc.unfreeze()  # the worker keeps its inherited objects frozen; this process collects again
        if pid == 0:
            assert self._config is not None
            _serve_forked_worker(ours, theirs, [w.sock for w in self._workers.values()], self._config)
        theirs.close()
        handle = _WorkerHandle(pid, ours)
        self._workers[ours.fileno()] = handle
        return handle

    def end(self) -> None:
        """Stop accepting tries, let running ones finish for `end_grace_s`, kill the rest; no process is left."""
        if not self._is_started or self._is_ending:
            return
        self._is_ending = True
        while self._pending:
            key, try_number = self._pending.popleft()
            self._finished.append(FinishedTry(key, try_number, None, "the executor ended before this try started"))
        for handle in list(self._workers.values()):
            self._send(handle, wire.STOP)
        if not self._wait_for_workers(self.end_grace_s):
            for handle in list(self._workers.values()):
                self._send(handle, wire.KILL)
            if not self._wait_for_workers(5.0):
                for handle in list(self._workers.values()):
                    self._kill_worker(handle)

    def _wait_for_workers(self, timeout_s: float) -> bool:
        """Pump messages until every worker has exited or `timeout_s` passed; True when none is left."""
        deadline = self.clock.monotonic() + timeout_s
        while self._workers:
            remaining = deadline - self.clock.monotonic()
            if remaining <= 0:
                return False
            self._pump(remaining)
        return True

    def _kill_worker(self, handle: _WorkerHandle) -> None:
        for child_pid in handle.child_pids.values():
            kill_group(child_pid)
        kill_group(handle.pid)
        self._forget_worker(handle)

    # -- the executor interface ----------------------------------------------------------------

    def queue(self, key: Any, try_number: int) -> None:
        """Accept one queued try; it goes to a worker at once, or waits while `parallelism` tries run."""
        if not self._is_started:
            raise RuntimeError("LocalExecutor.queue() before start(): call start() first")
        if self._is_ending:
            raise RuntimeError(f"LocalExecutor is ending: {_as_key(key)} try {try_number} was not accepted")
        self._pending.append((_as_key(key), try_number))
        self._dispatch()

    def sync(self) -> list[FinishedTry]:
        """The tries that ended since the last call (reading whatever the workers have sent, without blocking)."""
        if self._workers:
            self._pump(0.0)
        finished, self._finished = self._finished, []
        return finished

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep until a try ends or `timeout` seconds pass; True when sync() has something to return."""
        deadline = None if timeout is None else self.clock.monotonic() + timeout
        while not self._finished:
            remaining = None if deadline is None else deadline - self.clock.monotonic()
            if remaining is not None and remaining <= 0:
                break
            if not self._workers:
                self.clock.sleep(remaining or 0.0)
                break
            self._pump(remaining)
        return bool(self._finished)

    def filenos(self) -> list[int]:
        """Descriptors that turn readable when a worker reports: the scheduler selects on them with its own."""
        return list(self._workers)

    def has_capacity(self) -> bool:
        return len(self._running) + len(self._pending) < self.parallelism

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every accepted try has ended; their results stay for the next sync()."""
        deadline = None if timeout is None else self.clock.monotonic() + timeout
        while self._running or self._pending:
            remaining = None if deadline is None else deadline - self.clock.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            self._pump(remaining)
        return True

    def cancel(self, key: Any) -> bool:
        """Drop a waiting try of `key`, or kill the child running it (its end is reported by sync())."""
        key = _as_key(key)
        for item in self._pending:
            if item[0] == key:
                self._pending.remove(item)
                self._finished.append(FinishedTry(key, item[1], None, "cancelled before it started"))
                return True
        handle = self._running.get(key)
        if handle is None or key not in handle.running:
            return False
        self._send(handle, wire.CANCEL, tuple(key), handle.running[key])
        return True

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for measurements and tests)."""
        return [w.pid for w in self._workers.values()]

    @property
    def running_workers(self) -> dict[TaskInstanceKey, int]:
        """The tries a worker is running now, with that worker's process id."""
        return {key: h.pid for key, h in self._running.items()}

    # -- messages ------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        held: list[tuple[TaskInstanceKey, int]] = []
        while self._pending and len(self._running) < self.parallelism and self._workers and not self._is_ending:
            key, try_number = self._pending.popleft()
            if key in self._running:  # a new try of an instance still running (cleared) waits for the old one
                held.append((key, try_number))
                continue
            # The least busy worker; on a tie the first, whose spare task process is warm.
            handle = min(self._workers.values(), key=lambda h: len(h.running))
            handle.running[key] = try_number
            self._running[key] = handle
            if not self._send(handle, wire.RUN, tuple(key), try_number):
                self._running.pop(key, None)
                self._pending.appendleft((key, try_number))  # the worker died: its replacement takes it
        self._pending.extendleft(reversed(held))

    def _send(self, handle: _WorkerHandle, *message: Any) -> bool:
        try:
            wire.send(handle.sock, *message)
            return True
        except wire.PeerGone:
            self._on_worker_gone(handle)
            return False

    def _pump(self, timeout: float | None) -> None:
        """Wait up to `timeout` for messages, then handle everything that has arrived."""
        fds = list(self._workers)
        readable, _, _ = select.select(fds, [], [], timeout)
        while readable:
            for fd in readable:
                handle = self._workers.get(fd)
                if handle is None:
                    continue
                try:
                    self._handle(handle, wire.receive(handle.sock))
                except wire.PeerGone:
                    self._on_worker_gone(handle)
            fds = list(self._workers)
            readable = select.select(fds, [], [], 0)[0] if fds else []
        self._dispatch()

    def _handle(self, handle: _WorkerHandle, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == wire.STARTED:
            handle.child_pids[TaskInstanceKey(*message[1])] = message[3]
        elif kind == wire.ENDED:
            key, try_number, state, error = TaskInstanceKey(*message[1]), message[2], message[3], message[4]
            self._finished.append(FinishedTry(key, try_number, state, error))
            if self._running.get(key) is handle:
                del self._running[key]
            handle.running.pop(key, None)
            handle.child_pids.pop(key, None)

    def _on_worker_gone(self, handle: _WorkerHandle) -> None:
        """A worker exited: reap it; unless we are ending, replace it and leave its try to the heartbeat check."""
        if handle.sock.fileno() not in self._workers:
            return
        if handle.running and not self._is_ending:
            log.warning("local executor worker %s died while running %s; the scheduler's heartbeat check will fail "
                        "or retry them", handle.pid, ", ".join(f"{k} try {n}" for k, n in handle.running.items()))
        for child_pid in handle.child_pids.values():
            kill_group(child_pid)  # no child may outlive the worker that watched it
        self._forget_worker(handle)
        if not self._is_ending:
            self._spawn_worker()
            self._dispatch()

    def _forget_worker(self, handle: _WorkerHandle) -> None:
        self._workers.pop(handle.sock.fileno(), None)
        for key in handle.running:
            if self._running.get(key) is handle:
                del self._running[key]
        handle.sock.close()
        try:
            os.waitpid(handle.pid, 0)
        except ChildProcessError:
            pass


def _serve_forked_worker(ours: socket.socket, theirs: socket.socket, others: Iterable[socket.socket],
                         config: WorkerConfig) -> None:
    """In a freshly forked worker: keep only our own socket end, then serve until told to stop."""
    code = 1
    try:
        ours.close()
        for sock in others:  # another worker's end held open here would hide that worker's death
            sock.close()
        from tradewind.runner.run_try import execute_try

        Worker(theirs, config, execute_try).serve()
    except BaseException:
        log.exception("local executor worker %s could not start", os.getpid())
    finally:
        os._exit(code)


class ResultWakingClock(Clock):
    """A clock whose sleep() ends early when a try ends: hands a loop written against Clock.sleep to wait()."""

    def __init__(self, clock: Clock, executor: LocalExecutor) -> None:
        self._clock, self._executor = clock, executor

    def now(self) -> Any:
        return self._clock.now()

    def monotonic(self) -> float:
        return self._clock.monotonic()

    def sleep(self, seconds: float) -> None:
        self._executor.wait(max(0.0, seconds))
