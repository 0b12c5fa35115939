"""The executor interface every executor shares: queue a try, report finished tries, capacity, join, cancel.

An executor hands (dag_id, run_id, task_id, map_index, try_number) to the task runner somewhere
(this process, a forked child, a Celery worker); the runner records the outcome in the database,
and `sync()` tells the scheduler which tries ended, so that it looks at their downstream tasks at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from tradewind.store.keys import TaskInstanceKey  # the one key type; executors name it from here too


@dataclass(frozen=True)
class FinishedTry:
    """A try that ended: its state as the runner recorded it, or None when no outcome was recorded.

    A try that could not be started because its instance was no longer queued for it carries the
    state found instead (another runner has it, or a user changed it): nothing is left to fix.

    `error` says what went wrong (the task's exception, or why the try could not run at all).
    """

    key: TaskInstanceKey
    try_number: int
    state: str | None
    error: str | None = None


class BaseExecutor(ABC):
    """What the scheduler needs from an executor; one module per executor implements it."""

    parallelism: int = 1

    def start(self) -> None:
        """Acquire what the executor needs (worker processes, a broker connection)."""

    @abstractmethod
    def queue(self, key: TaskInstanceKey, try_number: int) -> None:
        """Accept one try to run; the task instance is already `queued` in the database."""

    @abstractmethod
    def sync(self) -> list[FinishedTry]:
        """Make progress and return the tries that ended since the last call."""

    @abstractmethod
    def has_capacity(self) -> bool:
        """Whether another try may be queued now."""

    @abstractmethod
    def join(self, timeout: float | None = None) -> bool:
        """Wait until every queued try has ended (or `timeout` seconds passed); True when drained."""

    @abstractmethod
    def cancel(self, key: TaskInstanceKey) -> bool:
        """Stop a queued or running try of `key`; False when the executor does not know it."""

    def end(self) -> None:
        """Wait for running tries, then release everything `start` acquired."""
        self.join()

    def heartbeat(self) -> list[FinishedTry]:
        """Alias of sync() under Airflow's name."""
        return self.sync()
