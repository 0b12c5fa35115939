"""A worker's fork server: the one process that forks the worker's task processes.

After a fork, every page either process writes is copied first. A worker that forked its own task
processes paid that copy on every page its next database transaction touched, once per try. So the
worker forks this server once, at start, and asks it for each task process instead: the server
does nothing between forks but read a request and load a DAG file, so its forks cost it little,
and the worker's memory stays its own.

The two talk over a message socket. A request carries the child's ends of its two pipes (passed
as file descriptors) and the DAG file the child will run a task of; the server imports that file
if it has not yet (or it changed), forks the child, and answers with its pid. A request for a
given task is refused, with the reason, when the file no longer imports or no longer defines that
task: user code runs here and in task processes, never in the worker. When a child exits, the
server reaps it and sends its wait status. The server exits when the worker goes away.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import select
import signal
import socket
import sys
from collections import deque
from typing import Any, Callable, NoReturn

from tradewind.executors.local_child import prepare_child, serve_tries
from tradewind.executors.local_task_process import TaskProcess
from tradewind.executors.try_traces import TryTraces, dag_fingerprints
from tradewind.logs.capture import preset_task_levels

log = logging.getLogger("tradewind.executors.local")

_MAX_MESSAGE = 1 << 16
_FORK, _FORKED, _REFUSED, _EXITED = "fork", "forked", "refused", "exited"
_KEPT_STATUSES = 1000


class ForkServerGone(Exception):
    """The fork server has exited."""


class Refused(str):
    """Why the fork server did not fork a process for a task (its DAG file fails, or lacks the task)."""


class ForkServer:
    """The worker's side: start the server, ask it for task processes, learn how they exited."""

    def __init__(self, execute_try: Callable[..., Any], db: Any, settings: Any, worker_fds: list[int], *,
                 tries_per_process: int = 1) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _serve(theirs, _ChildMain(execute_try, db, settings, tries_per_process), worker_fds)
        theirs.close()
        self.pid, self.sock, self.tries_per_process = pid, ours, tries_per_process
        self.pending: deque[tuple[int, int, str | None, int]] = deque()  # (task_w, result_r, fileloc, generation)
        self.forked: deque[TaskProcess | Refused] = deque()  # answered, not yet taken
        self.statuses: dict[int, int] = {}  # pid -> wait status of children the server reaped

    def fileno(self) -> int:
        return self.sock.fileno()

    def request(self, fileloc: str | None, generation: int = 0, task: tuple[str, str] | None = None) -> None:
        """Ask for one task process that has `fileloc` imported; it arrives in `forked` (see receive).

        `generation` is the caller's version of that file, kept on the process for the caller. With
        `task` (dag_id, task_id), the server first checks that the file defines it, and answers
        with a Refused reason when it does not.
        """
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        try:
            socket.send_fds(self.sock, [pickle.dumps((_FORK, fileloc, task))], [task_r, result_w])
        except OSError as exc:
            for fd in (task_r, task_w, result_r, result_w):
                os.close(fd)
            raise ForkServerGone(str(exc)) from None
        os.close(task_r)
        os.close(result_w)
        os.set_blocking(result_r, False)
        self.pending.append((task_w, result_r, fileloc, generation))

    def take(self, wanted: list[tuple[str, int, tuple[str, str]]]) -> list[TaskProcess | Refused]:
        """A new task process (or why not) for each (fileloc, generation, task), in order, waiting for the answers."""
        if not wanted:
            return []
        for fileloc, generation, task in wanted:
            self.request(fileloc, generation, task)
        while self.pending:
            self.receive(block=True)
        taken = [self.forked.pop() for _ in wanted]
        return taken[::-1]

    def receive(self, *, block: bool = False) -> None:
        """Handle the server's answers: forked children go to `forked`, exit statuses to `statuses`."""
        while block or select.select([self.sock], [], [], 0)[0]:
            block = False
            try:
                data = self.sock.recv(_MAX_MESSAGE)
            except ConnectionResetError:
                data = b""
            if not data:
                raise ForkServerGone("the fork server exited")
            message = pickle.loads(data)
            if message[0] == _FORKED:
                task_w, result_r, fileloc, generation = self.pending.popleft()
                self.forked.append(TaskProcess(message[1], task_w, result_r, fileloc, generation,
                                               tries=self.tries_per_process))
            elif message[0] == _REFUSED:
                task_w, result_r, _, _ = self.pending.popleft()
                os.close(task_w)
                os.close(result_r)
                self.forked.append(Refused(message[1]))
            elif message[0] == _EXITED:
                self.statuses[message[1]] = message[2]
                if len(self.statuses) > _KEPT_STATUSES:  # only a death's status is ever asked for, at once
                    del self.statuses[next(iter(self.statuses))]

    def exit_status(self, pid: int, wait_s: float = 2.0) -> int | None:
        """The wait status of a child that has exited, waiting up to `wait_s` for the server to report it."""
        if pid not in self.statuses:
            try:
                while pid not in self.statuses and select.select([self.sock], [], [], wait_s)[0]:
                    self.receive()
            except ForkServerGone:
                pass
        return self.statuses.pop(pid, None)

    def close(self) -> None:
        """Let the server go (it exits at end of file) and reap it."""
        for task_w, result_r, _, _ in self.pending:
            os.close(task_w)
            os.close(result_r)
        self.pending.clear()
        self.sock.close()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


# --- the server process --------------------------------------------------------------------------


class _ChildMain:
    """What a forked task process runs: up to `tries` tries, one after the other."""

    def __init__(self, execute_try: Callable[..., Any], db: Any, settings: Any, tries: int) -> None:
        self.execute_try, self.db, self.settings, self.tries = execute_try, db, settings, tries
        self.traces: TryTraces | None = None  # a fresh process's state, which a reused one is checked against
        # fileloc -> (its DAGs as imported, their fingerprints, the objects those depend on)
        self.fingerprints: dict[str, tuple[dict[str, Any], dict[int, int], list[Any]]] = {}

    def note_loaded(self, fileloc: str, dags: dict[str, Any]) -> None:
        """After a DAG file is imported (or found unchanged): take the state task processes start from anew.

        Only a speed-up: when it fails, task processes take their own fingerprints.
        """
        if self.tries <= 1 or (fileloc in self.fingerprints and self.fingerprints[fileloc][0] is dags):
            return
        try:
            pinned: list[Any] = []
            self.fingerprints[fileloc] = (dags, dag_fingerprints(dags.values(), pinned), pinned)
            fresh = {key: value for _, by_id, _ in self.fingerprints.values() for key, value in by_id.items()}
            self.traces = TryTraces(self.settings.dags_folder, fresh)
        except Exception:
            log.exception("fork server %s could not fingerprint %s for its task processes", os.getpid(), fileloc)
            self.fingerprints.pop(fileloc, None)
            self.traces = None

    def __call__(self, task_r: int, result_w: int) -> NoReturn:
        serve_tries(self.execute_try, self.db, self.settings, task_r, result_w, self.tries, self.traces)


def _serve(sock: socket.socket, child_main: _ChildMain, worker_fds: list[int]) -> NoReturn:
    code = 0
    try:
        gc.freeze()  # the collector must not walk what the worker built: that would copy its pages here
        preset_task_levels()
        for fd in worker_fds:  # the worker's executor socket, held here, would hide the worker's death
            try:
                os.close(fd)
            except OSError:
                pass
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        os.set_blocking(wake_r, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # the wake-up fd does the work
        while True:
            readable = select.select([sock, wake_r], [], [])[0]
            if wake_r in readable:
                while True:
                    try:
                        if not os.read(wake_r, 512):
                            break
                    except BlockingIOError:
                        break
            _report_exits(sock)
            if sock in readable and not _handle_request(sock, child_main, [wake_r, wake_w]):
                return
    except (BrokenPipeError, ConnectionResetError):
        pass
    except BaseException:
        log.exception("local executor fork server %s failed", os.getpid())
        code = 1
    finally:
        _reap_children(CHILDREN_GRACE_S)
        os._exit(code)


CHILDREN_GRACE_S = 2.0
"""How long a fork server that is going away waits to reap its children (spares exit at once)."""


def _reap_children(grace_s: float) -> None:
    """Reap the children that exit within `grace_s`, so that none is left to init as a zombie."""
    import time

    deadline = time.monotonic() + grace_s
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.005)


def _handle_request(sock: socket.socket, child_main: _ChildMain, own_fds: list[int]) -> bool:
    """Fork one task process as asked; False when the worker has gone."""
    data, fds, _flags, _addr = socket.recv_fds(sock, _MAX_MESSAGE, 2)
    if not data:
        return False
    _kind, fileloc, task = pickle.loads(data)
    task_r, result_w = fds
    refusal = _load(fileloc, task, child_main) if fileloc is not None else None
    if refusal is not None:
        os.close(task_r)
        os.close(result_w)
        sock.sendall(pickle.dumps((_REFUSED, refusal)))
        return True
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)
        prepare_child([sock.fileno(), *own_fds])
        child_main(task_r, result_w)
    os.close(task_r)
    os.close(result_w)
    try:
        os.setpgid(pid, pid)  # the child does it too: whichever runs first wins the race
    except OSError:
        pass
    sock.sendall(pickle.dumps((_FORKED, pid)))
    return True


def _load(fileloc: str, task: tuple[str, str] | None, child_main: _ChildMain) -> str | None:
    """Import the DAG file (when new or changed); why a process for `task` cannot run it, or None."""
    from tradewind.dagfiles.importer import load_dags_from_file
    from tradewind.runner.templating import jinja_env_for

    try:
        dags = load_dags_from_file(fileloc, child_main.settings)
    except Exception as exc:  # a spare's child imports it again, and its try reports the error
        log.debug("fork server could not import %s", fileloc, exc_info=True)
        return None if task is None else f"{type(exc).__name__}: {exc}"
    for dag in dags.values():
        jinja_env_for(dag)  # built here once, inherited by every task process forked from now on
    child_main.note_loaded(fileloc, dags)  # likewise
    if task is not None:
        dag_id, task_id = task
        dag = dags.get(dag_id)
        if dag is None or not dag.has_task(task_id):
            missing = f"DAG {dag_id!r}" if dag is None else f"task {task_id!r} of DAG {dag_id!r}"
            return f"{fileloc} no longer defines {missing}: re-parse the DAG files"
    return None


def _report_exits(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        sock.sendall(pickle.dumps((_EXITED, pid, status)))
