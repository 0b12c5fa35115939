"""BashSensor: exit 0 is done, other codes poke again, retry_exit_code narrows that."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowFailException, AirflowSensorTimeout
from tradewind.sdk.sensors.bash import BashSensor

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def bash_sensor(command, **kwargs) -> BashSensor:
    with DAG("bash_sensor_dag", schedule=None, start_date=START):
        op = BashSensor(task_id="check", bash_command=command, poke_interval=1, **kwargs)
    op._clock = ManualClock(datetime(2026, 1, 2, tzinfo=timezone.utc))
    return op


def test_exit_zero_is_done(make_context):
    op = bash_sensor("true")
    assert op.execute(make_context(op)) is None


def test_file_appears_on_a_later_poke(make_context, tmp_path):
    counter = tmp_path / "count"
    op = bash_sensor(f'echo x >> {counter}; [ "$(wc -l < {counter})" -ge 3 ]')
    op.execute(make_context(op))
    assert counter.read_text().count("x") == 3


def test_non_zero_keeps_poking_until_timeout(make_context):
    op = bash_sensor("exit 1", timeout=2)
    with pytest.raises(AirflowSensorTimeout):
        op.execute(make_context(op))


def test_retry_exit_code(make_context):
    op = bash_sensor("exit 5", retry_exit_code=5, timeout=1)
    with pytest.raises(AirflowSensorTimeout):
        op.execute(make_context(op))
    op = bash_sensor("exit 6", retry_exit_code=5)
    with pytest.raises(AirflowFailException, match="6"):
        op.execute(make_context(op))


def test_env_replaces_the_environment(make_context, monkeypatch):
    monkeypatch.setenv("TW_OUTER", "outer")
    op = bash_sensor('[ "$FOO" = bar ] && [ -z "$TW_OUTER" ]', env={"FOO": "bar"})
    assert op.execute(make_context(op)) is None
