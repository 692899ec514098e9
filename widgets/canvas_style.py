"""What each visible node of the tree canvas looks like, as numpy arrays.

Pure computation on the plan, the layout and the last evaluation (no Qt):
node kinds, edge styles (path colour and policy weight), readiness badges,
edge geometry, and the text of a node's label. The canvas turns these arrays
into a handful of pyqtgraph items.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planning.engine.layout import TreeLayout
from planning.engine.readiness import badge as readiness_badge
from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan

#: Node kind codes used in the arrays.
KIND_CODES: dict[str, int] = {DECISION: 0, CHANCE: 1, TERMINAL: 2}

#: Edge styles: index 0 is a decision's option (not a branch), then branch paths.
EDGE_STYLES: tuple[str, ...] = ("option", "neutral", "success", "failure")
_EDGE_CODES = {name: i for i, name in enumerate(EDGE_STYLES)}

#: Readiness badge names, in code order (-1 = not a branch).
BADGES: tuple[str, ...] = ("none", "late", "partial", "ready")

#: Fraction of the level distance where an edge turns from its diagonal into
#: the straight run that carries the label.
KNEE = 0.25

#: Layout spacing per orientation: (sibling distance, level distance) in view units.
SPACING = {"lr": (1.25, 4.5), "tb": (1.0, 1.3)}
#: Node marker and selection ring sizes in pixels.
NODE_SIZE = 14
SELECTED_SIZE = 25  # a ring around the node: readable on any fill
#: How far ("lr") a label that runs past its node is lifted: clear of the marker.
LABEL_LIFT = NODE_SIZE / 2 + 2


def branch_badge(node: Node) -> str:
    """Readiness badge of a branch: the core's rule (:func:`planning.engine.readiness.badge`)."""
    return readiness_badge(node)


@dataclass
class NodeStyle:
    """Per visible node (aligned with ``TreeLayout.ids``) drawing data."""

    kind: np.ndarray          # int8 KIND_CODES (unknown kinds drawn as terminals)
    edge_style: np.ndarray    # int8 index into EDGE_STYLES for the edge into the node, -1 root
    bold: np.ndarray          # bool: the edge into the node is on the best policy
    badge: np.ndarray         # int8 index into BADGES, -1 when not a branch
    result_pos: np.ndarray    # int64 position in result.ids, -1 when not evaluated
    ev: np.ndarray            # float, NaN when not evaluated
    probability: np.ndarray   # float, NaN when not a branch or not evaluated
    on_policy: np.ndarray     # bool
    ev2: np.ndarray | None = None  # float: the second criterion (two criteria), else None


@dataclass
class BaseStyle:
    """What depends on the plan's nodes and the layout only (not on numbers).

    Kept by the canvas between evaluations and patched in place for the
    nodes an edit touched, so that a new evaluation or a field edit never
    walks every node in Python.
    """

    kind: np.ndarray          # int8 KIND_CODES
    is_branch: np.ndarray     # bool: the parent is a chance node
    written_edge: np.ndarray  # int8 edge style from the written path (-1 root)
    badge: np.ndarray         # int8 index into BADGES, -1 when not a branch


_BADGE_CODES = {name: i for i, name in enumerate(BADGES)}


def _branch_codes(node: Node) -> tuple[int, int]:
    """(edge style from the written path, badge code) of a branch."""
    return (_EDGE_CODES.get(node.path or "neutral", _EDGE_CODES["neutral"]),
            _BADGE_CODES[branch_badge(node)])


def _node_codes(node: Node) -> tuple[int, int, int]:
    """(kind code, edge style if a branch, badge code if a branch) of one node."""
    return (KIND_CODES.get(node.kind, 2),) + _branch_codes(node)


def base_style(plan: Plan, layout: TreeLayout, cache: dict | None = None) -> BaseStyle:
    """Kinds, branch flags, written edge paths and badges of the visible nodes.

    ``cache`` (node id -> codes) lets a re-layout skip the nodes it has seen;
    the caller drops the entries of nodes whose fields changed.
    """
    n = len(layout.ids)
    nodes = plan.nodes
    if cache is None:
        cache = {}
    get = cache.get
    codes = []
    # Most nodes have no responses: their badge is "none" without asking
    # the readiness rule (this loop is a fifth of opening a 100,000-node plan).
    kind_code, edge_code = KIND_CODES.get, _EDGE_CODES.get
    neutral, no_badge = _EDGE_CODES["neutral"], _BADGE_CODES["none"]
    for node_id in layout.ids:
        entry = get(node_id)
        if entry is None:
            node = nodes[node_id]
            if node.responses:
                entry = _node_codes(node)
            else:
                entry = (kind_code(node.kind, 2), edge_code(node.path or "neutral", neutral), no_badge)
            cache[node_id] = entry
        codes.append(entry)
    table = np.array(codes, dtype=np.int8).reshape(n, 3)
    kind = table[:, 0].copy()
    parent = layout.parent
    has_parent = parent >= 0
    is_branch = np.zeros(n, dtype=bool)
    is_branch[has_parent] = kind[parent[has_parent]] == KIND_CODES[CHANCE]
    written_edge = np.where(is_branch, table[:, 1], _EDGE_CODES["option"]).astype(np.int8)
    written_edge[~has_parent] = -1
    badge = np.where(is_branch, table[:, 2], -1).astype(np.int8)
    return BaseStyle(kind, is_branch, written_edge, badge)


def update_base_style(base: BaseStyle, plan: Plan, layout: TreeLayout, node_ids) -> None:
    """Patch ``base`` in place for edited fields of ``node_ids`` (O(edited nodes + their children))."""
    nodes = plan.nodes
    for node_id in node_ids:
        i = layout.index.get(node_id)
        node = nodes.get(node_id)
        if i is None or node is None:
            continue
        base.kind[i] = KIND_CODES.get(node.kind, 2)
        touched = [i]
        start, count = int(layout.child_start[i]), int(layout.child_count[i])
        if count:
            base.is_branch[start:start + count] = base.kind[i] == KIND_CODES[CHANCE]
            touched.extend(range(start, start + count))
        for k in touched:
            if layout.parent[k] < 0:
                continue
            if base.is_branch[k]:
                base.written_edge[k], base.badge[k] = _branch_codes(nodes[layout.ids[k]])
            else:
                base.written_edge[k], base.badge[k] = _EDGE_CODES["option"], -1


def spliced_base_style(old: BaseStyle, plan: Plan, layout: TreeLayout, touched, cache: dict) -> BaseStyle:
    """``base_style`` of a layout re-numbered after a structural edit.

    ``layout.source`` holds each node's position in the previous layout (-1
    for a node new there); ``old`` is the base style of that layout;
    ``touched`` names the nodes the edit changed (their kind may differ).
    Those, new nodes and nodes whose branch status changed are read again;
    every other node is one numpy gather.
    """
    source = layout.source
    n = len(layout.ids)
    nodes = plan.nodes
    carried = source >= 0
    safe = np.where(carried, source, 0)

    def codes(i: int) -> tuple:
        node_id = layout.ids[i]
        entry = cache.get(node_id)
        if entry is None:
            entry = cache[node_id] = _node_codes(nodes[node_id])
        return entry

    reread = np.flatnonzero(~carried).tolist()
    reread += [layout.index[t] for t in touched if t in layout.index]
    kind = np.where(carried, old.kind[safe], 0).astype(np.int8)
    for i in reread:
        kind[i] = codes(i)[0]
    parent = layout.parent
    has_parent = parent >= 0
    is_branch = np.zeros(n, dtype=bool)
    is_branch[has_parent] = kind[parent[has_parent]] == KIND_CODES[CHANCE]
    written_edge = np.where(carried, old.written_edge[safe], -1).astype(np.int8)
    badge = np.where(carried, old.badge[safe], -1).astype(np.int8)
    redo = np.zeros(n, dtype=bool)
    redo[reread] = True
    redo |= carried & (old.is_branch[safe] != is_branch)
    redo |= carried & ~has_parent
    for i in np.flatnonzero(redo).tolist():
        if not has_parent[i]:
            written_edge[i], badge[i] = -1, -1
        elif is_branch[i]:
            written_edge[i], badge[i] = codes(i)[1:]
        else:
            written_edge[i], badge[i] = _EDGE_CODES["option"], -1
    return BaseStyle(kind, is_branch, written_edge, badge)


def _result_positions(layout: TreeLayout, result) -> np.ndarray:
    """Position of each visible node in ``result.ids`` (-1 where absent)."""
    n = len(layout.ids)
    if result is None:
        return np.full(n, -1, dtype=np.int64)
    if len(result.ids) == n and result.ids == layout.ids:
        return np.arange(n, dtype=np.int64)  # the usual case: same tree, same breadth-first order
    index = result.index
    return np.fromiter((index.get(i, -1) for i in layout.ids), dtype=np.int64, count=n)


def result_style(base: BaseStyle, layout: TreeLayout, result=None, positions: np.ndarray | None = None) -> NodeStyle:
    """Combine ``base`` with an evaluation (or none) into the drawing arrays.

    ``positions``: each visible node's position in ``result.ids`` when the
    caller knows them (carried over a re-numbered layout); looked up otherwise.
    """
    n = len(layout.ids)
    result_pos = _result_positions(layout, result) if positions is None else positions
    known = result_pos >= 0
    safe = np.where(known, result_pos, 0)

    def aligned(values, fill, dtype):
        out = np.full(n, fill, dtype=dtype)
        if result is not None and n and len(values):
            out[known] = np.asarray(values)[safe[known]]
        return out

    ev = aligned(getattr(result, "node_ev", ()), np.nan, float)
    on_policy = aligned(getattr(result, "node_on_policy", ()), False, bool)
    probability = aligned(getattr(result, "node_probability", ()), np.nan, float)
    probability[~base.is_branch] = np.nan
    edge_style = base.written_edge.copy()
    result_paths = getattr(result, "node_path", None)
    if result_paths is not None and n:
        # the resolved path (inherited from above) wins over the written one
        evaluated = np.flatnonzero(base.is_branch & known)
        paths = np.asarray(result_paths, dtype=object)[result_pos[evaluated]].tolist()
        neutral = _EDGE_CODES["neutral"]
        codes = np.fromiter((_EDGE_CODES.get(path, neutral) if path else -9 for path in paths),
                            dtype=np.int8, count=len(paths))
        resolved = codes != -9  # no resolved path: keep the written one
        edge_style[evaluated[resolved]] = codes[resolved]
    bold = on_policy & (layout.parent >= 0)
    # copies: the canvas compares the new arrays with the ones it drew, and
    # update_base_style patches ``base`` in place
    second = getattr(result, "node_ev2", None)
    ev2 = aligned(second, np.nan, float) if second is not None else None
    return NodeStyle(base.kind.copy(), edge_style, bold, base.badge.copy(), result_pos, ev, probability,
                     on_policy, ev2)


def compute_style(plan: Plan, layout: TreeLayout, result=None) -> NodeStyle:
    """Kinds, edge styles, badges and figures for the visible nodes.

    Parameters
    ----------
    plan : Plan
    layout : TreeLayout
    result : TrackResult or None
        The last evaluation; ``None`` when the plan is invalid (then edges
        take the path written on the node and no figures are shown).
    """
    return result_style(base_style(plan, layout), layout, result)


def edge_segments(layout: TreeLayout, child_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line segments (for ``connect="pairs"``) of the edges into ``child_mask`` nodes.

    Each edge is a diagonal from the parent to a knee at the child's breadth,
    then a straight run to the child (where the label sits).
    """
    children = np.flatnonzero(child_mask & (layout.parent >= 0))
    parents = layout.parent[children]
    xc, yc = layout.x[children], layout.y[children]
    xp, yp = layout.x[parents], layout.y[parents]
    if layout.orientation == "lr":
        xk, yk = xp + KNEE * (xc - xp), yc
    else:
        xk, yk = xc, yp + KNEE * (yc - yp)
    m = len(children)
    x = np.empty(4 * m)
    y = np.empty(4 * m)
    x[0::4], y[0::4] = xp, yp
    x[1::4], y[1::4] = xk, yk
    x[2::4], y[2::4] = xk, yk
    x[3::4], y[3::4] = xc, yc
    return x, y


def label_anchor(layout: TreeLayout, i: int) -> tuple[float, float]:
    """Where the label of node ``i`` goes: middle of the straight run of its edge.

    The root (no edge) gets its own position.
    """
    p = int(layout.parent[i])
    x, y = float(layout.x[i]), float(layout.y[i])
    if p < 0:
        return x, y
    xp, yp = float(layout.x[p]), float(layout.y[p])
    if layout.orientation == "lr":
        return (xp + KNEE * (x - xp) + x) / 2.0, y
    return x, (yp + KNEE * (y - yp) + y) / 2.0


def format_number(value: float) -> str:
    """A short, readable figure in the window's locale: 42.1, -1,250, 0.0035."""
    if value is None or not math.isfinite(value):
        return "–"
    from widgets.i18n import number, significant  # Qt's locale: imported when drawing

    magnitude = abs(value)
    if magnitude >= 10000:
        return number(value, 0)
    if magnitude >= 100:
        return number(value, 1, trim=True)
    if magnitude >= 1 or magnitude == 0:
        return number(value, 2, trim=True)
    return significant(value, 3)


def QT_TRANSLATE_NOOP(_context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks text for the catalogue; this module stays importable without Qt."""
    return text


#: Words for the path a node starts, in its label's figure line.
PATH_WORDS = {"success": QT_TRANSLATE_NOOP("TreeCanvas", "✓ success"),
              "failure": QT_TRANSLATE_NOOP("TreeCanvas", "✗ failure")}


def info_text(plan: Plan, node: Node, style: NodeStyle, i: int, unit: bool = True) -> str:
    """The figures shown under a node's label: ``"p=0.35  EV 42.1 k$"``.

    ``unit=False`` leaves the value unit out (for narrow labels).
    """
    parts: list[str] = []
    if node.path in ("success", "failure"):
        # Colour never carries the meaning alone: the node that starts a
        # success or failure path says so in words (first: it is not elided).
        from widgets.i18n import translate

        parts.append(translate("TreeCanvas", PATH_WORDS[node.path]))
    is_branch = style.badge[i] >= 0
    if is_branch:
        p = style.probability[i]
        if math.isfinite(p):
            parts.append(f"p={format_number(float(p))}")
        elif node.probability is not None:
            # Not evaluated (invalid plan): show what is written.
            parts.append(f"p={node.probability}")
    ev = style.ev[i]
    if math.isfinite(ev):
        suffix = f" {plan.value_unit}" if plan.value_unit and unit else ""
        parts.append(f"EV {format_number(float(ev))}{suffix}")
        if style.ev2 is not None and math.isfinite(style.ev2[i]) and len(plan.criteria) == 2:
            # Two criteria: the second after the first, in its own unit.
            unit2 = plan.criteria[1].unit
            parts[-1] += f" · {format_number(float(style.ev2[i]))}" + (f" {unit2}" if unit2 and unit else "")
    return "  ".join(parts)


def badge_positions(layout: TreeLayout, branch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Badges sit on the knee of each branch's edge (zoom-independent place)."""
    parents = layout.parent[branch]
    x, y = layout.x[branch], layout.y[branch]
    if layout.orientation == "lr":
        return layout.x[parents] + KNEE * (x - layout.x[parents]), y
    return x, layout.y[parents] + KNEE * (y - layout.y[parents])
