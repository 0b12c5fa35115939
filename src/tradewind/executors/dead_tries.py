"""Record the end of a try whose process died (killed, timed out, crashed) before the runner recorded one.

As Airflow's task supervisor does, the process that watched the try fails it: up_for_retry while
retries remain (with the task's retry delay), else failed. It is a compare-and-set on the state and
the try number, so an outcome the runner recorded first always wins.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from tradewind.rules.retries import retry_delay_s
from tradewind.store import scheduling, task_instances


def _next_try_at(task: Any, key: Any, try_number: int, logical_date: datetime | None, now: datetime) -> datetime:
    """When the retry may run, from the serialized task's retry settings."""
    get = task.get if task is not None else (lambda _name, default=None: default)
    delay = retry_delay_s(
        retry_delay_s=float(get("retry_delay_s", 300.0) or 0.0),
        try_number=try_number,
        backoff_multiplier=float(get("retry_exponential_backoff", 0.0) or 0.0),
        max_retry_delay_s=get("max_retry_delay_s"),
        dag_id=key.dag_id, task_id=key.task_id,
        logical_date_iso=str(logical_date) if logical_date is not None else "",
    )
    return now + timedelta(seconds=delay)


def record_dead_try(db: Any, key: Any, try_number: int, task: Any, *, expected_states: Sequence[str],
                    now: datetime) -> str | None:
    """Fail try `try_number` of `key` if it is still in one of `expected_states`; returns the state set, or None."""
    with db.write() as conn:
        return fail_dead_try(conn, key, try_number, task, expected_states=expected_states, now=now)


def fail_dead_try(conn: Any, key: Any, try_number: int, task: Any, *, expected_states: Sequence[str],
                  now: datetime) -> str | None:
    """`record_dead_try` inside the caller's write transaction (the scheduler's iteration)."""
    row = task_instances.get(conn, key)
    if row is None or row["state"] not in expected_states or row["try_number"] != try_number:
        return None
    has_retries_left = try_number <= int(row["max_tries"] or 0)
    new_state = "up_for_retry" if has_retries_left else "failed"
    fields: dict[str, Any] = {"end_date": now, "updated_at": now}
    if row.get("start_date") is not None:
        fields["duration"] = (now - row["start_date"]).total_seconds()
    if has_retries_left:
        run = scheduling.get_run(conn, key.dag_id, key.run_id)
        fields["next_try_at"] = _next_try_at(task, key, try_number, run["logical_date"] if run else None, now)
    if not task_instances.set_state_if(conn, key, expected_states=list(expected_states), new_state=new_state,
                                       try_number=try_number, **fields):
        return None
    task_instances.record_try_history(conn, key)
    return new_state
