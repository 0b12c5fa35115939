"""Order and cycle checks over a DAG's tasks, as pure functions of their dependency sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def find_cycle(task_dict: Mapping[str, Any]) -> list[str] | None:
    """The task ids of one dependency cycle in path order (a, b, c for a >> b >> c >> a), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: fully explored
    for start in task_dict:
        if start in state:
            continue
        path: list[str] = [start]
        iterators = [iter(sorted(task_dict[start].downstream_task_ids))]
        state[start] = 1
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt) :]
            if nxt not in state and nxt in task_dict:
                state[nxt] = 1
                path.append(nxt)
                iterators.append(iter(sorted(task_dict[nxt].downstream_task_ids)))
    return None


def topological_order(task_dict: Mapping[str, Any]) -> list[str]:
    """Task ids with every task after all its upstreams; ties keep declaration order. ValueError on a cycle."""
    position = {task_id: i for i, task_id in enumerate(task_dict)}
    waiting = {t: len([u for u in task.upstream_task_ids if u in task_dict]) for t, task in task_dict.items()}
    ready = sorted((t for t, n in waiting.items() if n == 0), key=position.__getitem__)
    order: list[str] = []
    while ready:
        task_id = ready.pop(0)
        order.append(task_id)
        released = []
        for down in task_dict[task_id].downstream_task_ids:
            if down in waiting:
                waiting[down] -= 1
                if waiting[down] == 0:
                    released.append(down)
        ready = sorted(ready + released, key=position.__getitem__)
    if len(order) != len(task_dict):
        raise ValueError("the tasks have a dependency cycle")
    return order
