"""Fixtures for tests that run the real `airflow scheduler`: short-path homes and schedulers that never outlive a test."""

from __future__ import annotations

from typing import Callable, Iterator

import pytest

from tests.conftest import AirflowHome
from tests.scheduler_process.scheduler_proc import SchedulerProcess, remove_home, short_home


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
