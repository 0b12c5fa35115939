"""TimeSensor: a time of day on the parse date; deferrable ignores timeout."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from tradewind.clock import ManualClock, utcnow
from tradewind.sdk.dag import DAG
from tradewind.sdk.sensors.time import TimeSensor, TimeSensorAsync

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def make(cls, **kwargs):
    with DAG("time_dag", schedule=None, start_date=START):
        return cls(task_id="at_time", **kwargs)


def test_target_is_the_time_on_the_parse_date():
    before = utcnow().date()
    op = make(TimeSensor, target_time=time(7, 30))
    after = utcnow().date()
    assert op.target_datetime.time() == time(7, 30)
    assert op.target_datetime.date() in {before, after}
    assert op.target_datetime.tzinfo is not None


def test_pokes_until_the_target_passes(make_context):
    op = make(TimeSensor, target_time=time(7, 30), poke_interval=600)
    op._clock = ManualClock(op.target_datetime - timedelta(minutes=25))
    op.execute(make_context(op))
    assert op._clock.now() == op.target_datetime + timedelta(minutes=5)


def test_deferrable_waits_until_the_target_ignoring_timeout(make_context):
    op = make(TimeSensorAsync, target_time=time(7, 30), timeout=10)
    op._clock = ManualClock(op.target_datetime - timedelta(hours=3))
    op.execute(make_context(op))
    assert op._clock.now() == op.target_datetime


def test_dag_timezone_is_used():
    import pendulum

    with DAG("tz_dag", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Tokyo")):
        op = TimeSensor(task_id="at_time", target_time=time(9, 0))
    assert op.target_datetime.astimezone(timezone(timedelta(hours=9))).time() == time(9, 0)
