"""A worker's handle on one forked task process: fork it, hand it a try, read its outcome, kill it, reap it."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, Callable

from tradewind.executors.local_child import frame, prepare_child, serve_one_try, unframe, write_all


def kill_group(pid: int) -> None:
    """SIGKILL a try's whole process group (the child leads it), tolerating one that is already gone."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


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


class TaskProcess:
    """One forked child: waiting for its try (a spare), running it, or exiting after it reported."""

    def __init__(self, pid: int, task_fd: int, result_fd: int, generation: int) -> None:
        self.pid, self.task_fd, self.result_fd, self.generation = pid, task_fd, result_fd, generation
        self.pidfd = os.pidfd_open(pid)
        self.buffer = b""
        self.is_result_closed = False
        self.status: int | None = None

    @classmethod
    def fork(cls, run_try: Callable[..., Any], db: Any, settings: Any, inherited_fds: list[int],
             generation: int) -> TaskProcess:
        """Fork a spare that waits for its try; `inherited_fds` are the worker's fds the child must not keep."""
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            prepare_child([*inherited_fds, task_w, result_r])
            serve_one_try(run_try, db, settings, task_r, result_w)
        os.close(task_r)
        os.close(result_w)
        try:
            os.setpgid(pid, pid)  # the child does it too: whichever runs first wins the race
        except OSError:
            pass
        os.set_blocking(result_r, False)
        return cls(pid, task_w, result_r, generation)

    @property
    def fds(self) -> list[int]:
        """The worker-side fds of this process that are still open."""
        return [fd for fd in (self.task_fd, self.result_fd, self.pidfd) if fd >= 0]

    def hand(self, key: Any, try_number: int, fileloc: str, inputs: Any) -> bool:
        """Give the spare its started try and what it read from the database; False when it has died meanwhile."""
        try:
            write_all(self.task_fd, frame((key, try_number, fileloc, inputs)))
        except BrokenPipeError:
            return False
        finally:
            self._close("task_fd")
        return True

    def retire(self) -> None:
        """Tell a spare that no try will come: it sees end of file and exits."""
        self._close("task_fd")

    def read(self) -> Any | None:
        """Take what the result pipe holds; the (final record | None, error | None) outcome once it is complete."""
        try:
            while chunk := os.read(self.result_fd, 1 << 16):
                self.buffer += chunk
            self.is_result_closed = True  # end of file: the child (and all it started) closed the pipe
        except BlockingIOError:
            pass
        return self.outcome

    @property
    def outcome(self) -> tuple[Any, str | None] | None:
        try:
            return unframe(self.buffer)
        except Exception:  # a garbled message is no outcome
            return None

    def reap(self) -> int:
        """Wait for the process to exit (it has, or is about to) and release its fds; its wait status."""
        if self.status is None:
            try:
                self.status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:
                self.status = 0
        for name in ("task_fd", "result_fd", "pidfd"):
            self._close(name)
        return self.status

    def _close(self, name: str) -> None:
        fd = getattr(self, name)
        if fd >= 0:
            os.close(fd)
            setattr(self, name, -1)
