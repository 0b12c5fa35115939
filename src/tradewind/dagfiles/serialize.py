"""Turn an sdk DAG into the format-1 document of `store.serialized_dag`, with effective values resolved.

Defaults that come from configuration (catchup, max_active_runs, max_active_tasks) are written as
the values in force, so the scheduler never needs the DAG file or the parser's settings to know them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradewind.dagfiles.serialize_tasks import (iso_or_none, seconds_or_none, serialize_task, serialize_task_groups,
                                                 topological_order)
from tradewind.errors import DagDefinitionError
from tradewind.store.serialized_dag import FORMAT_VERSION

if TYPE_CHECKING:
    from tradewind.config.settings import Settings

class DagSerializationError(DagDefinitionError):
    """A DAG holds a value its stored form cannot carry; the message names DAG, task and field."""


def _check_json(value: Any, where: str) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise DagSerializationError(f"{where}: value {value!r} is not JSON-serializable; "
                                    "use strings, numbers, booleans, lists and dicts") from None
    return value


def _timezone_name(zone: Any) -> str:
    for attribute in ("key", "name", "zone"):
        name = getattr(zone, attribute, None)
        if isinstance(name, str):
            return name
    return str(zone) if zone is not None else "UTC"


def _owner(dag: Any) -> str:
    owner = getattr(dag, "owner", None)
    if isinstance(owner, str) and owner:
        return owner
    return ", ".join(sorted({str(t.owner) for t in dag.tasks if getattr(t, "owner", None)})) or "airflow"


def _params(dag: Any) -> dict[str, Any]:
    params = getattr(dag, "params", None)
    if not params:
        return {}
    out = {}
    for name, param in params.items_params():
        doc = param.serialize()
        _check_json(doc["default"], f"DAG {dag.dag_id!r} param {name!r}")
        _check_json(doc["schema"], f"DAG {dag.dag_id!r} param {name!r} schema")
        out[name] = doc
    return out


def _relative(path: Path, dags_folder: Path) -> str:
    try:
        return path.relative_to(dags_folder).as_posix()
    except ValueError:
        return path.name


def _effective(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


def serialize_dag(dag: Any, settings: Settings, *, fileloc: Path | str | None = None) -> dict[str, Any]:
    """The format-1 document of `dag` (see store/serialized_dag.py); DagSerializationError if impossible."""
    from tradewind.sdk import defaults

    path = Path(fileloc if fileloc is not None else dag.fileloc).absolute()
    timetable = dag.timetable
    tasks = topological_order(dag)
    return {
        "format": FORMAT_VERSION,
        "dag_id": dag.dag_id,
        "fileloc": str(path),
        "relative_fileloc": _relative(path, settings.dags_folder.absolute()),
        "description": getattr(dag, "description", None),
        "doc_md": getattr(dag, "doc_md", None),
        "owner": _owner(dag),
        "tags": sorted(str(t) for t in (getattr(dag, "tags", None) or ())),
        "timetable": _check_json(timetable.serialize(), f"DAG {dag.dag_id!r} timetable"),
        "timetable_summary": timetable.summary,
        "timetable_description": timetable.description,
        "timezone": _timezone_name(getattr(dag, "timezone", None)),
        "start_date": iso_or_none(getattr(dag, "start_date", None)),
        "end_date": iso_or_none(getattr(dag, "end_date", None)),
        "catchup": bool(_effective(getattr(dag, "catchup", None), defaults.CATCHUP_BY_DEFAULT)),
        "max_active_runs": int(_effective(getattr(dag, "max_active_runs", None),
                                          settings.get("core", "max_active_runs_per_dag"))),
        "max_active_tasks": int(_effective(getattr(dag, "max_active_tasks", None),
                                           settings.get("core", "max_active_tasks_per_dag"))),
        "dagrun_timeout_s": seconds_or_none(getattr(dag, "dagrun_timeout", None)),
        "is_paused_upon_creation": getattr(dag, "is_paused_upon_creation", None),
        "params": _params(dag),
        "has_on_success_callback": bool(getattr(dag, "on_success_callback", None)),
        "has_on_failure_callback": bool(getattr(dag, "on_failure_callback", None)),
        "task_groups": serialize_task_groups(dag),
        "tasks": [serialize_task(dag, task) for task in tasks],
    }
