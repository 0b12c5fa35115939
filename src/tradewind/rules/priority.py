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
    bit = {task_id: 1 << i for i, task_id in enumerate(set(tasks) | set(upstream) | set(downstream))}
    ancestors = _reachable(upstream, bit)
    descendants = _reachable(downstream, bit)
    # Group tasks by weight so that a sum over a reachable set is a few popcounts, not a loop.
    masks: dict[int, int] = {}
    for task_id, (weight, _) in tasks.items():
        masks[weight] = masks.get(weight, 0) | bit[task_id]

    def weight_of(reach: int) -> int:
        return sum(weight * (reach & mask).bit_count() for weight, mask in masks.items())

    weights = {}
    for task_id, (weight, rule) in tasks.items():
        rule_name = str(getattr(rule, "value", rule)).lower()
        if rule_name == "absolute":
            total = weight
        elif rule_name == "downstream":
            total = weight + weight_of(descendants.get(task_id, 0))
        elif rule_name == "upstream":
            total = weight + weight_of(ancestors.get(task_id, 0))
        else:
            raise ValueError(f"task {task_id!r} has weight_rule {rule!r}; use one of {', '.join(WEIGHT_RULES)}")
        weights[task_id] = min(max(total, INT32_MIN), INT32_MAX)
    return weights


def _reachable(edges: Mapping[str, set[str]], bit: Mapping[str, int]) -> dict[str, int]:
    """For each node, the bitset of every node reachable through `edges` (not itself); the graph is acyclic."""
    memo: dict[str, int] = {}

    def visit(node: str) -> int:
        # Iterative post-order, so deep chains do not hit the recursion limit.
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if current in memo:
                continue
            children = edges.get(current, ())
            if expanded:
                found = 0
                for child in children:
                    found |= bit[child] | memo[child]
                memo[current] = found
            else:
                stack.append((current, True))
                stack.extend((child, False) for child in children if child not in memo)
        return memo[node]

    for node in list(edges):
        visit(node)
    return memo
