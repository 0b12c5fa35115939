"""The task hierarchy of a serialized DAG as rows (groups and tasks, with depth), and aggregate cell states."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from tradewind.store.serialized_dag import SerializedDag
from tradewind.web.graph_svg import group_state


@dataclass
class TreeRow:
    """One row of the Grid's task tree: a task or a task group."""

    id: str
    label: str
    kind: str                 # "task" | "group"
    depth: int
    parent: str | None
    members: list[str]        # the tasks under a group (itself for a task)
    is_mapped: bool = False


def tree_rows(dag: SerializedDag) -> list[TreeRow]:
    """Groups and tasks in the order the DAG file's group tree gives (topological inside a group)."""
    groups: dict[str, Any] = dag.data.get("task_groups") or {}
    if "" not in groups:
        return [TreeRow(t.task_id, t.task_id, "task", 0, None, [t.task_id], t.is_mapped) for t in dag]
    order = {t: i for i, t in enumerate(dag.task_ids)}
    rows: list[TreeRow] = []

    def members(group_id: str) -> list[str]:
        out: list[str] = []
        for child in groups[group_id].get("children", []):
            out.extend(members(child) if child in groups else [child] if child in dag.tasks else [])
        return out

    def first_position(node: str) -> int:
        ids = members(node) if node in groups else [node]
        return min((order.get(t, 0) for t in ids), default=0)

    def walk(group_id: str, depth: int) -> None:
        parent = group_id or None
        for child in sorted(groups[group_id].get("children", []), key=first_position):
            if child in groups:
                rows.append(TreeRow(child, _short(child, parent), "group", depth, parent, members(child)))
                walk(child, depth + 1)
            elif child in dag.tasks:
                rows.append(TreeRow(child, _short(child, parent), "task", depth, parent, [child], dag.tasks[child].is_mapped))

    walk("", 0)
    return rows


def _short(node_id: str, parent: str | None) -> str:
    return node_id[len(parent) + 1:] if parent and node_id.startswith(parent + ".") else node_id


def cell_states(tis: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[str | None]]:
    """The states of each (run_id, task_id), one per map index."""
    out: dict[tuple[str, str], list[str | None]] = {}
    for ti in tis:
        out.setdefault((ti["run_id"], ti["task_id"]), []).append(ti["state"])
    return out


def row_state(row: TreeRow, run_id: str, cells: dict[tuple[str, str], list[str | None]]) -> str | None:
    """The state a grid cell shows: the task's (aggregated over map indexes) or its group's."""
    states = [s for t in row.members for s in cells.get((run_id, t), [])]
    if not states:
        return None
    if row.kind == "task" and len(states) == 1:
        return states[0]
    return group_state(states)
