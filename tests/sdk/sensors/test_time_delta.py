"""TimeDeltaSensor (poke and deferrable) and WaitSensor on a ManualClock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowSensorTimeout, AirflowSkipException
from tradewind.sdk.sensors.time_delta import TimeDeltaSensor, TimeDeltaSensorAsync, WaitSensor

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
INTERVAL_END = datetime(2026, 1, 2, tzinfo=timezone.utc)


def make(cls, now, **kwargs):
    with DAG("time_delta_dag", schedule=None, start_date=START):
        op = cls(task_id="wait", **kwargs)
    op._clock = ManualClock(now)
    return op


def test_waits_until_data_interval_end_plus_delta(make_context):
    op = make(TimeDeltaSensor, INTERVAL_END, delta=timedelta(minutes=5), poke_interval=60)
    op.execute(make_context(op, data_interval_end=INTERVAL_END))
    assert op._clock.now() == INTERVAL_END + timedelta(minutes=6)  # polls at 0..6 min; 5 min is not yet "after"


def test_uses_run_after_without_a_data_interval(make_context):
    op = make(TimeDeltaSensor, INTERVAL_END, delta=timedelta(seconds=10), poke_interval=60)
    assert op.target_at(make_context(op, data_interval_end=None)) == INTERVAL_END + timedelta(seconds=10)


def test_deferrable_waits_exactly_until_the_target(make_context):
    op = make(TimeDeltaSensorAsync, INTERVAL_END, delta=timedelta(minutes=5))
    assert op.deferrable is True
    op.execute(make_context(op))
    assert op._clock.now() == INTERVAL_END + timedelta(minutes=5)


def test_deferrable_honours_the_timeout(make_context):
    op = make(TimeDeltaSensor, INTERVAL_END, delta=timedelta(hours=2), deferrable=True, timeout=60)
    with pytest.raises(AirflowSensorTimeout):
        op.execute(make_context(op))
    op = make(TimeDeltaSensor, INTERVAL_END, delta=timedelta(hours=2), deferrable=True, timeout=60, soft_fail=True)
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))


def test_target_already_past_returns_at_once(make_context):
    later = INTERVAL_END + timedelta(days=1)
    op = make(TimeDeltaSensorAsync, later, delta=timedelta(minutes=5))
    op.execute(make_context(op))
    assert op._clock.now() == later


def test_wait_sensor_waits_time_to_wait(make_context):
    op = make(WaitSensor, INTERVAL_END, time_to_wait=timedelta(seconds=90))
    op.execute(make_context(op))
    assert op._clock.now() == INTERVAL_END + timedelta(seconds=90)
    assert make(WaitSensor, INTERVAL_END, time_to_wait=2).time_to_wait == timedelta(minutes=2)
