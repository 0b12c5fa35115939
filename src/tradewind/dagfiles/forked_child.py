"""Run a function in a forked child with a deadline; its JSON report comes back over a pipe.

The DAG processor runs user code this way (importing a DAG file, calling a DAG's callbacks): code
that raises, hangs past its deadline or kills its process ends only its child, never the processor.
The child leads its own process group, so that a kill also ends whatever it started.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
from typing import Any, Callable, NoReturn

from tradewind.clock import Clock

_HEADER = struct.Struct(">Q")
_CHUNK = 1 << 16

Work = Callable[[], dict[str, Any]]


def _child_main(work: Work, write_fd: int) -> NoReturn:
    code = 70
    try:
        os.setpgid(0, 0)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # user code's prints must not mix with the parent's output (`dags list -o json`)
            os.dup2(devnull, fd)
        body = json.dumps(work()).encode()
        message = _HEADER.pack(len(body)) + body
        view = memoryview(message)
        while view:
            view = view[os.write(write_fd, view):]
        code = 0
    finally:
        os._exit(code)


class ForkedChild:
    """One forked `work()` in flight: its pipe (`fd`, to select on), its deadline and what it has sent so far."""

    def __init__(self, work: Work, timeout_s: float, clock: Clock) -> None:
        self.timeout_s = timeout_s
        self.deadline = clock.monotonic() + timeout_s if timeout_s > 0 else None
        self.buffer = bytearray()
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child_main(work, write_fd)
        os.close(write_fd)
        try:
            os.setpgid(pid, pid)  # also set by the child: whichever runs first wins the race
        except OSError:
            pass
        self.pid, self.fd = pid, read_fd

    def _expected_size(self) -> int | None:
        if len(self.buffer) < _HEADER.size:
            return None
        return _HEADER.size + _HEADER.unpack_from(self.buffer)[0]

    def is_complete(self) -> bool:
        size = self._expected_size()
        return size is not None and len(self.buffer) >= size

    def is_overdue(self, now_s: float) -> bool:
        """Whether the deadline (on the monotonic clock) has passed."""
        return self.deadline is not None and self.deadline <= now_s

    def read(self) -> bool:
        """Take what the pipe holds; True once the child has said everything it will say."""
        data = os.read(self.fd, _CHUNK)
        self.buffer.extend(data)
        return not data or self.is_complete()

    def finish(self) -> tuple[dict[str, Any] | None, int]:
        """Reap the child once it is done: its report (None when it died without one) and its wait status."""
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        if not self.is_complete():
            return None, status
        return json.loads(bytes(self.buffer[_HEADER.size:self._expected_size()])), status

    def kill(self) -> None:
        """End the child and everything it started (its whole process group)."""
        for target in (lambda: os.killpg(self.pid, signal.SIGKILL), lambda: os.kill(self.pid, signal.SIGKILL)):
            try:
                target()
            except OSError:
                pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)
