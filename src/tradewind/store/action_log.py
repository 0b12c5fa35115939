"""Named SQL for `log`: the audit trail of user and system actions (Airflow's "Audit Log")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tradewind.clock import utcnow
from tradewind.store.schema import log


def append(conn: sa.Connection, event: str, *, dag_id: str | None = None, task_id: str | None = None,
           run_id: str | None = None, map_index: int | None = None, try_number: int | None = None,
           logical_date: datetime | None = None, owner: str | None = None, extra: str | None = None,
           now: datetime | None = None) -> int:
    """Record one event (e.g. "trigger", "clear", "cli_variables_set"); returns its id."""
    result = conn.execute(log.insert().values(
        dttm=now or utcnow(), event=event[:60], dag_id=dag_id, task_id=task_id, run_id=run_id, map_index=map_index,
        try_number=try_number, logical_date=logical_date, owner=owner, extra=extra))
    return int(result.inserted_primary_key[0])


def list_entries(conn: sa.Connection, *, dag_id: str | None = None, event: str | None = None,
                 owner: str | None = None, limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Events, newest first, filtered by DAG, event name and owner."""
    c = log.c
    query = sa.select(log)
    for column, value in ((c.dag_id, dag_id), (c.event, event), (c.owner, owner)):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(c.dttm.desc(), c.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [dict(r._mapping) for r in conn.execute(query)]


list = list_entries  # noqa: A001  (Airflow-style name; nothing in this module calls the builtin)
