"""Edge annotations: `a >> Label("why") >> b` links a to b and labels the edge (no other effect)."""

from __future__ import annotations

from typing import Any

from tradewind.sdk.dependencies import DependencyMixin, iter_nodes, link_nodes


class EdgeModifier(DependencyMixin):
    """Sits between two sides of `>>`; links them and records `label` on each edge it creates."""

    is_edge_modifier = True

    def __init__(self, label: str | None = None) -> None:
        self.label = label
        self._upstream: list[Any] = []
        self._downstream: list[Any] = []

    @property
    def roots(self) -> list[Any]:
        return [task for node in self._downstream for task in node.roots]

    @property
    def leaves(self) -> list[Any]:
        return [task for node in self._upstream for task in node.leaves]

    def set_upstream(self, other: Any, edge_modifier: Any = None) -> None:
        for node in iter_nodes(other):
            self._upstream.append(node)
            for down in self._downstream:
                link_nodes(node, down, self)

    def set_downstream(self, other: Any, edge_modifier: Any = None) -> None:
        for node in iter_nodes(other):
            self._downstream.append(node)
            for up in self._upstream:
                link_nodes(up, node, self)

    def __repr__(self) -> str:
        return f"Label({self.label!r})"


def Label(label: str) -> EdgeModifier:  # noqa: N802 - Airflow's public name is a function
    """An edge label: `a >> Label("yes") >> b`."""
    return EdgeModifier(label)
