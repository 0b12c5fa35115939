"""Run one `bash -c` command in its own process group, streaming its output lines to the task log."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("airflow.task")

_KILL_GRACE_S = 5.0


@dataclass(frozen=True)
class BashResult:
    """How a bash command ended: its exit code (negative for a signal) and the last stdout line."""

    exit_code: int
    last_line: str


class BashProcess:
    """One bash child; `run` blocks until it ends, `kill` ends it and everything it started."""

    def __init__(self, command: str, *, env: dict[str, str], cwd: str, output_encoding: str = "utf-8") -> None:
        self.command = command
        self.env = env
        self.cwd = cwd
        self.output_encoding = output_encoding
        self._proc: subprocess.Popen[bytes] | None = None

    def run(self) -> BashResult:
        """Start bash, log every output line as it arrives, and return how it ended."""
        bash = _find_bash()
        log.info("Running command: %s", [bash, "-c", self.command])
        self._proc = subprocess.Popen(
            [bash, "-c", self.command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.cwd,
            env=self.env,
            # Its own group, so that kill() reaches the commands bash starts, not only bash.
            start_new_session=True,
            preexec_fn=_die_with_parent_hook(),
        )
        try:
            log.info("Output:")
            last_line = _stream_lines(self._proc, self.output_encoding)
            exit_code = self._proc.wait()
        except BaseException:
            # The try is being stopped (timeout, SIGTERM turned into an exception): take bash with it.
            self.kill()
            raise
        log.info("Command exited with return code %s", exit_code)
        return BashResult(exit_code=exit_code, last_line=last_line)

    def kill(self) -> None:
        """Send SIGTERM to the whole process group, then SIGKILL if it is still there after a grace period."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        log.info("Sending SIGTERM to process group of bash (pid %s)", proc.pid)
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=_KILL_GRACE_S)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait()


def _stream_lines(proc: subprocess.Popen[bytes], encoding: str) -> str:
    """Log stdout and stderr lines as they come until both pipes close; return the last stdout line."""
    assert proc.stdout is not None and proc.stderr is not None
    last_line = ""
    buffers = {proc.stdout.fileno(): b"", proc.stderr.fileno(): b""}
    stdout_fd = proc.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        for pipe in (proc.stdout, proc.stderr):
            selector.register(pipe.fileno(), selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select():
                fd = key.fd
                chunk = os.read(fd, 65536)
                if not chunk:
                    selector.unregister(fd)
                    lines = [buffers[fd]] if buffers[fd] else []
                    buffers[fd] = b""
                else:
                    *lines, buffers[fd] = (buffers[fd] + chunk).split(b"\n")
                for raw in lines:
                    line = raw.decode(encoding, errors="backslashreplace").rstrip()
                    log.info("%s", line)
                    if fd == stdout_fd:
                        last_line = line
    proc.stdout.close()
    proc.stderr.close()
    return last_line


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(os.getpgid(pid), signum)
    except ProcessLookupError:
        pass


def _find_bash() -> str:
    for candidate in ("/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash"):
        if os.access(candidate, os.X_OK):
            return candidate
    return "bash"


def _die_with_parent_hook() -> Callable[[], None] | None:
    """On Linux, make bash receive SIGKILL if the task process dies without running kill()."""
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    prctl = ctypes.CDLL(libc_name, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, signal.SIGKILL)

    return hook
