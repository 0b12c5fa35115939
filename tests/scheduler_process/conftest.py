"""Fixtures for tests that run the real `airflow scheduler`: short-path homes and schedulers that never outlive a test."""

from __future__ import annotations

from typing import Callable, Iterator

import pytest

from tests.conftest import AirflowHome
from tests.scheduler_process.scheduler_proc import SchedulerProcess, remove_home, short_home
from tradewind.testing.postgres import postgres_server


@pytest.fixture
def new_home() -> Iterator[Callable[..., AirflowHome]]:
    """Make fresh AIRFLOW_HOMEs (env overrides as keyword arguments); all are removed afterwards."""
    homes: list[AirflowHome] = []

    def make(**env: str) -> AirflowHome:
        home = short_home(**env)
        homes.append(home)
        return home

    yield make
    for home in homes:
        remove_home(home)


@pytest.fixture
def start_scheduler() -> Iterator[Callable[..., SchedulerProcess]]:
    """Start `airflow scheduler` processes; any still running at the end is killed with its whole tree."""
    started: list[SchedulerProcess] = []

    def start(home: AirflowHome, **env: str) -> SchedulerProcess:
        process = SchedulerProcess.start(home, **env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill_tree()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The environment naming the metadata database: SQLite in the home, or a fresh PostgreSQL server."""
    if request.param == "sqlite":
        yield {}
        return
    with postgres_server() as server:
        yield {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": server.create_database("scheduler")}
