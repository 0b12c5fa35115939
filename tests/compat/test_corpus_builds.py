"""The shared corpus's good DAG files import and build their DAGs with the sdk; the tutorial runs as a script."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tradewind.sdk.registry import collecting

REPO = Path(__file__).resolve().parents[2]


def _corpus() -> Path:
    shared = REPO.parent / "shared" / "dags"
    return shared if (shared / "expected.json").exists() else REPO / "tests" / "corpus" / "data"


EXPECTED = json.loads((_corpus() / "expected.json").read_text())["good"]
FILES = sorted({entry["file"] for entry in EXPECTED.values()})


@pytest.mark.parametrize("file_name", FILES)
def test_good_file_builds_its_dags(file_name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with collecting() as collection:
            runpy.run_path(str(_corpus() / "good" / file_name))
    expected = {dag_id: e for dag_id, e in EXPECTED.items() if e["file"] == file_name}
    assert set(collection.dags) == set(expected)
    assert collection.unattached_tasks() == []
    for dag_id, entry in expected.items():
        dag = collection.dags[dag_id]
        dag.check_cycle()
        assert set(entry["tasks"]) == set(dag.task_ids)


def test_seed_tutorial_runs_as_a_script(tmp_path: Path) -> None:
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, str(_corpus() / "good" / "seed_tutorial.py")],
                          capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
