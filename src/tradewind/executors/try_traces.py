"""What a try leaves behind in its task process, and whether that process may take another try.

In Airflow every try runs in a new process, so no try sees what an earlier one did to its
process. A reused task process (`[local_executor] tries_per_process` above 1) must look the same
to the next try. What a try changes that can be put back safely is put back: environment
variables, the working directory, the import path, the umask, the recursion limit and the
warning filters. Anything else makes the process exit instead of taking another try, so that the
next try gets a fresh process: a try that did not succeed, a thread or a child process still
running, a module imported or removed, a changed global of the try's DAG file or of a helper
module of the DAGs folder (or changed items of a list, dict or set it holds, or of a class it
defines), a changed attribute of the try's DAG or task, a new logging handler, a changed root
logger or signal handler.

Changes deeper than that (inside nested objects, another DAG file's module, the level of a
library's logger, the settings of third-party libraries) are not seen; `tries_per_process = 1`
gives every try a fresh process.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from tradewind.dagfiles.loader import DAG_MODULE_PREFIX, module_name_for

_ITEMS_COMPARED = 5000
"""Containers larger than this are compared by identity and length only: the check stays cheap."""

_WATCHED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                    signal.SIGALRM, signal.SIGCHLD, signal.SIGPIPE)


def _shallow_fingerprint(value: Any, pinned: list[Any], items_compared: int = _ITEMS_COMPARED) -> Hashable:
    """The identity of `value` and, for a list, dict or set, the identities of its items.

    Containers of more than `items_compared` items give their identity and length only. What is
    fingerprinted is also put in `pinned`: while that list lives, no object fingerprinted can be
    freed and its address (its identity) taken by a new object.
    """
    pinned.append(value)
    if isinstance(value, dict):
        if len(value) > items_compared:
            return id(value), len(value)
        pinned.extend(value.items())
        return id(value), tuple(map(id, value)), tuple(map(id, value.values()))
    if isinstance(value, (list, set)):
        if len(value) > items_compared:
            return id(value), len(value)
        pinned.extend(value)
        return id(value), frozenset(map(id, value)) if isinstance(value, set) else tuple(map(id, value))
    return id(value)


def _namespace_fingerprint(namespace: dict[str, Any], pinned: list[Any],
                           items_compared: int = _ITEMS_COMPARED) -> Hashable:
    return tuple((name, _shallow_fingerprint(value, pinned, items_compared)) for name, value in namespace.items()
                 if name != "__builtins__")


def _dag_fingerprint(dag: Any, pinned: list[Any]) -> int:
    """A DAG's attributes, its containers by identity and length only.

    Their items are the DAG's tasks and groups: reading each would copy a page per task into every
    task process, and a try that adds or removes one changes a length.
    """
    return hash(_namespace_fingerprint(vars(dag), pinned, items_compared=0))


def _task_fingerprint(task: Any, pinned: list[Any]) -> int:
    return hash(_namespace_fingerprint(vars(task), pinned))


def _module_fingerprint(module: Any, pinned: list[Any]) -> int:
    """A module's globals, and the attributes of the classes it defines (not of those it imports)."""
    namespace = vars(module)
    classes = tuple(_namespace_fingerprint(dict(vars(value)), pinned) for value in namespace.values()
                    if isinstance(value, type) and value.__module__ == module.__name__)
    return hash((_namespace_fingerprint(namespace, pinned), classes))


def _logging_fingerprint(pinned: list[Any]) -> Hashable:
    """The handlers that exist, and the root logger's level and handlers.

    Every live handler is on logging's own list of them, so a handler a try added to any logger
    shows in its length, without reading every logger (and copying the page of each).
    """
    root = logging.getLogger()
    pinned.extend(root.handlers)
    return (len(logging._handlerList), logging.root.manager.disable,  # type: ignore[attr-defined]
            root.level, tuple(map(id, root.handlers)))


def _has_running_children() -> bool:
    try:
        return os.waitpid(-1, os.WNOHANG) == (0, 0)  # reaps one child that has exited, if any
    except ChildProcessError:
        return False


class _PutBack:
    """The process settings a try may change and the next try gets back as they were."""

    def __init__(self) -> None:
        self.environ = dict(os.environb)  # bytes: compared without decoding every variable again
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.umask = os.umask(0o022)
        os.umask(self.umask)
        self.recursion_limit = sys.getrecursionlimit()
        self.warning_filters = list(warnings.filters)

    def restore(self) -> None:
        if dict(os.environb) != self.environ:
            os.environb.clear()
            os.environb.update(self.environ)
        if os.getcwd() != self.cwd:
            os.chdir(self.cwd)
        if sys.path != self.path:
            sys.path[:] = self.path
        os.umask(self.umask)
        sys.setrecursionlimit(self.recursion_limit)
        if warnings.filters != self.warning_filters:
            warnings.filters[:] = self.warning_filters  # type: ignore[index]  # a list, though typed as a Sequence
            # Modules cache which warnings they have shown under which filters: tell them the filters changed.
            filters_mutated = getattr(warnings, "_filters_mutated", None)
            if filters_mutated is not None:
                filters_mutated()


def dag_fingerprints(dags: Iterable[Any], pinned: list[Any]) -> dict[int, int]:
    """The fingerprint of each of these DAGs, of each of their tasks and of their files' modules, by identity."""
    fingerprints: dict[int, int] = {}
    for dag in dags:
        # A hash is enough to see a change, and keeps a large DAG's fingerprints small.
        fingerprints[id(dag)] = _dag_fingerprint(dag, pinned)
        for task in dag.task_dict.values():
            fingerprints[id(task)] = _task_fingerprint(task, pinned)
        module = _dag_file_module(dag)
        if module is not None:
            fingerprints[id(module)] = _module_fingerprint(module, pinned)
        pinned.append(dag)
    return fingerprints


def _dag_file_module(dag: Any) -> Any | None:
    """The module of the file that defines `dag`, as imported in this process."""
    fileloc = getattr(dag, "fileloc", None)
    return sys.modules.get(module_name_for(Path(fileloc))) if fileloc else None


class TryTraces:
    """A fresh task process's state, taken where it is forked from; each try of a reused process is checked against it.

    The fork server builds it after it imports a DAG file, with the `dag_fingerprints` of the DAGs it
    holds, so that its task processes inherit the fingerprints instead of each taking them (and
    copying the pages of every object looked at). A task process calls `start` once, then
    `before_try`, `why_not_reuse` and `restore` around each try. As a process takes another try only
    when nothing changed, its state before every try is the fresh one.
    """

    def __init__(self, dags_folder: Path | str, fresh_objects: dict[int, int] | None = None) -> None:
        self.put_back = _PutBack()
        # Helper modules of the DAGs folder, which any try may reach; a DAG file's own module is
        # watched with that file's tries only, so a check costs the same however many files are loaded.
        self.helper_modules = [module for module in _modules_under(dags_folder)
                               if not module.__name__.startswith(DAG_MODULE_PREFIX)]
        self.pinned: list[Any] = []
        self.process_state = self._process_fingerprint(self.pinned)
        self.fresh_objects = fresh_objects or {}  # id(DAG or task) -> its fingerprint in a fresh process
        self.threads = 1
        self.signals: Hashable = None
        self.objects: tuple[Any, Any, Any] = (None, None, None)  # the try's DAG, task and DAG file module
        self.objects_pinned: list[Any] = []
        self.objects_state: dict[str, int | None] = {}
        self.unwatched: str | None = None  # why the try's DAG or task could not be watched

    def start(self) -> None:
        """In the task process, before its first try: what its own set-up changed (signal handlers, threads)."""
        self.threads = threading.active_count()
        self.signals = _signal_fingerprint()

    def before_try(self, dag: Any, task: Any) -> None:
        """Watch the DAG and task of the try about to run (fingerprinted now when not among the fresh ones)."""
        self.objects_pinned = []
        self.unwatched = None
        try:
            self.objects = (dag, task, _dag_file_module(dag))
            self.objects_state = self._objects_fingerprint(self.objects_pinned, fresh=self.fresh_objects)
        except Exception as exc:  # never the try's failure: only this process is not reused
            self.unwatched = f"its DAG or task could not be fingerprinted ({type(exc).__name__}: {exc})"

    def why_not_reuse(self, state: str | None) -> str | None:
        """Why this process must not take another try after one that ended in `state`; None when it may."""
        if state not in ("success", "skipped"):
            return f"its try ended {state or 'without a state'}"
        if threading.active_count() > self.threads:
            return "a thread the try started still runs"
        if _has_running_children():
            return "a process the try started still runs"
        if self.unwatched is not None:
            return self.unwatched
        before = {**self.process_state, "a signal handler": self.signals, **self.objects_state}
        seen_now: list[Any] = []  # no pinning needed: these objects are in use while compared
        after = {**self._process_fingerprint(seen_now), "a signal handler": _signal_fingerprint(),
                 **self._objects_fingerprint(seen_now)}
        changed = [name for name, value in after.items() if before.get(name) != value]
        return f"the try changed {', '.join(changed)}" if changed else None

    def restore(self) -> None:
        """Put back the settings the next try must find as they were."""
        self.put_back.restore()

    def _process_fingerprint(self, pinned: list[Any]) -> dict[str, Hashable]:
        return {
            "the loaded modules": len(sys.modules),
            "a helper module of the DAGs folder": tuple(_module_fingerprint(module, pinned)
                                                        for module in self.helper_modules),
            "logging": _logging_fingerprint(pinned),
        }

    def _objects_fingerprint(self, pinned: list[Any], fresh: dict[int, int] | None = None) -> dict[str, int | None]:
        """The try's DAG, task and DAG file module; with `fresh`, as a fresh process has them where known."""
        fresh = fresh or {}
        dag, task, module = self.objects

        def fingerprint(obj: Any, take: Callable[[Any, list[Any]], int]) -> int | None:
            if obj is None:
                return None
            known = fresh.get(id(obj))
            return known if known is not None else take(obj, pinned)

        return {"its DAG": fingerprint(dag, _dag_fingerprint), "its task": fingerprint(task, _task_fingerprint),
                "a module of the DAGs folder": fingerprint(module, _module_fingerprint)}


def _signal_fingerprint() -> Hashable:
    return tuple(signal.getsignal(number) for number in _WATCHED_SIGNALS)


def _modules_under(folder: Path | str) -> list[Any]:
    """The loaded modules whose file is in `folder`."""
    key = str(Path(folder).absolute())
    return [module for module in list(sys.modules.values()) if _is_under(getattr(module, "__file__", None), key)]


def _is_under(path: str | None, folder: str) -> bool:
    return path is not None and os.path.abspath(path).startswith(folder + os.sep)
