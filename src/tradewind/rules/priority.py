"""Effective priority weights: a task's own weight plus its descendants' or ancestors', by weight rule."""

from __future__ import annotations

from typing import Mapping

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
WEIGHT_RULES = ("downstream", "upstream", "absolute")


def effective_priority_weights(
    tasks: Mapping[str, tuple[int, str]], upstream: Mapping[str, set[str]]
) -> dict[str, int]:
    """task_id -> the weight the scheduler sorts by, clamped to the 32-bit range.

    `tasks` maps task_id -> (priority_weight, weight_rule); `upstream` maps task_id -> its
    direct upstream ids. 'downstream' adds the weights of every task downstream (each once),
    'upstream' those of every ancestor, 'absolute' nothing.
    """
    downstream: dict[str, set[str]] = {task_id: set() for task_id in tasks}
    for task_id, parents in upstream.items():
        for parent in parents:
            downstream.setdefault(parent, set()).add(task_id)
    ancestors = _reachable(upstream)
    descendants = _reachable(downstream)
    weights = {}
    for task_id, (weight, rule) in tasks.items():
        rule_name = str(getattr(rule, "value", rule)).lower()
        if rule_name == "absolute":
            total = weight
        elif rule_name == "downstream":
            total = weight + sum(tasks[t][0] for t in descendants.get(task_id, ()) if t in tasks)
        elif rule_name == "upstream":
            total = weight + sum(tasks[t][0] for t in ancestors.get(task_id, ()) if t in tasks)
        else:
            raise ValueError(f"task {task_id!r} has weight_rule {rule!r}; use one of {', '.join(WEIGHT_RULES)}")
        weights[task_id] = min(max(total, INT32_MIN), INT32_MAX)
    return weights


def _reachable(edges: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """For each node, every node reachable through `edges` (not itself), memoised; the graph is acyclic."""
    memo: dict[str, frozenset[str]] = {}

    def visit(node: str) -> frozenset[str]:
        # Iterative post-order, so deep chains do not hit the recursion limit.
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if current in memo:
                continue
            children = edges.get(current, ())
            if expanded:
                found: set[str] = set()
                for child in children:
                    found.add(child)
                    found |= memo[child]
                memo[current] = frozenset(found)
            else:
                stack.append((current, True))
                stack.extend((child, False) for child in children if child not in memo)
        return memo[node]

    for node in list(edges):
        visit(node)
    return memo
