"""The runtime seam: Variable and Connection through installed services, and the current context."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tradewind.sdk.connections import BaseHook, Connection
from tradewind.sdk.context import get_current_context, set_current_context
from tradewind.sdk.exceptions import AirflowNotFoundException
from tradewind.sdk.runtime import NoRuntimeServicesError, current_services, install_services
from tradewind.sdk.variables import Variable


class MemoryServices:
    """RuntimeServices kept in dicts (the protocol's smallest real implementation)."""

    def __init__(self) -> None:
        self.variables: dict[str, str] = {}
        self.connections = {"fs_default": {"conn_type": "fs", "host": "h", "extra": '{"path": "/tmp"}'}}

    def get_variable(self, key: str) -> str | None:
        return self.variables.get(key)

    def set_variable(self, key: str, value: str, description: str | None = None) -> None:
        self.variables[key] = value

    def delete_variable(self, key: str) -> None:
        self.variables.pop(key, None)

    def get_connection(self, conn_id: str) -> dict[str, Any] | None:
        return self.connections.get(conn_id)

    def trigger_dag_run(self, dag_id: str, *, run_id: str | None, conf: Any, logical_date: datetime | None) -> str:
        return run_id or "manual"

    def get_dag_run_state(self, dag_id: str, run_id: str) -> str | None:
        return None

    def get_task_states(self, dag_id: str, task_ids: list[str], logical_date: datetime) -> dict[str, Any]:
        return {}


@pytest.fixture
def services() -> Iterator[MemoryServices]:
    installed = MemoryServices()
    previous = install_services(installed)
    yield installed
    install_services(previous)


def test_without_services_the_error_says_what_to_do() -> None:
    previous = install_services(None)
    try:
        with pytest.raises(NoRuntimeServicesError, match="airflow dags test"):
            current_services()
    finally:
        install_services(previous)


def test_variables(services: MemoryServices) -> None:
    Variable.set("plain", "v")
    Variable.set("doc", {"a": [1]}, serialize_json=True)
    assert Variable.get("plain") == "v" and Variable.get("doc", deserialize_json=True) == {"a": [1]}
    assert Variable.get("missing", default_var="d") == "d"
    with pytest.raises(KeyError, match="missing"):
        Variable.get("missing")
    Variable.delete("plain")
    assert Variable.get("plain", default_var=None) is None


def test_connections(services: MemoryServices) -> None:
    conn = BaseHook.get_connection("fs_default")
    assert (conn.conn_type, conn.host, conn.extra_dejson) == ("fs", "h", {"path": "/tmp"})
    assert Connection(conn_type="postgres", host="db", login="u", password="p w", port=5432, schema="s").get_uri() \
        == "postgres://u:p%20w@db:5432/s"
    with pytest.raises(AirflowNotFoundException, match="nope"):
        BaseHook.get_connection("nope")


def test_current_context_only_inside_a_running_task() -> None:
    with pytest.raises(RuntimeError, match="only while a task runs"):
        get_current_context()
    with set_current_context({"ds": "2026-01-01"}):
        assert get_current_context()["ds"] == "2026-01-01"
    with pytest.raises(RuntimeError):
        get_current_context()
