"""Capture of one task try's output: stdout, stderr and `logging` records go, timestamped and masked, to its log file.

With `echo=True` the same lines also go to the console, as `airflow dags test` and `tasks test` show them.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TextIO

from tradewind.clock import Clock
from tradewind.logs.masking import SecretsMasker, masker as default_masker

TASK_LOGGER = "airflow.task"


class LogSink:
    """The destination of a try's log lines: the log file, and the console when echoing; redacts every line."""

    def __init__(self, file: IO[str], console: TextIO | None, masker: SecretsMasker) -> None:
        self._file, self._console, self._masker = file, console, masker
        self._lock = threading.Lock()

    def write_line(self, line: str) -> None:
        text = self._masker.redact(line) + "\n"
        with self._lock:
            self._file.write(text)
            self._file.flush()
            if self._console is not None:
                self._console.write(text)
                self._console.flush()


def format_line(at: datetime, origin: str, level: str, message: str) -> str:
    """One log line in Airflow's shape: `[2026-01-02T00:00:00.000+0000] {origin} LEVEL - message`."""
    stamp = at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"
    return f"[{stamp}] {{{origin}}} {level} - {message}"


class _SinkHandler(logging.Handler):
    """A logging handler writing formatted records into a LogSink."""

    def __init__(self, sink: LogSink) -> None:
        super().__init__(logging.INFO)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + logging.Formatter().formatException(record.exc_info)
            at = datetime.fromtimestamp(record.created, timezone.utc)
            origin = f"{record.filename}:{record.lineno}"
            for line in message.splitlines() or [""]:
                self.sink.write_line(format_line(at, origin, record.levelname, line))
        except Exception:  # a broken record must not break the task (logging's own policy)
            self.handleError(record)


class _StreamToSink(io.TextIOBase):
    """A text stream that turns each complete line written to it into a log line."""

    def __init__(self, sink: LogSink, clock: Clock, origin: str, level: str) -> None:
        self._sink, self._clock, self._origin, self._level = sink, clock, origin, level
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._sink.write_line(format_line(self._clock.now(), self._origin, self._level, line))
        return len(text)

    def flush(self) -> None:
        pass

    def drain(self) -> None:
        """Write out a last line that had no newline."""
        if self._pending:
            line, self._pending = self._pending, ""
            self._sink.write_line(format_line(self._clock.now(), self._origin, self._level, line))


def preset_task_levels() -> None:
    """Set the levels `capture_task_output` needs, once, in a process that forks task processes.

    Changing a logger's level clears the cache of every logger there is; done before the fork, the
    task processes find the levels already right and leave those loggers (and their pages) alone.
    """
    root = logging.getLogger()
    _set_level(root, min(root.level or logging.INFO, logging.INFO))
    _set_level(logging.getLogger(TASK_LOGGER), logging.INFO)


def _set_level(logger: logging.Logger, level: int) -> None:
    # setLevel clears the cache of every logger there is, even when the level does not change.
    if logger.level != level:
        logger.setLevel(level)


@contextmanager
def capture_task_output(
    path: Path, *, clock: Clock, echo: bool = False, masker: SecretsMasker | None = None
) -> Iterator[LogSink]:
    """Send stdout, stderr and log records of logger `airflow.task` and the root logger to `path` while open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    console = sys.stdout if echo else None
    with open(path, "a", encoding="utf-8") as file:
        sink = LogSink(file, console, masker or default_masker)
        handler = _SinkHandler(sink)
        root, task_logger = logging.getLogger(), logging.getLogger(TASK_LOGGER)
        saved = (root.level, task_logger.level, task_logger.propagate, sys.stdout, sys.stderr)
        out = _StreamToSink(sink, clock, "stdout", "INFO")
        err = _StreamToSink(sink, clock, "stderr", "WARNING")
        root.addHandler(handler)
        _set_level(root, min(root.level or logging.INFO, logging.INFO))
        _set_level(task_logger, logging.INFO)
        task_logger.propagate = True
        sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
        try:
            yield sink
        finally:
            out.drain()
            err.drain()
            sys.stdout, sys.stderr = saved[3], saved[4]
            root.removeHandler(handler)
            _set_level(root, saved[0])
            _set_level(task_logger, saved[1])
            task_logger.propagate = saved[2]

