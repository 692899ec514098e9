"""Readiness: badges, late responses and the priority list (DESIGN points 3-5).

The priority list answers "which response do we prepare next?". For every
response it gives the exact change of the track's expected value if that
response alone were raised to ready (its *marginal value*), re-optimising
the decisions above it, and how much failure exposure that would remove.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planning.engine.compile import KIND_CHANCE, KIND_DECISION, PATH_FAILURE, CompiledTrack
from planning.model.plan import Node

if TYPE_CHECKING:
    from planning.engine.evaluate import Priority

NONE = "none"
LATE = "late"
PARTIAL = "partial"
READY = "ready"
BADGES = (NONE, LATE, PARTIAL, READY)


def badge(node: Node) -> str:
    """The readiness badge of a branch.

    ``none`` without responses, ``ready`` when a response in time is at level
    4, ``late`` when a response cannot stand up within the warning time (and
    none is ready), else ``partial``.

    >>> from planning.model.plan import Node, Response
    >>> badge(Node("b", responses=[Response("r", readiness=4)]))
    'ready'
    >>> badge(Node("b", warning_days=7, responses=[Response("r", readiness=3, lead_time_days=30)]))
    'late'
    """
    if not node.responses:
        return NONE
    in_time = [r for r in node.responses if not r.is_late(node.warning_days)]
    if any(r.readiness >= 4 for r in in_time):
        return READY
    if len(in_time) < len(node.responses):
        return LATE
    return PARTIAL


def _decision_runner_up(ct: CompiledTrack, signed: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every decision: the signed value of its chosen option and of the best other one."""
    n = ct.size
    best1 = np.full(n, np.nan)
    best2 = np.full(n, -np.inf)
    dec = np.flatnonzero((ct.kind == KIND_DECISION) & (ct.child_count > 0))
    if dec.size == 0:
        return best1, best2
    counts = ct.child_count[dec]
    offsets = np.cumsum(counts) - counts
    kids = np.repeat(ct.child_start[dec] - offsets, counts) + np.arange(int(counts.sum()))
    segment = np.repeat(np.arange(dec.size), counts)
    others = np.where(kids == chosen[dec][segment], -np.inf, signed[kids])
    best2[dec] = np.maximum.reduceat(others, offsets)
    best1[dec] = signed[chosen[dec]]
    return best1, best2


def marginal_values(ct: CompiledTrack, value: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Exact change of the root's EV if each response alone were raised to ready.

    A change at a node travels up one level at a time for all responses at
    once: a chance node passes on p times the change; a decision node passes
    on the change of its best option (which may now be another one), or, when
    committed, the change of the committed option only.
    """
    m = len(ct.resp_ids)
    if m == 0:
        return np.zeros(0)
    sign = ct.sign
    signed = sign * value
    best1, best2 = _decision_runner_up(ct, signed, chosen)
    change = sign * np.where(ct.resp_late, 0.0, (1.0 - ct.resp_r) * ct.resp_effect)
    cur = ct.resp_node.copy()
    active = change != 0
    depth = ct.depth
    for level in range(int(depth.max(initial=0)), 0, -1):
        sel = np.flatnonzero(active & (depth[cur] == level))
        if sel.size == 0:
            continue
        c = cur[sel]
        p = ct.parent[c]
        dc = change[sel]
        kind = ct.kind[p]
        passed = np.where(kind == KIND_CHANCE, ct.probability[c] * dc, 0.0)
        dec = kind == KIND_DECISION
        if dec.any():
            cd, pd, dd = c[dec], p[dec], dc[dec]
            was_best = cd == chosen[pd]
            new_child = signed[cd] + dd
            new_best = np.where(was_best, np.maximum(new_child, best2[pd]), np.maximum(best1[pd], new_child))
            moved = new_best - best1[pd]
            committed = ct.committed[pd]
            moved = np.where(committed >= 0, np.where(cd == committed, dd, 0.0), moved)
            passed[dec] = moved
        change[sel] = passed
        cur[sel] = p
        active[sel] = passed != 0
    return sign * np.where(cur == 0, change, 0.0)


def branch_gains(
    ct: CompiledTrack, chosen: np.ndarray, reach: np.ndarray, rho: np.ndarray,
    prepared: np.ndarray, target: np.ndarray,
) -> np.ndarray:
    """Exposure each ``target`` branch removes if it alone became fully ready (policy fixed).

    ``prepared`` is the per-node mass of paths that meet no unready target
    branch (a column of the readiness pass). Raising branch b to rho = 1 adds
    R(b) * A(b) * inner(b) * (1 - rho(b)) to the root's prepared mass, where
    A(b) is the readiness product of the target branches above b and
    inner(b) the prepared mass below it. 0 on other nodes.
    """
    factor = np.where(target, rho, 1.0)
    inner = np.ones(ct.size)
    if ct.size > 1:
        kids = np.arange(1, ct.size)
        parents = ct.parent[kids]
        chance_kids = kids[ct.kind[parents] == KIND_CHANCE]
        sums = np.zeros(ct.size)
        np.add.at(sums, ct.parent[chance_kids], ct.probability[chance_kids] * prepared[chance_kids])
        inner = np.where(ct.kind == KIND_CHANCE, sums, inner)
        dec = np.flatnonzero((ct.kind == KIND_DECISION) & (ct.child_count > 0))
        inner[dec] = prepared[chosen[dec]]
    above = np.ones(ct.size)
    for d in range(1, ct.levels):
        lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
        parent = ct.parent[lo:hi]
        above[lo:hi] = above[parent] * factor[parent]
    return np.where(target, reach * above * inner * (1.0 - rho), 0.0)


def exposure_reductions(
    ct: CompiledTrack, chosen: np.ndarray, reach: np.ndarray, rho: np.ndarray, prepared: np.ndarray
) -> np.ndarray:
    """Failure exposure removed if each response alone were raised to ready (policy fixed).

    See :func:`branch_gains`; a late response, or one already ready, removes nothing.
    """
    if len(ct.resp_ids) == 0:
        return np.zeros(0)
    failure = ct.is_branch & (ct.path == PATH_FAILURE)
    gain = branch_gains(ct, chosen, reach, rho, prepared, failure)
    node = ct.resp_node
    helps = failure[node] & ~ct.resp_late & (ct.resp_r < 1.0)
    return np.where(helps, gain[node], 0.0)


def priority_list(
    ct: CompiledTrack,
    value: np.ndarray,
    chosen: np.ndarray,
    reach: np.ndarray,
    rho: np.ndarray,
    prepared: np.ndarray,
) -> list["Priority"]:
    """Every response with its marginal value and exposure reduction, best first.

    Best first means the largest improvement of the objective (an increase
    when maximising, a decrease when minimising), then the largest exposure
    reduction; late responses count as not ready and are flagged.
    """
    from planning.engine.evaluate import Priority

    m = len(ct.resp_ids)
    if m == 0:
        return []
    marginal = marginal_values(ct, value, chosen)
    reduction = exposure_reductions(ct, chosen, reach, rho, prepared)
    # Rounding noise would otherwise order equal responses arbitrarily.
    marginal = np.where(np.abs(marginal) < 1e-12, 0.0, marginal)
    order = np.lexsort((np.arange(m), -reduction, -ct.sign * marginal))
    ids = ct.ids
    resp_ids = ct.resp_ids
    nodes = ct.resp_node[order].tolist()
    return [
        Priority(resp_ids[k], ids[n], mv, er, lt)
        for k, n, mv, er, lt in zip(order.tolist(), nodes, marginal[order].tolist(),
                                    reduction[order].tolist(), ct.resp_late[order].tolist())
    ]
