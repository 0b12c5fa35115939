"""BaseSensorOperator timing on a ManualClock: timeout after a failed poke, soft_fail, reschedule, backoff."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import (
    AirflowException,
    AirflowFailException,
    AirflowRescheduleException,
    AirflowSensorTimeout,
    AirflowSkipException,
)
from tradewind.sdk.sensors.base import BaseSensorOperator, PokeReturnValue, poke_mode_only

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
T0 = datetime(2026, 1, 2, 10, tzinfo=timezone.utc)


class ScriptedSensor(BaseSensorOperator):
    """Returns (or raises) the scripted results in turn and records the clock time of every poke."""

    def __init__(self, *, results, **kwargs):
        super().__init__(**kwargs)
        self.results = list(results)
        self.poked_at: list[datetime] = []

    def poke(self, context):
        self.poked_at.append(self._clock.now())
        result = self.results.pop(0) if len(self.results) > 1 else self.results[0]
        if isinstance(result, BaseException):
            raise result
        return result


def sensor(results, **kwargs) -> ScriptedSensor:
    with DAG("sensor_dag", schedule=None, start_date=START):
        op = ScriptedSensor(task_id="wait", results=results, **kwargs)
    op._clock = ManualClock(T0)
    return op


def offsets(op: ScriptedSensor) -> list[float]:
    return [(t - T0).total_seconds() for t in op.poked_at]


def test_done_on_a_later_poke_after_full_poke_intervals(make_context):
    op = sensor([False, False, True], poke_interval=5)
    assert op.execute(make_context(op)) is None
    assert offsets(op) == [0, 5, 10]


def test_poke_return_value_gives_the_xcom_value(make_context):
    op = sensor([PokeReturnValue(False), PokeReturnValue(True, xcom_value={"n": 1})], poke_interval=1)
    assert op.execute(make_context(op)) == {"n": 1}


def test_timeout_is_checked_only_after_a_failed_poke_and_a_full_interval(make_context):
    op = sensor([False], timeout=3, poke_interval=60)
    with pytest.raises(AirflowSensorTimeout):
        op.execute(make_context(op))
    assert offsets(op) == [0, 60]


def test_timeout_uses_strictly_greater(make_context):
    op = sensor([False, False, True], timeout=10, poke_interval=10)
    op.execute(make_context(op))
    assert offsets(op) == [0, 10, 20]


def test_soft_fail_turns_the_timeout_into_a_skip(make_context):
    op = sensor([False], timeout=3, poke_interval=1, soft_fail=True)
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))
    assert offsets(op) == [0, 1, 2, 3, 4]


def test_timeout_is_not_retryable_kind(make_context):
    op = sensor([False], timeout=0, poke_interval=1)
    with pytest.raises(AirflowSensorTimeout) as info:
        op.execute(make_context(op))
    assert "timed out" in str(info.value)


def test_reschedule_mode_raises_a_reschedule_to_now_plus_interval(make_context):
    op = sensor([False], mode="reschedule", poke_interval=30, timeout=3600)
    context = make_context(op)
    context["ti"].start_date = T0
    with pytest.raises(AirflowRescheduleException) as info:
        op.execute(context)
    assert info.value.reschedule_date == T0 + timedelta(seconds=30)
    assert offsets(op) == [0]


def test_reschedule_mode_measures_the_timeout_from_the_first_start(make_context):
    op = sensor([False], mode="reschedule", poke_interval=30, timeout=600)
    context = make_context(op, task_reschedule_count=20)
    context["ti"].start_date = T0 - timedelta(seconds=601)
    with pytest.raises(AirflowSensorTimeout):
        op.execute(context)


def test_reschedule_mode_soft_fail(make_context):
    op = sensor([False], mode="reschedule", poke_interval=30, timeout=600, soft_fail=True)
    context = make_context(op)
    context["ti"].start_date = T0 - timedelta(hours=1)
    with pytest.raises(AirflowSkipException):
        op.execute(context)


def test_exponential_backoff_grows_with_jitter_and_respects_max_wait(make_context):
    op = sensor([False] * 6 + [True], poke_interval=10, exponential_backoff=True, timeout=10_000)
    op.execute(make_context(op))
    waits = [b - a for a, b in zip(offsets(op), offsets(op)[1:])]
    for poke_count, wait in enumerate(waits, start=1):
        base = max(int(10 * 2 ** (poke_count - 2)), 1)
        assert base <= wait < 2 * base
    capped = sensor([False] * 6 + [True], poke_interval=10, exponential_backoff=True, max_wait=25, timeout=10_000)
    capped.execute(make_context(capped))
    assert max(b - a for a, b in zip(offsets(capped), offsets(capped)[1:])) <= 25


def test_exponential_backoff_is_deterministic(make_context):
    first = sensor([False] * 4 + [True], poke_interval=10, exponential_backoff=True)
    second = sensor([False] * 4 + [True], poke_interval=10, exponential_backoff=True)
    first.execute(make_context(first))
    second.execute(make_context(second))
    assert offsets(first) == offsets(second)


def test_exception_from_poke_fails_unless_silent_or_never_fail(make_context):
    op = sensor([ValueError("boom")])
    with pytest.raises(ValueError, match="boom"):
        op.execute(make_context(op))
    op = sensor([ValueError("boom"), True], poke_interval=1, silent_fail=True)
    assert op.execute(make_context(op)) is None
    assert offsets(op) == [0, 1]
    op = sensor([ValueError("boom")], never_fail=True)
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))


def test_skip_from_poke_skips_and_soft_fail_skips_a_fail_exception(make_context):
    op = sensor([AirflowSkipException("not today")])
    with pytest.raises(AirflowSkipException, match="not today"):
        op.execute(make_context(op))
    op = sensor([AirflowFailException("bad")], soft_fail=True)
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))


def test_arguments_are_validated():
    with pytest.raises(AirflowException, match="mode"):
        sensor([True], mode="sometimes")
    with pytest.raises(ValueError, match="soft_fail"):
        sensor([True], soft_fail=True, never_fail=True)
    with pytest.raises(AirflowException, match="poke_interval"):
        sensor([True], poke_interval=-1)
    op = sensor([True], poke_interval=timedelta(minutes=2), timeout=timedelta(hours=1))
    assert (op.poke_interval, op.timeout) == (120.0, 3600.0)


def test_defaults():
    op = sensor([True])
    assert (op.poke_interval, op.timeout, op.mode) == (60.0, 7 * 24 * 3600.0, "poke")


def test_poke_mode_only():
    @poke_mode_only
    class PokeOnly(ScriptedSensor):
        pass

    with DAG("poke_only", schedule=None, start_date=START):
        op = PokeOnly(task_id="p", results=[True])
        with pytest.raises(ValueError, match="poke mode"):
            PokeOnly(task_id="r", results=[True], mode="reschedule")
    assert op.mode == "poke"
    with pytest.raises(ValueError):
        op.mode = "reschedule"
