"""EmptyOperator: does nothing, and is 'empty' only without execute/success callbacks."""

from __future__ import annotations

from datetime import datetime, timezone

from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.empty import DummyOperator, EmptyOperator

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_dummy_is_the_same_class():
    assert DummyOperator is EmptyOperator


def test_is_empty_without_callbacks_and_execute_returns_none(make_context):
    with DAG("empty_dag", schedule=None, start_date=START):
        op = EmptyOperator(task_id="nothing", on_failure_callback=print)
    assert op.is_empty is True
    assert op.execute(make_context(op)) is None


def test_success_or_execute_callbacks_make_it_run():
    with DAG("empty_cb", schedule=None, start_date=START):
        on_success = EmptyOperator(task_id="s", on_success_callback=print)
        on_execute = EmptyOperator(task_id="e", on_execute_callback=[print])
    assert on_success.is_empty is False
    assert on_execute.is_empty is False
