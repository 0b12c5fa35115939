"""TriggerDagRunOperator against an in-memory implementation of the runtime services contract."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tradewind.clock import ManualClock
from tradewind.errors import DagRunAlreadyExists
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowException, AirflowSkipException
from tradewind.sdk.operators.trigger_dagrun import TriggerDagRunOperator
from tradewind.sdk.runtime import install_services

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
NOW = datetime(2026, 1, 2, 8, 30, tzinfo=timezone.utc)


class InMemoryRuns:
    """Runs of other DAGs kept in a dict; each run's state advances through a given sequence on reads."""

    def __init__(self, states: list[str] | None = None) -> None:
        self.runs: dict[tuple[str, str], dict[str, Any]] = {}
        self.states = list(states or ["queued"])
        self.cleared: list[tuple[str, str]] = []

    def trigger_dag_run(self, dag_id, *, run_id, conf, logical_date):
        if (dag_id, run_id) in self.runs:
            raise DagRunAlreadyExists(f"{dag_id} {run_id}")
        self.runs[(dag_id, run_id)] = {"conf": conf, "logical_date": logical_date}
        return run_id

    def clear_dag_run(self, dag_id, run_id):
        self.cleared.append((dag_id, run_id))

    def get_dag_run_state(self, dag_id, run_id):
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]


@pytest.fixture
def runs():
    services = InMemoryRuns()
    previous = install_services(services)
    yield services
    install_services(previous)


def trigger(**kwargs) -> TriggerDagRunOperator:
    with DAG("controller", schedule=None, start_date=START):
        op = TriggerDagRunOperator(task_id="trigger", trigger_dag_id="target", **kwargs)
    op._clock = ManualClock(NOW)
    return op


def test_triggers_a_run_with_conf_and_records_it(runs, make_context):
    op = trigger(conf={"message": "hi"}, trigger_run_id="my_run")
    context = make_context(op)
    assert op.execute(context) is None
    assert runs.runs[("target", "my_run")] == {"conf": {"message": "hi"}, "logical_date": NOW}
    assert context["ti"].xcoms[("trigger", "trigger_run_id")] == "my_run"


def test_default_run_id_and_templated_logical_date_string(runs, make_context):
    op = trigger(logical_date="2026-01-05")
    op.execute(make_context(op))
    [(dag_id, run_id)] = runs.runs
    assert run_id == "manual__2026-01-05T00:00:00+00:00"
    assert runs.runs[(dag_id, run_id)]["logical_date"] == datetime(2026, 1, 5, tzinfo=timezone.utc)


def test_existing_run_fails_unless_reset_or_skip(runs, make_context):
    runs.runs[("target", "dup")] = {}
    op = trigger(trigger_run_id="dup")
    with pytest.raises(AirflowException, match="reset_dag_run"):
        op.execute(make_context(op))
    op = trigger(trigger_run_id="dup", skip_when_already_exists=True)
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))
    op = trigger(trigger_run_id="dup", reset_dag_run=True)
    op.execute(make_context(op))
    assert runs.cleared == [("target", "dup")]


def test_wait_for_completion_pokes_until_an_allowed_state(runs, make_context):
    runs.states = ["queued", "running", "success"]
    op = trigger(wait_for_completion=True, poke_interval=30)
    op.execute(make_context(op))
    assert op._clock.now() == datetime(2026, 1, 2, 8, 31, 30, tzinfo=timezone.utc)


def test_wait_for_completion_fails_on_a_failed_state(runs, make_context):
    runs.states = ["running", "failed"]
    op = trigger(wait_for_completion=True, poke_interval=5)
    with pytest.raises(AirflowException, match="failed"):
        op.execute(make_context(op))


def test_conf_must_be_json(runs, make_context):
    op = trigger(conf={"when": object()})
    with pytest.raises(AirflowException, match="JSON"):
        op.execute(make_context(op))
