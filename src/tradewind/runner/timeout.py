"""execution_timeout for a try run in this process: a SIGALRM timer that raises AirflowTaskTimeout.

A try in a forked child is also killed by its parent (the local executor), in case the task blocks
signals or sits in C code that never returns to the interpreter.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from tradewind.sdk.exceptions import AirflowTaskTimeout


@contextmanager
def execution_timeout(limit: timedelta | float | None, task_id: str) -> Iterator[None]:
    """Raise AirflowTaskTimeout inside the block once `limit` has passed; no limit when None or off the main thread."""
    seconds = limit.total_seconds() if isinstance(limit, timedelta) else limit
    # Signals reach only the main thread; elsewhere the executor's process kill is the only limit.
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _on_alarm(signum: int, frame: object) -> None:
        raise AirflowTaskTimeout(
            f"Task {task_id!r} ran longer than its execution_timeout of {seconds:g}s; "
            "raise execution_timeout or make the task faster"
        )

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
