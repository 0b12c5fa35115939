"""The `dag_run` object a running task sees: the run's row, read-only, with Airflow's attribute names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class RuntimeDagRun:
    """One DAG run as the task's context shows it (`dag_run.conf`, `dag_run.run_type`, ...)."""

    dag_id: str
    run_id: str
    run_type: str
    logical_date: datetime | None
    data_interval_start: datetime | None
    data_interval_end: datetime | None
    run_after: datetime | None
    start_date: datetime | None = None
    end_date: datetime | None = None
    queued_at: datetime | None = None
    state: str | None = None
    triggered_by: str | None = None
    conf: dict[str, Any] = field(default_factory=dict)
    clear_number: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RuntimeDagRun:
        """Build it from a dag_run row."""
        return cls(
            dag_id=row["dag_id"], run_id=row["run_id"], run_type=row["run_type"], logical_date=row["logical_date"],
            data_interval_start=row["data_interval_start"], data_interval_end=row["data_interval_end"],
            run_after=row["run_after"], start_date=row["start_date"], end_date=row["end_date"],
            queued_at=row["queued_at"], state=row["state"], triggered_by=row["triggered_by"],
            conf=dict(row["conf"] or {}), clear_number=row["clear_number"] or 0,
        )

    @property
    def execution_date(self) -> datetime | None:
        """Airflow 2's name of logical_date."""
        return self.logical_date

    @property
    def external_trigger(self) -> bool:
        """Airflow 2: whether the run was triggered by hand (or by the API, or another DAG)."""
        return self.run_type == "manual"

    @property
    def run_after_or_logical(self) -> datetime | None:
        return self.logical_date or self.run_after

    def __repr__(self) -> str:
        return f"<DagRun {self.dag_id} @ {self.logical_date}: {self.run_id}, state:{self.state}, run_type: {self.run_type}>"
