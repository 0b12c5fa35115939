"""What a try leaves behind in its task process, and whether that process may take another try.

In Airflow every try runs in a new process, so no try sees what an earlier one did to its
process. A reused task process (`[local_executor] tries_per_process` above 1) must look the same
to the next try. What a try changes that can be put back safely is put back: environment
variables, the working directory, the import path, the umask, the recursion limit and the
warning filters. Anything else makes the process exit instead of taking another try, so that the
next try gets a fresh process: a try that did not succeed, a thread or a child process still
running, a module imported or removed, a changed global of a module from the DAGs folder (or
changed items of a list, dict or set it holds, or of a class it defines), a changed attribute of
the try's DAG or task, a changed logger (level, handlers, switches) or signal handler.

Changes deeper than that (inside nested objects, or the settings of third-party libraries) are
not seen; `tries_per_process = 1` gives every try a fresh process.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, Hashable

_ITEMS_COMPARED = 5000
"""Containers larger than this are compared by identity and length only: the check stays cheap."""

_WATCHED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                    signal.SIGALRM, signal.SIGCHLD, signal.SIGPIPE)


def shallow_fingerprint(value: Any, pinned: list[Any]) -> Hashable:
    """The identity of `value` and, for a list, dict or set, the identities of its items.

    What is fingerprinted is also put in `pinned`: while that list lives, no object fingerprinted
    can be freed and its address (its identity) taken by a new object.
    """
    pinned.append(value)
    if isinstance(value, dict):
        if len(value) > _ITEMS_COMPARED:
            return id(value), len(value)
        pinned.extend(value.items())
        return id(value), tuple(map(id, value)), tuple(map(id, value.values()))
    if isinstance(value, (list, set)):
        if len(value) > _ITEMS_COMPARED:
            return id(value), len(value)
        pinned.extend(value)
        return id(value), frozenset(map(id, value)) if isinstance(value, set) else tuple(map(id, value))
    return id(value)


def _namespace_fingerprint(namespace: dict[str, Any], pinned: list[Any]) -> Hashable:
    return tuple((name, shallow_fingerprint(value, pinned)) for name, value in namespace.items()
                 if name != "__builtins__")


def _module_fingerprint(module: Any, pinned: list[Any]) -> Hashable:
    """A module's globals, and the attributes of the classes it defines (not of those it imports)."""
    namespace = vars(module)
    classes = tuple(_namespace_fingerprint(dict(vars(value)), pinned) for value in namespace.values()
                    if isinstance(value, type) and value.__module__ == module.__name__)
    return _namespace_fingerprint(namespace, pinned), classes


def _logging_fingerprint(pinned: list[Any]) -> Hashable:
    """Every logger that is not at its defaults: a logger a try merely created changes nothing."""
    manager = logging.Logger.manager
    loggers = [logging.getLogger(), *(v for v in list(manager.loggerDict.values()) if isinstance(v, logging.Logger))]
    changed = [logger for logger in loggers
               if logger.handlers or logger.level or logger.disabled or not logger.propagate]
    pinned.extend(handler for logger in changed for handler in logger.handlers)
    return manager.disable, tuple(
        (id(logger), logger.level, logger.disabled, logger.propagate, tuple(map(id, logger.handlers)))
        for logger in changed)


def _has_running_children() -> bool:
    try:
        return os.waitpid(-1, os.WNOHANG) == (0, 0)  # reaps one child that has exited, if any
    except ChildProcessError:
        return False


class _PutBack:
    """The process settings a try may change and the next try gets back as they were."""

    def __init__(self) -> None:
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.umask = os.umask(0o022)
        os.umask(self.umask)
        self.recursion_limit = sys.getrecursionlimit()
        self.warning_filters = list(warnings.filters)

    def restore(self) -> None:
        if os.environ != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        if os.getcwd() != self.cwd:
            os.chdir(self.cwd)
        sys.path[:] = self.path
        os.umask(self.umask)
        sys.setrecursionlimit(self.recursion_limit)
        if warnings.filters != self.warning_filters:
            warnings.filters[:] = self.warning_filters
            # Modules cache which warnings they have shown under which filters: tell them the filters changed.
            filters_mutated = getattr(warnings, "_filters_mutated", None)
            if filters_mutated is not None:
                filters_mutated()


class TryTraces:
    """Watches one process across its tries: `before_try`, then `why_not_reuse` and `restore` after each."""

    def __init__(self, dags_folder: Path | str) -> None:
        self.put_back = _PutBack()
        self.user_modules = modules_under(dags_folder)
        # A process takes another try only when nothing changed, so this stays the state before every try.
        self.pinned: list[Any] = []
        self.process_state = self._process_fingerprint(self.pinned)
        self.threads = threading.active_count()
        self.objects: tuple[Any, Any] = (None, None)  # the DAG and task of the try being watched
        self.objects_pinned: list[Any] = []
        self.objects_state: dict[str, Hashable] = {}

    def before_try(self, dag: Any, task: Any) -> None:
        """Take the fingerprint of the DAG and task of the try about to run."""
        self.objects = (dag, task)
        self.objects_pinned = []
        self.objects_state = self._objects_fingerprint(self.objects_pinned)

    def why_not_reuse(self, state: str | None) -> str | None:
        """Why this process must not take another try after one that ended in `state`; None when it may."""
        if state not in ("success", "skipped"):
            return f"its try ended {state or 'without a state'}"
        if threading.active_count() > self.threads:
            return "a thread the try started still runs"
        if _has_running_children():
            return "a process the try started still runs"
        before = {**self.process_state, **self.objects_state}
        seen_now: list[Any] = []  # alive anyway while compared: these objects are in use
        after = {**self._process_fingerprint(seen_now), **self._objects_fingerprint(seen_now)}
        changed = [name for name, value in after.items() if before.get(name) != value]
        return f"the try changed {', '.join(changed)}" if changed else None

    def restore(self) -> None:
        """Put back the settings the next try must find as they were."""
        self.put_back.restore()

    def _process_fingerprint(self, pinned: list[Any]) -> dict[str, Hashable]:
        return {
            "the loaded modules": len(sys.modules),
            "a module of the DAGs folder": tuple(_module_fingerprint(module, pinned) for module in self.user_modules),
            "a logger": _logging_fingerprint(pinned),
            "a signal handler": tuple(signal.getsignal(number) for number in _WATCHED_SIGNALS),
        }

    def _objects_fingerprint(self, pinned: list[Any]) -> dict[str, Hashable]:
        dag, task = self.objects
        return {"its DAG": _namespace_fingerprint(vars(dag), pinned),
                "its task": _namespace_fingerprint(vars(task), pinned)}


_modules_under: dict[str, tuple[int, list[Any]]] = {}


def modules_under(folder: Path | str) -> list[Any]:
    """The loaded modules whose file is in `folder`, remembered while no module is imported, removed or replaced.

    A fork server asks once after it imports a DAG file, so that its task processes need not walk
    every module (and copy the pages of each) before their first try.
    """
    key = str(Path(folder).absolute())
    cached = _modules_under.get(key)
    if (cached is None or cached[0] != len(sys.modules)
            or any(sys.modules.get(module.__name__) is not module for module in cached[1])):
        found = [module for module in list(sys.modules.values()) if _is_under(getattr(module, "__file__", None), key)]
        cached = _modules_under[key] = (len(sys.modules), found)
    return cached[1]


def _is_under(path: str | None, folder: str) -> bool:
    return path is not None and os.path.abspath(path).startswith(folder + os.sep)
