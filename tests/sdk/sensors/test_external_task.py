"""ExternalTaskSensor against an in-memory implementation of the runtime services contract."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowException, AirflowSkipException
from tradewind.sdk.runtime import install_services
from tradewind.sdk.sensors.external_task import ExternalTaskMarker, ExternalTaskSensor

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
DAY = datetime(2026, 1, 2, tzinfo=timezone.utc)


class OtherDagRuns:
    """Task and run states of other DAGs by (dag_id, logical_date); reads are recorded."""

    def __init__(self) -> None:
        self.tasks: dict[tuple[str, datetime], dict[str, object]] = {}
        self.runs: dict[tuple[str, datetime], str] = {}
        self.reads: list[tuple[str, datetime]] = []

    def get_task_states(self, dag_id, task_ids, logical_date):
        self.reads.append((dag_id, logical_date))
        states = self.tasks.get((dag_id, logical_date), {})
        return {t: s for t, s in states.items() if task_ids is None or t in task_ids}

    def get_dag_run_state_at(self, dag_id, logical_date):
        return self.runs.get((dag_id, logical_date))


@pytest.fixture
def other():
    services = OtherDagRuns()
    previous = install_services(services)
    yield services
    install_services(previous)


def external(**kwargs) -> ExternalTaskSensor:
    with DAG("waiting_dag", schedule=None, start_date=START):
        op = ExternalTaskSensor(task_id="wait_other", external_dag_id="other", poke_interval=60, timeout=600, **kwargs)
    op._clock = ManualClock(DAY)
    return op


def test_waits_for_the_task_at_the_same_logical_date(other, make_context):
    op = external(external_task_id="load")
    context = make_context(op)
    other.tasks[("other", DAY)] = {"load": "running"}
    assert op.poke(context) is False
    other.tasks[("other", DAY)] = {"load": "success"}
    assert op.poke(context) is True


def test_every_listed_task_must_be_allowed(other, make_context):
    op = external(external_task_ids=["a", "b"])
    other.tasks[("other", DAY)] = {"a": "success"}
    assert op.poke(make_context(op)) is False
    other.tasks[("other", DAY)] = {"a": "success", "b": "success"}
    assert op.poke(make_context(op)) is True


def test_failed_state_fails_and_soft_fail_skips(other, make_context):
    other.tasks[("other", DAY)] = {"load": "failed"}
    op = external(external_task_id="load", failed_states=["failed"])
    with pytest.raises(AirflowException, match="failed") as info:
        op.execute(make_context(op))
    assert not isinstance(info.value, AirflowSkipException)
    op = external(external_task_id="load", failed_states=["failed"], soft_fail=True)
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))


def test_skipped_state_skips(other, make_context):
    other.tasks[("other", DAY)] = {"load": "skipped"}
    op = external(external_task_id="load", skipped_states=["skipped"])
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))


def test_times_out_when_the_task_never_finishes(other, make_context):
    op = external(external_task_id="load")
    with pytest.raises(AirflowException, match="timed out"):
        op.execute(make_context(op))


def test_execution_delta_and_date_fn(other, make_context):
    earlier = DAY - timedelta(hours=1)
    other.tasks[("other", earlier)] = {"load": "success"}
    op = external(external_task_id="load", execution_delta=timedelta(hours=1))
    assert op.poke(make_context(op)) is True
    op = external(external_task_id="load", execution_date_fn=lambda logical_date, ds: [logical_date - timedelta(hours=1)])
    assert op.poke(make_context(op)) is True
    assert other.reads[-1] == ("other", earlier)


def test_task_group_and_mapped_states(other, make_context):
    other.tasks[("other", DAY)] = {"grp.a": "success", "grp.b": ["success", "running"], "outside": "failed"}
    op = external(external_task_group_id="grp")
    assert op.poke(make_context(op)) is False
    other.tasks[("other", DAY)]["grp.b"] = ["success", "success"]
    assert op.poke(make_context(op)) is True


def test_whole_run(other, make_context):
    op = external(allowed_states=["success"], failed_states=["failed"])
    assert op.poke(make_context(op)) is False
    other.runs[("other", DAY)] = "success"
    assert op.poke(make_context(op)) is True


def test_argument_checks():
    with pytest.raises(ValueError, match="only one"):
        external(external_task_id="a", external_task_ids=["b"])
    with pytest.raises(ValueError, match="only one"):
        external(execution_delta=timedelta(hours=1), execution_date_fn=lambda d: d)
    with pytest.raises(AirflowException, match="more than once"):
        external(external_task_id="a", allowed_states=["success"], failed_states=["success"])
    with pytest.raises(ValueError, match="DAG run states"):
        external(allowed_states=["upstream_failed"])


def test_marker_is_an_empty_task_with_a_templated_logical_date():
    with DAG("marker_dag", schedule=None, start_date=START):
        marker = ExternalTaskMarker(task_id="mark", external_dag_id="child", external_task_id="wait")
    assert marker.is_empty is True
    assert marker.logical_date == "{{ logical_date.isoformat() }}"
    assert "logical_date" in marker.template_fields
    with pytest.raises(ValueError, match="recursion_depth"):
        with DAG("marker_dag2", schedule=None, start_date=START):
            ExternalTaskMarker(task_id="m", external_dag_id="c", external_task_id="w", recursion_depth=0)
