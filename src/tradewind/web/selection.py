"""Which tasks an action on one task reaches: upstream / downstream closures, with setups and teardowns."""

from __future__ import annotations

from tradewind.store.serialized_dag import SerializedDag


def _closure(dag: SerializedDag, start: str, direction: str) -> set[str]:
    seen: set[str] = set()
    frontier = list(getattr(dag.tasks[start], direction))
    while frontier:
        task_id = frontier.pop()
        if task_id not in seen and task_id in dag.tasks:
            seen.add(task_id)
            frontier.extend(getattr(dag.tasks[task_id], direction))
    return seen


def select_tasks(dag: SerializedDag, task_id: str, *, upstream: bool = False, downstream: bool = False,
                 with_setup_teardown: bool = True) -> list[str]:
    """The task, plus its transitive upstream and/or downstream tasks, in the DAG's order.

    As Airflow's clear: the setups just upstream and the teardowns just downstream of every chosen
    task come too, so that a cleared task finds its resources again.
    """
    chosen = {task_id}
    if upstream:
        chosen |= _closure(dag, task_id, "upstream")
    if downstream:
        chosen |= _closure(dag, task_id, "downstream")
    if with_setup_teardown:
        extra = set()
        for t in chosen:
            task = dag.tasks[t]
            extra |= {u for u in task.upstream if dag.tasks[u].get("is_setup")}
            extra |= {d for d in task.downstream if dag.tasks[d].get("is_teardown")}
        chosen |= extra
    return [t for t in dag.task_ids if t in chosen]
