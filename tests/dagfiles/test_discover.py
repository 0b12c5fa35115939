"""Discovery of DAG files: recursion, .airflowignore, hidden folders and safe mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.dagfiles.discover import list_dag_files
from tradewind.errors import TradewindError

DAG_TEXT = "from airflow import DAG\n"


def write(path: Path, text: str = DAG_TEXT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def names(root: Path, files: list[Path]) -> list[str]:
    return [f.relative_to(root).as_posix() for f in files]


def test_lists_python_files_recursively_and_sorted(dags_folder: Path) -> None:
    write(dags_folder / "b.py")
    write(dags_folder / "a.py")
    write(dags_folder / "sub" / "deep" / "c.py")
    write(dags_folder / "notes.txt")
    assert names(dags_folder, list_dag_files(dags_folder)) == ["a.py", "b.py", "sub/deep/c.py"]


def test_skips_hidden_folders_and_pycache(dags_folder: Path) -> None:
    write(dags_folder / ".git" / "hook.py")
    write(dags_folder / "__pycache__" / "x.py")
    write(dags_folder / "kept.py")
    assert names(dags_folder, list_dag_files(dags_folder)) == ["kept.py"]


def test_safe_mode_needs_both_words_in_any_case(dags_folder: Path) -> None:
    write(dags_folder / "both.py", "# a Dag for AIRFLOW\n")
    write(dags_folder / "only_dag.py", "dag = 1\n")
    write(dags_folder / "only_airflow.py", "import airflow\n")
    assert names(dags_folder, list_dag_files(dags_folder)) == ["both.py"]
    assert names(dags_folder, list_dag_files(dags_folder, safe_mode=False)) == [
        "both.py", "only_airflow.py", "only_dag.py"]


def test_airflowignore_patterns_are_regexps_searched_in_the_relative_path(dags_folder: Path) -> None:
    write(dags_folder / ".airflowignore", "# comment line\nlegacy_\n\\d{4}\\.py$\nvendor/\n")
    write(dags_folder / "legacy_etl.py")
    write(dags_folder / "report_2024.py")
    write(dags_folder / "vendor" / "lib.py")
    write(dags_folder / "sub" / "my_legacy_thing.py")
    write(dags_folder / "etl.py")
    assert names(dags_folder, list_dag_files(dags_folder)) == ["etl.py"]


def test_airflowignore_applies_to_its_folder_and_below_only(dags_folder: Path) -> None:
    write(dags_folder / "team" / ".airflowignore", "^skip")
    write(dags_folder / "team" / "skip_me.py")
    write(dags_folder / "team" / "inner" / "skip_too.py")  # relative to team/: inner/skip_too.py
    write(dags_folder / "skip_outside.py")
    assert names(dags_folder, list_dag_files(dags_folder)) == ["skip_outside.py", "team/inner/skip_too.py"]


def test_ignored_folder_is_not_entered(dags_folder: Path) -> None:
    write(dags_folder / ".airflowignore", "^archive$")
    write(dags_folder / "archive" / "old.py")
    write(dags_folder / "archive_2" / "new.py")
    assert names(dags_folder, list_dag_files(dags_folder)) == ["archive_2/new.py"]


def test_symlink_loop_does_not_recurse_forever(dags_folder: Path) -> None:
    write(dags_folder / "sub" / "a.py")
    (dags_folder / "sub" / "loop").symlink_to(dags_folder)
    found = names(dags_folder, list_dag_files(dags_folder))
    assert "sub/a.py" in found


def test_bad_regexp_names_the_file_and_line(dags_folder: Path) -> None:
    write(dags_folder / ".airflowignore", "fine\n(unclosed\n")
    with pytest.raises(TradewindError, match=r"\.airflowignore line 2: '\(unclosed'"):
        list_dag_files(dags_folder)


def test_missing_folder_gives_nothing_and_a_file_gives_itself(tmp_path: Path) -> None:
    assert list_dag_files(tmp_path / "nope") == []
    single = write(tmp_path / "one.py")
    assert list_dag_files(single) == [single]
