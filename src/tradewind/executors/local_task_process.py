"""A worker's handle on one forked task process: hand it a try, read its outcome, kill it, release it."""

from __future__ import annotations

import os
import signal
from typing import Any

from tradewind.executors.local_child import frame, unframe, write_all


def kill_group(pid: int) -> None:
    """SIGKILL a try's whole process group (the child leads it), tolerating one that is already gone."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


class TaskProcess:
    """One forked task process: waiting for its try (a spare), running it, or exiting after it reported.

    The worker's fork server forks it (see local_forkserver), so it is not the worker's child: its
    exit shows on a pidfd, and its wait status comes from the server.
    """

    def __init__(self, pid: int, task_fd: int, result_fd: int, fileloc: str | None, generation: int, *,
                 tries: int = 1) -> None:
        self.pid, self.task_fd, self.result_fd = pid, task_fd, result_fd
        self.tries_left = tries  # how many more tries it takes before it exits
        self.fileloc, self.generation = fileloc, generation  # the DAG file it has imported, in which version
        try:
            self.pidfd = os.pidfd_open(pid)
        except ProcessLookupError:  # it exited already; its pipes tell the rest
            self.pidfd = os.open(os.devnull, os.O_RDONLY)  # always readable: reads as "exited"
        self.buffer = b""
        self.idle_since_s = 0.0  # when it last became a spare (monotonic), for the worker to retire it
        self.is_result_closed = False
        self.status: int | None = None

    @property
    def fds(self) -> list[int]:
        """The worker-side fds of this process that are still open."""
        return [fd for fd in (self.task_fd, self.result_fd, self.pidfd) if fd >= 0]

    def hand(self, key: Any, try_number: int, fileloc: str, inputs: Any) -> bool:
        """Give the spare its started try and what it read from the database; False when it has died meanwhile."""
        self.tries_left -= 1
        try:
            write_all(self.task_fd, frame((key, try_number, fileloc, inputs)))
        except BrokenPipeError:
            self._close("task_fd")
            return False
        if self.tries_left <= 0:
            self._close("task_fd")  # its last try: it exits after reporting it
        return True

    def retire(self) -> None:
        """Tell a spare that no try will come: it sees end of file and exits."""
        self._close("task_fd")

    def read(self) -> tuple[Any, str | None] | None:
        """Take what the result pipe holds; the (final record | None, error | None) outcome once it is complete.

        The child also says whether it takes another try; when it does not, it is exiting.
        """
        try:
            while chunk := os.read(self.result_fd, 1 << 16):
                self.buffer += chunk
            self.is_result_closed = True  # end of file: the child (and all it started) closed the pipe
        except BlockingIOError:
            pass
        try:
            report = unframe(self.buffer)
        except Exception:  # a garbled message is no outcome
            return None
        if report is None:
            return None
        record, error, takes_more = report
        if not takes_more:
            self.tries_left = 0
        return record, error

    def take_outcome(self) -> None:
        """Forget the outcome read (the process takes another try, whose outcome follows)."""
        self.buffer = b""

    def close(self) -> None:
        """Release the worker's fds of this process (it has exited, or is about to)."""
        for name in ("task_fd", "result_fd", "pidfd"):
            self._close(name)

    def _close(self, name: str) -> None:
        fd = getattr(self, name)
        if fd >= 0:
            os.close(fd)
            setattr(self, name, -1)
