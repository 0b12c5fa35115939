"""Importing DAG files in forked children: DAGs come back serialized, every failure becomes a message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from tradewind.config.settings import Settings
from tradewind.dagfiles.importer import import_file, import_files, load_dags_from_file
from tradewind.dagfiles.loader import DagFileImportError

HEADER = ("# an airflow dag\nfrom datetime import datetime\nfrom tradewind.sdk.dag import DAG\n"
          "from tradewind.sdk.operators.empty import EmptyOperator\n")


def dag_file(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body)
    return path


def simple_dag(dag_id: str, tasks: str = "a") -> str:
    lines = [f'with DAG("{dag_id}", start_date=datetime(2026, 1, 1), schedule=None) as dag:']
    lines += [f'    EmptyOperator(task_id="{t}")' for t in tasks.split()]
    return "\n".join(lines) + "\n"


def essentials(expected: str) -> list[str]:
    """The words an import error must contain, read from a line of expected.json's "bad" section."""
    text = expected.removeprefix("import error: ")
    if text.startswith("timed out"):
        return ["timed out while importing"]
    if match := re.fullmatch(r"SyntaxError at line (\d+)", text):
        return [f"SyntaxError at line {match.group(1)}"]
    if match := re.fullmatch(r"a cycle among (.+)", text):
        return ["cycle", *match.group(1).split(", ")]
    quoted = re.findall(r"'[^']*'", text)
    return quoted or [text]


def test_every_bad_corpus_file_gives_the_expected_error(
        corpus: Path, expected_bad: dict[str, str], dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    for name in expected_bad:
        shutil.copy(corpus / "bad" / name, dags_folder / name)
    settings = make_settings(core__dagbag_import_timeout="2")
    names = sorted(expected_bad)
    results = dict(zip(names, import_files([dags_folder / n for n in names], settings, parallelism=4)))
    for name, expected in expected_bad.items():
        result = results[name]
        if expected == "no error and no DAG":
            assert (result.error, result.dags) == (None, []), name
            continue
        assert result.error is not None and result.dags == [], name
        for word in essentials(expected):
            assert word in result.error, f"{name}: {word!r} not in {result.error!r}"
    assert str(dags_folder / "syntax_error.py") in results["syntax_error.py"].error
    assert "(limit: [core] dagbag_import_timeout)" in results["slow_import.py"].error


def test_good_file_gives_its_serialized_dags(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "two.py", simple_dag("first", "a b") + simple_dag("second", "c"))
    result = import_file(path, make_settings())
    assert result.error is None
    assert result.dag_ids == ["first", "second"]
    assert [t["task_id"] for t in result.dags[0]["tasks"]] == ["a", "b"]
    assert result.dags[0]["fileloc"] == str(path)
    assert result.duration_s > 0


def test_a_bad_file_never_stops_the_others(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    paths = [dag_file(dags_folder, "ok_1.py", simple_dag("ok_1")),
             dag_file(dags_folder, "dies.py", "import os\nos._exit(3)\n"),
             dag_file(dags_folder, "ok_2.py", simple_dag("ok_2"))]
    results = import_files(paths, make_settings(), parallelism=2)
    assert [r.dag_ids for r in results] == [["ok_1"], [], ["ok_2"]]
    assert "exited with code 3" in results[1].error
    assert str(paths[1]) in results[1].error


def test_a_child_killed_by_a_signal_is_reported(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "killed.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    assert "was killed by SIGKILL" in import_file(path, make_settings()).error


def test_sys_exit_at_top_level_is_an_import_error(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "exits.py", "import sys\nsys.exit('leaving')\n")
    error = import_file(path, make_settings()).error
    assert error.startswith("SystemExit: leaving")


def test_traceback_keeps_the_user_files_frames(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    (dags_folder / "shared_lib.py").write_text("def load():\n    raise KeyError('region')\n")
    path = dag_file(dags_folder, "uses_lib.py", "import shared_lib\nshared_lib.load()\n")
    error = import_file(path, make_settings()).error
    assert error.splitlines()[0] == "KeyError: 'region'"
    assert f'File "{path}", line 6, in <module>' in error
    assert f'File "{dags_folder / "shared_lib.py"}", line 2, in load' in error
    assert "tradewind" not in error.replace(str(dags_folder), "")


def test_modules_beside_the_file_and_in_the_dags_folder_import(
        dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    (dags_folder / "top_helpers.py").write_text("TASK = 'from_top'\n")
    (dags_folder / "team").mkdir()
    (dags_folder / "team" / "near_helpers.py").write_text("TASK = 'from_near'\n")
    body = ("import top_helpers, near_helpers\n"
            'with DAG("helped", start_date=datetime(2026, 1, 1), schedule=None):\n'
            "    EmptyOperator(task_id=top_helpers.TASK) >> EmptyOperator(task_id=near_helpers.TASK)\n")
    result = import_file(dag_file(dags_folder, "team/helped.py", body), make_settings())
    assert result.error is None
    assert [t["task_id"] for t in result.dags[0]["tasks"]] == ["from_top", "from_near"]


def test_same_file_name_in_two_folders_does_not_collide(
        dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    one = dag_file(dags_folder, "a/etl.py", simple_dag("etl_a"))
    two = dag_file(dags_folder, "b/etl.py", simple_dag("etl_b"))
    assert [r.dag_ids for r in import_files([one, two], make_settings())] == [["etl_a"], ["etl_b"]]


def test_a_task_outside_any_dag_is_an_error(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "orphan.py", simple_dag("has_dag") + 'EmptyOperator(task_id="lost")\n')
    error = import_file(path, make_settings()).error
    assert "'lost'" in error and "outside any DAG" in error


def test_catchup_default_comes_from_settings(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "c.py", simple_dag("c"))
    assert import_file(path, make_settings(scheduler__catchup_by_default="true")).dags[0]["catchup"] is True
    assert import_file(path, make_settings(scheduler__catchup_by_default="false")).dags[0]["catchup"] is False


def test_load_dags_from_file_in_process_is_cached_by_mtime(
        dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    import os

    path = dag_file(dags_folder, "cached.py", simple_dag("cached", "a"))
    settings = make_settings()
    first = load_dags_from_file(path, settings)
    assert load_dags_from_file(path, settings)["cached"] is first["cached"]
    path.write_text(HEADER + simple_dag("cached", "a b"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = load_dags_from_file(path, settings)
    assert again["cached"] is not first["cached"]
    assert again["cached"].task_ids == ["a", "b"]


def test_load_dags_from_file_raises_with_the_same_text(
        dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "broken.py", "raise ValueError('no good')\n")
    with pytest.raises(DagFileImportError) as caught:
        load_dags_from_file(path, make_settings())
    assert str(path) in str(caught.value)
    assert caught.value.message == import_file(path, make_settings()).error



def test_variable_get_at_the_top_of_a_file_reads_the_metadata_db(
        dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    from tradewind.store import variables
    from tradewind.store.database import Database
    from tradewind.store.migrate import upgrade

    settings = make_settings()
    db = Database.from_settings(settings)
    upgrade(db)
    with db.write() as conn:
        variables.set_variable(conn, "task_name", "from_variable")
    db.dispose()
    body = ("from tradewind.sdk.variables import Variable\n"
            'with DAG("var_dag", start_date=datetime(2026, 1, 1), schedule=None):\n'
            '    EmptyOperator(task_id=Variable.get("task_name"))\n')
    result = import_file(dag_file(dags_folder, "var_dag.py", body), settings)
    assert result.error is None
    assert [t["task_id"] for t in result.dags[0]["tasks"]] == ["from_variable"]


def test_indentation_error_names_its_kind_line_and_file(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    path = dag_file(dags_folder, "indent.py", "if True:\nx = 1\n")
    error = import_file(path, make_settings()).error
    assert error.splitlines()[0] == "IndentationError at line 6: expected an indented block after 'if' statement on line 5"
    assert f'File "{path}", line 6' in error


def test_syntax_error_in_a_helper_module_names_the_helper(
        dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    (dags_folder / "broken_helper.py").write_text("x = (\n")
    path = dag_file(dags_folder, "uses_broken.py", "import broken_helper\n")
    error = import_file(path, make_settings()).error
    assert error.startswith("SyntaxError at line 1:")
    assert f'File "{dags_folder / "broken_helper.py"}", line 1' in error
