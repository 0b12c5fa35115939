"""Fixtures for DAG-file tests: a throwaway AIRFLOW_HOME with a dags folder, and settings for it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from tradewind.config.settings import Settings, load_settings

# The shared corpus of DAG files sits beside the checkout unless TRADEWIND_DAG_CORPUS names it.
CORPUS = Path(os.environ.get("TRADEWIND_DAG_CORPUS") or Path(__file__).resolve().parents[3] / "shared" / "dags")


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "expected.json").is_file():
        pytest.skip(f"the DAG corpus is not at {CORPUS}; set TRADEWIND_DAG_CORPUS")
    return CORPUS


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "dags").mkdir()
    return tmp_path


@pytest.fixture
def dags_folder(home: Path) -> Path:
    return home / "dags"


@pytest.fixture
def make_settings(home: Path) -> Callable[..., Settings]:
    def make(**options: str) -> Settings:
        environ = {"AIRFLOW_HOME": str(home)}
        environ.update({f"AIRFLOW__{k.upper()}": v for k, v in options.items()})
        return load_settings(environ)

    return make
