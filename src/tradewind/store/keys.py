"""The task instance key, and the SQL clause that matches it in any table keyed by it."""

from __future__ import annotations

from typing import Any, NamedTuple, Union

import sqlalchemy as sa


class TaskInstanceKey(NamedTuple):
    """Which task instance: (dag_id, run_id, task_id, map_index); map_index -1 means not mapped."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int = -1

    def __str__(self) -> str:
        suffix = f"[{self.map_index}]" if self.map_index >= 0 else ""
        return f"{self.dag_id}.{self.task_id}{suffix} of run {self.run_id}"


KeyLike = Union[TaskInstanceKey, tuple, Any]


def as_key(key: KeyLike) -> TaskInstanceKey:
    """Accept a TaskInstanceKey, a (dag_id, run_id, task_id[, map_index]) tuple or any object with those fields."""
    if isinstance(key, TaskInstanceKey):
        return key
    if isinstance(key, (tuple, list)):
        return TaskInstanceKey(*key)
    if isinstance(key, dict):
        return TaskInstanceKey(key["dag_id"], key["run_id"], key["task_id"], key.get("map_index", -1))
    return TaskInstanceKey(key.dag_id, key.run_id, key.task_id, getattr(key, "map_index", -1))


def match_key(table: sa.Table, key: KeyLike) -> sa.ColumnElement[bool]:
    """WHERE clause selecting the rows of `table` that belong to one task instance."""
    k = as_key(key)
    c = table.c
    return sa.and_(c.dag_id == k.dag_id, c.run_id == k.run_id, c.task_id == k.task_id, c.map_index == k.map_index)


def bound_key_clause(table: sa.Table) -> sa.ColumnElement[bool]:
    """`match_key` with bind parameters, for statements built once and run many times (see `key_params`)."""
    c = table.c
    return sa.and_(c.dag_id == sa.bindparam("k_dag_id"), c.run_id == sa.bindparam("k_run_id"),
                   c.task_id == sa.bindparam("k_task_id"), c.map_index == sa.bindparam("k_map_index"))


def key_params(key: KeyLike) -> dict[str, Any]:
    """The bind parameters of `bound_key_clause` for one task instance."""
    k = as_key(key)
    return {"k_dag_id": k.dag_id, "k_run_id": k.run_id, "k_task_id": k.task_id, "k_map_index": k.map_index}


def state_in(column: sa.ColumnElement[Any], states: Any) -> sa.ColumnElement[bool]:
    """`state IN (...)`, where a None among the states means `state IS NULL` (Airflow's "no state")."""
    if states is None or isinstance(states, str):
        states = (states,)
    values = [str(s) for s in states if s is not None and str(s) != "none"]
    has_null = any(s is None or str(s) == "none" for s in states)
    clauses = []
    if values:
        clauses.append(column.in_(values))
    if has_null:
        clauses.append(column.is_(None))
    if not clauses:
        return sa.false()
    return clauses[0] if len(clauses) == 1 else sa.or_(*clauses)


def row_dict(row: Any) -> dict[str, Any] | None:
    """A Row as a plain dict (None stays None)."""
    return None if row is None else dict(row._mapping)
