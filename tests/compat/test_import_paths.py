"""Every Airflow import path resolves, in a fresh interpreter, to the very object at its Tradewind home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from import_paths import DEPRECATED, PATHS  # noqa: E402

BATCH = 60

_CHECK_ROWS = """
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
results = []
for module, name, home in json.loads(sys.argv[1]):
    try:
        value = getattr(importlib.import_module(module), name)
        home_module, _, attr = home.partition(":")
        expected = importlib.import_module(home_module)
        if attr:
            expected = getattr(expected, attr)
        results.append([module, name, value is expected, "" if value is expected else repr(value)])
    except Exception as exc:
        results.append([module, name, False, f"{type(exc).__name__}: {exc}"])
print(json.dumps(results))
"""


def _run_python(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def resolved() -> dict[tuple[str, str], tuple[bool, str]]:
    """The outcome of every row, checked in batches of fresh interpreters."""
    outcome: dict[tuple[str, str], tuple[bool, str]] = {}
    for start in range(0, len(PATHS), BATCH):
        rows = json.loads(_run_python(_CHECK_ROWS, json.dumps(PATHS[start : start + BATCH])))
        for module, name, ok, detail in rows:
            outcome[(module, name)] = (ok, detail)
    return outcome


@pytest.mark.parametrize(("module", "name", "home"), PATHS, ids=[f"{m}:{n}" for m, n, _ in PATHS])
def test_path_is_the_tradewind_object(resolved: dict[tuple[str, str], Any], module: str, name: str, home: str) -> None:
    ok, detail = resolved[(module, name)]
    assert ok, f"{module}.{name} should be {home}: {detail}"


def test_every_module_of_the_table_has_its_own_file() -> None:
    root = Path(__file__).resolve().parents[2] / "src"
    for module in {m for m, _, _ in PATHS}:
        parts = module.split(".")
        as_file = root.joinpath(*parts[:-1], parts[-1] + ".py")
        as_package = root.joinpath(*parts, "__init__.py")
        assert as_file.exists() or as_package.exists(), module


_CHECK_DEPRECATIONS = """
import importlib, json, sys, warnings
found = {}
for module in json.loads(sys.argv[1]):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importlib.import_module(module)
    found[module] = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
print(json.dumps(found))
"""


def test_deprecated_paths_warn_and_name_the_new_path() -> None:
    found = json.loads(_run_python(_CHECK_DEPRECATIONS, json.dumps(sorted(DEPRECATED))))
    for module, new in DEPRECATED.items():
        assert any(new in message for message in found[module]), (module, found[module])


def test_current_paths_do_not_warn() -> None:
    current = ["airflow", "airflow.sdk", "airflow.models", "airflow.providers.standard.operators.bash",
               "airflow.utils.task_group", "airflow.exceptions", "airflow.models.param"]
    found = json.loads(_run_python(_CHECK_DEPRECATIONS, json.dumps(current)))
    assert found == {module: [] for module in current}


def test_importing_airflow_and_dag_imports_no_heavy_module() -> None:
    code = (
        "import sys, json\n"
        "import airflow\n"
        "from airflow import DAG\n"
        "from airflow.sdk import dag, task\n"
        "heavy = ['sqlalchemy', 'jinja2', 'jsonschema', 'pydantic', 'fastapi', 'celery', 'starlette']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    assert json.loads(_run_python(code)) == []


def test_version_comes_from_tradewind() -> None:
    from tradewind.version import __version__

    assert _run_python("import airflow; print(airflow.__version__)").strip() == __version__
