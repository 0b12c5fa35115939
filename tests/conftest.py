"""Fixtures shared by the whole suite: a fresh AIRFLOW_HOME and a way to run the real CLI in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
AIRFLOW_BIN = Path(sys.executable).with_name("airflow")


@dataclass
class AirflowHome:
    """A temporary AIRFLOW_HOME and the environment that points the CLI at it."""

    path: Path
    env: dict[str, str]

    @property
    def dags(self) -> Path:
        return self.path / "dags"

    def cli(self, *args: str, check: bool = True, timeout: float = 120, extra_env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        """Run `airflow ARGS` as a real process against this home."""
        env = {**self.env, **(extra_env or {})}
        result = subprocess.run([str(AIRFLOW_BIN), *args], capture_output=True, text=True, env=env, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"airflow {' '.join(args)} exited {result.returncode}\n"
                                 f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}")
        return result

    def cli_json(self, *args: str, **kwargs: Any) -> Any:
        """Run a command with `-o json` and return its decoded output."""
        out = self.cli(*args, "-o", "json", **kwargs).stdout
        return json.loads(out.strip().splitlines()[-1] if out.strip() else "null")


def make_home(path: Path, **env_overrides: str) -> AirflowHome:
    path.mkdir(parents=True, exist_ok=True)
    (path / "dags").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "TRADEWIND"))}
    env.update({"AIRFLOW_HOME": str(path), "PYTHONUNBUFFERED": "1", **env_overrides})
    return AirflowHome(path, env)


@pytest.fixture
def airflow_home(tmp_path: Path) -> AirflowHome:
    """An empty AIRFLOW_HOME with a dags folder; the DB is not initialised."""
    return make_home(tmp_path / "airflow")
