"""Run one task try: take it (queued -> running), build the context, render, execute, record the outcome.

The try's end is one write transaction: the final state (compare-and-set on the try number), end
date and duration, XComs, the try-history row, the next try time for a retry or reschedule, and
the downstream skips the task asked for.
"""

from __future__ import annotations

import logging
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.executors.base import TaskInstanceKey
from tradewind.logs.capture import capture_task_output
from tradewind.logs.paths import task_log_path
from tradewind.runner import records
from tradewind.runner.outcome import TryOutcome
from tradewind.runner.task_attempt import TaskAttempt
from tradewind.sdk.runtime import install_services

log = logging.getLogger("airflow.task")


def run_task_try(db: Any, settings: Settings, key: Any, try_number: int, *, dag: Any, clock: Clock,
                 echo: bool = False, test_mode: bool = False) -> TryOutcome:
    """Run try `try_number` of the task instance `key` of `dag`, at most once, and record how it ended."""
    key = TaskInstanceKey(*key)
    started = records.start_try(db, key, try_number, clock.now())
    if started is None:
        state, current_try = records.current_state(db, key)
        return TryOutcome(None, f"{key}: try {try_number} was not run: the instance is {state or 'none'} at try "
                                f"{current_try}, not queued for this try (another runner took it, or it was changed)")
    path = task_log_path(settings, key.dag_id, key.run_id, key.task_id, key.map_index, try_number)
    with capture_task_output(path, clock=clock, echo=echo):
        from tradewind.runner.services import StoreServices

        previous = install_services(StoreServices(db, settings, clock))
        try:
            attempt = TaskAttempt(db, settings, key, try_number, started, dag=dag, clock=clock, test_mode=test_mode)
            record, outcome = attempt.run()
            if not records.finish_try(db, key, try_number, record):
                log.warning("The state of %s changed while try %s ran; its outcome (%s) is not recorded",
                            key, try_number, record.state)
                state, _ = records.current_state(db, key)
                return TryOutcome(state, outcome.error)
            return outcome
        finally:
            install_services(previous)

