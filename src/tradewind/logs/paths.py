"""Where logs live: Airflow's folder layout under [logging] base_log_folder (task tries, DAG callbacks)."""

from __future__ import annotations

from datetime import datetime, timezone
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


def dag_processor_log_path(settings: Settings, fileloc: str, at: datetime) -> Path:
    """$base_log_folder/scheduler/YYYY-MM-DD/<file path relative to the DAGs folder>.log (UTC date).

    Airflow 2's layout of the DAG processor's per-file logs ([scheduler] child_process_log_directory
    defaults to logs/scheduler), where users look for what DAG callbacks printed. A file outside the
    DAGs folder is logged under its own name.
    """
    file_path = Path(fileloc)
    try:
        relative = file_path.relative_to(settings.dags_folder.absolute())
    except ValueError:
        relative = Path(file_path.name)
    folder = settings.log_folder / "scheduler" / at.astimezone(timezone.utc).strftime("%Y-%m-%d")
    return folder / f"{relative.as_posix()}.log"
