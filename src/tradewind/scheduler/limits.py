"""Which ready task instances may be queued now: parallelism, pools, max_active_tasks, per-task limits.

Candidates are taken by effective priority weight (highest first), then the older run, then map
index, as Airflow does; one that does not fit is left for a later iteration, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tradewind.store.scheduling import Occupancy
from tradewind.store.serialized_dag import SerializedDag


@dataclass(frozen=True)
class Candidate:
    """A task instance whose dependencies are met, with what the limits look at."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    priority_weight: int
    run_after: datetime
    pool: str
    pool_slots: int
    dag: SerializedDag = field(compare=False, repr=False)  # the version the run was created with


@dataclass
class Limits:
    """The limits in force for one iteration."""

    parallelism: int
    pool_sizes: dict[str, int]
    default_max_active_tasks: int


def select_to_queue(candidates: list[Candidate], occupancy: Occupancy,
                    limits: Limits) -> tuple[list[Candidate], dict[Candidate, str]]:
    """The candidates that fit, in queueing order, and why each of the others must wait."""
    free_total = limits.parallelism - occupancy.total
    pool_used = dict(occupancy.by_pool)
    dag_used = dict(occupancy.by_dag)
    task_used = dict(occupancy.by_task)
    chosen: list[Candidate] = []
    waiting: dict[Candidate, str] = {}
    for c in sorted(candidates, key=lambda c: (-c.priority_weight, c.run_after, c.run_id, c.map_index)):
        dag = c.dag
        task = dag.tasks[c.task_id]
        max_tasks = dag.data.get("max_active_tasks") or limits.default_max_active_tasks
        per_task = task.get("max_active_tis_per_dag")
        pool_size = limits.pool_sizes.get(c.pool)
        if free_total <= 0:
            waiting[c] = f"all {limits.parallelism} slots of [core] parallelism are in use"
        elif pool_size is None:
            waiting[c] = f"pool {c.pool!r} does not exist: create it with `airflow pools set {c.pool} SLOTS DESCRIPTION`"
        elif pool_used.get(c.pool, 0) + c.pool_slots > pool_size:
            waiting[c] = f"pool {c.pool!r} has {pool_size - pool_used.get(c.pool, 0)} of {pool_size} slots open, the task needs {c.pool_slots}"
        elif dag_used.get(c.dag_id, 0) >= max_tasks:
            waiting[c] = f"the DAG runs its max_active_tasks ({max_tasks}) already"
        elif per_task is not None and task_used.get((c.dag_id, c.task_id), 0) >= per_task:
            waiting[c] = f"the task runs its max_active_tis_per_dag ({per_task}) already"
        else:
            chosen.append(c)
            free_total -= 1
            pool_used[c.pool] = pool_used.get(c.pool, 0) + c.pool_slots
            dag_used[c.dag_id] = dag_used.get(c.dag_id, 0) + 1
            task_used[(c.dag_id, c.task_id)] = task_used.get((c.dag_id, c.task_id), 0) + 1
    return chosen, waiting
