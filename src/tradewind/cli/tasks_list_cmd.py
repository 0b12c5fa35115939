"""`airflow tasks list DAG_ID [--tree]`: a DAG's task ids, or its tasks as an indented tree."""

from __future__ import annotations

import argparse
from typing import Any


def tree_lines(sdag: Any) -> list[str]:
    """Each root, then its downstream tasks indented below it, recursively (Airflow's tree view)."""
    lines: list[str] = []

    def walk(task_id: str, depth: int) -> None:
        task = sdag.tasks[task_id]
        lines.append(f"{'    ' * depth}<Task({task.operator}): {task_id}>")
        for child in sorted(task.downstream):
            walk(child, depth + 1)

    for root in sorted(sdag.roots):
        walk(root, 0)
    return lines


def list_tasks(args: argparse.Namespace) -> int:
    from tradewind.cli.dags_cmd import fresh_serialized_dag, settings_for

    sdag = fresh_serialized_dag(settings_for(args), args.dag_id)
    lines = tree_lines(sdag) if args.tree else sorted(sdag.task_ids)
    print("\n".join(lines))
    return 0
