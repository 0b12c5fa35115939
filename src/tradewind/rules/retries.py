"""How long to wait before a retry or the next sensor poke: fixed, or exponential with deterministic jitter."""

from __future__ import annotations

import hashlib
import math

MAX_TASK_RETRY_DELAY_S = 24 * 60 * 60.0
"""Airflow's [core] max_task_retry_delay: no computed retry delay exceeds one day."""


def _jitter(key: str, base: int) -> int:
    """A number in [0, base) fixed by `key`, so every scheduler computes the same delay."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % base


def retry_delay_s(
    *,
    retry_delay_s: float,
    try_number: int,
    backoff_multiplier: float,
    max_retry_delay_s: float | None,
    dag_id: str,
    task_id: str,
    logical_date_iso: str,
) -> float:
    """Seconds between a failed try and the next one.

    `backoff_multiplier` 0 (retry_exponential_backoff=False) means a fixed `retry_delay_s`.
    Otherwise base = ceil(retry_delay_s * multiplier ** (try_number - 1)), at least 1, plus a
    jitter in [0, base) from sha1("dag_id#task_id#logical_date#try_number"), capped at 24 h and
    then at `max_retry_delay_s`. Pass the logical date as Airflow formats it (str(datetime)) to
    get Airflow's exact jitter.
    """
    if not backoff_multiplier:
        return float(retry_delay_s)
    try:
        scaled = retry_delay_s * backoff_multiplier ** (try_number - 1)
    except OverflowError:
        scaled = math.inf
    if scaled >= MAX_TASK_RETRY_DELAY_S:
        # base alone already exceeds the cap; the jitter cannot bring it back under.
        delay = MAX_TASK_RETRY_DELAY_S
    else:
        base = max(math.ceil(scaled), 1)
        delay = min(base + _jitter(f"{dag_id}#{task_id}#{logical_date_iso}#{try_number}", base), MAX_TASK_RETRY_DELAY_S)
    if max_retry_delay_s is not None:
        delay = min(delay, max_retry_delay_s)
    return float(delay)


def sensor_poke_interval_s(
    *,
    poke_interval_s: float,
    exponential_backoff: bool,
    poke_count: int,
    dag_id: str,
    task_id: str,
    started_at_iso: str,
    timeout_s: float,
    elapsed_s: float,
    max_wait_s: float | None = None,
) -> float:
    """Seconds until a sensor's next poke.

    Without backoff: `poke_interval_s`. With `exponential_backoff`: base = int(poke_interval_s *
    2 ** (poke_count - 2)), at least 1, plus a jitter in [0, base) from
    sha1("dag_id#task_id#started_at#poke_count"); never past the sensor's timeout
    (timeout_s - int(elapsed_s)), and capped at `max_wait_s`. Never negative.
    """
    if not exponential_backoff:
        return float(poke_interval_s)
    try:
        scaled = poke_interval_s * 2.0 ** (poke_count - 2)
    except OverflowError:
        scaled = math.inf
    remaining = timeout_s - int(elapsed_s)
    if scaled >= remaining:
        interval = remaining
    else:
        base = max(int(scaled), 1)
        interval = min(base + _jitter(f"{dag_id}#{task_id}#{started_at_iso}#{poke_count}", base), remaining)
    if max_wait_s is not None:
        interval = min(interval, max_wait_s)
    return float(max(interval, 0))
