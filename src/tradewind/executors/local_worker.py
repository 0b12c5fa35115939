"""A long-lived local-executor worker: starts tries, runs each in a forked child, watches them, records their ends.

A worker runs many tries at once, each in its own child (see local_child), and does their database
work itself, in batches: every try it was sent since it last looked is started in one transaction
(compare-and-set queued -> running, reading what the try's context needs), and every try that has
ended since is finished in one transaction (final state, XComs, history) before its end is reported
to the executor. So a child that needs nothing else from the database never connects to it, and a
worker's writes grow with the batches, not with the tries.

The worker never forks a task process, nor imports a DAG file: its fork server does both (see
local_forkserver). So the worker's memory is not shared with a new child at every try (after a
fork, every page a process writes is copied first; a worker that forked per try paid that on each
transaction), and no user code runs in it. The worker keeps task processes waiting (spares) for the
DAG file of its last try: one forked ahead of time, and, while tries keep coming, those back from
a clean try that may take another (see try_traces), so handing over a try costs one pipe write.

While children run, the worker records their heartbeats in one transaction per interval and kills
a child's process group when its try outlives the task's execution_timeout (plus a grace period,
so that the runner's own timeout, which records a clean outcome, normally comes first). A child
that ends without an outcome is failed or retried here by compare-and-set.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import socket
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, NoReturn

from tradewind.clock import Clock
from tradewind.dagfiles.error_messages import describe_wait_status
from tradewind.executors import local_wire as wire
from tradewind.executors.base import TaskInstanceKey
from tradewind.executors.dead_tries import fail_dead_try, record_dead_try
from tradewind.executors.local_forkserver import ForkServer, ForkServerGone, Refused
from tradewind.executors.local_task_process import TaskProcess, kill_group
from tradewind.runner.records import TryInputs, for_task_process

log = logging.getLogger("tradewind.executors.local")


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker needs, fixed when the executor starts."""

    settings: Any
    db: Any  # the executor's Database, warmed before the fork; its pool is empty
    heartbeat_interval_s: float
    timeout_grace_s: float
    tries_per_process: int = 1  # [local_executor] tries_per_process
    spare_idle_s: float = 10.0  # idle task processes beyond SPARES are retired after this long


SPARES = 1
"""Task processes forked ahead of tries, for the DAG file of the last try (a chain needs one)."""

DEMAND_WINDOW_S = 1.0
"""A process back from a try waits for another only while fewer than SPARES, plus the tries the worker
started this recently, wait already."""


class _Terminated(Exception):
    """SIGTERM reached the worker: kill the running tries and exit."""


def _on_sigterm(_signum: int, _frame: Any) -> None:
    raise _Terminated()


@dataclass
class _RunningTry:
    """The child running one try, and the worker's timers for it."""

    key: TaskInstanceKey
    try_number: int
    task: Any  # the serialized task (retry settings for a death), or None
    process: TaskProcess
    start_date: Any
    deadline_s: float | None
    kill_reason: str | None = None


@dataclass
class _Request:
    """A try the executor sent, on its way to being started: its DAG file and task, and the child for it."""

    key: TaskInstanceKey
    try_number: int
    fileloc: str = ""
    version: int = 0  # the DAG file's mtime: a spare forked before it changed would import it again
    task: Any = None
    timeout_s: float | None = None
    process: TaskProcess | None = None


def _file_version(fileloc: str) -> int:
    """The DAG file's modification time: OSError naming the file when it cannot be read."""
    try:
        return os.stat(fileloc).st_mtime_ns
    except OSError as exc:
        raise OSError(f"{fileloc} cannot be read ({exc.strerror}): re-parse the DAG files") from None


class Worker:
    """The loop of one worker process; `serve()` never returns."""

    def __init__(self, sock: socket.socket, config: WorkerConfig, execute_try: Callable[..., Any]) -> None:
        from tradewind.runner.services import StoreServices
        from tradewind.sdk.runtime import install_services

        self.sock, self.config, self.execute_try = sock, config, execute_try
        self.clock = Clock()
        self.db = config.db  # its first use in this process drops the executor's pooled connections
        # Variable.get / Connection lookups at a DAG file's top level read the metadata DB; the fork
        # server, which imports DAG files, inherits these services.
        install_services(StoreServices(self.db, config.settings, self.clock))
        self.serialized: dict[str, tuple[Any, int]] = {}  # dag_id -> (newest serialized DAG, its file's mtime)
        self.forkserver: ForkServer | None = None
        self.spares: list[TaskProcess] = []
        self.last_fileloc: str | None = None
        self.last_version = 0
        self.tries: dict[TaskInstanceKey, _RunningTry] = {}
        self.recent_starts: deque[float] = deque()  # when tries started (monotonic), for DEMAND_WINDOW_S
        self.exiting: dict[int, TaskProcess] = {}  # by pidfd: children that reported and are exiting
        self.next_heartbeat_s: float | None = None
        self.is_stopping = False
        self.is_orphaned = False  # the executor went away: finish the tries started, then exit

    def serve(self) -> NoReturn:
        """Run tries until told to stop, or until the executor goes away and the tries started have ended.

        A scheduler killed with SIGKILL does not take its tries with it: as Airflow's task processes,
        they run to their end and are recorded (with heartbeats meanwhile); the tries sent but not
        started stay queued for the next scheduler.
        """
        signal.signal(signal.SIGTERM, _on_sigterm)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the scheduler's to handle, by end()
        code = 0
        try:
            self._start_forkserver()
            while not (self.is_stopping and not self.tries):
                self._step()
        except _Terminated:
            self._kill_all("the worker was sent SIGTERM")
        except BaseException:
            log.exception("local executor worker %s failed", os.getpid())
            self._kill_all("its worker failed")
            code = 1
        finally:
            self._release_children()
            os._exit(code)

    # -- the loop ------------------------------------------------------------------------------

    def _step(self) -> None:
        watched: dict[int, _RunningTry] = {}
        for running in self.tries.values():
            watched[running.process.pidfd] = running
            if not running.process.is_result_closed:
                watched[running.process.result_fd] = running
        spares = {spare.pidfd: spare for spare in self.spares}
        forkserver = self._forkserver()
        fds = [forkserver.fileno(), *watched, *self.exiting, *spares]
        if not self.is_orphaned:
            fds.append(self.sock.fileno())
        readable = set(select.select(fds, [], [], self._next_timer_s())[0])
        if forkserver.fileno() in readable:
            try:
                forkserver.receive()
            except ForkServerGone:
                self._start_forkserver()
            self._adopt_spares()
        ended = self._collect_ended(readable, watched)
        for pidfd in readable & set(spares):  # a spare died before it got a try
            spares[pidfd].close()
            self.spares.remove(spares[pidfd])
        for pidfd in readable & set(self.exiting):
            self.exiting.pop(pidfd).close()
        requests = self._receive_all() if self.sock.fileno() in readable and not self.is_orphaned else []
        if ended:
            self._finish(ended)
        if requests:
            self._start(requests)
        self._run_timers()
        self._request_spares()

    def _request_spares(self) -> None:
        """When the spares are used up, ask for new ones for the DAG file of the last try."""
        forkserver = self._forkserver()
        if self.is_stopping or self.spares or forkserver.pending or self.last_fileloc is None:
            return
        try:
            for _ in range(SPARES):
                forkserver.request(self.last_fileloc, self.last_version)
        except ForkServerGone:
            self._start_forkserver()

    def _receive_all(self) -> list[_Request]:
        """Every message waiting on the socket; the tries to start among them (none once the executor is gone)."""
        requests: list[_Request] = []
        while True:
            try:
                message = wire.receive(self.sock)
            except wire.PeerGone:
                self._on_executor_gone()
                return []
            kind = message[0]
            if kind == wire.RUN:
                requests.append(_Request(TaskInstanceKey(*message[1]), message[2]))
            elif kind == wire.CANCEL:
                running = self.tries.get(TaskInstanceKey(*message[1]))
                if running is not None and running.try_number == message[2]:
                    self._kill(running, "it was cancelled")
            elif kind == wire.STOP:
                self.is_stopping = True
            elif kind == wire.KILL:  # killed children are reported as they exit, then the worker stops
                self.is_stopping = True
                for running in self.tries.values():
                    self._kill(running, "the executor ended before it finished")
            if not select.select([self.sock], [], [], 0)[0]:
                return requests

    # -- starting tries ------------------------------------------------------------------------

    def _serialized_task(self, key: TaskInstanceKey) -> tuple[str, Any, int]:
        """The DAG file of `key`, its serialized task, and the file's version (mtime).

        The newest serialized DAG is cached per dag_id, and read again when the task is new to it or
        its file changed since (the DAG processor re-parses a changed file within a second).
        """
        from tradewind.store import serialized_dags

        cached = self.serialized.get(key.dag_id)
        if cached is not None:
            sdag, version = cached
            try:
                unchanged = key.task_id in sdag.tasks and _file_version(sdag.fileloc) == version
            except OSError:  # moved or deleted: the newest serialized DAG may name its new place
                unchanged = False
            if unchanged:
                return sdag.fileloc, sdag.tasks[key.task_id], version
        with self.db.read() as conn:
            sdag = serialized_dags.latest(conn, key.dag_id)
        if sdag is None:
            raise LookupError(f"DAG {key.dag_id!r} has no serialized version in the metadata DB: "
                              "parse its DAG file first (`airflow dags reserialize`)")
        version = _file_version(sdag.fileloc)
        self.serialized[key.dag_id] = (sdag, version)
        return sdag.fileloc, sdag.tasks.get(key.task_id), version

    def _start(self, requests: list[_Request]) -> None:
        """Start the requested tries: find their DAG files, give each a child, take them all in one transaction."""
        found: list[_Request] = []
        for request in requests:
            if request.key in self.tries:  # the executor sends a key once at a time; refuse rather than lose one
                self._report(request.key, request.try_number, None, "the worker already runs this task instance")
                continue
            try:
                request.fileloc, request.task, request.version = self._serialized_task(request.key)
            except Exception as exc:
                self._refuse(request, f"{type(exc).__name__}: {exc}")
                continue
            timeout_s = request.task.get("execution_timeout_s") if request.task is not None else None
            request.timeout_s = float(timeout_s) if timeout_s else None
            found.append(request)
        ready = self._give_processes(found)
        taken = self._take_in_database(ready)
        for request in ready:
            process = request.process
            assert process is not None
            inputs = taken.get(request.key)
            if not isinstance(inputs, TryInputs):  # not started: report the state found, or None when unknown
                found, why = inputs if inputs is not None else (None, "the worker could not start it")
                self._retire(process)
                self._report(request.key, request.try_number, found, why)
                continue
            # A child that died while waiting fails this hand; its pidfd then reports the death.
            process.hand(request.key, request.try_number, request.fileloc, for_task_process(inputs))
            now = self.clock.monotonic()
            self.recent_starts.append(now)
            deadline = now + request.timeout_s + self.config.timeout_grace_s if request.timeout_s else None
            self.tries[request.key] = _RunningTry(request.key, request.try_number, request.task, process,
                                                  inputs.started.start_date, deadline)
            if self.next_heartbeat_s is None:
                self.next_heartbeat_s = now + self.config.heartbeat_interval_s
            self._tell(wire.STARTED, tuple(request.key), request.try_number, process.pid)

    def _take_in_database(self, requests: list[_Request]) -> dict[TaskInstanceKey, Any]:
        """Start each try (queued -> running) in one transaction: its TryInputs, or (state found, why not).

        When the batch fails as a whole, each try is started in its own transaction, so that one bad
        try (its run deleted meanwhile) does not stop the others.
        """
        if not requests:
            return {}
        try:
            with self.db.write() as conn:
                return self._take_each(conn, requests)
        except Exception:
            if len(requests) == 1:
                log.exception("could not start %s try %s", requests[0].key, requests[0].try_number)
                return {}
        taken: dict[TaskInstanceKey, Any] = {}
        for request in requests:
            taken.update(self._take_in_database([request]))
        return taken

    def _take_each(self, conn: Any, requests: list[_Request]) -> dict[TaskInstanceKey, Any]:
        from tradewind.runner import records
        from tradewind.runner.run_try import why_not_run

        now = self.clock.now()
        runs: dict[Any, Any] = {}
        taken: dict[TaskInstanceKey, Any] = {}
        for request in requests:
            assert request.process is not None
            inputs = records.start_try(conn, request.key, request.try_number, now, pid=request.process.pid, runs=runs)
            if inputs is None:
                found, current_try = records.read_state(conn, request.key)
                taken[request.key] = (found or "none", why_not_run(request.key, request.try_number, found, current_try))
            else:
                taken[request.key] = inputs
        return taken

    def _forkserver(self) -> ForkServer:
        assert self.forkserver is not None, "serve() starts the fork server"
        return self.forkserver

    def _start_forkserver(self) -> ForkServer:
        """Start the fork server, or a new one when it died (the tries running stay watched by their pidfds)."""
        if self.forkserver is not None:
            log.warning("local executor worker %s: its fork server %s exited; starting a new one", os.getpid(),
                        self.forkserver.pid)
            self.forkserver.close()
        self.forkserver = ForkServer(self.execute_try, self.db, self.config.settings, self._own_fds(),
                                     tries_per_process=self.config.tries_per_process)
        return self.forkserver

    def _own_fds(self) -> list[int]:
        """The fds a new fork server must close: a spare's pipe held there would never reach end of file."""
        fds = [self.sock.fileno()]
        for process in [*self.spares, *self.exiting.values(), *(t.process for t in self.tries.values())]:
            fds += process.fds
        return fds

    def _give_processes(self, requests: list[_Request]) -> list[_Request]:
        """A task process for each request: a spare forked since its DAG file last changed, or a new one.

        Returns the requests that got one; the others are refused (their file fails or lacks the task).
        """
        forkserver = self._forkserver()
        forkserver.receive()
        self._adopt_spares()
        missing: list[_Request] = []
        for request in requests:
            # The newest first: a process back from its last try has its pages copied already.
            spare = next((p for p in reversed(self.spares)
                          if (p.fileloc, p.generation) == (request.fileloc, request.version)), None)
            if spare is not None:
                self.spares.remove(spare)
                request.process = spare
            else:
                missing.append(request)
        wanted = [(r.fileloc, r.version, (r.key.dag_id, r.key.task_id)) for r in missing]
        try:
            answers = forkserver.take(wanted)
        except ForkServerGone:
            answers = self._start_forkserver().take(wanted)
        for request, answer in zip(missing, answers):
            if isinstance(answer, Refused):
                self._refuse(request, answer)
            else:
                request.process = answer
        self._adopt_spares()
        if requests:
            self.last_fileloc, self.last_version = requests[-1].fileloc, requests[-1].version
        for spare in [p for p in self.spares if (p.fileloc, p.generation) != (self.last_fileloc, self.last_version)]:
            self.spares.remove(spare)  # forked for another file, or before it changed: new ones follow
            self._retire(spare)
        return [r for r in requests if r.process is not None]

    def _refuse(self, request: _Request, why: str) -> None:
        """Fail (or retry) a try that cannot start, without running it, and report why."""
        error = f"{request.key}: try {request.try_number} could not start: {why}"
        record_dead_try(self.db, request.key, request.try_number, request.task, expected_states=("queued",),
                        now=self.clock.now())
        self._report(request.key, request.try_number, None, error)

    def _adopt_spares(self) -> None:
        """Processes the fork server answered with that no request took: they wait as spares."""
        forkserver = self._forkserver()
        while forkserver.forked:
            process = forkserver.forked.popleft()
            if isinstance(process, TaskProcess):
                process.idle_since_s = self.clock.monotonic()
                self.spares.append(process)

    def _retire(self, process: TaskProcess) -> None:
        process.retire()
        self.exiting[process.pidfd] = process

    # -- the end of tries ----------------------------------------------------------------------

    def _collect_ended(self, readable: set[int], watched: dict[int, _RunningTry]) -> list[tuple[_RunningTry, Any]]:
        """The tries whose child reported an outcome or exited: (try, outcome or None for a death)."""
        ended: list[tuple[_RunningTry, Any]] = []
        seen: set[TaskInstanceKey] = set()
        for fd in readable & set(watched):
            running = watched[fd]
            if running.key in seen:
                continue
            seen.add(running.key)
            exited = running.process.pidfd in readable
            outcome = running.process.read()
            if outcome is None and not exited:
                continue  # more to come, or the pipe closed and the exit follows
            del self.tries[running.key]
            if exited:
                running.process.close()
            elif running.process.tries_left > 0 and not self.is_stopping and self._wants_another_spare():
                running.process.take_outcome()
                running.process.idle_since_s = self.clock.monotonic()
                self.spares.append(running.process)  # it waits for its next try ([local_executor] tries_per_process)
            else:
                self._retire(running.process)  # told no try will come (if it would take one); released once exited
            ended.append((running, outcome))
        return ended

    def _wants_another_spare(self) -> bool:
        """Whether tries come often enough to keep one more idle process for them.

        An idle process keeps every page its tries copied; after a burst of tries it is memory
        for nothing, and a fresh process costs only a fork when tries come again.
        """
        horizon = self.clock.monotonic() - DEMAND_WINDOW_S
        while self.recent_starts and self.recent_starts[0] < horizon:
            self.recent_starts.popleft()
        return len(self.spares) < SPARES + len(self.recent_starts)

    def _finish(self, ended: list[tuple[_RunningTry, Any]]) -> None:
        """Record the end of each try in one transaction, then report them."""
        deaths = {running.key: self._describe_death(running) for running, outcome in ended if outcome is None}
        for key, try_number, state, error in self._record_ends(ended, deaths):
            self._report(key, try_number, state, error)
        if not self.tries:
            self.next_heartbeat_s = None

    def _describe_death(self, running: _RunningTry) -> str:
        """Why a try ended without an outcome, with its process's exit status (asked before any transaction)."""
        kill_group(running.process.pid)  # what the dead child started must not outlive it
        status = self._forkserver().exit_status(running.process.pid)
        return (f"{running.key}: try {running.try_number} ended without an outcome: "
                f"{running.kill_reason or 'it died'}; its process "
                f"{describe_wait_status(status) if status is not None else 'exited'}")

    def _record_ends(self, ended: list[tuple[_RunningTry, Any]],
                     deaths: dict[TaskInstanceKey, str]) -> list[tuple[TaskInstanceKey, int, str | None, str | None]]:
        """(key, try, state, error) of each ended try, as recorded in one transaction.

        When the batch fails as a whole, each try is recorded in its own transaction, so that one
        try the database refuses (an XCom it cannot store) does not fail the others; a try that
        cannot be recorded is reported without a state, and the scheduler fails or retries it.
        """
        try:
            with self.db.write() as conn:
                now = self.clock.now()
                return [self._record_end(conn, running, outcome, deaths.get(running.key), now)
                        for running, outcome in ended]
        except Exception:
            if len(ended) == 1:
                running = ended[0][0]
                log.exception("could not record the end of %s try %s", running.key, running.try_number)
                return [(running.key, running.try_number, None, "the worker could not record how the try ended")]
        return [report for item in ended for report in self._record_ends([item], deaths)]

    def _record_end(self, conn: Any, running: _RunningTry, outcome: Any, death: str | None,
                    now: Any) -> tuple[TaskInstanceKey, int, str | None, str | None]:
        from tradewind.runner import records

        key, try_number = running.key, running.try_number
        record, error = outcome if outcome is not None else (None, death)
        if record is None:  # the process died, or failed outside the runner: fail or retry by retries
            state = fail_dead_try(conn, key, try_number, running.task, expected_states=("running", "queued"), now=now)
            if state is not None:
                log.warning("%s -> %s", error, state)
            return key, try_number, None, error
        if records.finish_try(conn, key, try_number, record, start_date=running.start_date):
            return key, try_number, record.state, error
        found, _ = records.read_state(conn, key)
        log.warning("The state of %s changed while try %s ran (now %s); its outcome (%s) is not recorded", key,
                    try_number, found, record.state)
        return key, try_number, found or "none", error

    def _report(self, key: TaskInstanceKey, try_number: int, state: str | None, error: str | None) -> None:
        self._tell(wire.ENDED, tuple(key), try_number, state, wire.cut_error(error))

    def _tell(self, *message: Any) -> None:
        """Send a message to the executor, unless it went away (the database has the try's state)."""
        if self.is_orphaned:
            return
        try:
            wire.send(self.sock, *message)
        except wire.PeerGone:
            self._on_executor_gone()

    def _on_executor_gone(self) -> None:
        if not self.is_orphaned:
            log.warning("local executor worker %s: the executor went away; finishing %d running tries, then exiting",
                        os.getpid(), len(self.tries))
        self.is_orphaned = self.is_stopping = True

    def _kill(self, running: _RunningTry, reason: str) -> None:
        if running.kill_reason is None:
            running.kill_reason = reason
        kill_group(running.process.pid)

    def _kill_all(self, reason: str) -> None:
        """Kill every running try and reap its child (the worker is about to exit, reporting nothing)."""
        for running in self.tries.values():
            self._kill(running, reason)
            running.process.close()

    def _release_children(self) -> None:
        """Retire the spares, release every child, and let the fork server go."""
        for spare in self.spares:
            spare.retire()
            spare.close()
        self.spares.clear()
        for process in self.exiting.values():
            process.close()
        self.exiting.clear()
        if self.forkserver is not None:
            self.forkserver.close()

    # -- timers --------------------------------------------------------------------------------

    def _next_timer_s(self) -> float | None:
        timers = [t.deadline_s for t in self.tries.values() if t.deadline_s is not None]
        if self.next_heartbeat_s is not None:
            timers.append(self.next_heartbeat_s)
        timers += [spare.idle_since_s + self.config.spare_idle_s for spare in self._surplus_spares()]
        return max(0.0, min(timers) - self.clock.monotonic()) if timers else None

    def _surplus_spares(self) -> list[TaskProcess]:
        """The spares beyond the SPARES newest ones (spares are kept oldest first)."""
        return self.spares[:-SPARES] if len(self.spares) > SPARES else []

    def _run_timers(self) -> None:
        now = self.clock.monotonic()
        for spare in self._surplus_spares():
            if now - spare.idle_since_s >= self.config.spare_idle_s:  # a burst leaves no crowd behind
                self.spares.remove(spare)
                self._retire(spare)
        for running in self.tries.values():
            if running.deadline_s is not None and now >= running.deadline_s and running.kill_reason is None:
                self._kill(running, "it ran past its execution_timeout")
                running.deadline_s = None
        if self.next_heartbeat_s is not None and now >= self.next_heartbeat_s:
            self.next_heartbeat_s = now + self.config.heartbeat_interval_s if self.tries else None
            self._heartbeat()

    def _heartbeat(self) -> None:
        """Record in one transaction that every running try is alive; kill those whose instance changed meanwhile.

        Only the worker ends a try it runs, so an instance no longer running that try was cleared,
        marked or deleted by someone else: as in Airflow, its process is stopped.
        """
        from tradewind.runner import records
        from tradewind.store import task_instances

        changed: list[tuple[_RunningTry, str | None]] = []
        try:
            with self.db.write() as conn:
                now = self.clock.now()
                for running in self.tries.values():
                    if not task_instances.heartbeat(conn, running.key, try_number=running.try_number, now=now):
                        changed.append((running, records.read_state(conn, running.key)[0]))
        except Exception:  # a missed heartbeat is retried at the next interval, never fatal
            log.exception("could not record the heartbeats of %d tries", len(self.tries))
            return
        for running, state in changed:
            log.warning("%s: the instance was set to %s while try %s ran; stopping its process", running.key,
                        state or "none", running.try_number)
            self._kill(running, f"its instance was set to {state or 'none'} while it ran")
