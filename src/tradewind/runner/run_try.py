"""Run one task try: take it (queued -> running), build the context, render, execute, record the outcome.

`run_task_try` does all of it in this process. The local executor splits it: its worker starts
tries with `records.start_try` and finishes them with `records.finish_try`, many per transaction,
while the forked task process runs `execute_try`, which needs no connection of its own.
"""

from __future__ import annotations

import logging
from typing import Any

from tradewind.clock import Clock, running_on
from tradewind.config.settings import Settings
from tradewind.logs.capture import capture_task_output
from tradewind.logs.paths import task_log_path
from tradewind.runner import records
from tradewind.runner.outcome import TryOutcome
from tradewind.runner.task_attempt import TaskAttempt
from tradewind.sdk.runtime import install_services
from tradewind.store.keys import TaskInstanceKey

log = logging.getLogger("airflow.task")


def why_not_run(key: TaskInstanceKey, try_number: int, state: str | None, current_try: int | None) -> str:
    """Why a try whose start lost its compare-and-set did not run."""
    return (f"{key}: try {try_number} was not run: the instance is {state or 'none'} at try {current_try}, not "
            "queued for this try (another runner took it, or it was changed)")


def run_task_try(db: Any, settings: Settings, key: Any, try_number: int, *, dag: Any, clock: Clock,
                 echo: bool = False, test_mode: bool = False) -> TryOutcome:
    """Run try `try_number` of the task instance `key` of `dag`, at most once, and record how it ended."""
    key = TaskInstanceKey(*key)
    with db.write() as conn:
        inputs = records.start_try(conn, key, try_number, clock.now())
        if inputs is None:
            return TryOutcome(None, why_not_run(key, try_number, *records.read_state(conn, key)))
    record, outcome = execute_try(db, settings, key, try_number, inputs, dag=dag, clock=clock, echo=echo,
                                  test_mode=test_mode)
    with db.write() as conn:
        if records.finish_try(conn, key, try_number, record, start_date=inputs.started.start_date):
            return outcome
        state, _ = records.read_state(conn, key)
    log.warning("The state of %s changed while try %s ran; its outcome (%s) is not recorded", key, try_number,
                record.state)
    return TryOutcome(state, outcome.error)


def execute_try(db: Any, settings: Settings, key: TaskInstanceKey, try_number: int, inputs: records.TryInputs, *,
                dag: Any, clock: Clock, echo: bool = False,
                test_mode: bool = False) -> tuple[records.FinalRecord, TryOutcome]:
    """Run a started try with its output in its log file; what to record, and how it ended. Writes nothing to `db`.

    `db` serves what the task itself asks for while it runs (Variables, Connections, XCom pulls).
    """
    path = task_log_path(settings, key.dag_id, key.run_id, key.task_id, key.map_index, try_number)
    with capture_task_output(path, clock=clock, echo=echo), running_on(clock):
        from tradewind.runner.services import StoreServices

        services = StoreServices(db, settings, clock)
        previous = install_services(services)
        try:
            attempt = TaskAttempt(db, settings, key, try_number, inputs, dag=dag, clock=clock, test_mode=test_mode,
                                  services=services)
            return attempt.run()
        finally:
            install_services(previous)
