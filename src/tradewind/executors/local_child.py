"""The forked child that runs one task try for a local-executor worker, isolated in its own process group.

The child starts with the DAG module and Tradewind already imported (it is a fork of the worker),
so a try costs a fork. It resets the signal handlers it inherited, leads its own process group (so
that a kill reaches whatever the task started), drops the database connections it inherited and
opens its own, runs the try with the task runner, and writes the outcome to a pipe before exiting.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import Any, Callable, NoReturn

from tradewind.clock import Clock
from tradewind.executors.local_wire import cut_error

_RESET_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                  signal.SIGALRM, signal.SIGCHLD)


def prepare_child(close_fds: list[int]) -> None:
    """Make this fresh fork a clean task process: own process group, default signals, no worker fds."""
    os.setpgid(0, 0)
    for number in _RESET_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # a task must never read the scheduler's terminal
    os.close(devnull)


def run_child(run_try: Callable[..., Any], db: Any, settings: Any, key: Any, try_number: int, dag: Any,
              write_fd: int) -> NoReturn:
    """Run one try and report (state, error) on `write_fd`; never returns."""
    code = 70
    try:
        # The pooled connections belong to the worker: forget them without closing, open new ones.
        db.engine.dispose(close=False)
        state, error = None, None
        try:
            outcome = run_try(db, settings, key, try_number, dag=dag, clock=Clock())
            state, error = getattr(outcome, "state", None), getattr(outcome, "error", None)
        except BaseException as exc:  # the runner records what it can; report the rest
            error = f"the task runner raised {type(exc).__name__}: {exc}"
        payload = pickle.dumps((None if state is None else str(state), cut_error(error)))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
        code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # a closed or broken stream must not keep the child alive
                pass
        os._exit(code)
