"""Import one DAG file in this process and return its checked DAGs: the core both parsers share.

The file is imported under a unique module name (two files called `etl.py` in different folders
must not collide), with its own folder and the DAGs folder on sys.path, as Airflow does. Every
failure comes out as a DagFileImportError whose message is the text of the import error.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradewind.dagfiles.error_messages import describe_exception
from tradewind.errors import TradewindError

if TYPE_CHECKING:
    from tradewind.config.settings import Settings


class DagFileImportError(TradewindError):
    """A DAG file could not be imported; the message is the import error shown for the file."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"Broken DAG file {path}: {message}")
        self.path = str(path)
        self.message = message


def apply_authoring_defaults(settings: Settings) -> None:
    """Set the sdk's configurable defaults (catchup, time zone, retries, map length) from `settings`."""
    from tradewind.sdk import defaults

    defaults.CATCHUP_BY_DEFAULT = bool(settings.get("scheduler", "catchup_by_default"))
    zone = str(settings.get("core", "default_timezone"))
    # Airflow's config spells it "utc"; DAG details and the UI show the canonical "UTC".
    defaults.DEFAULT_TIMEZONE = "UTC" if zone.lower() == "utc" else zone
    defaults.MAX_MAP_LENGTH = int(settings.get("core", "max_map_length"))
    defaults.DEFAULT_TASK_RETRIES = int(settings.get("core", "default_task_retries"))


DAG_MODULE_PREFIX = "unusual_prefix_"
"""How the module name of every imported DAG file begins (helper modules keep their own names)."""


def module_name_for(path: Path) -> str:
    """A module name unique to the file's full path, ending with the file's own name for readability."""
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:16]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"{DAG_MODULE_PREFIX}{digest}_{stem}"


def _extend_sys_path(path: Path, dags_folder: Path | None) -> None:
    for folder in (dags_folder, path.parent):
        if folder is not None and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


def _exec_module(path: Path) -> Any:
    name = module_name_for(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _check(dags: dict[str, Any], orphans: list[Any], path: Path) -> None:
    from tradewind.sdk.exceptions import TaskNotInDagError

    if orphans:
        raise TaskNotInDagError(
            f"task {orphans[0].task_id!r} in {path} was created outside any DAG: create it inside a "
            "`with DAG(...)` block, or pass dag=...")
    for dag in dags.values():
        dag.check_cycle()


def import_dag_file(path: Path | str, dags_folder: Path | str | None = None) -> dict[str, Any]:
    """Import `path` and return its DAGs by dag_id, checked for cycles and tasks outside any DAG."""
    from tradewind.sdk.registry import collecting

    file_path = Path(path).absolute()
    folder = Path(dags_folder).absolute() if dags_folder is not None else None
    _extend_sys_path(file_path, folder)
    try:
        with collecting() as collection:
            module = _exec_module(file_path)
        dags = dict(collection.dags)
        for value in vars(module).values():
            if _looks_like_dag(value) and value.dag_id not in dags:
                dags[value.dag_id] = value
        _check(dags, collection.unattached_tasks(), file_path)
    except Exception as exc:
        raise DagFileImportError(file_path, describe_exception(exc, file_path, folder)) from exc
    except SystemExit as exc:  # sys.exit() at a file's top level is that file's error, not the parser's exit
        raise DagFileImportError(file_path, describe_exception(exc, file_path, folder)) from exc
    for dag in dags.values():
        _record_fileloc(dag, file_path)
    return dags


def _looks_like_dag(value: Any) -> bool:
    from tradewind.sdk.dag import DAG

    return isinstance(value, DAG)


def _record_fileloc(dag: Any, path: Path) -> None:
    """DAGs remember where they were defined; a DAG made by a helper module is still this file's."""
    try:
        dag.fileloc = str(path)
    except AttributeError:
        pass
