"""The forked child that runs task tries for a local-executor worker, isolated in its own process group.

A worker's fork server forks the child before a try arrives (a "spare"): the child resets the
signal handlers it inherited, leads its own process group (so that a kill reaches whatever the
task starts), and then blocks on its task pipe. The worker starts the try in the database and
hands the child the try with what it read (its row, its run, the previous success); the child
finds the DAG module already imported (the fork server loaded the file), runs the try, and writes
back the record of how it ended, which the worker writes to the database. So a try that touches
no Variable or XCom of another task never opens a connection of its own, and the hand-off costs
one pipe write.

A child runs up to `[local_executor] tries_per_process` tries of the same DAG file, one after the
other, which saves the fork and the page copies of a fresh process per try. It takes another try
only when the last one left nothing behind that the next could see (see try_traces); otherwise it
exits, and the next try gets a fresh process, as every try does with `tries_per_process = 1`.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import struct
import sys
from typing import Any, Callable, NoReturn

from tradewind.clock import Clock
from tradewind.executors.local_wire import cut_error
from tradewind.executors.try_traces import TryTraces

log = logging.getLogger("tradewind.executors.local")

HEADER = struct.Struct(">I")
_RESET_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                  signal.SIGALRM, signal.SIGCHLD)


def frame(value: Any) -> bytes:
    """One length-prefixed pickled message, as sent on the child's pipes."""
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


def unframe(data: bytes) -> Any | None:
    """The message in `data`, or None while it is incomplete."""
    if len(data) < HEADER.size:
        return None
    size = HEADER.unpack_from(data)[0]
    if len(data) < HEADER.size + size:
        return None
    return pickle.loads(data[HEADER.size:HEADER.size + size])


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to the file descriptor `fd`."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_message(fd: int) -> Any | None:
    """Block until one whole message arrives on `fd`; None at end of file (the worker is gone)."""
    buffer = b""
    while (message := unframe(buffer)) is None:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None
        buffer += chunk
    return message


def prepare_child(close_fds: list[int]) -> None:
    """Make this fresh fork a clean task process: own process group, default signals, no worker fds."""
    # The collector must not walk the objects inherited from the worker: touching them copies their pages.
    gc.freeze()
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


def serve_tries(execute_try: Callable[..., Any], db: Any, settings: Any, task_fd: int, result_fd: int,
                tries: int = 1, traces: TryTraces | None = None) -> NoReturn:
    """Run up to `tries` started tries handed on `task_fd`, one after the other, then exit.

    Each is reported as (final record | None, error | None, takes another try) on `result_fd`. A
    process takes another try only when the last one left no trace the next could see, against
    `traces` (taken where this process was forked, or here when not given); the settings a try may
    change are put back in between.
    """
    code = 70
    try:
        # The worker's pooled connections are never used here: a task that reads the database opens
        # its own (Database checks the process at first use).
        traces = _start_traces(traces, settings) if tries > 1 else None  # one try: nothing to watch
        for number in range(1, tries + 1):
            message = _read_message(task_fd)
            if message is None:
                break  # the worker retired this process (or died): nothing more to run
            record, error = _run_one(execute_try, db, settings, traces, *message)
            takes_more = number < tries and traces is not None and _may_take_another(traces, record)
            _flush_std_streams()
            write_all(result_fd, frame((record, error, takes_more)))
            if not takes_more:
                break
            assert traces is not None
            traces.restore()
        code = 0
    finally:
        _flush_std_streams()
        os._exit(code)


def _run_one(execute_try: Callable[..., Any], db: Any, settings: Any, traces: TryTraces | None, key: Any,
             try_number: int, fileloc: str, inputs: Any) -> tuple[Any, str | None]:
    """Run one try: (its final record, or None when it failed outside the runner; the error)."""
    try:
        from tradewind.dagfiles.importer import load_dags_from_file, loaded_dags

        # The fork server imported the file before forking this process, and the worker hands a
        # try only to a process forked since it last found the file unchanged: no check needed.
        dag = (loaded_dags(fileloc) or load_dags_from_file(fileloc, settings))[key.dag_id]
        if traces is not None:
            traces.before_try(dag, dag.get_task(key.task_id))
        record, outcome = execute_try(db, settings, key, try_number, inputs, dag=dag, clock=Clock())
        return record, cut_error(outcome.error)
    except BaseException as exc:  # the worker fails the try by its retries with this error
        return None, cut_error(f"{key}: try {try_number} failed in its process: {type(exc).__name__}: {exc}")


def _start_traces(traces: TryTraces | None, settings: Any) -> TryTraces | None:
    """The traces this process checks its tries against; None (it runs one try) when they cannot be taken."""
    try:
        traces = traces or TryTraces(settings.dags_folder)
        traces.start()
        return traces
    except Exception:
        log.exception("task process %s cannot watch what its tries change; it runs one try", os.getpid())
        return None


def _may_take_another(traces: TryTraces, record: Any) -> bool:
    try:
        why_not = traces.why_not_reuse(record.state if record is not None else None)
    except Exception as exc:  # a process that cannot tell whether it is clean is not
        why_not = f"its state could not be checked: {type(exc).__name__}: {exc}"
    if why_not is not None:
        log.debug("task process %s exits instead of taking another try: %s", os.getpid(), why_not)
    return why_not is None


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed or broken stream must not keep the child alive
            pass
