"""Find the user's frame (the DAG file) behind a call into the sdk, for filelocs and warnings."""

from __future__ import annotations

import os
import sys

_SDK_DIR = os.path.dirname(os.path.abspath(__file__))
# Frames in the sdk or in the `airflow` compatibility package (a sibling top-level package) are
# library frames; the first frame outside them is the user's.
_LIBRARY_DIRS = (_SDK_DIR + os.sep, os.path.join(os.path.dirname(os.path.dirname(_SDK_DIR)), "airflow") + os.sep)


def _is_library(filename: str) -> bool:
    return filename.startswith(_LIBRARY_DIRS)


def caller_file() -> str:
    """The file of the first frame outside the sdk and the `airflow` package."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not _is_library(filename):
            return os.path.abspath(filename) if not filename.startswith("<") else filename
        frame = frame.f_back  # type: ignore[assignment]
    return "<unknown>"


def user_stacklevel() -> int:
    """The `stacklevel` that makes warnings.warn, called by the caller of this function, point at user code."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and _is_library(frame.f_code.co_filename):
        level += 1
        frame = frame.f_back  # type: ignore[assignment]
    return level
