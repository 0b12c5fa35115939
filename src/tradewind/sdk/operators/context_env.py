"""The AIRFLOW_CTX_* environment variables that tell a child process which task try it belongs to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def context_to_env_vars(context: Mapping[str, Any]) -> dict[str, str]:
    """Return AIRFLOW_CTX_* variables for the task try in `context`, leaving out what it does not know."""
    ti = context.get("ti") or context.get("task_instance")
    task = context.get("task")
    dag_run = context.get("dag_run")
    logical_date = context.get("logical_date")
    run_id = context.get("run_id") or getattr(dag_run, "run_id", None) or getattr(ti, "run_id", None)
    values: dict[str, Any] = {
        "AIRFLOW_CTX_DAG_OWNER": _owner(task),
        "AIRFLOW_CTX_DAG_EMAIL": _emails(task),
        "AIRFLOW_CTX_DAG_ID": getattr(ti, "dag_id", None),
        "AIRFLOW_CTX_TASK_ID": getattr(ti, "task_id", None),
        "AIRFLOW_CTX_LOGICAL_DATE": logical_date.isoformat() if logical_date is not None else None,
        # Airflow 2 scripts read the old name; it always carried the same instant.
        "AIRFLOW_CTX_EXECUTION_DATE": logical_date.isoformat() if logical_date is not None else None,
        "AIRFLOW_CTX_TRY_NUMBER": getattr(ti, "try_number", None),
        "AIRFLOW_CTX_DAG_RUN_ID": run_id,
    }
    return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _owner(task: Any) -> str | None:
    owner = getattr(task, "owner", None)
    if isinstance(owner, (list, tuple)):
        return ",".join(str(o) for o in owner)
    return owner


def _emails(task: Any) -> str | None:
    email = getattr(task, "email", None)
    if not email:
        return None
    if isinstance(email, str):
        return email
    return ",".join(str(e) for e in email)
