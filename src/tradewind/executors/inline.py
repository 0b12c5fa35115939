"""InlineExecutor: runs each queued try in this process, one by one, when sync() is called (dags test, debugging)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.executors.base import BaseExecutor, FinishedTry, TaskInstanceKey

log = logging.getLogger(__name__)


class InlineExecutor(BaseExecutor):
    """Run tries in the calling process; `dag_lookup(dag_id)` gives the DAG object to run them from."""

    parallelism = 1

    def __init__(self, db: Any, settings: Settings, dag_lookup: Callable[[str], Any], clock: Clock,
                 echo: bool = False) -> None:
        self.db, self.settings, self.dag_lookup, self.clock, self.echo = db, settings, dag_lookup, clock, echo
        self._queued: deque[tuple[TaskInstanceKey, int]] = deque()
        self._unreported: list[FinishedTry] = []

    def queue(self, key: Any, try_number: int) -> None:
        self._queued.append((TaskInstanceKey(*key), try_number))

    def sync(self) -> list[FinishedTry]:
        """Run every try queued so far, in order, and report how each ended."""
        from tradewind.runner.run_try import run_task_try

        finished, self._unreported = self._unreported, []
        while self._queued:
            key, try_number = self._queued.popleft()
            try:
                dag = self.dag_lookup(key.dag_id)
                outcome = run_task_try(self.db, self.settings, key, try_number, dag=dag, clock=self.clock,
                                       echo=self.echo)
            except Exception as exc:  # a try that cannot even start is reported, and the loop goes on
                log.exception("Try %s of %s could not run", try_number, key)
                finished.append(FinishedTry(key, try_number, None, f"{type(exc).__name__}: {exc}"))
                continue
            finished.append(FinishedTry(key, try_number, outcome.state, outcome.error))
        return finished

    def has_capacity(self) -> bool:
        return True

    def join(self, timeout: float | None = None) -> bool:
        """Nothing runs in the background: draining means running what is queued (reported by the next sync)."""
        self._unreported = self.sync()
        return True

    def cancel(self, key: Any) -> bool:
        key = TaskInstanceKey(*key)
        before = len(self._queued)
        self._queued = deque(item for item in self._queued if item[0] != key)
        return len(self._queued) != before
