"""The DAG-listing commands, run as real `airflow` processes against a home holding the whole corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import AirflowHome, make_home
from tests.corpus.locate import corpus_dir, expected
from tests.dagfiles.test_importer import essentials

# Every command parses the whole corpus, and slow_import.py alone takes the 2 s import timeout.
pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> AirflowHome:
    """Both corpus folders copied into one DAGs folder, with a short import timeout for slow_import.py."""
    home = make_home(tmp_path_factory.mktemp("cli") / "airflow", AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT="2")
    for part in ("good", "bad"):
        shutil.copytree(corpus_dir() / part, home.dags / part)
    home.cli("db", "init")
    return home


def test_dags_list_json_has_every_good_dag_and_nothing_else(home: AirflowHome) -> None:
    rows = home.cli_json("dags", "list")
    by_id = {r["dag_id"]: r for r in rows}
    assert set(by_id) == set(expected()["good"])
    for dag_id, outcome in expected()["good"].items():
        assert by_id[dag_id]["fileloc"] == str(home.dags / "good" / outcome["file"])
        assert by_id[dag_id]["is_paused"] is True
        assert by_id[dag_id]["owners"]
    assert set(rows[0]) == {"dag_id", "fileloc", "owners", "is_paused"}


def test_import_errors_are_listed_and_stored(home: AirflowHome) -> None:
    rows = home.cli_json("dags", "list-import-errors")
    by_file = {Path(r["filepath"]).name: r["error"] for r in rows}
    bad = {name: text for name, text in expected()["bad"].items() if text != "no error and no DAG"}
    assert set(by_file) == set(bad)
    for name, text in bad.items():
        for word in essentials(text):
            assert word in by_file[name], f"{name}: {word!r} not in {by_file[name]!r}"
    # The same errors are rows of the metadata DB.
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{home.path / 'airflow.db'}")
    with engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT filename FROM import_error")).scalars())
    engine.dispose()
    assert {Path(f).name for f in stored} == set(bad)


def test_dags_list_table_and_a_warning_on_stderr(home: AirflowHome) -> None:
    result = home.cli("dags", "list")
    header = result.stdout.splitlines()[0]
    assert header.split(" | ")[0].strip() == "dag_id" and "is_paused" in header
    assert "list-import-errors" in result.stderr


def test_dags_report_counts_dags_and_tasks(home: AirflowHome) -> None:
    rows = {r["file"]: r for r in home.cli_json("dags", "report")}
    branching = rows["/good/branching.py"]
    assert (branching["dag_num"], branching["task_num"], branching["dags"]) == (1, 5, "branching")
    assert rows["/bad/cycle.py"]["dag_num"] == 0
    assert set(branching) == {"file", "duration", "dag_num", "task_num", "dags"}


def test_tasks_list_and_tree(home: AirflowHome) -> None:
    listed = home.cli("tasks", "list", "branching").stdout.split()
    assert listed == sorted(expected()["good"]["branching"]["tasks"])
    tree = home.cli("tasks", "list", "branching", "--tree").stdout.splitlines()
    assert tree[0].startswith("<Task(") and tree[0].endswith(": choose>")
    assert any(line.startswith("    <Task(") for line in tree)


def test_dags_show_prints_dot_with_every_edge(home: AirflowHome) -> None:
    dot = home.cli("dags", "show", "groups_short_circuit").stdout
    assert dot.startswith('digraph "groups_short_circuit" {') and dot.rstrip().endswith("}")
    assert 'subgraph "cluster_load"' in dot
    assert '"gate" -> "after_gate";' in dot
    tree = home.cli("dags", "show", "groups_short_circuit", "--tree").stdout
    assert "<Task(" in tree


def test_dags_details(home: AirflowHome) -> None:
    details = home.cli_json("dags", "details", "catchup_daily")[0]
    assert details["dag_id"] == "catchup_daily"
    assert details["fileloc"] == str(home.dags / "good" / "catchup_daily.py")
    assert details["catchup"] is True and details["task_count"] == 1
    table = home.cli("dags", "details", "catchup_daily").stdout
    assert "property_name" in table.splitlines()[0]


def test_unknown_dag_says_how_to_find_one(home: AirflowHome) -> None:
    result = home.cli("tasks", "list", "no_such_dag", check=False)
    assert result.returncode == 1
    assert "'no_such_dag' not found" in result.stderr and "dags list" in result.stderr


def test_reserialize_keeps_unchanged_versions(home: AirflowHome) -> None:
    before = home.cli_json("dags", "details", "branching")[0]["latest_version"]
    out = home.cli("dags", "reserialize").stdout
    assert "Serialized" in out
    assert home.cli_json("dags", "details", "branching")[0]["latest_version"] == before


def test_subdir_lists_another_folder(home: AirflowHome, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(corpus_dir() / "good" / "retries.py", other / "retries_copy.py")
    text = (other / "retries_copy.py").read_text()
    assert '"retries"' in text
    (other / "retries_copy.py").write_text(text.replace('"retries"', '"retries_elsewhere"'))
    rows = home.cli_json("dags", "list", "-S", str(other))
    assert [r["dag_id"] for r in rows] == ["retries_elsewhere"]
    assert {r["dag_id"] for r in home.cli_json("dags", "list")} == set(expected()["good"])


def test_dags_list_needs_an_initialised_db(tmp_path: Path) -> None:
    bare = make_home(tmp_path / "bare")
    result = bare.cli("dags", "list", check=False)
    assert result.returncode == 1 and "airflow db init" in result.stderr


def test_prints_in_dag_files_do_not_reach_stdout(home: AirflowHome, tmp_path: Path) -> None:
    folder = tmp_path / "noisy"
    folder.mkdir()
    (folder / "noisy.py").write_text("# airflow dag\nprint('hello from the dag file')\nimport sys\n"
                                     "print('and stderr', file=sys.stderr)\n"
                                     "from airflow import DAG\nDAG('noisy', schedule=None)\n")
    result = home.cli("dags", "list", "-S", str(folder), "-o", "json")
    assert [r["dag_id"] for r in json.loads(result.stdout)] == ["noisy"]
    assert "hello" not in result.stdout + result.stderr
