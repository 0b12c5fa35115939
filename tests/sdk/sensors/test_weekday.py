"""DayOfWeekSensor."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.operators.weekday import WeekDay
from tradewind.sdk.sensors.weekday import DayOfWeekSensor

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
FRIDAY_NOON = datetime(2026, 1, 2, 12, tzinfo=timezone.utc)


def make(**kwargs):
    with DAG("weekday_sensor_dag", schedule=None, start_date=START):
        op = DayOfWeekSensor(task_id="weekend", **kwargs)
    op._clock = ManualClock(FRIDAY_NOON)
    return op


def test_waits_for_one_of_the_days(make_context):
    op = make(week_day={"Saturday", WeekDay.SUNDAY}, poke_interval=3600)
    op.execute(make_context(op))
    assert op._clock.now() == FRIDAY_NOON + timedelta(hours=12)


def test_logical_date_mode(make_context):
    op = make(week_day="Friday", use_task_logical_date=True)
    assert op.poke(make_context(op, logical_date=FRIDAY_NOON)) is True
    assert op.poke(make_context(op, logical_date=FRIDAY_NOON + timedelta(days=1))) is False
