"""A running run follows its DAG file's edits: vanished tasks become removed, new tasks join, returning ones run."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from tests.scheduler.harness import Harness, make_harness
from tradewind.dagfiles.processor import parse_and_sync
from tradewind.store import scheduling

GATED = """
import os
from datetime import datetime
from airflow import DAG
from airflow.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.python import PythonSensor

with DAG("edited", schedule=None, start_date=datetime(2026, 1, 1)) as dag:
    gate = PythonSensor(task_id="gate", python_callable=lambda: os.path.exists(os.environ["GATE_FILE"]),
                        mode="reschedule", poke_interval=5)
    gate >> EmptyOperator(task_id="{middle}") >> EmptyOperator(task_id="end")
"""


def _edit(h: Harness, middle: str, version_mtime: int) -> None:
    path = h.settings.home / "dags" / "edited.py"
    path.write_text(textwrap.dedent(GATED.format(middle=middle)))
    os.utime(path, (version_mtime, version_mtime))  # a new mtime, whatever the file system's resolution
    parse_and_sync(h.settings, h.db)


def _states(h: Harness, run_id: str) -> dict[str, list[str | None]]:
    return {task_id: [row.state for row in rows] for task_id, rows in h.states("edited", run_id).items()}


def _run_version(h: Harness, run_id: str) -> int:
    with h.db.read() as conn:
        return scheduling.get_run(conn, "edited", run_id)["dag_version"]


def _start_gated_run(tmp_path: Path, monkeypatch) -> tuple[Harness, str, Path]:  # noqa: ANN001
    gate_file = tmp_path / "gate_open"
    monkeypatch.setenv("GATE_FILE", str(gate_file))
    h = make_harness(tmp_path, {"edited.py": GATED.format(middle="old")})
    h.unpause("edited")
    run_id = h.trigger("edited")
    h.tick_until_idle()
    assert _states(h, run_id) == {"gate": ["up_for_reschedule"], "old": [None], "end": [None]}
    return h, run_id, gate_file


def test_a_running_run_takes_the_tasks_of_the_edited_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    h, run_id, gate_file = _start_gated_run(tmp_path, monkeypatch)
    first_version = _run_version(h, run_id)
    _edit(h, "new", 2_000_000_000)
    gate_file.touch()
    h.clock.advance(10)
    h.tick_until_idle()
    assert _states(h, run_id) == {"gate": ["success"], "old": ["removed"], "new": ["success"], "end": ["success"]}
    assert h.run_state("edited", run_id) == "success"
    assert _run_version(h, run_id) == first_version + 1


def test_a_task_removed_then_put_back_runs_again(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    h, run_id, gate_file = _start_gated_run(tmp_path, monkeypatch)
    _edit(h, "new", 2_000_000_000)
    h.clock.advance(5)
    h.tick_until_idle()
    assert _states(h, run_id)["old"] == ["removed"]
    _edit(h, "old", 2_000_000_100)
    gate_file.touch()
    h.clock.advance(5)
    h.tick_until_idle()
    assert _states(h, run_id) == {"gate": ["success"], "old": ["success"], "new": ["removed"], "end": ["success"]}
    assert h.run_state("edited", run_id) == "success"
