"""Tidy tree layout: spacing, centring, determinism, deep chains, collapse."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.engine.layout import layout_track
from planning.model.plan import CHANCE, DECISION, Node, Plan, Track


def plan_from_parents(parents: list[int]) -> Plan:
    """Node i+1 is a child of node parents[i] (which is < i+1); children in index order."""
    nodes = {"n0": Node("n0", DECISION)}
    for i, p in enumerate(parents, start=1):
        nodes[f"n{i}"] = Node(f"n{i}")
        nodes[f"n{p}"].children.append(f"n{i}")
        nodes[f"n{p}"].kind = CHANCE
    return Plan(tracks=[Track("t", "T", "n0")], nodes=nodes)


@st.composite
def parent_lists(draw, max_nodes: int = 60):
    n = draw(st.integers(0, max_nodes))
    # A window on the candidate parents gives deep, narrow trees as well as bushy ones.
    window = draw(st.sampled_from([1, 2, 3, 8, 10_000]))
    return [draw(st.integers(max(0, i - window), i)) for i in range(n)]


def children_of(layout, i: int) -> range:
    start = int(layout.child_start[i])
    return range(start, start + int(layout.child_count[i]))


@settings(max_examples=150, deadline=None)
@given(parent_lists(), st.sampled_from(["lr", "tb"]))
def test_nodes_on_one_level_are_at_least_one_unit_apart(parents, orientation):
    layout = layout_track(plan_from_parents(parents), "n0", orientation=orientation)
    assert len(layout.ids) == len(parents) + 1
    across = layout.y if orientation == "lr" else layout.x
    along = layout.x if orientation == "lr" else layout.y
    assert np.array_equal(along, layout.depth.astype(float))
    for level in range(int(layout.depth.max()) + 1):
        positions = np.sort(across[layout.depth == level])
        assert np.all(np.diff(positions) >= 1 - 1e-9), (level, positions)


@settings(max_examples=150, deadline=None)
@given(parent_lists())
def test_parents_centred_over_children_and_children_in_order(parents):
    layout = layout_track(plan_from_parents(parents), "n0")
    for i in range(len(layout.ids)):
        kids = children_of(layout, i)
        if not kids:
            continue
        first, last = kids[0], kids[-1]
        assert abs(layout.y[i] - (layout.y[first] + layout.y[last]) / 2) < 1e-9
        assert np.all(np.diff(layout.y[list(kids)]) >= 1 - 1e-9)  # siblings keep their order
        assert all(layout.parent[k] == i for k in kids)


@settings(max_examples=60, deadline=None)
@given(parent_lists())
def test_subtrees_do_not_interleave(parents):
    # The span of each subtree on a level never contains a node of a sibling subtree.
    layout = layout_track(plan_from_parents(parents), "n0")
    n = len(layout.ids)
    top = np.arange(n)  # the child of the root each node descends from
    for i in range(1, n):
        p = layout.parent[i]
        top[i] = i if p == 0 else top[p]
    for level in range(1, int(layout.depth.max()) + 1):
        on_level = np.flatnonzero(layout.depth == level)
        order = on_level[np.argsort(layout.y[on_level])]
        owners = top[order]
        # each owner appears as one contiguous run, in sibling order
        runs = [owners[0]] + [b for a, b in zip(owners, owners[1:]) if a != b]
        assert runs == sorted(set(runs))


def test_known_positions():
    # root -> a(a1, a2, a3), b: the leaf b sits one unit below a, the root halfway.
    plan = Plan(tracks=[Track("t", root="r")], nodes={
        "r": Node("r", DECISION, children=["a", "b"]),
        "a": Node("a", CHANCE, children=["a1", "a2", "a3"]),
        "b": Node("b"), "a1": Node("a1"), "a2": Node("a2"), "a3": Node("a3"),
    })
    layout = layout_track(plan, "r", sibling_distance=2.0, level_distance=3.0)
    pos = {i: (layout.x[k], layout.y[k]) for i, k in layout.index.items()}
    assert pos["a1"] == (6.0, 0.0) and pos["a2"] == (6.0, 2.0) and pos["a3"] == (6.0, 4.0)
    assert pos["a"] == (3.0, 2.0)
    assert pos["b"] == (3.0, 4.0)
    assert pos["r"] == (0.0, 3.0)
    assert layout.ids == ["r", "a", "b", "a1", "a2", "a3"]  # breadth-first


def test_small_subtrees_between_big_ones_are_spread_evenly():
    # Walker's classic case: two deep subtrees with two leaves between them.
    # The leaves must be spaced evenly in the gap, not bunched to the left.
    nodes = {"r": Node("r", DECISION, children=["a", "x", "y", "b"])}
    for side in ("a", "b"):
        nodes[side] = Node(side, CHANCE, children=[f"{side}1", f"{side}2"])
        for k in (1, 2):
            nodes[f"{side}{k}"] = Node(f"{side}{k}", CHANCE, children=[f"{side}{k}a", f"{side}{k}b"])
            nodes[f"{side}{k}a"] = Node(f"{side}{k}a")
            nodes[f"{side}{k}b"] = Node(f"{side}{k}b")
    nodes["x"], nodes["y"] = Node("x"), Node("y")
    plan = Plan(tracks=[Track("t", root="r")], nodes=nodes)
    layout = layout_track(plan, "r")
    y = {i: layout.y[k] for i, k in layout.index.items()}
    gaps = [y["x"] - y["a"], y["y"] - y["x"], y["b"] - y["y"]]
    assert np.allclose(gaps, gaps[0]) and gaps[0] > 1


def test_deterministic():
    parents = [0, 0, 1, 1, 1, 2, 5, 5, 3, 0, 9, 9, 9, 12]
    a = layout_track(plan_from_parents(parents), "n0")
    b = layout_track(plan_from_parents(parents), "n0")
    assert a.ids == b.ids
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)


def test_hundred_thousand_deep_chain():
    n = 100_000
    nodes = {f"c{i}": Node(f"c{i}", CHANCE, children=[f"c{i + 1}"]) for i in range(n - 1)}
    nodes[f"c{n - 1}"] = Node(f"c{n - 1}")
    layout = layout_track(Plan(tracks=[Track("t", root="c0")], nodes=nodes), "c0")
    assert len(layout.ids) == n
    assert layout.depth[-1] == n - 1
    assert np.array_equal(layout.x, np.arange(n, dtype=float))
    assert np.all(layout.y == 0)


def test_collapse_hides_descendants():
    parents = [0, 0, 1, 1, 3, 3, 2]
    plan = plan_from_parents(parents)
    full = layout_track(plan, "n0")
    folded = layout_track(plan, "n0", collapsed={"n1", "n7"})  # n7 is a leaf: nothing to hide
    assert set(full.ids) - set(folded.ids) == {"n3", "n4", "n5", "n6"}
    i = folded.index["n1"]
    assert folded.hidden_children[i] and folded.child_count[i] == 0
    assert not folded.hidden_children[folded.index["n7"]]
    assert folded.hidden_children.sum() == 1


def test_top_to_bottom_swaps_axes():
    plan = plan_from_parents([0, 0, 1, 1, 2])
    lr = layout_track(plan, "n0", orientation="lr")
    tb = layout_track(plan, "n0", orientation="tb")
    assert np.array_equal(lr.x, tb.y) and np.array_equal(lr.y, tb.x)


def test_structure_only_and_broken_references():
    # Numbers that do not parse, a missing child, a shared child and a cycle.
    plan = Plan(tracks=[Track("t", root="r")], nodes={
        "r": Node("r", CHANCE, children=["a", "ghost", "b"]),
        "a": Node("a", probability="this is not an expression", children=["s"]),
        "b": Node("b", probability=7, children=["s", "r"]),
        "s": Node("s"),
    })
    layout = layout_track(plan, "r")
    assert sorted(layout.ids) == ["a", "b", "r", "s"]
    assert layout.parent[layout.index["s"]] == layout.index["a"]
    assert layout_track(plan, "missing").ids == []
