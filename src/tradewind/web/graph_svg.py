"""The Graph view's SVG: boxes coloured by state, folded groups as clickable boxes, curved edges."""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from markupsafe import escape

from tradewind.store.serialized_dag import SerializedDag
from tradewind.web.graph_layout import Layout, layout_dag
from tradewind.web.states import state_color

# Which member state a folded group shows: the first one present in this order.
GROUP_STATE_PRIORITY = ("failed", "upstream_failed", "up_for_retry", "up_for_reschedule", "running", "restarting",
                        "deferred", "queued", "scheduled", "none", "removed", "skipped", "success")


MAX_LABEL = 24


def group_state(states: Iterable[str | None]) -> str | None:
    """The state a folded group shows for its members' states."""
    present = {s or "none" for s in states}
    if not present:
        return None
    if present <= {"success", "skipped"}:
        return "success" if "success" in present else "skipped"
    return next((s for s in GROUP_STATE_PRIORITY if s in present), "none")


def operator_label(operator: str) -> str:
    """How a node names its operator: TaskFlow tasks read as Airflow shows them (@task, @task.branch...)."""
    if operator.startswith("_") and operator.endswith("DecoratedOperator"):
        kind = re.sub(r"(?<!^)(?=[A-Z])", "_", operator[1:-len("DecoratedOperator")].replace("Python", "")).lower()
        return "@task" + (f".{kind}" if kind else "")
    return operator


def dag_layout(dag: SerializedDag, expanded: Iterable[str]) -> Layout:
    """The layout of a serialized DAG with the given groups expanded."""
    groups = dag.data.get("task_groups") or {}
    parents = {g: (spec.get("parent") or None) for g, spec in groups.items() if g}
    tasks = [(t.task_id, t.upstream, t.get("task_group") or None) for t in dag]
    return layout_dag(tasks, parents, expanded=[g for g in expanded if g in parents])


def _label(node_id: str, parent: str | None) -> str:
    return node_id[len(parent) + 1:] if parent and node_id.startswith(parent + ".") else node_id


def _edge_path(points: list[tuple[float, float]]) -> str:
    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        mid = (x0 + x1) / 2
        d.append(f"C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
    return " ".join(d)


def render_graph_svg(dag: SerializedDag, layout: Layout, states: Mapping[str, str | None]) -> str:
    """The SVG document of a laid-out DAG, each node carrying data-task-id / data-group-id and its state."""
    groups = dag.data.get("task_groups") or {}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="dag-graph" width="{layout.width:.0f}" '
             f'height="{layout.height:.0f}" viewBox="0 0 {layout.width:.0f} {layout.height:.0f}">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>']
    for box in layout.groups:
        tooltip = escape((groups.get(box.id) or {}).get("tooltip") or "")
        parts.append(f'<g class="group-frame" data-group-id="{escape(box.id)}"><title>{tooltip or escape(box.id)}</title>'
                     f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="8"/>'
                     f'<text x="{box.x + 10:.1f}" y="{box.y + 16:.1f}" class="group-title">&#9662; {escape(box.id)}</text></g>')
    for edge in layout.edges:
        parts.append(f'<path class="edge" data-source="{escape(edge.source)}" data-target="{escape(edge.target)}" '
                     f'd="{_edge_path(edge.points)}" marker-end="url(#arrow)"/>')
    for node in layout.nodes.values():
        parts.append(_node_svg(dag, node, states, groups))
    parts.append("</svg>")
    return "".join(parts)


def _node_svg(dag: SerializedDag, node, states: Mapping[str, str | None], groups: Mapping[str, dict]) -> str:
    if node.kind == "group":
        state = group_state(states.get(m) for m in node.members)
        parent = (groups.get(node.id) or {}).get("parent") or None
        attrs = f'class="node group-node" data-group-id="{escape(node.id)}" data-members="{escape(",".join(node.members))}"'
        subtitle = f"{len(node.members)} tasks &#9656;"
        fill = (groups.get(node.id) or {}).get("ui_color") or "#dbe9ff"
    else:
        task = dag.tasks[node.id]
        state = states.get(node.id)
        parent = task.get("task_group") or None
        attrs = f'class="node task-node" data-task-id="{escape(node.id)}"'
        subtitle = escape(operator_label(task.operator) + (" [ ]" if task.is_mapped else ""))
        fill = task.get("ui_color") or "#ffffff"
    short = _label(node.id, parent)
    label = escape(short if len(short) <= MAX_LABEL else short[:MAX_LABEL - 1] + "…")
    shown = state or "none"
    return (f'<g {attrs} data-state="{shown}" transform="translate({node.x:.1f},{node.y:.1f})">'
            f'<title>{escape(node.id)}: {shown}</title>'
            f'<rect class="node-box" width="{node.w}" height="{node.h}" rx="6" style="--fill:{escape(fill)};--st:{state_color(state)}"/>'
            f'<text x="10" y="19" class="node-label">{label}</text>'
            f'<rect class="node-dot" x="10" y="28" width="9" height="9" rx="2" style="--st:{state_color(state)}"/>'
            f'<text x="24" y="36" class="node-state">{"no status" if shown == "none" else shown}</text>'
            f'<text x="10" y="51" class="node-op">{subtitle}</text></g>')
