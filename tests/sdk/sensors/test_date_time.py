"""DateTimeSensor: a templated or datetime target instant."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jinja2
import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.sensors.date_time import DateTimeSensor, DateTimeSensorAsync

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
TARGET = datetime(2026, 1, 2, 12, tzinfo=timezone.utc)


def make(cls, now, **kwargs):
    with DAG("date_time_dag", schedule=None, start_date=START):
        op = cls(task_id="until", **kwargs)
    op._clock = ManualClock(now)
    return op


def test_datetime_target_is_stored_as_iso_string_and_waited_for(make_context):
    op = make(DateTimeSensor, TARGET - timedelta(seconds=90), target_time=TARGET, poke_interval=60)
    assert op.target_time == TARGET.isoformat()
    op.execute(make_context(op))
    assert op._clock.now() == TARGET + timedelta(seconds=30)


def test_templated_target(make_context):
    op = make(DateTimeSensor, TARGET, target_time="{{ data_interval_end }}")
    context = make_context(op, data_interval_end=TARGET - timedelta(hours=1))
    op.render_template_fields(context, jinja2.Environment(undefined=jinja2.StrictUndefined))
    assert op.poke(context) is True


def test_naive_string_is_read_as_utc(make_context):
    op = make(DateTimeSensorAsync, TARGET - timedelta(hours=1), target_time="2026-01-02T12:00:00")
    op.execute(make_context(op))
    assert op._clock.now() == TARGET


def test_other_types_are_refused():
    with pytest.raises(TypeError, match="target_time"):
        make(DateTimeSensor, TARGET, target_time=12)
