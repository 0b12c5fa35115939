"""Where the log of one task try lives: Airflow's folder layout under [logging] base_log_folder."""

from __future__ import annotations

from pathlib import Path

from tradewind.config.settings import Settings


def task_log_path(
    settings: Settings, dag_id: str, run_id: str, task_id: str, map_index: int, try_number: int
) -> Path:
    """$base_log_folder/dag_id=…/run_id=…/task_id=…/[map_index=…/]attempt=N.log, as Airflow lays it out."""
    folder = settings.log_folder / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={task_id}"
    if map_index >= 0:
        folder = folder / f"map_index={map_index}"
    return folder / f"attempt={try_number}.log"
