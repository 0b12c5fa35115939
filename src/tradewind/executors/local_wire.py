"""Messages between the local executor and its workers: one pickled tuple per datagram on a SEQPACKET socket.

A SEQPACKET socket keeps message boundaries (one send is one receive) and reports the peer's death
as end of file, which is how each side notices that the other one is gone.
"""

from __future__ import annotations

import pickle
import socket
from typing import Any

# Far above any message we send (a key, a try number, an error text cut to ERROR_LIMIT).
_MAX_MESSAGE = 1 << 16
ERROR_LIMIT = 8000
"""Longest error text carried back for a try; the full text is in the try's log."""

# Scheduler -> worker.
RUN = "run"          # (RUN, key_tuple, try_number)
CANCEL = "cancel"    # (CANCEL, key_tuple, try_number)
STOP = "stop"        # (STOP,): finish the running try, then exit
KILL = "kill"        # (KILL,): kill the running try, report it, then exit
# Worker -> scheduler.
STARTED = "started"  # (STARTED, key_tuple, try_number, child_pid)
ENDED = "ended"      # (ENDED, key_tuple, try_number, state | None, error | None)


class PeerGone(Exception):
    """The process at the other end of the socket has exited (or closed it)."""


def socket_pair() -> tuple[socket.socket, socket.socket]:
    """A connected pair of message sockets: one end for the executor, one for a worker."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def send(sock: socket.socket, *message: Any) -> None:
    """Send one message; PeerGone when the other side has exited."""
    try:
        sock.sendall(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    except (BrokenPipeError, ConnectionResetError) as exc:
        raise PeerGone(str(exc)) from None


def receive(sock: socket.socket) -> tuple[Any, ...]:
    """Receive one message (blocking); PeerGone at end of file."""
    try:
        data = sock.recv(_MAX_MESSAGE)
    except ConnectionResetError as exc:
        raise PeerGone(str(exc)) from None
    if not data:
        raise PeerGone("end of file")
    return pickle.loads(data)


def cut_error(text: str | None) -> str | None:
    """An error text short enough for one message."""
    if text is None or len(text) <= ERROR_LIMIT:
        return text
    return text[:ERROR_LIMIT] + " [... cut; see the task's log]"
