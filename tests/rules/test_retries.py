"""Retry delays and sensor poke intervals, with and without exponential backoff."""

from __future__ import annotations

import hashlib

from tradewind.rules.retries import MAX_TASK_RETRY_DELAY_S, retry_delay_s, sensor_poke_interval_s

KEY = {"dag_id": "etl", "task_id": "load", "logical_date_iso": "2024-01-01 00:00:00+00:00"}


def test_without_backoff_the_delay_is_fixed() -> None:
    for try_number in (1, 2, 7):
        delay = retry_delay_s(retry_delay_s=300, try_number=try_number, backoff_multiplier=0, max_retry_delay_s=None, **KEY)
        assert delay == 300


def test_backoff_is_base_plus_sha1_jitter() -> None:
    delay = retry_delay_s(retry_delay_s=300, try_number=3, backoff_multiplier=2, max_retry_delay_s=None, **KEY)
    base = 300 * 2**2
    digest = int(hashlib.sha1(b"etl#load#2024-01-01 00:00:00+00:00#3").hexdigest(), 16)
    assert delay == base + digest % base
    assert base <= delay < 2 * base


def test_backoff_grows_with_the_try_number() -> None:
    delays = [
        retry_delay_s(retry_delay_s=10, try_number=n, backoff_multiplier=2, max_retry_delay_s=None, **KEY) for n in (1, 2, 3, 4)
    ]
    for n, delay in zip((1, 2, 3, 4), delays):
        assert 10 * 2 ** (n - 1) <= delay < 2 * 10 * 2 ** (n - 1)


def test_backoff_base_is_at_least_one_second() -> None:
    assert retry_delay_s(retry_delay_s=0, try_number=1, backoff_multiplier=2, max_retry_delay_s=None, **KEY) == 1


def test_fractional_multiplier_rounds_the_base_up() -> None:
    delay = retry_delay_s(retry_delay_s=10, try_number=2, backoff_multiplier=1.5, max_retry_delay_s=None, **KEY)
    assert 15 <= delay < 30


def test_backoff_is_capped_at_one_day_then_at_max_retry_delay() -> None:
    huge = retry_delay_s(retry_delay_s=300, try_number=200, backoff_multiplier=2, max_retry_delay_s=None, **KEY)
    assert huge == MAX_TASK_RETRY_DELAY_S == 86400
    capped = retry_delay_s(retry_delay_s=300, try_number=5, backoff_multiplier=2, max_retry_delay_s=600, **KEY)
    assert capped == 600


def test_sensor_without_backoff_pokes_at_its_interval() -> None:
    common = {"dag_id": "d", "task_id": "s", "started_at_iso": "x", "timeout_s": 3600, "elapsed_s": 0}
    assert sensor_poke_interval_s(poke_interval_s=60, exponential_backoff=False, poke_count=5, **common) == 60


def test_sensor_backoff_doubles_with_jitter_and_respects_timeout_and_max_wait() -> None:
    common = {"dag_id": "d", "task_id": "s", "started_at_iso": "2024-01-01T00:00:00+00:00"}
    interval = sensor_poke_interval_s(
        poke_interval_s=60, exponential_backoff=True, poke_count=4, timeout_s=10_000, elapsed_s=0, **common
    )
    assert 240 <= interval < 480
    near_timeout = sensor_poke_interval_s(
        poke_interval_s=60, exponential_backoff=True, poke_count=4, timeout_s=1000, elapsed_s=900.5, **common
    )
    assert near_timeout == 100
    with_max_wait = sensor_poke_interval_s(
        poke_interval_s=60, exponential_backoff=True, poke_count=10, timeout_s=10**9, elapsed_s=0, max_wait_s=120, **common
    )
    assert with_max_wait == 120
