"""Parse a DAGs folder (or some of its files), several files at once, into a ParseReport."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from tradewind.dagfiles.discover import list_dag_files
from tradewind.dagfiles.importer import FileResult, import_files

if TYPE_CHECKING:
    from tradewind.config.settings import Settings
    from tradewind.store.database import Database


@dataclass
class ParseReport:
    """What one parse found: a result per file, and the files that are gone since they were last seen.

    `is_full_scan` is True when the whole folder was listed, so that any DAG whose file is not in
    `results` has lost its file.
    """

    dags_folder: Path
    results: list[FileResult] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    is_full_scan: bool = True
    changed_dag_ids: list[str] = field(default_factory=list)
    """Set once the report is synced: DAGs with a new version, or that became stale."""

    @property
    def dags(self) -> list[dict[str, Any]]:
        """Every serialized DAG of the files that imported cleanly."""
        return [doc for r in self.results for doc in r.dags]

    @property
    def errors(self) -> dict[str, str]:
        """The import error of each file that failed, by path."""
        return {r.path: r.error for r in self.results if r.error is not None}

    def relative_path(self, path: str) -> str:
        """A file's path relative to the DAGs folder (Airflow shows `/name.py` in `dags report`)."""
        try:
            return "/" + Path(path).relative_to(self.dags_folder).as_posix()
        except ValueError:
            return path


def _refuse_duplicate_dag_ids(results: list[FileResult]) -> None:
    """A dag_id defined by two files: the later file (in path order) becomes an import error, as in Airflow."""
    owner: dict[str, str] = {}
    for result in sorted(results, key=lambda r: r.path):
        clash = next((d for d in result.dag_ids if d in owner), None)
        if clash is not None:
            result.error = (f"AirflowDagDuplicatedIdException: DAG {clash!r} is defined in both {owner[clash]} and "
                            f"{result.path}: give one of them another dag_id")
            result.dags = []
            continue
        for dag_id in result.dag_ids:
            owner[dag_id] = result.path


def parse_folder(settings: Settings, files: Sequence[Path | str] | None = None) -> ParseReport:
    """Import every DAG file of [core] dags_folder (or just `files`), [scheduler] parsing_processes at once."""
    folder = settings.dags_folder.absolute()
    if files is None:
        paths = list_dag_files(folder, safe_mode=bool(settings.get("core", "dag_discovery_safe_mode")))
        removed: list[str] = []
    else:
        wanted = [Path(f).absolute() for f in files]
        paths = [p for p in wanted if p.is_file()]
        removed = [str(p) for p in wanted if not p.is_file()]
    parallelism = int(settings.get("scheduler", "parsing_processes"))
    results = import_files(paths, settings, parallelism=parallelism)
    _refuse_duplicate_dag_ids(results)
    return ParseReport(folder, results, removed, is_full_scan=files is None)


def parse_and_sync(settings: Settings, db: Database, files: Sequence[Path | str] | None = None) -> ParseReport:
    """Parse the DAGs folder (or `files`) and write the outcome to the metadata DB in one transaction."""
    from tradewind.dagfiles.sync import sync_report

    report = parse_folder(settings, files)
    sync_report(db, report, paused_at_creation=bool(settings.get("core", "dags_are_paused_at_creation")))
    return report
