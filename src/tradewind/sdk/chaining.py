"""`chain`, `chain_linear` and `cross_downstream`: dependencies for sequences of tasks."""

from __future__ import annotations

from typing import Any

from tradewind.sdk.dependencies import DependencyMixin, iter_nodes


def chain(*elements: Any) -> None:
    """Link each element to the next; two adjacent lists are linked pairwise and must be the same length."""
    for up, down in zip(elements, elements[1:]):
        if isinstance(up, DependencyMixin) or isinstance(down, DependencyMixin):
            _link_any(up, down)
            continue
        ups, downs = list(up), list(down)
        if len(ups) != len(downs):
            raise ValueError(
                f"chain() cannot link lists of different lengths ({len(ups)} and {len(downs)}) pairwise: "
                "give adjacent lists the same length, or use chain_linear() to link every pair"
            )
        for a, b in zip(ups, downs):
            _link_any(a, b)


def chain_linear(*elements: Any) -> None:
    """Link every element of each item to every element of the next item."""
    if len(elements) < 2:
        raise ValueError("chain_linear() needs at least two elements to link")
    for up, down in zip(elements, elements[1:]):
        for a in iter_nodes(up):
            a.set_downstream(list(iter_nodes(down)))


def cross_downstream(from_tasks: Any, to_tasks: Any) -> None:
    """Make every task in `from_tasks` upstream of every task in `to_tasks`."""
    for task in iter_nodes(from_tasks):
        task.set_downstream(list(iter_nodes(to_tasks)))


def _link_any(up: Any, down: Any) -> None:
    if isinstance(up, DependencyMixin):
        up.set_downstream(down)
    else:
        for node in iter_nodes(up):
            node.set_downstream(down)
