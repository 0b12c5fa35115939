"""BranchDateTimeOperator: inclusive window, time-only bounds, a window across midnight."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.operators.datetime import BranchDateTimeOperator
from tradewind.sdk.operators.empty import EmptyOperator

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def window(lower, upper, now=None, **kwargs):
    with DAG("datetime_dag", schedule=None, start_date=START):
        op = BranchDateTimeOperator(
            task_id="when",
            follow_task_ids_if_true="inside",
            follow_task_ids_if_false="outside",
            target_lower=lower,
            target_upper=upper,
            **kwargs,
        )
        op >> [EmptyOperator(task_id="inside"), EmptyOperator(task_id="outside")]
    if now is not None:
        op._clock = ManualClock(now)
    return op


def at(hour, minute=0, day=2):
    return datetime(2026, 1, day, hour, minute, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("now", "expected"),
    [(at(9), "inside"), (at(10), "inside"), (at(17), "inside"), (at(17, 1), "outside"), (at(8, 59), "outside")],
)
def test_time_only_bounds_on_todays_date(now, expected, make_context):
    op = window(time(9), time(17), now)
    assert op.execute(make_context(op)) == expected


def test_window_across_midnight(make_context):
    op = window(time(22), time(2), at(23))
    assert op.execute(make_context(op)) == "inside"
    op = window(time(22), time(2), at(12))
    context = make_context(op)
    assert op.execute(context) == "outside"
    assert context["ti"].skipped == ["inside"]


def test_one_open_bound_and_datetimes(make_context):
    op = window(None, at(12), at(11))
    assert op.execute(make_context(op)) == "inside"
    op = window(at(12), None, at(11))
    assert op.execute(make_context(op)) == "outside"


def test_logical_date_mode(make_context):
    op = window(time(0), time(1), at(12), use_task_logical_date=True)
    assert op.execute(make_context(op, logical_date=at(0, 30))) == "inside"


def test_both_bounds_missing_is_refused():
    with pytest.raises(AirflowException, match="target_lower and target_upper"):
        window(None, None)
