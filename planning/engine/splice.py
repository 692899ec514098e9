"""Structural edits without a recompile: splice a compiled track's arrays.

Adding a child, deleting or moving a subtree changes the breadth-first
numbering of everything after the edit, but not what most nodes hold. Here
the new numbering is computed from the old child ranges plus the explicit
children of the few nodes the edit touched (a level at a time, in numpy),
and every column of an untouched node is carried over by one gather. Only
the touched nodes (the ``Change``'s ``node_ids``, nodes the old arrays do not
know, and nodes whose parent changed kind) are read from their ``Node``
objects, as :func:`planning.engine.compile.compile_track` reads them.

Anything this cannot do exactly (node variables, expressions that appear or
disappear, a broken tree, a probability that no longer sums) returns None:
the caller compiles the whole track, which raises the proper error. Tests
compare every column with a full compile (tests/test_incremental_structure.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from planning.engine.compile import (
    KIND_CHANCE, KIND_CODE, KIND_DECISION, KIND_TERMINAL, PATH_CODE, PATH_NEUTRAL,
    CompiledTrack, _number, _range, check_probabilities, resolve_shares,
)
from planning.model.errors import PlanError
from planning.model.fields import SHARE, read_value
from planning.model.plan import Plan

#: A tree deeper than this is re-numbered by a full compile (one numpy step per level).
MAX_LEVELS = 400


def breadth_first_splice(child_start: np.ndarray, child_count: np.ndarray,
                         custom: dict[int, list[int]], size: int) -> tuple | None:
    """The breadth-first order of a tree given as old child ranges plus overrides.

    Nodes ``0 .. len(child_start) - 1`` keep their children
    ``child_start[i] : child_start[i] + child_count[i]`` (old numbering) unless
    ``custom`` lists them; ``custom`` gives the children (by number, up to
    ``size``) of touched and new nodes. Node 0 is the root.

    Returns ``(order, parent, level_start)``: old/new numbers in the new order,
    each one's parent position, and where each depth starts; None for a cycle,
    a node reached twice or more than :data:`MAX_LEVELS` levels.
    """
    n_old = len(child_start)
    starts = np.zeros(size, dtype=np.int64)
    counts = np.zeros(size, dtype=np.int64)
    starts[:n_old] = child_start
    counts[:n_old] = child_count
    extra: list[int] = []
    for node, kids in custom.items():
        starts[node] = n_old + len(extra)
        counts[node] = len(kids)
        extra.extend(kids)
    # Old children of node i are old numbers child_start[i]..: the flat child
    # table is the identity on old numbers, then the custom lists.
    flat = np.concatenate([np.arange(n_old, dtype=np.int64), np.asarray(extra, dtype=np.int64)])
    frontier = np.zeros(1, dtype=np.int64)
    orders = [frontier]
    parents = [np.full(1, -1, dtype=np.int64)]
    level_start = [0, 1]
    seen = np.zeros(size, dtype=bool)
    seen[0] = True
    reached = 1
    while True:
        c = counts[frontier]
        total = int(c.sum())
        if total == 0:
            break
        if len(level_start) > MAX_LEVELS:
            return None
        ends = np.cumsum(c)
        positions = np.repeat(starts[frontier] - (ends - c), c) + np.arange(total)
        frontier = flat[positions]
        if seen[frontier].any():
            return None
        seen[frontier] = True
        reached += total
        first = level_start[-2]
        parents.append(np.repeat(np.arange(first, first + len(c), dtype=np.int64), c))
        orders.append(frontier)
        level_start.append(level_start[-1] + total)
    if int(seen.sum()) != reached:
        return None  # a node listed twice on one level
    return np.concatenate(orders), np.concatenate(parents), np.asarray(level_start, dtype=np.int64)


class _Fallback(Exception):
    """The splice cannot reproduce a full compile here: compile the track."""


def touched_children(nodes: dict, ids: list[str], index: dict[str, int], node_ids: Iterable[str],
                     collapsed: frozenset | set = frozenset()):
    """Number the touched and new nodes and list their children (by number).

    Old nodes (``ids``, numbered by ``index``) keep their old number; nodes the
    old arrays do not know get the next ones, and their children are read too.
    A touched node in ``collapsed`` lists no children and is marked hidden.
    Shared by the compiled-track splice and :func:`planning.engine.layout.relayout`.

    Returns (ids by number, touched id -> number, number -> children numbers,
    number -> hidden), or None when a touched node lists a child the plan lacks.
    """
    ext_ids = list(ids)
    number: dict[str, int] = {}
    children: dict[int, list[str]] = {}
    hidden: dict[int, bool] = {}
    queue = [i for i in dict.fromkeys(node_ids) if i in nodes]
    while queue:
        node_id = queue.pop()
        if node_id in number:
            continue
        e = index.get(node_id)
        if e is None:
            e = len(ext_ids)
            ext_ids.append(node_id)
        number[node_id] = e
        kids = nodes[node_id].children
        if any(c not in nodes for c in kids):
            return None
        if kids and node_id in collapsed:
            children[e], hidden[e] = [], True
            continue
        hidden[e] = False
        for child in kids:
            if child not in index and child not in number:
                queue.append(child)  # a new node: its children are read too
        children[e] = list(kids)
    custom = {e: [number[c] if c in number else index[c] for c in kids] for e, kids in children.items()}
    return ext_ids, number, custom, hidden


def splice_track(ct: CompiledTrack, plan: Plan, node_ids: Iterable[str]) -> CompiledTrack | None:
    """The compiled track after a structural edit touching ``node_ids``, or None.

    ``ct`` is the track compiled before the edit; ``node_ids`` names every
    node whose children (or kind, committed option) the edit changed and the
    nodes it added (a ``Change``'s ``node_ids``). The result equals
    ``compile_track(plan, ct.track_id)`` column for column.
    """
    try:
        return _splice(ct, plan, node_ids)
    except (_Fallback, PlanError, KeyError):
        return None


def _splice(ct: CompiledTrack, plan: Plan, node_ids: Iterable[str]) -> CompiledTrack | None:
    if ct.track_id is None or len(ct.scopes) != 1 or ct.own_path is None:
        return None  # node variables: scopes would need re-numbering
    track = plan.track(ct.track_id)
    if track.root != ct.root_id or ct.root_id not in plan.nodes:
        return None
    nodes = plan.nodes
    touched = touched_children(plan.nodes, ct.ids, ct.index, node_ids)
    if touched is None:
        raise _Fallback
    ext_ids, number, custom, _ = touched
    n_old, size = ct.size, len(ext_ids)
    found = breadth_first_splice(ct.child_start, ct.child_count, custom, size)
    if found is None:
        return None
    src, parent, level_start = found
    n = len(src)
    newpos = np.full(size, -1, dtype=np.int64)
    newpos[src] = np.arange(n)

    # Kinds: old ones carried, touched nodes read.
    kind_ext = np.empty(size, dtype=np.int8)
    kind_ext[:n_old] = ct.kind
    for node_id, e in number.items():
        code = KIND_CODE.get(nodes[node_id].kind)
        if code is None:
            return None
        kind_ext[e] = code
    kind = kind_ext[src]
    count_ext = np.zeros(size, dtype=np.int64)
    count_ext[:n_old] = ct.child_count
    for e, kids in custom.items():
        count_ext[e] = len(kids)
    child_count = count_ext[src]
    if ((kind != KIND_TERMINAL) & (child_count == 0)).any() or ((kind == KIND_TERMINAL) & (child_count > 0)).any():
        return None  # the full compile names the node
    child_start = np.zeros(n, dtype=np.int64)
    if n > 1:
        child_start[1:] = 1 + np.cumsum(child_count)[:-1]
    child_start[0] = 1
    depth = np.repeat(np.arange(len(level_start) - 1, dtype=np.int64), np.diff(level_start))
    is_branch = np.zeros(n, dtype=bool)
    if n > 1:
        is_branch[1:] = kind[parent[1:]] == KIND_CHANCE

    # Which nodes are read from the plan: touched, new, and any whose branch
    # status changed (a parent that turned into a chance node).
    old_rows = src < n_old
    read = ~old_rows
    for e in number.values():
        if newpos[e] >= 0:
            read[newpos[e]] = True
    status = np.zeros(n, dtype=bool)
    status[old_rows] = ct.is_branch[src[old_rows]]
    read |= old_rows & (status != is_branch)
    keep = ~read
    keep_src = src[keep]

    # Removed or re-read nodes with expressions: their scope bookkeeping
    # (and links to other tracks) needs a full compile.
    expression_fields = []
    for f in ct.expression_fields:
        at = newpos[f.node]
        if at < 0 or read[at]:
            return None
        expression_fields.append(replace(f, node=int(at)))
    expression_fields.sort(key=lambda f: (f.node, f.field != "payoff"))

    payoff = np.zeros(n)
    probability = np.ones(n)
    shares = np.zeros(n, dtype=bool)
    probability_range = np.full((n, 2), np.nan)
    payoff_range = np.full((n, 2), np.nan)
    own_path = np.full(n, -1, dtype=np.int8)
    committed = np.full(n, -1, dtype=np.int64)
    payoff[keep] = ct.payoff[keep_src]
    probability[keep] = ct.probability[keep_src]
    shares[keep] = ct.shares[keep_src]
    probability_range[keep] = ct.probability_range[keep_src]
    payoff_range[keep] = ct.payoff_range[keep_src]
    own_path[keep] = ct.own_path[keep_src]
    old_committed = ct.committed[keep_src]
    committed[keep] = np.where(old_committed >= 0, newpos[np.maximum(old_committed, 0)], -1)

    ids = [ext_ids[e] for e in src.tolist()]
    index = dict(zip(ids, range(n)))
    responses: list[tuple[int, object, str]] = []  # new position, response, node id
    for i in np.flatnonzero(read).tolist():
        node_id = ids[i]
        node = nodes[node_id]
        if node.variables:
            return None
        value = node.payoff
        if type(value) is not float:
            value = read_value(value, node_id, "payoff")
            if type(value) is not float:
                return None  # an expression
        payoff[i] = value
        if node.payoff_range is not None:
            payoff_range[i] = _range(node.payoff_range, node_id, "payoff_range")
        if is_branch[i]:
            value = node.probability
            if value is None:
                return None
            if type(value) is not float:
                value = read_value(value, node_id, "probability", share=True)
                if value is SHARE:
                    shares[i] = True
                    value = 1.0
                elif type(value) is not float:
                    return None
            probability[i] = value
            if node.probability_range is not None:
                probability_range[i] = _range(node.probability_range, node_id, "probability_range")
        if node.path is not None:
            code = PATH_CODE.get(node.path)
            if code is None:
                return None
            own_path[i] = code
        if node.committed is not None:
            if kind[i] != KIND_DECISION or node.committed not in node.children:
                return None
            committed[i] = index[node.committed]
        for response in node.responses:
            responses.append((i, response, node_id))

    # Paths: a node's own, else (not a branch) its parent's, level by level.
    path = np.where(own_path >= 0, own_path, PATH_NEUTRAL).astype(np.int8)
    for d in range(1, len(level_start) - 1):
        lo, hi = int(level_start[d]), int(level_start[d + 1])
        inherit = (own_path[lo:hi] < 0) & ~is_branch[lo:hi]
        if inherit.any():
            rows = lo + np.flatnonzero(inherit)
            path[rows] = path[parent[rows]]

    # Responses in node order, each node's in its own order.
    kept = newpos[ct.resp_node] if len(ct.resp_ids) else np.zeros(0, dtype=np.int64)
    kept_mask = kept >= 0
    kept_mask[kept_mask] = ~read[kept[kept_mask]]
    resp_node = [kept[kept_mask]]
    resp_r = [ct.resp_r[kept_mask]]
    resp_effect = [ct.resp_effect[kept_mask]]
    resp_late = [ct.resp_late[kept_mask]]
    resp_ids = [ct.resp_ids[k] for k in np.flatnonzero(kept_mask).tolist()]
    if responses:
        new_node, new_r, new_effect, new_late = [], [], [], []
        counters: dict[int, int] = {}
        for i, response, node_id in responses:
            k = counters.get(i, 0)
            counters[i] = k + 1
            level = response.readiness
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4:
                return None
            new_effect.append(_number(response.effect, node_id, f"responses[{k}].effect"))
            new_node.append(i)
            new_r.append(level / 4.0)
            new_late.append(response.is_late(nodes[node_id].warning_days))
            resp_ids.append(response.id)
        resp_node.append(np.asarray(new_node, dtype=np.int64))
        resp_r.append(np.asarray(new_r, dtype=float))
        resp_effect.append(np.asarray(new_effect, dtype=float))
        resp_late.append(np.asarray(new_late, dtype=bool))
    resp_node_all = np.concatenate(resp_node).astype(np.int64)
    order = np.argsort(resp_node_all, kind="stable")

    if not np.isfinite(payoff).all() or not np.isfinite(probability).all():
        return None
    spliced = replace(
        ct, ids=ids, index=index, kind=kind, parent=parent, child_start=child_start,
        child_count=child_count, depth=depth, level_start=level_start, probability=probability,
        payoff=payoff, is_branch=is_branch, path=path, committed=committed,
        probability_range=probability_range, payoff_range=payoff_range, shares=shares,
        resp_ids=[resp_ids[k] for k in order.tolist()], resp_node=resp_node_all[order],
        resp_r=np.concatenate(resp_r).astype(float)[order],
        resp_effect=np.concatenate(resp_effect).astype(float)[order],
        resp_late=np.concatenate(resp_late).astype(bool)[order],
        node_scope=np.zeros(n, dtype=np.int64), expression_fields=expression_fields,
        own_path=own_path, _level_plan=None,
    )
    resolve_shares(spliced, spliced.probability)
    check_probabilities(spliced, spliced.probability)
    return spliced
