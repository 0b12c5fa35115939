"""DAG: construction, attributes, declaration errors and registration."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pendulum
import pytest

from tradewind.errors import DagDefinitionError
from tradewind.sdk import defaults, registry
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowDagCycleException, DuplicateTaskIdFound, InvalidScheduleError

START = datetime(2026, 1, 1)


class Noop(BaseOperator):
    """Does nothing."""

    def execute(self, context: object) -> None:
        return None


def test_attributes_of_a_dag() -> None:
    with DAG("attrs", start_date=START, schedule="@daily", tags=["b", "a"], max_active_runs=2,
             concurrency=4, dagrun_timeout=60) as dag:
        a = Noop(task_id="a", owner="ann")
        b = Noop(task_id="b", owner="bob")
        a >> b
    assert dag.fileloc == os.path.abspath(__file__)
    assert dag.start_date == datetime(2026, 1, 1, tzinfo=timezone.utc) and dag.timezone == "UTC"
    assert dag.tasks == [a, b] and dag.task_ids == ["a", "b"] and dag.get_task("b") is b
    assert dag.roots == [a] and dag.leaves == [b] and dag.owner == "ann, bob"
    assert dag.tags == ["a", "b"] and dag.max_active_tasks == 4 and dag.dagrun_timeout == timedelta(seconds=60)
    assert dag.catchup is defaults.CATCHUP_BY_DEFAULT is False
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"


def test_no_schedule_means_none_and_schedule_interval_still_works() -> None:
    assert DAG("none", start_date=START).timetable.__class__.__name__ == "NullTimetable"
    with pytest.warns(DeprecationWarning):
        legacy = DAG("legacy", start_date=START, schedule_interval="@hourly")
    assert legacy.schedule_interval == "@hourly"


def test_pendulum_start_date_gives_its_zone_name() -> None:
    dag = DAG("zoned", start_date=pendulum.datetime(2026, 1, 1, tz="Europe/Paris"))
    assert dag.timezone == "Europe/Paris"
    assert dag.start_date == datetime(2025, 12, 31, 23, tzinfo=timezone.utc) and type(dag.start_date) is datetime


def test_start_date_from_default_args() -> None:
    dag = DAG("from_args", default_args={"start_date": datetime(2026, 2, 1)})
    assert dag.start_date == datetime(2026, 2, 1, tzinfo=timezone.utc)


def test_duplicate_task_id_is_named() -> None:
    with pytest.raises(DuplicateTaskIdFound, match="duplicate task id 'same'"):
        with DAG("dup", start_date=START):
            Noop(task_id="same")
            Noop(task_id="same")


@pytest.mark.parametrize("bad", ["no spaces/or slashes", "x" * 251, "ünïcode"])
def test_invalid_task_id_is_named(bad: str) -> None:
    with pytest.raises(DagDefinitionError, match="invalid task id"):
        with DAG("ids", start_date=START):
            Noop(task_id=bad)


def test_invalid_dag_id_is_named() -> None:
    with pytest.raises(DagDefinitionError, match="invalid dag id 'a b'"):
        DAG("a b")


def test_unknown_trigger_rule_is_named() -> None:
    with pytest.raises(DagDefinitionError, match="unknown trigger rule 'sometimes'"):
        with DAG("rules", start_date=START):
            Noop(task_id="t", trigger_rule="sometimes")


def test_cycle_names_every_task_in_order() -> None:
    with pytest.raises(AirflowDagCycleException, match="a cycle among a, b, c"):
        with DAG("cycle", start_date=START):
            a, b, c = (Noop(task_id=t) for t in "abc")
            Noop(task_id="x") >> a
            a >> b >> c >> a


def test_cycle_outside_with_is_found_by_check_cycle() -> None:
    dag = DAG("late_cycle", start_date=START)
    a, b = Noop(task_id="a", dag=dag), Noop(task_id="b", dag=dag)
    a >> b >> a
    with pytest.raises(AirflowDagCycleException, match="a cycle among a, b"):
        dag.check_cycle()


def test_invalid_cron_keeps_the_schedule_message() -> None:
    with pytest.raises(InvalidScheduleError, match=r"invalid cron expression '61 25 \* \* \*'"):
        DAG("bad_cron", start_date=START, schedule="61 25 * * *")


def test_topological_sort_keeps_declaration_order_among_equals() -> None:
    with DAG("topo", start_date=START) as dag:
        late = Noop(task_id="late")
        first = Noop(task_id="first")
        second = Noop(task_id="second")
        first >> late
        second >> late
    assert [t.task_id for t in dag.topological_sort()] == ["first", "second", "late"]


def test_every_dag_is_registered_and_orphans_are_recorded() -> None:
    with registry.collecting() as collection:
        with DAG("one", start_date=START):
            Noop(task_id="t")
        DAG("two", start_date=START)
        orphan = Noop(task_id="orphan")
    assert list(collection.dags) == ["one", "two"]
    assert collection.unattached_tasks() == [orphan] and orphan.dag is None


def test_a_dagless_task_linked_to_a_dag_task_joins_that_dag() -> None:
    with DAG("adopt", start_date=START) as dag:
        inside = Noop(task_id="inside")
    outside = Noop(task_id="outside")
    inside >> outside
    assert outside.dag is dag and dag.get_task("outside") is outside


def test_linking_two_dagless_tasks_names_them() -> None:
    with pytest.raises(DagDefinitionError, match="'a', 'b' are not in any DAG"):
        Noop(task_id="a") >> Noop(task_id="b")


def test_running_a_dag_file_as_a_script_only_builds_it(tmp_path: Path) -> None:
    script = tmp_path / "my_dag.py"
    script.write_text(textwrap.dedent("""
        from datetime import datetime
        from airflow import DAG
        from airflow.operators.empty import EmptyOperator
        with DAG("script", start_date=datetime(2026, 1, 1), schedule="@daily") as dag:
            EmptyOperator(task_id="t")
        print("built", dag.dag_id, len(dag.tasks))
    """))
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "built script 1" in done.stdout and not (tmp_path / "home").exists()
