"""The seam through which user code reaches the metadata DB without the sdk importing the store.

The task runner and the DAG parser install an implementation of RuntimeServices; Variable,
Connection, TriggerDagRunOperator and ExternalTaskSensor call `current_services()`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from tradewind.errors import TradewindError


class RuntimeServices(Protocol):
    """What user code may ask of the metadata database while a DAG file is parsed or a task runs."""

    def get_variable(self, key: str) -> str | None:
        """The stored (decrypted) value of a Variable, or None."""

    def set_variable(self, key: str, value: str, description: str | None = None) -> None:
        """Create or replace a Variable."""

    def delete_variable(self, key: str) -> None:
        """Delete a Variable if it exists."""

    def get_connection(self, conn_id: str) -> dict[str, Any] | None:
        """A connection's fields (conn_type, host, schema, login, password, port, extra), or None."""

    def trigger_dag_run(
        self, dag_id: str, *, run_id: str | None, conf: dict[str, Any] | None, logical_date: datetime | None
    ) -> str:
        """Create a manual run of another DAG and return its run_id."""

    def get_dag_run_state(self, dag_id: str, run_id: str) -> str | None:
        """The state of a run, or None if there is no such run."""

    def get_task_states(self, dag_id: str, task_ids: list[str], logical_date: datetime) -> dict[str, Any]:
        """The states of the given tasks in the run of `dag_id` at `logical_date`, by task id."""


class NoRuntimeServicesError(TradewindError, RuntimeError):
    """No runtime services are installed: the call needs the metadata database."""


_installed: RuntimeServices | None = None


def install_services(services: RuntimeServices | None) -> RuntimeServices | None:
    """Install `services` (None uninstalls) and return the previous ones."""
    global _installed
    previous, _installed = _installed, services
    return previous


def current_services() -> RuntimeServices:
    """The installed services; a clear error when there are none."""
    if _installed is None:
        raise NoRuntimeServicesError(
            "this needs the metadata database (Variables, Connections, other DAG runs), which is available "
            "only while a task runs or a DAG file is parsed by Tradewind: run it with `airflow dags test` "
            "or `airflow tasks test`"
        )
    return _installed
