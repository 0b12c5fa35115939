"""Named SQL for the start and the end of a task try, with statements built once.

Every try runs these statements, and building a SQLAlchemy statement costs more than running it
on SQLite: they are built at import with bind parameters. A caller may start or finish many tries
in one transaction by calling these functions in a loop (the local executor's workers do).

- `start_try`: compare-and-set queued -> running for one try number, recording where it runs.
- `finish_try`: compare-and-set running -> final state, with the try's XComs, its history row or
  sensor reschedule, and the downstream skips it asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.store.keys import KeyLike, TaskInstanceKey, as_key, bound_key_clause, key_params
from tradewind.store.schema import task_instance, task_instance_history, task_reschedule, xcom


@dataclass(frozen=True)
class StartedTry:
    """A try its runner now owns: the task instance row after the start, and whether it resumes a reschedule."""

    row: dict[str, Any]
    start_date: datetime
    reschedule_count: int


@dataclass
class FinalRecord:
    """Everything written when a try ends, in one transaction."""

    state: str
    end_date: datetime
    duration: float
    next_try_at: datetime | None = None
    reschedule_date: datetime | None = None
    xcoms: dict[str, Any] = field(default_factory=dict)
    skip_task_ids: list[str] = field(default_factory=list)
    rendered_fields: dict[str, Any] | None = None
    rendered_map_index: str | None = None
    record_history: bool = True


_t, _r, _h, _x = task_instance.c, task_reschedule.c, task_instance_history.c, xcom.c
_TRY = sa.bindparam("p_try")

_GET_TI = sa.select(task_instance).where(bound_key_clause(task_instance))
_RESCHEDULES = (sa.select(sa.func.count(), sa.func.min(_r.start_date))
                .where(bound_key_clause(task_reschedule), _r.try_number == _TRY))
_START = (task_instance.update()
          .where(bound_key_clause(task_instance), _t.state == "queued", _t.try_number == _TRY)
          .values(state="running", start_date=sa.bindparam("p_start"), end_date=None, duration=None,
                  updated_at=sa.bindparam("p_now"), last_heartbeat_at=sa.bindparam("p_now"),
                  hostname=sa.bindparam("p_hostname"), unixname=sa.bindparam("p_unixname"), pid=sa.bindparam("p_pid")))
_CLEAR_XCOMS = xcom.delete().where(bound_key_clause(xcom))
_FINISH = (task_instance.update()
           .where(bound_key_clause(task_instance), _t.state == "running", _t.try_number == _TRY)
           .values(state=sa.bindparam("p_state"), end_date=sa.bindparam("p_end"), duration=sa.bindparam("p_duration"),
                   next_try_at=sa.bindparam("p_next_try_at"), rendered_fields=sa.bindparam("p_rendered_fields"),
                   rendered_map_index=sa.bindparam("p_rendered_map_index"), updated_at=sa.bindparam("p_end")))
_DROP_XCOM = xcom.delete().where(bound_key_clause(xcom), _x.key == sa.bindparam("p_key"))
_ADD_XCOM = xcom.insert().values(dag_id=sa.bindparam("k_dag_id"), run_id=sa.bindparam("k_run_id"),
                                 task_id=sa.bindparam("k_task_id"), map_index=sa.bindparam("k_map_index"),
                                 key=sa.bindparam("p_key"), value=sa.bindparam("p_value", type_=sa.JSON()),
                                 timestamp=sa.bindparam("p_end"))
_HISTORY_COLUMNS = [c.name for c in task_instance_history.c if c.name != "id"]
_DROP_HISTORY = task_instance_history.delete().where(bound_key_clause(task_instance_history), _h.try_number == _TRY)
_ADD_HISTORY = task_instance_history.insert().from_select(
    _HISTORY_COLUMNS,
    sa.select(*(task_instance.c[name] for name in _HISTORY_COLUMNS)).where(bound_key_clause(task_instance)))
_ADD_RESCHEDULE = task_reschedule.insert().values(
    dag_id=sa.bindparam("k_dag_id"), run_id=sa.bindparam("k_run_id"), task_id=sa.bindparam("k_task_id"),
    map_index=sa.bindparam("k_map_index"), try_number=_TRY, start_date=sa.bindparam("p_start"),
    end_date=sa.bindparam("p_end"), reschedule_date=sa.bindparam("p_reschedule_date"))
_SKIP = (task_instance.update()
         .where(_t.dag_id == sa.bindparam("k_dag_id"), _t.run_id == sa.bindparam("k_run_id"),
                _t.task_id.in_(sa.bindparam("p_task_ids", expanding=True)),
                sa.or_(_t.state.is_(None), _t.state == "scheduled"))
         .values(state="skipped", start_date=sa.bindparam("p_end"), end_date=sa.bindparam("p_end"), duration=0.0,
                 updated_at=sa.bindparam("p_end")))


def read_state(conn: sa.Connection, key: KeyLike) -> tuple[str | None, int | None]:
    """The instance's state and try number now (to explain a lost compare-and-set)."""
    row = conn.execute(_GET_TI, key_params(key)).first()
    return (row.state, row.try_number) if row is not None else (None, None)


def start_try(conn: sa.Connection, key: KeyLike, try_number: int, now: datetime, *, hostname: str, unixname: str,
              pid: int) -> StartedTry | None:
    """Compare-and-set queued -> running for this try; None when another runner or a user got there first."""
    params = key_params(key)
    before = conn.execute(_GET_TI, params).first()
    if before is None or before.state != "queued" or before.try_number != try_number:
        return None
    count, first_start = conn.execute(_RESCHEDULES, {**params, "p_try": try_number}).one()
    # A sensor resuming from up_for_reschedule keeps the start of its first poke (its timeout counts from there).
    start_date = first_start if count else now
    identity = {"hostname": hostname, "unixname": unixname, "pid": pid}
    won = conn.execute(_START, {**params, "p_try": try_number, "p_start": start_date, "p_now": now,
                                **{f"p_{name}": value for name, value in identity.items()}}).rowcount == 1
    if not won:
        return None
    if not count:
        conn.execute(_CLEAR_XCOMS, params)
    row = {**before._mapping, **identity, "state": "running", "start_date": start_date, "end_date": None,
           "duration": None, "updated_at": now, "last_heartbeat_at": now}
    return StartedTry(row=row, start_date=start_date, reschedule_count=int(count))


def finish_try(conn: sa.Connection, key: KeyLike, try_number: int, record: FinalRecord, *,
               start_date: datetime | None) -> bool:
    """Compare-and-set running -> the final state with everything the try produced; False when it was taken away.

    `start_date` is the try's start as recorded by `start_try` (a reschedule row keeps it).
    """
    k: TaskInstanceKey = as_key(key)
    params = key_params(k)
    won = conn.execute(_FINISH, {
        **params, "p_try": try_number, "p_state": record.state, "p_end": record.end_date, "p_duration": record.duration,
        "p_next_try_at": record.next_try_at, "p_rendered_fields": record.rendered_fields,
        "p_rendered_map_index": record.rendered_map_index}).rowcount == 1
    if not won:
        return False
    for xcom_key, value in record.xcoms.items():
        conn.execute(_DROP_XCOM, {**params, "p_key": xcom_key})
        conn.execute(_ADD_XCOM, {**params, "p_key": xcom_key, "p_value": value, "p_end": record.end_date})
    if record.state == "up_for_reschedule":
        conn.execute(_ADD_RESCHEDULE, {**params, "p_try": try_number, "p_start": start_date or record.end_date,
                                       "p_end": record.end_date, "p_reschedule_date": record.reschedule_date})
    elif record.record_history:
        conn.execute(_DROP_HISTORY, {**params, "p_try": try_number})
        conn.execute(_ADD_HISTORY, params)
    if record.skip_task_ids:
        conn.execute(_SKIP, {"k_dag_id": k.dag_id, "k_run_id": k.run_id, "p_task_ids": sorted(record.skip_task_ids),
                             "p_end": record.end_date})
    return True
