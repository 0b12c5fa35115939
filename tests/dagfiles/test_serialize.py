"""Serialization: the format-1 document, effective defaults, groups, mapping, and refusals that name the field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from tradewind.config.settings import Settings
from tradewind.dagfiles.importer import load_dags_from_file
from tradewind.dagfiles.serialize import DagSerializationError, serialize_dag
from tradewind.store.serialized_dag import SerializedDag, dag_hash

RICH_DAG = '''# an airflow dag
from datetime import datetime, timedelta
from tradewind.sdk.dag import DAG
from tradewind.sdk.decorators import task
from tradewind.sdk.operators.empty import EmptyOperator
from tradewind.sdk.params import Param
from tradewind.sdk.sensors.python import PythonSensor
from tradewind.sdk.taskgroup import TaskGroup

def notify(context):
    pass

with DAG("rich", start_date=datetime(2026, 1, 1), schedule="@daily", max_active_runs=3,
         dagrun_timeout=timedelta(hours=1), params={"n": Param(3, type="integer", description="how many")},
         on_failure_callback=notify, doc_md="about rich", tags=["b", "a"]) as dag:
    start = EmptyOperator(task_id="start")
    with TaskGroup("load", tooltip="loading") as load:
        with TaskGroup("inner"):
            deep = EmptyOperator(task_id="deep", retries=2, retry_delay=timedelta(seconds=30),
                                 retry_exponential_backoff=True, on_success_callback=notify)
    wait = PythonSensor(task_id="wait", python_callable=lambda: True, mode="reschedule")

    @task
    def numbers():
        return [1, 2, 3]

    @task
    def double(x):
        return 2 * x

    start >> load >> wait
    double.expand(x=numbers())
'''


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def rich(dags_folder: Path, make_settings: Callable[..., Settings]) -> dict[str, Any]:
    settings = make_settings()
    dag = load_dags_from_file(write(dags_folder, "rich.py", RICH_DAG), settings)["rich"]
    return serialize_dag(dag, settings)


def test_dag_fields_are_resolved(rich: dict[str, Any], dags_folder: Path) -> None:
    assert rich["format"] == 1
    assert (rich["dag_id"], rich["fileloc"], rich["relative_fileloc"]) == ("rich", str(dags_folder / "rich.py"), "rich.py")
    assert rich["tags"] == ["a", "b"]
    assert rich["timetable_summary"] == "@daily"
    assert rich["start_date"] == "2026-01-01T00:00:00+00:00"
    assert (rich["catchup"], rich["max_active_runs"], rich["max_active_tasks"]) == (False, 3, 16)
    assert rich["dagrun_timeout_s"] == 3600.0
    assert rich["params"] == {"n": {"default": 3, "schema": {"type": "integer"}, "description": "how many"}}
    assert (rich["has_on_failure_callback"], rich["has_on_success_callback"]) == (True, False)
    assert rich["doc_md"] == "about rich"


def test_tasks_are_in_topological_order_with_their_fields(rich: dict[str, Any]) -> None:
    ids = [t["task_id"] for t in rich["tasks"]]
    assert ids.index("start") < ids.index("load.inner.deep") < ids.index("wait")
    assert ids.index("numbers") < ids.index("double")
    tasks = {t["task_id"]: t for t in rich["tasks"]}
    deep = tasks["load.inner.deep"]
    assert (deep["task_group"], deep["upstream"], deep["downstream"]) == ("load.inner", ["start"], ["wait"])
    assert (deep["retries"], deep["retry_delay_s"], deep["retry_exponential_backoff"]) == (2, 30.0, 2.0)
    assert deep["callbacks"] == ["on_success_callback"]
    assert deep["is_empty"] is False  # a callback means it must run
    assert (tasks["wait"]["is_sensor"], tasks["wait"]["sensor_mode"]) == (True, "reschedule")
    assert tasks["start"]["is_empty"] is True and tasks["start"]["sensor_mode"] is None


def test_mapped_task_carries_its_expand_input(rich: dict[str, Any]) -> None:
    double = next(t for t in rich["tasks"] if t["task_id"] == "double")
    assert double["is_mapped"] is True
    assert double["expand_input"] == {"kind": "product", "args": {"x": {"xcom": {"task_id": "numbers",
                                                                                  "key": "return_value"}}}}


def test_task_groups_form_a_tree_under_the_root(rich: dict[str, Any]) -> None:
    groups = rich["task_groups"]
    assert groups[""]["parent"] is None
    assert groups["load"]["parent"] == "" and groups["load"]["tooltip"] == "loading"
    assert groups["load"]["children"] == ["load.inner"]
    assert groups["load.inner"] == {**groups["load.inner"], "parent": "load", "children": ["load.inner.deep"]}
    assert "load" in groups[""]["children"] and "start" in groups[""]["children"]


def test_document_is_json_and_reads_back(rich: dict[str, Any]) -> None:
    again = json.loads(json.dumps(rich))
    assert dag_hash(again) == dag_hash(rich)
    view = SerializedDag(again)
    assert view.roots == ["start", "numbers"]
    assert view.tasks["double"].is_mapped


def test_config_defaults_fill_unset_values(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(scheduler__catchup_by_default="true")
    path = write(dags_folder, "plain.py", "# airflow\nfrom datetime import datetime\n"
                 "from tradewind.sdk.dag import DAG\nwith DAG('plain', start_date=datetime(2026, 1, 1)):\n    pass\n")
    doc = serialize_dag(load_dags_from_file(path, settings)["plain"], settings)
    assert doc["catchup"] is True
    assert doc["timetable_summary"] == "None"


def test_a_param_that_is_not_json_is_refused_by_name(dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    path = write(dags_folder, "bad_param.py", "# airflow\nfrom datetime import datetime\n"
                 "from tradewind.sdk.dag import DAG\n"
                 "with DAG('x', start_date=datetime(2026, 1, 1), params={'when': object()}):\n    pass\n")
    with pytest.raises(DagSerializationError, match=r"DAG 'x' param 'when': value <object object at .*> is not "
                                                    r"JSON-serializable"):
        serialize_dag(load_dags_from_file(path, settings)["x"], settings)


def test_the_good_corpus_round_trips(corpus: Path, dags_folder: Path, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    for source in sorted((corpus / "good").glob("*.py")):
        path = dags_folder / source.name
        shutil.copy(source, path)
        for dag_id, dag in load_dags_from_file(path, settings).items():
            doc = serialize_dag(dag, settings)
            view = SerializedDag(json.loads(json.dumps(doc)))
            assert view.dag_id == dag_id
            assert sorted(view.task_ids) == sorted(dag.task_ids)
            for task in view:
                assert set(task.upstream) == dag.get_task(task.task_id).upstream_task_ids
            assert dag_hash(serialize_dag(dag, settings)) == dag_hash(doc), f"{dag_id}: hash is not stable"
