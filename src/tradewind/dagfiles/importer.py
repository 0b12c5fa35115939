"""Import DAG files in forked child processes with a timeout, and load one in-process for task runners.

Each file is imported in a child forked from this process (which has the sdk imported already, so
a child costs a fork, not an interpreter start). The child serializes the file's DAGs and sends
them back as JSON over a pipe; a file that raises, hangs past `[core] dagbag_import_timeout`, or
kills its process becomes an import error message, never a crash of the parser.
"""

from __future__ import annotations

import importlib
import json
import select
import warnings
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from tradewind.clock import Clock
from tradewind.dagfiles.error_messages import describe_dead_child, describe_exception, describe_timeout
from tradewind.dagfiles.forked_child import ForkedChild
from tradewind.dagfiles.loader import DagFileImportError, apply_authoring_defaults, import_dag_file

if TYPE_CHECKING:
    from tradewind.config.settings import Settings

# Imported once in the parent so that every forked child finds them loaded already.
_PRELOAD = ("airflow", "airflow.models", "airflow.operators.python", "airflow.operators.bash",
            "airflow.operators.empty", "airflow.decorators", "airflow.sdk", "airflow.utils.task_group",
            "tradewind.sdk.dag", "tradewind.sdk.decorators", "tradewind.sdk.operators.python",
            "tradewind.sdk.operators.bash", "tradewind.sdk.operators.empty", "tradewind.sdk.sensors.base",
            "tradewind.dagfiles.serialize", "tradewind.store.database", "tradewind.runner.services")


@dataclass
class FileResult:
    """What importing one file gave: its serialized DAGs, or the import error's text."""

    path: str
    dags: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    duration_s: float = 0.0

    @property
    def dag_ids(self) -> list[str]:
        return [d["dag_id"] for d in self.dags]


def preload_modules() -> None:
    """Import what DAG files commonly use, so forked children do not each import it again."""
    # Old import paths warn when imported; that warning is for DAG authors, not for this process.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in _PRELOAD:
            try:
                importlib.import_module(name)
            except ImportError:
                continue  # a speed-up only: a child that needs the module imports it itself


class _StoreServicesOnFirstUse:
    """The runtime services, built on first use: most DAG files never read a Variable at import time,
    and opening the database costs more than the rest of a typical import."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._services: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._services is None:
            from tradewind.runner.services import StoreServices
            from tradewind.store.database import Database

            self._services = StoreServices(Database.from_settings(self._settings), self._settings)
        return getattr(self._services, name)


def _install_runtime_services(settings: Settings) -> None:
    """Let `Variable.get` and `Connection` lookups at a file's top level read the metadata DB."""
    from tradewind.sdk.runtime import install_services

    install_services(_StoreServicesOnFirstUse(settings))


def parse_file(path: Path, settings: Settings) -> dict[str, Any]:
    """Import and serialize one file in this process: the child's whole job, as a JSON-ready report."""
    from tradewind.dagfiles.serialize import serialize_dag

    clock = Clock()
    started = clock.monotonic()
    docs: list[dict[str, Any]] = []
    error: str | None = None
    try:
        apply_authoring_defaults(settings)
        _install_runtime_services(settings)
        dags = import_dag_file(path, settings.dags_folder)
        docs = [serialize_dag(dag, settings, fileloc=path) for dag in dags.values()]
        json.dumps(docs)
    except DagFileImportError as exc:
        error = exc.message
    except Exception as exc:
        error = describe_exception(exc, path, settings.dags_folder)
    if error is not None:
        docs = []
    return {"dags": docs, "error": error, "duration_s": clock.monotonic() - started}


class _Import:
    """One file's import in flight: the forked child, and where its result goes."""

    def __init__(self, index: int, path: Path, settings: Settings, timeout_s: float, clock: Clock) -> None:
        self.index, self.path = index, path
        self.child = ForkedChild(lambda: parse_file(path, settings), timeout_s, clock)

    def finish(self) -> FileResult:
        """The result once the child finished: its report, or why it died without one."""
        report, status = self.child.finish()
        if report is None:
            return FileResult(str(self.path), error=describe_dead_child(self.path, status))
        return FileResult(str(self.path), report["dags"], report["error"], report["duration_s"])

    def time_out(self) -> FileResult:
        """Kill the child that ran past its deadline and report the timeout."""
        self.child.kill()
        timeout_s = self.child.timeout_s
        return FileResult(str(self.path), error=describe_timeout(self.path, timeout_s), duration_s=timeout_s)


def import_files(paths: Sequence[Path | str], settings: Settings, *, parallelism: int = 1) -> list[FileResult]:
    """Import each file in its own child, `parallelism` at a time; one result per path, in order."""
    timeout_s = float(settings.get("core", "dagbag_import_timeout"))
    clock = Clock()
    preload_modules()
    pending = deque(enumerate(Path(p).absolute() for p in paths))
    running: dict[int, _Import] = {}
    results: dict[int, FileResult] = {}
    try:
        while pending or running:
            while pending and len(running) < max(1, parallelism):
                index, path = pending.popleft()
                job = _Import(index, path, settings, timeout_s, clock)
                running[job.child.fd] = job
            _wait_for_children(running, results, clock)
    finally:
        for job in running.values():
            job.child.kill()
    return [results[i] for i in range(len(results))]


def _wait_for_children(running: dict[int, _Import], results: dict[int, FileResult], clock: Clock) -> None:
    deadlines = [j.child.deadline for j in running.values() if j.child.deadline is not None]
    wait_s = max(0.0, min(deadlines) - clock.monotonic()) if deadlines else None
    readable, _, _ = select.select(list(running), [], [], wait_s)
    for fd in readable:
        job = running[fd]
        if job.child.read():
            del running[fd]
            results[job.index] = job.finish()
    now = clock.monotonic()
    for fd, job in list(running.items()):
        if job.child.is_overdue(now):
            del running[fd]
            results[job.index] = job.time_out()


def import_file(path: Path | str, settings: Settings) -> FileResult:
    """Import one file in a child process with the configured timeout."""
    return import_files([path], settings)[0]


_loaded: dict[str, tuple[int, dict[str, Any]]] = {}


def loaded_dags(path: str) -> dict[str, Any] | None:
    """The DAGs of the file at absolute `path` as this process last imported it, unchecked; None if never.

    A task process forked right after its parent imported the file uses this: it skips the mtime check.
    """
    cached = _loaded.get(path)
    return None if cached is None else cached[1]


def load_dags_from_file(path: Path | str, settings: Settings) -> dict[str, Any]:
    """The DAGs of one file, imported in this process; cached by (path, mtime) for long-lived workers.

    Raises DagFileImportError (a TradewindError naming the file) with the import error's text. The
    caller installs the runtime services it wants (the task runner's, `dags test`'s) beforehand.
    """
    file_path = Path(path).absolute()
    try:
        mtime_ns = file_path.stat().st_mtime_ns
    except OSError as exc:
        raise DagFileImportError(file_path, f"cannot be read ({exc.strerror}): check [core] dags_folder") from None
    cached = _loaded.get(str(file_path))
    if cached is not None and cached[0] == mtime_ns:
        return cached[1]
    apply_authoring_defaults(settings)
    dags = import_dag_file(file_path, settings.dags_folder)
    _loaded[str(file_path)] = (mtime_ns, dags)
    return dags
