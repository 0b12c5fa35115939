"""Layered drawing of a DAG, left to right: longest-path layers, barycentre ordering, folded task groups.

Pure: it takes task ids, their upstream lists, the task-group tree and which groups are expanded, and
returns boxes and edge polylines in pixels. A folded group is one node; an expanded group is a frame
drawn around its members, which the ordering keeps next to each other in every layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

NODE_W, NODE_H = 190, 58
LAYER_GAP, ROW_GAP = 70, 22
GROUP_PAD, GROUP_HEADER = 14, 22
MARGIN = 24
SWEEPS = 6


@dataclass
class LayoutNode:
    """A box: a task, or a folded task group standing for all its tasks."""

    id: str
    kind: str                      # "task" | "group"
    x: float = 0.0
    y: float = 0.0
    w: float = NODE_W
    h: float = NODE_H
    layer: int = 0
    members: list[str] = field(default_factory=list)   # the tasks a folded group stands for


@dataclass
class LayoutEdge:
    """An edge between two visible nodes, as a polyline from the source's right to the target's left."""

    source: str
    target: str
    points: list[tuple[float, float]]


@dataclass
class GroupBox:
    """The frame of an expanded task group."""

    id: str
    x: float
    y: float
    w: float
    h: float
    depth: int


@dataclass
class Layout:
    """Everything needed to draw the graph."""

    width: float
    height: float
    nodes: dict[str, LayoutNode]
    edges: list[LayoutEdge]
    groups: list[GroupBox]


def _group_chain(group: str | None, parents: Mapping[str, str | None]) -> list[str]:
    chain: list[str] = []
    while group:
        chain.append(group)
        group = parents.get(group)
    return chain[::-1]          # outermost first


def visible_node_of(task_group: Mapping[str, str | None], parents: Mapping[str, str | None],
                    expanded: set[str]) -> dict[str, tuple[str, list[str]]]:
    """For each task: the visible node that stands for it, and the expanded groups around that node."""
    out: dict[str, tuple[str, list[str]]] = {}
    for task_id, group in task_group.items():
        open_chain: list[str] = []
        node = task_id
        for g in _group_chain(group, parents):
            if g not in expanded:
                node = g
                break
            open_chain.append(g)
        out[task_id] = (node, open_chain)
    return out


def _longest_path_layers(nodes: Sequence[str], succ: Mapping[str, list[str]], pred: Mapping[str, list[str]]) -> dict[str, int]:
    layer: dict[str, int] = {}
    state: dict[str, int] = {}   # 1 = on the stack, 2 = done; an edge back onto the stack is ignored

    def visit(start: str) -> None:
        stack = [(start, iter(pred.get(start, ())))]
        state[start] = 1
        while stack:
            node, parents = stack[-1]
            nxt = next((p for p in parents if state.get(p) != 1), None)
            if nxt is not None:
                if state.get(nxt) != 2:
                    state[nxt] = 1
                    stack.append((nxt, iter(pred.get(nxt, ()))))
                continue
            layer[node] = max((layer[p] + 1 for p in pred.get(node, ()) if state.get(p) == 2), default=0)
            state[node] = 2
            stack.pop()

    for n in nodes:
        if state.get(n) != 2:
            visit(n)
    return layer


def _order_layers(layers: list[list[str]], pred: Mapping[str, list[str]], succ: Mapping[str, list[str]],
                  chains: Mapping[str, list[str]]) -> None:
    pos = {n: i for layer in layers for i, n in enumerate(layer)}

    def reorder(layer: list[str], neighbours: Mapping[str, list[str]]) -> None:
        bary = {}
        for n in layer:
            around = [pos[m] for m in neighbours.get(n, ()) if m in pos]
            bary[n] = sum(around) / len(around) if around else pos[n]
        group_means: dict[tuple[str, ...], float] = {}
        for n in layer:
            chain = chains.get(n, [])
            for depth in range(1, len(chain) + 1):
                group_means.setdefault(tuple(chain[:depth]), 0.0)
        for key in group_means:
            members = [bary[n] for n in layer if tuple(chains.get(n, [])[:len(key)]) == key]
            group_means[key] = sum(members) / len(members)

        def sort_key(n: str) -> list[float]:
            chain = chains.get(n, [])
            return [group_means[tuple(chain[:d])] for d in range(1, len(chain) + 1)] + [bary[n]]

        layer.sort(key=sort_key)
        for i, n in enumerate(layer):
            pos[n] = i

    for sweep in range(SWEEPS):
        ordered = layers[1:] if sweep % 2 == 0 else layers[-2::-1]
        for layer in ordered:
            reorder(layer, pred if sweep % 2 == 0 else succ)


def layout_dag(tasks: Sequence[tuple[str, Sequence[str], str | None]], group_parents: Mapping[str, str | None],
               expanded: Iterable[str] = ()) -> Layout:
    """Lay out tasks given as (task_id, upstream ids, task group or None); groups not in `expanded` are folded."""
    expanded_set = set(expanded)
    vis = visible_node_of({t: g for t, _, g in tasks}, group_parents, expanded_set)
    nodes: dict[str, LayoutNode] = {}
    chains: dict[str, list[str]] = {}
    for task_id, _, _ in tasks:
        node_id, chain = vis[task_id]
        node = nodes.setdefault(node_id, LayoutNode(node_id, "task" if node_id == task_id else "group"))
        node.members.append(task_id)
        chains[node_id] = chain
    edges = _visible_edges(tasks, vis)
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    pred: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        succ[a].append(b)
        pred[b].append(a)
    layer_of = _longest_path_layers(list(nodes), succ, pred)
    layers, routes = _with_dummies(nodes, edges, layer_of, chains, succ, pred)
    _order_layers(layers, pred, succ, chains)
    return _place(nodes, layers, routes, chains, group_parents)


def _visible_edges(tasks: Sequence[tuple[str, Sequence[str], str | None]],
                   vis: Mapping[str, tuple[str, list[str]]]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for task_id, upstream, _ in tasks:
        for up in upstream:
            a, b = vis[up][0], vis[task_id][0]
            if a != b:
                seen[(a, b)] = None
    return list(seen)


def _with_dummies(nodes: dict[str, LayoutNode], edges: list[tuple[str, str]], layer_of: dict[str, int],
                  chains: dict[str, list[str]], succ: dict[str, list[str]], pred: dict[str, list[str]]):
    """Layers of node ids, with a dummy node wherever an edge crosses a layer, and each edge's route."""
    for n, node in nodes.items():
        node.layer = layer_of[n]
    depth = max(layer_of.values(), default=-1) + 1
    layers: list[list[str]] = [[] for _ in range(depth)]
    for n in sorted(nodes, key=lambda n: list(nodes).index(n)):
        layers[layer_of[n]].append(n)
    routes: list[tuple[str, str, list[str]]] = []
    for a, b in edges:
        la, lb = layer_of[a], layer_of[b]
        path = [a]
        if lb > la + 1:
            prev = a
            for layer in range(la + 1, lb):
                dummy = f"\0{a}\0{b}\0{layer}"
                layers[layer].append(dummy)
                # A dummy sits in the groups both ends share, so it does not split a group's frame.
                chains[dummy] = [g for g, h in zip(chains.get(a, []), chains.get(b, [])) if g == h]
                succ.setdefault(prev, []).append(dummy)
                pred.setdefault(dummy, []).append(prev)
                path.append(dummy)
                prev = dummy
            succ.setdefault(prev, []).append(b)
            pred.setdefault(b, []).append(prev)
        path.append(b)
        routes.append((a, b, path))
    return layers, routes


def _place(nodes: dict[str, LayoutNode], layers: list[list[str]], routes: list[tuple[str, str, list[str]]],
           chains: Mapping[str, list[str]], parents: Mapping[str, str | None]) -> Layout:
    max_depth = max((len(c) for c in chains.values()), default=0)
    inset = max_depth * GROUP_PAD
    centers: dict[str, tuple[float, float]] = {}
    width = height = 0.0
    for index, layer in enumerate(layers):
        x = MARGIN + inset + index * (NODE_W + LAYER_GAP + 2 * inset)
        y = MARGIN + inset + max_depth * GROUP_HEADER
        previous_chain: list[str] = []
        for n in layer:
            chain = chains.get(n, [])
            common = next((i for i, (a, b) in enumerate(zip(previous_chain, chain)) if a != b), min(len(previous_chain), len(chain)))
            # Room for the frames that close above and open below this point.
            y += (len(previous_chain) - common + len(chain) - common) * GROUP_PAD + (len(chain) - common) * GROUP_HEADER
            h = NODE_H if n in nodes else 0
            centers[n] = (x, y + h / 2)
            if n in nodes:
                nodes[n].x, nodes[n].y = x, y
            y += h + (ROW_GAP if n in nodes else ROW_GAP / 2)
            previous_chain = chain
        height = max(height, y + len(previous_chain) * GROUP_PAD)
        width = max(width, x + NODE_W)
    _center_layers(layers, nodes, centers, height)
    groups = _group_boxes(nodes, chains, parents)
    edges = [LayoutEdge(a, b, [(centers[p][0] + (NODE_W if i == 0 else NODE_W / 2 if p not in nodes else 0), centers[p][1])
                              if i < len(path) - 1 else (centers[p][0], centers[p][1])
                              for i, p in enumerate(path)]) for a, b, path in routes]
    for g in groups:
        width, height = max(width, g.x + g.w), max(height, g.y + g.h)
    return Layout(width + MARGIN + inset, height + MARGIN, nodes, edges, groups)


def _center_layers(layers: list[list[str]], nodes: dict[str, LayoutNode], centers: dict[str, tuple[float, float]],
                   height: float) -> None:
    for layer in layers:
        if not layer:
            continue
        bottom = max(centers[n][1] + (NODE_H / 2 if n in nodes else 0) for n in layer)
        shift = (height - bottom - MARGIN / 2) / 2
        for n in layer:
            cx, cy = centers[n]
            centers[n] = (cx, cy + shift)
            if n in nodes:
                nodes[n].y += shift


def _group_boxes(nodes: dict[str, LayoutNode], chains: Mapping[str, list[str]],
                 parents: Mapping[str, str | None]) -> list[GroupBox]:
    boxes: dict[str, list[float]] = {}
    for n, node in nodes.items():
        for depth, g in enumerate(chains.get(n, [])):
            pad = (len(chains[n]) - depth) * GROUP_PAD
            head = (len(chains[n]) - depth) * GROUP_HEADER
            x0, y0, x1, y1 = node.x - pad, node.y - pad - head, node.x + node.w + pad, node.y + node.h + pad
            box = boxes.setdefault(g, [x0, y0, x1, y1])
            box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    return [GroupBox(g, b[0], b[1], b[2] - b[0], b[3] - b[1], len(_group_chain(g, parents)) - 1)
            for g, b in sorted(boxes.items(), key=lambda kv: len(_group_chain(kv[0], parents)))]
