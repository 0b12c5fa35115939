"""Fixtures for DAG-file tests: a throwaway AIRFLOW_HOME with a dags folder, settings for it, the corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.corpus.locate import corpus_dir
from tradewind.config.settings import Settings, load_settings


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "dags").mkdir()
    return tmp_path


@pytest.fixture
def dags_folder(home: Path) -> Path:
    return home / "dags"


@pytest.fixture
def make_settings(home: Path) -> Callable[..., Settings]:
    """Settings for `home`; keyword arguments are options as section__key=value."""

    def make(**options: str) -> Settings:
        environ = {"AIRFLOW_HOME": str(home)}
        environ.update({f"AIRFLOW__{k.upper()}": v for k, v in options.items()})
        return load_settings(environ)

    return make


@pytest.fixture
def corpus() -> Path:
    return corpus_dir()


@pytest.fixture
def expected_bad(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "expected.json").read_text())["bad"]
