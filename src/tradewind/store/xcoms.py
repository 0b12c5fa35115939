"""Named SQL for `xcom`: values tasks hand to each other, scoped to (dag_id, run_id, task_id, map_index, key)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.keys import KeyLike, as_key, match_key
from tradewind.store.schema import task_instance, xcom

RETURN_VALUE = "return_value"


def set_xcom(conn: sa.Connection, key: KeyLike, xcom_key: str, value: Any, *, now: datetime | None = None) -> None:
    """Store a JSON-serialisable value under `xcom_key` for one task instance, replacing an older one."""
    k = as_key(key)
    conn.execute(xcom.delete().where(match_key(xcom, k), xcom.c.key == xcom_key))
    conn.execute(xcom.insert().values(dag_id=k.dag_id, run_id=k.run_id, task_id=k.task_id, map_index=k.map_index,
                                      key=xcom_key, value=value, timestamp=now or utcnow()))


def get(conn: sa.Connection, key: KeyLike, xcom_key: str = RETURN_VALUE, default: Any = None) -> Any:
    """One task instance's value under `xcom_key`, or `default`."""
    row = conn.execute(sa.select(xcom.c.value).where(match_key(xcom, key), xcom.c.key == xcom_key)).first()
    return default if row is None else row.value


def delete_for_ti(conn: sa.Connection, key: KeyLike) -> int:
    """Delete every XCom of one task instance (before it runs again); returns how many."""
    return conn.execute(xcom.delete().where(match_key(xcom, key))).rowcount


def list_for_run(conn: sa.Connection, dag_id: str, run_id: str, *, task_id: str | None = None) -> list[dict[str, Any]]:
    """The XComs of a run (or of one task in it), by task_id, map_index and key."""
    x = xcom.c
    query = sa.select(xcom).where(x.dag_id == dag_id, x.run_id == run_id)
    if task_id is not None:
        query = query.where(x.task_id == task_id)
    return [dict(r._mapping) for r in conn.execute(query.order_by(x.task_id, x.map_index, x.key))]


def _is_mapped(conn: sa.Connection, dag_id: str, run_id: str, task_id: str) -> bool:
    t = task_instance.c
    query = sa.select(t.id).where(t.dag_id == dag_id, t.run_id == run_id, t.task_id == task_id, t.map_index >= 0)
    return conn.execute(query.limit(1)).first() is not None


def _pull_one(conn: sa.Connection, dag_id: str, run_id: str, task_id: str, key: str | None,
              map_indexes: int | Sequence[int] | None) -> Any:
    x = xcom.c
    query = sa.select(x.map_index, x.value).where(x.dag_id == dag_id, x.run_id == run_id, x.task_id == task_id)
    if key is not None:
        query = query.where(x.key == key)
    by_index = {r.map_index: r.value for r in conn.execute(query.order_by(x.map_index, x.timestamp))}
    if isinstance(map_indexes, int):
        return by_index.get(map_indexes)
    if map_indexes is not None:
        return [by_index.get(i) for i in map_indexes]
    mapped = [i for i in by_index if i >= 0]
    if mapped or (-1 not in by_index and _is_mapped(conn, dag_id, run_id, task_id)):
        return [by_index[i] for i in sorted(mapped)]
    return by_index.get(-1)


def pull(conn: sa.Connection, dag_id: str, run_id: str, task_ids: str | Sequence[str] | None,
         key: str | None = RETURN_VALUE, map_indexes: int | Sequence[int] | None = None) -> Any:
    """Airflow's xcom_pull over the store.

    One task id gives one value (a mapped task's values as a list ordered by map_index); a list of
    task ids gives a list in the order given; None looks in every task of the run and returns the
    newest value. A key of None matches any key. Missing values are None.
    """
    if task_ids is None:
        x = xcom.c
        query = sa.select(x.value).where(x.dag_id == dag_id, x.run_id == run_id)
        if key is not None:
            query = query.where(x.key == key)
        if isinstance(map_indexes, int):
            query = query.where(x.map_index == map_indexes)
        row = conn.execute(query.order_by(x.timestamp.desc(), x.id.desc()).limit(1)).first()
        return None if row is None else row.value
    if isinstance(task_ids, str):
        return _pull_one(conn, dag_id, run_id, task_ids, key, map_indexes)
    return [_pull_one(conn, dag_id, run_id, t, key, map_indexes) for t in task_ids]


set = set_xcom  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
