"""Wake the scheduler at once when something changes: a datagram on a Unix socket in AIRFLOW_HOME.

Triggering a run, unpausing a DAG or a new DAG version would otherwise wait for the scheduler's next
idle poll. Whoever makes such a change calls `notify_scheduler(home)`; the scheduler's loop selects on
`WakeupListener.fileno()` beside its executor. Losing a datagram costs only latency: the scheduler
still polls the database while idle.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

SOCKET_NAME = "scheduler.wakeup"


def socket_path(home: Path) -> Path:
    return home / SOCKET_NAME


def notify_scheduler(home: Path) -> bool:
    """Send one wake-up datagram; False when no scheduler listens (nothing to wake)."""
    path = socket_path(home)
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            sock.sendto(b"!", str(path))
        return True
    except OSError:
        return False


class WakeupListener:
    """The scheduler's end: a bound datagram socket, drained after each wake."""

    def __init__(self, home: Path) -> None:
        self.path = socket_path(home)
        # Unix socket paths are limited to about 100 bytes; a long AIRFLOW_HOME just disables wake-ups.
        self._sock: socket.socket | None = None
        if len(str(self.path).encode()) >= 100:
            return
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(str(self.path))
        sock.setblocking(False)
        self._sock = sock

    def fileno(self) -> int:
        return self._sock.fileno() if self._sock is not None else -1

    @property
    def is_active(self) -> bool:
        return self._sock is not None

    def drain(self) -> int:
        """Read every pending wake-up; returns how many there were."""
        count = 0
        while self._sock is not None:
            try:
                self._sock.recv(64)
                count += 1
            except (BlockingIOError, InterruptedError):
                break
        return count

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
