"""Warm the task runner once, before the workers fork, so that every forked child starts warm.

A cold process spends most of its first try compiling SQL (SQLAlchemy caches compiled statements
per engine) and building objects it keeps; a try in a warm process costs a fraction of that. The
executor runs one no-op try of a throwaway DAG through the real runner, inside a transaction that
is rolled back (nothing is left in the database; the log goes to a temporary folder), and then
forks the workers from this warm process: their children inherit the compiled statements.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator

from tradewind.clock import Clock
from tradewind.executors.base import TaskInstanceKey

log = logging.getLogger("tradewind.executors.local")

_DAG_ID = "__tradewind_warm_up__"
_RUN_ID = "warm_up"


class _RolledBack(Exception):
    """Raised to roll back the warm-up transaction."""


class _SavepointDatabase:
    """A Database look-alike whose read and write blocks are savepoints of one outer transaction."""

    def __init__(self, db: Any, conn: Any) -> None:
        self._db, self._conn = db, conn
        self.engine, self.url = db.engine, db.url

    @contextmanager
    def write(self) -> Iterator[Any]:
        with self._conn.begin_nested():
            yield self._conn

    read = write

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def _noop() -> None:
    return None


def _throwaway_dag() -> Any:
    from tradewind.sdk.dag import DAG
    from tradewind.sdk.operators.python import PythonOperator

    dag = DAG(_DAG_ID, schedule=None)
    PythonOperator(task_id="noop", python_callable=_noop, dag=dag)
    return dag


def warm_up_runner(db: Any, settings: Any, run_try: Any, clock: Clock) -> bool:
    """Run one no-op try through `run_try` and roll everything back; False (logged) when that failed."""
    from tradewind.store import dag_runs

    dag = _throwaway_dag()
    key = TaskInstanceKey(_DAG_ID, _RUN_ID, "noop")
    now = clock.now()
    task_log = logging.getLogger("airflow.task")
    was_disabled, task_log.disabled = task_log.disabled, True  # the throwaway try is not news
    try:
        with tempfile.TemporaryDirectory(prefix="tradewind-warm-up-") as log_folder:
            values = {**settings.values, ("logging", "base_log_folder"): log_folder}
            scratch_settings = dataclasses.replace(settings, values=values)
            with db.write() as conn:
                dag_runs.create_run(conn, dag_id=_DAG_ID, run_id=_RUN_ID, run_type="manual", run_after=now,
                                    state="running", logical_date=now, data_interval=(now, now),
                                    task_instances=[{"task_id": "noop", "state": "queued", "try_number": 1}], now=now)
                outcome = run_try(_SavepointDatabase(db, conn), scratch_settings, key, 1, dag=dag, clock=clock)
                raise _RolledBack(outcome)
    except _RolledBack as done:
        outcome = done.args[0]
        if getattr(outcome, "state", None) == "success":
            return True
        log.debug("runner warm-up ended as %r; tries start cold", outcome)
        return False
    except Exception:  # only a speed-up: never stop the executor from starting
        log.debug("runner warm-up failed; tries start cold", exc_info=True)
        return False
    finally:
        task_log.disabled = was_disabled
    return False
