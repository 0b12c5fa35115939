"""The text of an import error: what `dags list-import-errors` and the UI show for a file that failed.

Messages start with what went wrong on one line, then the lines of the user's own files that led
there (Tradewind's frames are left out: they say nothing the user can act on).
"""

from __future__ import annotations

import os
import signal
import traceback
from pathlib import Path


def _is_user_frame(filename: str, dag_file: Path, dags_folder: Path | None) -> bool:
    path = Path(filename)
    if path == dag_file:
        return True
    if dags_folder is None:
        return False
    try:
        path.relative_to(dags_folder)
    except ValueError:
        return False
    return True


def describe_syntax_error(exc: SyntaxError, dag_file: Path) -> str:
    """`SyntaxError at line N: <msg>`, then the file, the offending line and a caret under the spot."""
    filename = exc.filename or str(dag_file)
    lines = [f"{type(exc).__name__} at line {exc.lineno}: {exc.msg}", f'  File "{filename}", line {exc.lineno}']
    if exc.text:
        text = exc.text.rstrip("\n")
        stripped = text.lstrip()
        lines.append(f"    {stripped}")
        if exc.offset:
            column = max(0, exc.offset - 1 - (len(text) - len(stripped)))
            lines.append("    " + " " * column + "^")
    return "\n".join(lines)


def describe_exception(exc: BaseException, dag_file: Path, dags_folder: Path | None = None) -> str:
    """`<ExceptionClass>: <message>`, then the traceback frames that lie in the user's DAG files."""
    if isinstance(exc, SyntaxError) and type(exc) in (SyntaxError, IndentationError, TabError):
        return describe_syntax_error(exc, dag_file)
    message = str(exc)
    head = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_user_frame(f.filename, dag_file, dags_folder)]
    if not frames:
        return head
    body = "".join(traceback.format_list(frames)).rstrip("\n")
    return f"{head}\n{body}"


def describe_timeout(dag_file: Path, timeout_s: float) -> str:
    """The message for a file whose import did not finish within `[core] dagbag_import_timeout`."""
    return (f"timed out while importing {dag_file} after {timeout_s:.1f} s (limit: [core] dagbag_import_timeout); "
            "move slow work out of the file's top level, or raise the limit")


def describe_wait_status(wait_status: int) -> str:
    """How a child process ended, from its wait status: "was killed by SIGKILL", "exited with code 3"."""
    if os.WIFSIGNALED(wait_status):
        number = os.WTERMSIG(wait_status)
        try:
            return f"was killed by {signal.Signals(number).name}"
        except ValueError:
            return f"was killed by signal {number}"
    return f"exited with code {os.waitstatus_to_exitcode(wait_status)}"


def describe_dead_child(dag_file: Path, wait_status: int) -> str:
    """The message for a child process that ended without reporting (os._exit, a crash, a signal)."""
    return (f"the process importing {dag_file} {describe_wait_status(wait_status)} before it finished; "
            "does the file call os._exit(), exit the interpreter or crash it?")
