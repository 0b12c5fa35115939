"""BranchDayOfWeekOperator and WeekDay."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.empty import EmptyOperator
from tradewind.sdk.operators.weekday import BranchDayOfWeekOperator, WeekDay

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_week_day_conversion():
    assert WeekDay.validate_week_day("monday") == {1}
    assert WeekDay.validate_week_day(WeekDay.SUNDAY) == {7}
    assert WeekDay.validate_week_day({"Saturday", WeekDay.SUNDAY}) == {6, 7}
    with pytest.raises(AttributeError, match="Funday"):
        WeekDay.validate_week_day("Funday")


def weekday_branch(**kwargs):
    with DAG("weekday_dag", schedule=None, start_date=START):
        op = BranchDayOfWeekOperator(
            task_id="which_day", follow_task_ids_if_true="weekend", follow_task_ids_if_false="weekday", **kwargs
        )
        op >> [EmptyOperator(task_id="weekend"), EmptyOperator(task_id="weekday")]
    return op


def test_uses_the_current_day(make_context):
    op = weekday_branch(week_day={"Saturday", "Sunday"})
    op._clock = ManualClock(datetime(2026, 1, 3, 12, tzinfo=timezone.utc))  # a Saturday
    context = make_context(op)
    assert op.execute(context) == "weekend"
    assert context["ti"].skipped == ["weekday"]


def test_uses_the_logical_date_when_asked(make_context):
    op = weekday_branch(week_day=WeekDay.FRIDAY, use_task_logical_date=True)
    op._clock = ManualClock(datetime(2026, 1, 3, 12, tzinfo=timezone.utc))
    context = make_context(op, logical_date=datetime(2026, 1, 2, tzinfo=timezone.utc))  # a Friday
    assert op.execute(context) == "weekend"
    context = make_context(op, logical_date=datetime(2026, 1, 5, tzinfo=timezone.utc))  # a Monday
    assert op.execute(context) == "weekday"
    assert context["ti"].skipped == ["weekend"]
