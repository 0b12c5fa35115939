"""Task callbacks (on_execute, on_success, on_retry, on_failure, on_skipped): each runs, and a failing one is only logged.

DAG-level callbacks go through `run_callbacks` too (see dag_callbacks.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger("airflow.task")

CALLBACK_FOR_STATE = {
    "success": "on_success_callback",
    "up_for_retry": "on_retry_callback",
    "failed": "on_failure_callback",
}


def run_callbacks(owner: Any, name: str, context: Mapping[str, Any], *, subject: str | None = None) -> None:
    """Call every callback of `owner` (a task, or a DAG) named `name` with the context; log and go on when one raises.

    `subject` names the owner in the log ("task 'x'" unless given).
    """
    callbacks = getattr(owner, name, None)
    if not callbacks:
        return
    subject = subject or f"task {getattr(owner, 'task_id', '?')!r}"
    for callback in callbacks if isinstance(callbacks, (list, tuple)) else [callbacks]:
        try:
            log.info("Running %s %s", name, getattr(callback, "__name__", repr(callback)))
            callback(context)
        except Exception:  # a failing callback must not change the outcome it reports on
            log.exception("%s of %s failed; its state is unchanged", name, subject)


def callback_after(state: str, *, skipped_by_task: bool) -> str | None:
    """Which callback follows a try that ended in `state` (on_skipped only when the task itself raised a skip)."""
    if state == "skipped":
        return "on_skipped_callback" if skipped_by_task else None
    return CALLBACK_FOR_STATE.get(state)
