"""The layered layout: layers by longest path, orderings that keep groups together, folded groups."""

from __future__ import annotations

from tradewind.web.graph_layout import NODE_W, layout_dag, visible_node_of

DIAMOND = [("a", [], None), ("b", ["a"], None), ("c", ["a"], None), ("d", ["b", "c"], None)]


def test_layers_follow_the_longest_path():
    layout = layout_dag(DIAMOND + [("e", ["a", "d"], None)], {})
    assert {n: node.layer for n, node in layout.nodes.items()} == {"a": 0, "b": 1, "c": 1, "d": 2, "e": 3}
    xs = [layout.nodes[n].x for n in "abde"]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_nodes_of_one_layer_do_not_overlap():
    layout = layout_dag([("root", [], None)] + [(f"t{i}", ["root"], None) for i in range(6)], {})
    boxes = sorted((n.y, n.y + n.h) for k, n in layout.nodes.items() if k != "root")
    assert all(top >= prev_bottom for (_, prev_bottom), (top, _) in zip(boxes, boxes[1:]))


def test_a_long_edge_is_routed_through_the_layers_it_crosses():
    layout = layout_dag(DIAMOND + [("e", ["a", "d"], None)], {})
    long_edge = next(e for e in layout.edges if (e.source, e.target) == ("a", "e"))
    assert len(long_edge.points) == 4
    assert long_edge.points[0][0] == layout.nodes["a"].x + NODE_W
    assert long_edge.points[-1][0] == layout.nodes["e"].x


def test_a_folded_group_is_one_node_with_its_members():
    tasks = [("start", [], None), ("g.a", ["start"], "g"), ("g.b", ["g.a"], "g"), ("end", ["g.b"], None)]
    folded = layout_dag(tasks, {"g": None})
    assert set(folded.nodes) == {"start", "g", "end"}
    assert folded.nodes["g"].kind == "group" and folded.nodes["g"].members == ["g.a", "g.b"]
    assert {(e.source, e.target) for e in folded.edges} == {("start", "g"), ("g", "end")}
    assert folded.groups == []


def test_an_expanded_group_gets_a_frame_around_its_members():
    tasks = [("start", [], None), ("g.a", ["start"], "g"), ("g.b", ["g.a"], "g"), ("end", ["g.b"], None)]
    layout = layout_dag(tasks, {"g": None}, expanded=["g"])
    frame = layout.groups[0]
    for member in ("g.a", "g.b"):
        node = layout.nodes[member]
        assert frame.x < node.x and node.x + node.w < frame.x + frame.w
        assert frame.y < node.y and node.y + node.h < frame.y + frame.h
    for outsider in ("start", "end"):
        node = layout.nodes[outsider]
        assert node.x + node.w <= frame.x or node.x >= frame.x + frame.w


def test_nested_groups_fold_at_the_outermost_closed_group():
    parents = {"outer": None, "outer.inner": "outer"}
    vis = visible_node_of({"outer.inner.t": "outer.inner", "outer.u": "outer"}, parents, expanded={"outer"})
    assert vis["outer.inner.t"] == ("outer.inner", ["outer"])
    assert vis["outer.u"] == ("outer.u", ["outer"])


def test_group_members_stay_next_to_each_other_in_a_layer():
    tasks = [("s", [], None), ("x", ["s"], None), ("g.a", ["s"], "g"), ("y", ["s"], None), ("g.b", ["s"], "g")]
    layout = layout_dag(tasks, {"g": None}, expanded=["g"])
    order = sorted(("x", "g.a", "y", "g.b"), key=lambda n: layout.nodes[n].y)
    positions = [order.index("g.a"), order.index("g.b")]
    assert abs(positions[0] - positions[1]) == 1


def test_a_cycle_made_by_folding_does_not_break_the_layout():
    tasks = [("g.a", [], "g"), ("x", ["g.a"], None), ("g.b", ["x"], "g")]
    layout = layout_dag(tasks, {"g": None})
    assert set(layout.nodes) == {"g", "x"}
