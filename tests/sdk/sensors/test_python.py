"""PythonSensor: context injection and PokeReturnValue."""

from __future__ import annotations

from datetime import datetime, timezone

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.sensors.base import PokeReturnValue
from tradewind.sdk.sensors.python import PythonSensor

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def python_sensor(fn, **kwargs) -> PythonSensor:
    with DAG("python_sensor_dag", schedule=None, start_date=START):
        op = PythonSensor(task_id="ready", python_callable=fn, poke_interval=1, **kwargs)
    op._clock = ManualClock(datetime(2026, 1, 2, tzinfo=timezone.utc))
    return op


def test_pokes_until_truthy_with_context_and_op_kwargs(make_context):
    calls = []

    def second_poke(run_id=None, threshold=None, **_):
        calls.append((run_id, threshold))
        return len(calls) >= 2

    op = python_sensor(second_poke, op_kwargs={"threshold": 2})
    assert op.execute(make_context(op)) is None
    assert calls == [("manual__2026-01-02T00:00:00+00:00", 2)] * 2


def test_poke_return_value_is_the_return_value(make_context):
    op = python_sensor(lambda: PokeReturnValue(is_done=True, xcom_value="found"))
    assert op.execute(make_context(op)) == "found"


def test_op_args_and_templates_dict(make_context):
    op = python_sensor(lambda flag, templates_dict: flag and templates_dict["x"] == "y", op_args=[True], templates_dict={"x": "y"})
    assert op.execute(make_context(op)) is None
    assert PythonSensor.template_fields == ("templates_dict", "op_args", "op_kwargs")
