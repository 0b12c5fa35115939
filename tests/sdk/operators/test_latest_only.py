"""LatestOnlyOperator: follows in the latest scheduled run and in manual runs, skips in older runs."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.empty import EmptyOperator
from tradewind.sdk.operators.latest_only import LatestOnlyOperator

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def latest_only(now):
    with DAG("latest_dag", schedule="@daily", start_date=START):
        op = LatestOnlyOperator(task_id="latest_only")
        op >> [EmptyOperator(task_id="a"), EmptyOperator(task_id="b")]
    op._clock = ManualClock(now)
    return op


def scheduled_context(op, make_context):
    """The scheduled run covering [2026-01-01, 2026-01-02)."""
    start, end = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 2, tzinfo=timezone.utc)
    dag_run = SimpleNamespace(run_id="scheduled__2026-01-01T00:00:00+00:00", run_type="scheduled", external_trigger=False)
    return make_context(op, dag_run=dag_run, logical_date=start, data_interval_start=start, data_interval_end=end)


def test_latest_scheduled_run_follows_everything(make_context):
    op = latest_only(datetime(2026, 1, 2, 6, tzinfo=timezone.utc))
    context = scheduled_context(op, make_context)
    assert op.execute(context) == ["a", "b"]
    assert context["ti"].skipped == []


def test_older_scheduled_run_skips_every_direct_downstream(make_context):
    op = latest_only(datetime(2026, 1, 5, tzinfo=timezone.utc))
    context = scheduled_context(op, make_context)
    assert op.execute(context) == []
    assert sorted(context["ti"].skipped) == ["a", "b"]


def test_manual_run_follows_everything(make_context):
    op = latest_only(datetime(2026, 1, 5, tzinfo=timezone.utc))
    context = make_context(op)  # the default test context is a manual run
    assert op.execute(context) == ["a", "b"]
    assert context["ti"].skipped == []
