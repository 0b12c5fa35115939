"""The classic tutorial, word for word, from `pip install .` into a brand-new virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.locate import corpus_dir

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 600) -> str:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.mark.slow
def test_tutorial_in_a_fresh_virtualenv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "TRADEWIND", "VIRTUAL_ENV"))}
    _run([sys.executable, "-m", "venv", str(venv)], env)
    bin_dir = venv / "bin"
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # A copy of the checkout, so that the install cannot lean on files of the developer's tree.
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", ".git", "test-output", "__pycache__",
                                                                  "*.egg-info", ".airflow-home", "build"))
    _run([str(bin_dir / "pip"), "install", "-q", "."], env, cwd=source)

    home = tmp_path / "airflow"
    env["AIRFLOW_HOME"] = str(home)
    _run(["airflow", "db", "init"], env)
    assert (home / "airflow.cfg").exists() and (home / "airflow.db").exists()
    version = _run(["airflow", "version"], env).strip()
    assert version and version[0].isdigit()

    dags = home / "dags"
    dags.mkdir(exist_ok=True)
    shutil.copy(corpus_dir() / "good" / "seed_tutorial.py", dags / "my_python_op.py")
    _run([str(bin_dir / "python"), "my_python_op.py"], env, cwd=dags)
    listed = _run(["airflow", "dags", "list"], env)
    assert "my_python_dag" in listed
    plain = _run(["airflow", "dags", "list", "-o", "plain"], env)
    assert any(line.split("\t")[0] == "my_python_dag" for line in plain.splitlines())
