"""`airflow version`, `airflow --help` and `from airflow import DAG` stay light: no heavy modules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "jinja2", "fastapi", "pydantic", "celery", "starlette", "jsonschema", "alembic")

PROBE = """
import json, sys
{setup}
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})))
"""


def _loaded_heavy_modules(setup: str) -> list[str]:
    code = PROBE.format(setup=setup, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("setup", [
    "import airflow\nfrom airflow import DAG",
    "from airflow.sdk import DAG, dag, task",
    "from airflow.operators.python import PythonOperator\nfrom airflow.operators.bash import BashOperator",
    "import io, contextlib\nfrom tradewind.cli.main import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n    main(['version'])",
    "import io, contextlib\nfrom tradewind.cli.main import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n    try:\n        main(['--help'])\n    except SystemExit:\n        pass",
])
def test_no_heavy_module_is_imported(setup: str) -> None:
    assert _loaded_heavy_modules(setup) == []


def test_probe_sees_heavy_modules_when_they_are_imported() -> None:
    # The check above must be able to fail: importing the store does load SQLAlchemy.
    assert "sqlalchemy" in _loaded_heavy_modules("import tradewind.store.schema")
