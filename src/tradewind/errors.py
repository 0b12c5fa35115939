"""The one error tree: every error Tradewind raises on purpose derives from TradewindError.

Errors carry the fields that locate the problem (path, line, dag_id, task_id, key, value) and
their message says what to do about it.
"""

from __future__ import annotations


class TradewindError(Exception):
    """Base of every error Tradewind raises on purpose."""


class ConfigError(TradewindError):
    """A configuration value is missing or malformed; the message names section, key and value."""

    def __init__(self, message: str, *, section: str = "", key: str = "", value: object = None) -> None:
        super().__init__(message)
        self.section, self.key, self.value = section, key, value


class DagDefinitionError(TradewindError):
    """A DAG file declares something invalid (a cycle, a duplicate id, a bad cron expression...)."""

    def __init__(self, message: str, *, dag_id: str | None = None, task_id: str | None = None) -> None:
        super().__init__(message)
        self.dag_id, self.task_id = dag_id, task_id


class DagNotFound(TradewindError):
    """No DAG with this id is known: check `airflow dags list` and `airflow dags list-import-errors`."""

    def __init__(self, dag_id: str) -> None:
        super().__init__(f"DAG {dag_id!r} not found: check `airflow dags list` and `airflow dags list-import-errors`")
        self.dag_id = dag_id


class TaskNotFound(TradewindError):
    """The DAG has no task with this id: check `airflow tasks list DAG_ID`."""

    def __init__(self, dag_id: str, task_id: str) -> None:
        super().__init__(f"DAG {dag_id!r} has no task {task_id!r}: check `airflow tasks list {dag_id}`")
        self.dag_id, self.task_id = dag_id, task_id


class DagRunAlreadyExists(TradewindError):
    """A run with this run_id or logical date exists already; pick another run_id or date."""


class ParamValidationError(TradewindError, ValueError):
    """A DAG param has a value its schema refuses; the message names the param and the rule."""


class DatabaseNotInitialized(TradewindError):
    """The metadata database has no schema yet: run `airflow db init` (or `airflow db migrate`)."""
