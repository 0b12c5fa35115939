"""What a try leaves in a reused task process: what is put back, and what makes the process exit."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import warnings
from pathlib import Path

import pytest

from tradewind.dagfiles.loader import import_dag_file
from tradewind.executors.try_traces import TryTraces, dag_fingerprints

DAG_FILE = """
from datetime import datetime, timezone
from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.python import PythonOperator

CACHE = {"kept": 1}
ITEMS = [1, 2]

class Settings:
    level = "low"

def noop(**kwargs):
    return None

with DAG("traced", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="t", python_callable=noop, op_kwargs={"a": 1})
"""


@pytest.fixture
def traced(tmp_path: Path):
    """(TryTraces watching a try of task `t`, the DAG file's module, its DAG, the task), all loaded in this process."""
    folder = tmp_path / "dags"
    folder.mkdir()
    path = folder / "traced_dag_file.py"
    path.write_text(textwrap.dedent(DAG_FILE))
    dag = import_dag_file(path, folder)["traced"]
    module = next(m for m in sys.modules.values() if getattr(m, "__file__", None) == str(path))
    pinned: list = []
    traces = TryTraces(folder, dag_fingerprints([dag], pinned))  # as a fork server builds it after an import...
    traces.start()  # ...and as its task process starts it
    task = dag.get_task("t")
    traces.before_try(dag, task)
    yield traces, module, dag, task
    sys.modules.pop(module.__name__, None)
    sys.path[:] = [entry for entry in sys.path if entry != str(folder)]  # the import put the DAGs folder there


def test_a_clean_try_lets_the_process_take_another(traced):
    traces, module, dag, task = traced
    module.CACHE.get("kept")  # reading changes nothing
    logging.getLogger("tradewind.tests.created.by.a.try")  # nor does a logger merely created
    assert traces.why_not_reuse("success") is None
    assert traces.why_not_reuse("skipped") is None


@pytest.mark.parametrize("state", ["failed", "up_for_retry", "up_for_reschedule", None])
def test_a_try_that_did_not_succeed_ends_its_process(traced, state):
    traces = traced[0]
    assert traces.why_not_reuse(state) == f"its try ended {state or 'without a state'}"


@pytest.mark.parametrize("change, undo", [
    (lambda m: m.ITEMS.append(3), lambda m: m.ITEMS.pop()),
    (lambda m: m.CACHE.__setitem__("kept", 2), lambda m: m.CACHE.__setitem__("kept", 1)),
    (lambda m: m.CACHE.__setitem__("new", 1), lambda m: m.CACHE.pop("new")),
    (lambda m: setattr(m, "ITEMS", [1, 2]), None),
    (lambda m: setattr(m, "ADDED", True), lambda m: delattr(m, "ADDED")),
    (lambda m: setattr(m.Settings, "level", "high"), lambda m: setattr(m.Settings, "level", "low")),
], ids=["list item", "dict value", "dict key", "global", "new global", "class attribute"])
def test_a_change_to_the_dag_files_module_ends_its_process(traced, change, undo):
    traces, module = traced[0], traced[1]
    change(module)
    assert traces.why_not_reuse("success") == "the try changed a module of the DAGs folder"
    if undo is not None:
        undo(module)
        assert traces.why_not_reuse("success") is None, "undoing the change did not restore the fingerprint"


def test_a_change_to_the_task_or_its_dag_ends_its_process(traced):
    traces, _, dag, task = traced
    task.op_kwargs["a"] = 2  # in place: a shallow copy of the task would share this dict
    assert traces.why_not_reuse("success") == "the try changed its task"
    task.op_kwargs["a"] = 1
    dag.description = "changed by a try"
    assert traces.why_not_reuse("success") == "the try changed its DAG"


def test_a_new_import_ends_its_process(traced, tmp_path):
    traces = traced[0]
    (tmp_path / "imported_by_a_try.py").write_text("VALUE = 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import imported_by_a_try  # noqa: F401

        assert traces.why_not_reuse("success") == "the try changed the loaded modules"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("imported_by_a_try", None)


def test_a_logging_handler_root_level_or_signal_handler_changed_ends_its_process(traced):
    traces = traced[0]
    logger = logging.getLogger("tradewind.tests.configured.by.a.try")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        assert traces.why_not_reuse("success") == "the try changed logging"
    finally:
        logger.removeHandler(handler)
        del handler  # a handler no longer used is gone from logging's list of them
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR if level != logging.ERROR else logging.DEBUG)
    try:
        assert traces.why_not_reuse("success") == "the try changed logging"
    finally:
        root.setLevel(level)
    previous = signal.signal(signal.SIGUSR2, lambda *_: None)
    try:
        assert traces.why_not_reuse("success") == "the try changed a signal handler"
    finally:
        signal.signal(signal.SIGUSR2, previous)
    assert traces.why_not_reuse("success") is None


def test_a_thread_or_process_still_running_ends_its_process(traced):
    traces = traced[0]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert traces.why_not_reuse("success") == "a thread the try started still runs"
    finally:
        stop.set()
        thread.join()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert traces.why_not_reuse("success") == "a process the try started still runs"
    finally:
        child.kill()
        child.wait()


def test_what_a_try_may_change_in_its_process_is_put_back(traced, tmp_path):
    traces = traced[0]
    cwd, path, umask, limit = os.getcwd(), list(sys.path), os.umask(0o022), sys.getrecursionlimit()
    os.umask(umask)
    filters = list(warnings.filters)
    os.environ["SET_BY_A_TRY"] = "1"
    os.chdir(tmp_path)
    sys.path.insert(0, "/set/by/a/try")
    os.umask(0o077)
    sys.setrecursionlimit(limit + 100)
    warnings.simplefilter("error")
    assert traces.why_not_reuse("success") is None, "these are put back, so they do not end the process"
    traces.restore()
    assert "SET_BY_A_TRY" not in os.environ
    assert (os.getcwd(), sys.path, sys.getrecursionlimit(), warnings.filters) == (cwd, path, limit, filters)
    assert os.umask(umask) == umask


def test_a_dag_file_imported_again_is_the_module_watched(traced):
    module = traced[1]
    path = Path(module.__file__)
    path.write_text(path.read_text() + "\nEXTRA = 1\n")
    again = import_dag_file(path, path.parent)["traced"]
    new_module = sys.modules[module.__name__]
    assert new_module is not module
    traces = TryTraces(path.parent, dag_fingerprints([again], []))
    traces.start()
    traces.before_try(again, again.get_task("t"))
    new_module.ITEMS.append(3)
    assert traces.why_not_reuse("success") == "the try changed a module of the DAGs folder"


def test_a_task_its_fork_server_never_fingerprinted_is_fingerprinted_before_its_try(traced):
    _, _, dag, task = traced
    traces = TryTraces(Path(dag.fileloc).parent)  # no fingerprints: a process that imported the file itself
    traces.start()
    traces.before_try(dag, task)
    assert traces.why_not_reuse("success") is None
    task.op_kwargs["b"] = 1
    assert traces.why_not_reuse("success") == "the try changed its task"


def test_a_task_that_cannot_be_fingerprinted_runs_but_its_process_is_not_reused(traced):
    traces, _, dag, _ = traced

    class Slotted:
        __slots__ = ("task_id",)

    traces.before_try(dag, Slotted())  # no attributes dict to read: never an error of the try
    assert traces.why_not_reuse("success").startswith("its DAG or task could not be fingerprinted (TypeError")


def test_a_change_to_a_helper_module_of_the_dags_folder_ends_its_process(tmp_path):
    folder = tmp_path / "dags"
    folder.mkdir()
    (folder / "shared_helpers.py").write_text("REGISTRY = {}\n")
    (folder / "uses_helpers.py").write_text(textwrap.dedent(DAG_FILE) + "\nimport shared_helpers\n")
    try:
        dag = import_dag_file(folder / "uses_helpers.py", folder)["traced"]
        helpers = sys.modules["shared_helpers"]
        traces = TryTraces(folder, dag_fingerprints([dag], []))
        traces.start()
        traces.before_try(dag, dag.get_task("t"))
        assert traces.why_not_reuse("success") is None
        helpers.REGISTRY["set by a try"] = True
        assert traces.why_not_reuse("success") == "the try changed a helper module of the DAGs folder"
    finally:
        sys.modules.pop("shared_helpers", None)
        sys.path[:] = [entry for entry in sys.path if entry != str(folder)]
