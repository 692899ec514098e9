"""Tidy tree layout of one track: x, y arrays for drawing.

The algorithm is Walker's tidy tree in the linear-time form of Buchheim,
Jünger and Leipert (2002): parents are centred over their first and last
child, neighbouring nodes on a level are at least one unit apart, and
subtrees never overlap. Everything here works on the *structure* only
(children lists and the collapsed set), so a plan whose numbers are invalid
still lays out.

The classic formulation is recursive. Here it is iterative: nodes are
numbered breadth-first, so the children of a node are one contiguous run of
indices, and the "first walk" runs over the nodes in reverse breadth-first
order (every subtree is finished before its parent). That ordering is valid
because the work done for one parent only touches nodes inside that
parent's subtree; the second walk (accumulating modifiers) runs forward in
breadth-first order. A 100,000-deep chain therefore needs no deep stack.

Coordinates use the screen convention: ``y`` grows downwards. In the ``"lr"``
orientation depth runs along ``x`` (root on the left, first child on top);
in ``"tb"`` depth runs along ``y`` (root on top, first child on the left).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planning.model.plan import Plan

ORIENTATIONS: tuple[str, ...] = ("lr", "tb")


@dataclass
class TreeLayout:
    """Positions of the visible nodes of one track, breadth-first.

    Attributes
    ----------
    ids : list of str
        Visible node ids in breadth-first order (children of a collapsed
        node are left out).
    index : dict
        Node id -> position in ``ids``.
    x, y : numpy.ndarray of float
        Node positions in layout units (``y`` grows downwards).
    parent : numpy.ndarray of int
        Index of the parent, -1 for the root.
    depth : numpy.ndarray of int
        Depth below the root (root = 0).
    child_start, child_count : numpy.ndarray of int
        The visible children of node ``i`` are
        ``child_start[i] : child_start[i] + child_count[i]`` (contiguous
        because of the breadth-first numbering).
    hidden_children : numpy.ndarray of bool
        The node is collapsed and has children that are not shown.
    orientation : str
        ``"lr"`` or ``"tb"``.
    """

    ids: list[str]
    index: dict[str, int]
    x: np.ndarray
    y: np.ndarray
    parent: np.ndarray
    depth: np.ndarray
    child_start: np.ndarray
    child_count: np.ndarray
    hidden_children: np.ndarray
    orientation: str = "lr"
    breadth: np.ndarray = field(default=None, repr=False)
    #: After ``relayout``: each node's position in the previous layout, -1
    #: for a node that was not in it (lets views carry their arrays over).
    source: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the node positions (zeros when empty)."""
        if not self.ids:
            return (0.0, 0.0, 0.0, 0.0)
        return (float(self.x.min()), float(self.y.min()), float(self.x.max()), float(self.y.max()))


def _visible_structure(plan: Plan, root_id: str, collapsed) -> tuple:
    """Breadth-first numbering of the visible tree.

    Missing child ids are skipped; a node met twice (a cycle or a shared
    child in a broken file) is placed once, at its first occurrence.
    """
    nodes = plan.nodes
    ids: list[str] = []
    parent: list[int] = []
    depth: list[int] = []
    child_start: list[int] = []
    child_count: list[int] = []
    hidden: list[bool] = []
    if root_id not in nodes:
        return ids, parent, depth, child_start, child_count, hidden
    seen = {root_id}
    ids.append(root_id)
    parent.append(-1)
    depth.append(0)
    # Bound methods in locals: this loop runs once per node on every re-layout.
    add_id, add_parent, add_depth, add_seen = ids.append, parent.append, depth.append, seen.add
    add_start, add_count, add_hidden = child_start.append, child_count.append, hidden.append
    i = 0
    while i < len(ids):
        node_id = ids[i]
        children = nodes[node_id].children
        add_start(len(ids))
        if not children:
            add_count(0)
            add_hidden(False)
        elif node_id in collapsed and any(c in nodes for c in children):
            add_count(0)
            add_hidden(True)
        else:
            before = len(ids)
            below = depth[i] + 1
            for child in children:
                if child in seen or child not in nodes:
                    continue
                add_seen(child)
                add_id(child)
                add_parent(i)
                add_depth(below)
            add_count(len(ids) - before)
            add_hidden(False)
        i += 1
    return ids, parent, depth, child_start, child_count, hidden


def _tidy_breadth(parent: list[int], child_start: list[int], child_count: list[int],
                  depth: list[int] | None = None) -> np.ndarray:
    """Breadth coordinate of each node (Buchheim–Jünger–Leipert, unit distance).

    Indices are breadth-first. Returns positions with the minimum at 0.
    """
    n = len(parent)
    if n == 0:
        return np.zeros(0)
    prelim = [0.0] * n
    mod = [0.0] * n
    shift = [0.0] * n
    change = [0.0] * n
    ancestor = list(range(n))
    midpoint = [0.0] * n
    distance = 1.0
    # next_left(v) / next_right(v) of the paper as two tables: the first and
    # last child of v, or its thread (-1 for none). Threads are only ever set
    # on nodes without children, where both directions follow the thread.
    left_of = [child_start[v] if child_count[v] else -1 for v in range(n)]
    right_of = [child_start[v] + child_count[v] - 1 if child_count[v] else -1 for v in range(n)]

    # Parents whose children are all leaves (most parents near the bottom of a
    # bushy tree): no contour to walk, no thread, no shift; the children sit
    # one unit apart. Same float operations as the general loop, without it.
    counts = np.asarray(child_count, dtype=np.int64)
    has_kids = np.flatnonzero(counts)
    starts = np.asarray(child_start, dtype=np.int64)[has_kids]
    grand = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=grand[1:])  # children counts summed over index ranges
    # a parent's children are starts .. starts + counts - 1: sum their own counts
    leafy = (grand[starts + counts[has_kids]] - grand[starts]) == 0
    all_leaves = dict.fromkeys(has_kids[leafy].tolist())

    for v in [v for v in range(n - 1, -1, -1) if child_count[v]]:
        first = child_start[v]
        last = first + child_count[v] - 1
        if v in all_leaves:
            p = prelim[first] = midpoint[first]
            for w in range(first + 1, last + 1):
                p = prelim[w] = p + distance
            midpoint[v] = (prelim[first] + p) / 2.0
            continue
        default_ancestor = first
        prelim[first] = midpoint[first]
        for w in range(first + 1, last + 1):
            # The sibling-dependent half of Walker's first walk for w.
            prelim[w] = prelim[w - 1] + distance
            if child_count[w]:
                mod[w] = prelim[w] - midpoint[w]
            # apportion(w): push w's subtree right until it clears the
            # subtrees of its left siblings, level by level along the contours.
            vip = vop = w
            vim = w - 1
            vom = first
            sip = mod[vip]
            sop = mod[vop]
            sim = mod[vim]
            som = mod[vom]
            right = right_of[vim]
            left = left_of[vip]
            while right >= 0 and left >= 0:
                vim = right
                vip = left
                vom = left_of[vom]
                vop = right_of[vop]
                ancestor[vop] = w
                gap = (prelim[vim] + sim) - (prelim[vip] + sip) + distance
                if gap > 0:
                    wm = ancestor[vim]
                    if parent[wm] != v:
                        wm = default_ancestor
                    # move_subtree(wm, w, gap): spread the shift over the
                    # siblings in between (applied in execute_shifts).
                    subtrees = w - wm
                    change[w] -= gap / subtrees
                    shift[w] += gap
                    change[wm] += gap / subtrees
                    prelim[w] += gap
                    mod[w] += gap
                    sip += gap
                    sop += gap
                sim += mod[vim]
                sip += mod[vip]
                som += mod[vom]
                sop += mod[vop]
                right = right_of[vim]
                left = left_of[vip]
            if right >= 0 and right_of[vop] < 0:
                left_of[vop] = right_of[vop] = right  # thread(vop) = right
                mod[vop] += sim - sop
            if left >= 0 and left_of[vom] < 0:
                left_of[vom] = right_of[vom] = left  # thread(vom) = left
                mod[vom] += sip - som
                default_ancestor = w
        # execute_shifts(v)
        total_shift = 0.0
        total_change = 0.0
        for w in range(last, first - 1, -1):
            prelim[w] += total_shift
            mod[w] += total_shift
            total_change += change[w]
            total_shift += shift[w] + total_change
        midpoint[v] = (prelim[first] + prelim[last]) / 2.0
    prelim[0] = midpoint[0]

    # Second walk: position = prelim + sum of the modifiers of the ancestors,
    # one numpy step per level (breadth-first: a level is a contiguous run).
    parent_arr = np.asarray(parent, dtype=np.int64)
    mod_arr = np.asarray(mod, dtype=float)
    mod_sum = np.zeros(n)
    if depth is None:
        depth_arr = np.zeros(n, dtype=np.int64)
        for i in range(1, n):
            depth_arr[i] = depth_arr[parent[i]] + 1
    else:
        depth_arr = np.asarray(depth, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(depth_arr)) + 1
    for a, b in zip(bounds.tolist(), bounds[1:].tolist() + [n]):
        up = parent_arr[a:b]
        mod_sum[a:b] = mod_sum[up] + mod_arr[up]
    breadth = np.asarray(prelim, dtype=float) + mod_sum
    return breadth - breadth.min()


def layout_track(
    plan: Plan,
    root_id: str,
    collapsed=frozenset(),
    orientation: str = "lr",
    sibling_distance: float = 1.0,
    level_distance: float = 1.0,
) -> TreeLayout:
    """Lay out the tree under ``root_id`` as a tidy tree.

    Parameters
    ----------
    plan : Plan
        The plan; only ``children`` lists are read.
    root_id : str
        Root of the tree to lay out (a track root or any node).
    collapsed : set of str
        Ids of collapsed nodes: their descendants are left out and
        ``hidden_children`` is set for them.
    orientation : {"lr", "tb"}
        ``"lr"``: depth along x, siblings top to bottom; ``"tb"``: depth
        along y (downwards), siblings left to right.
    sibling_distance : float
        Minimum distance between neighbouring nodes on one level.
    level_distance : float
        Distance between consecutive levels.

    Returns
    -------
    TreeLayout
        Empty (no ids) when ``root_id`` is not in the plan.
    """
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {ORIENTATIONS}, not {orientation!r}")
    ids, parent, depth, child_start, child_count, hidden = _visible_structure(
        plan, root_id, collapsed
    )
    return _finish(ids, parent, depth, child_start, child_count, hidden, orientation,
                   sibling_distance, level_distance)


def _finish(ids, parent, depth, child_start, child_count, hidden, orientation: str,
            sibling_distance: float, level_distance: float) -> TreeLayout:
    """The tidy pass and the coordinates over a breadth-first visible structure."""
    as_list = lambda a: a.tolist() if isinstance(a, np.ndarray) else a  # noqa: E731
    breadth = _tidy_breadth(as_list(parent), as_list(child_start), as_list(child_count), depth)
    depth_arr = np.asarray(depth, dtype=np.int64)
    along = depth_arr.astype(float) * level_distance
    across = breadth * sibling_distance
    if orientation == "lr":
        x, y = along, across
    else:
        x, y = across, along
    return TreeLayout(
        ids=ids,
        index=dict(zip(ids, range(len(ids)))),
        x=np.ascontiguousarray(x, dtype=float),
        y=np.ascontiguousarray(y, dtype=float),
        parent=np.asarray(parent, dtype=np.int64),
        depth=depth_arr,
        child_start=np.asarray(child_start, dtype=np.int64),
        child_count=np.asarray(child_count, dtype=np.int64),
        hidden_children=np.asarray(hidden, dtype=bool),
        orientation=orientation,
        breadth=breadth,
    )


def relayout(old: TreeLayout, plan: Plan, node_ids, collapsed=frozenset(),
             sibling_distance: float = 1.0, level_distance: float = 1.0) -> TreeLayout | None:
    """``layout_track`` after a structural edit, re-numbering from ``old``.

    ``old`` is the layout of the same track just before the edit (same
    orientation, spacing and collapsed set); ``node_ids`` names the nodes
    whose children the edit changed and the nodes it added (a ``Change``'s
    ``node_ids``). The visible tree is re-numbered with numpy from the old
    child ranges plus the touched nodes' children
    (:func:`planning.engine.splice.breadth_first_splice`) instead of walking
    every node's children list; the tidy pass then runs on it. Returns None
    when that cannot reproduce ``layout_track`` (a missing or repeated child,
    a very deep tree): lay the track out from scratch then.
    """
    from planning.engine.splice import breadth_first_splice, touched_children

    if not old.ids or old.ids[0] not in plan.nodes:
        return None
    touched = touched_children(plan.nodes, old.ids, old.index, node_ids, collapsed)
    if touched is None:
        return None  # a missing child: layout_track skips it, not worth a second rule here
    ext_ids, _, custom, hidden_of = touched
    found = breadth_first_splice(old.child_start, old.child_count, custom, len(ext_ids))
    if found is None:
        return None
    src, parent, level_start = found
    n = len(src)
    count_ext = np.zeros(len(ext_ids), dtype=np.int64)
    count_ext[:len(old.ids)] = old.child_count
    hidden_ext = np.zeros(len(ext_ids), dtype=bool)
    hidden_ext[:len(old.ids)] = old.hidden_children
    for e, kids in custom.items():
        count_ext[e] = len(kids)
        hidden_ext[e] = hidden_of[e]
    child_count = count_ext[src]
    child_start = np.zeros(n, dtype=np.int64)
    if n > 1:
        child_start[1:] = 1 + np.cumsum(child_count)[:-1]
    child_start[0] = 1
    depth = np.repeat(np.arange(len(level_start) - 1, dtype=np.int64), np.diff(level_start))
    ids = [ext_ids[e] for e in src.tolist()]
    layout = _finish(ids, parent, depth, child_start, child_count, hidden_ext[src], old.orientation,
                     sibling_distance, level_distance)
    layout.source = np.where(src < len(old.ids), src, -1)
    return layout
