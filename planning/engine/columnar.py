"""Compile and evaluate a plan read as columns (:mod:`planning.files.columnar`).

:func:`compile_columns` builds exactly the :class:`~planning.engine.compile.CompiledTrack`
that :func:`~planning.engine.compile.compile_track` builds from the object plan (every
array equal), with numpy passes instead of a Python loop over the nodes; evaluation is
then the usual :func:`~planning.engine.evaluate.evaluate_compiled`.

:func:`evaluate_file` is the whole fast path of ``branchwise evaluate --json``: it returns
None whenever the columnar reader cannot prove the plan plainly valid, and the caller then
takes the object path (load, validate, compile), which words every message.

Set the environment variable ``BRANCHWISE_NO_COLUMNAR`` (to anything) to always take the
object path; the tests compare both.
"""
from __future__ import annotations

import os

import numpy as np

from planning.engine.compile import (
    PATH_NEUTRAL,
    CompiledTrack,
    Scope,
    apply_expressions,
    check_probabilities,
    resolve_scopes,
    resolve_shares,
)
from planning.files.columnar import PlanColumns, read_columns
from planning.model.errors import PlanError
from planning.model.plan import MINIMIZE, Plan

__all__ = ["compile_columns", "enabled", "evaluate_file", "skeleton"]


def enabled() -> bool:
    """False when ``BRANCHWISE_NO_COLUMNAR`` is set: every command takes the object path."""
    return not os.environ.get("BRANCHWISE_NO_COLUMNAR")


def skeleton(columns: PlanColumns) -> Plan:
    """The plan's settings and tracks, without nodes (what ``evaluate --json`` prints besides figures)."""
    return Plan(title=columns.title, objective=columns.objective, value_unit=columns.value_unit,
                variables=list(columns.variables), tracks=list(columns.tracks))


def _levels(child_start: np.ndarray, child_count: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``level_start`` and ``depth`` as :func:`planning.engine.compile.compile_track` finds them."""
    depth = np.zeros(n, dtype=np.int64)
    if n <= 1:
        return np.asarray([0, 1], dtype=np.int64), depth
    bounds = [0, 1]
    while bounds[-1] < n:
        lo, hi = bounds[-2], bounds[-1]
        bounds.append(int(child_start[hi - 1] + child_count[hi - 1]) if hi > lo else hi)
        if bounds[-1] == bounds[-2]:
            break
    level_start = np.asarray(bounds, dtype=np.int64)
    depth = np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), np.diff(level_start))
    if depth.size < n:  # cannot happen for a tree; keep compile's zeros beyond the last level
        depth = np.concatenate([depth, np.zeros(n - depth.size, dtype=np.int64)])
    return level_start, depth


def compile_columns(columns: PlanColumns, track: int = 0) -> CompiledTrack:
    """Compile track number ``track`` of ``columns``, as :func:`compile_track` would.

    Parameters
    ----------
    columns : PlanColumns
        A plan :func:`planning.files.columnar.read_columns` accepted.
    track : int
        Position of the track in ``columns.tracks``.

    Returns
    -------
    CompiledTrack
        Equal, array for array, to ``compile_track(load_plan(file), track_id)``.

    Raises
    ------
    PlanError
        Where :func:`compile_track` would raise (a resolved probability out of bounds).
    """
    order = columns.orders[track]
    n = order.size
    size = columns.size
    position = np.full(size, -1, dtype=np.int64)
    position[order] = np.arange(n, dtype=np.int64)
    if columns.index is not None and n == size:  # a file written breadth first: in order
        ids = list(columns.ids)
        index = columns.index.copy()
    else:
        ids = list(map(columns.ids.__getitem__, order.tolist()))
        index = dict(zip(ids, range(n)))

    kind = columns.kind[order]
    child_count = columns.child_count[order]
    parent = position[columns.parent[order]]  # the root's parent (-1) maps to position[-1]
    parent[0] = -1
    child_start = np.zeros(n, dtype=np.int64)
    if n > 1:
        child_start[1:] = 1 + np.cumsum(child_count)[:-1]
    child_start[0] = 1
    level_start, depth = _levels(child_start, child_count, n)
    is_branch = columns.is_branch[order]
    shares = columns.share[order]
    probability = columns.probability[order]
    probability[shares] = 1.0  # as compile leaves them until the shares are resolved
    payoff = columns.payoff[order]

    # A written path is the node's own; a branch or the root without one is neutral;
    # any other node inherits its parent's, level by level from the top.
    own_path = columns.path[order].astype(np.int8)
    path = own_path.copy()
    missing = path < 0
    own_neutral = missing & (is_branch | (np.arange(n) == 0))
    path[own_neutral] = PATH_NEUTRAL
    inherit = missing & ~own_neutral
    if inherit.any():
        for d in range(1, len(level_start) - 1):
            lo, hi = int(level_start[d]), int(level_start[d + 1])
            at = lo + np.flatnonzero(inherit[lo:hi])
            if at.size:
                path[at] = path[parent[at]]

    committed = columns.committed[order]
    committed = np.where(committed >= 0, position[committed], -1).astype(np.int64)

    # Responses in breadth-first order of their nodes, each node's in written order.
    at = position[columns.resp_node]
    mine = np.flatnonzero(at >= 0)
    mine = mine[np.argsort(at[mine], kind="stable")]
    resp_ids = list(map(columns.resp_ids.__getitem__, mine.tolist()))
    warning = columns.warning_days[columns.resp_node[mine]]
    lead = columns.resp_lead[mine]
    # Response.is_late: both known and the lead time longer than the warning.
    with np.errstate(invalid="ignore"):
        resp_late = ~np.isnan(warning) & ~np.isnan(lead) & (lead > warning)

    compiled = CompiledTrack(
        track_id=columns.tracks[track].id,
        root_id=columns.tracks[track].root,
        ids=ids,
        index=index,
        kind=kind,
        parent=parent,
        child_start=child_start,
        child_count=child_count,
        depth=depth,
        level_start=level_start,
        probability=probability,
        payoff=payoff,
        is_branch=is_branch,
        path=path,
        own_path=own_path,
        committed=committed,
        sign=-1.0 if columns.objective == MINIMIZE else 1.0,
        probability_range=columns.probability_range[order],
        payoff_range=columns.payoff_range[order],
        shares=shares,
        resp_ids=resp_ids,
        resp_node=at[mine].astype(np.int64),
        resp_r=columns.resp_level[mine] / 4.0,
        resp_effect=columns.resp_effect[mine],
        resp_late=resp_late.astype(bool),
        scopes=[Scope(-1, None, list(columns.variables))],
        node_scope=np.zeros(n, dtype=np.int64),
        expression_fields=[],
        base_variables={},
    )
    scope_values = resolve_scopes(compiled)
    compiled.base_variables = {k: float(v) for k, v in scope_values[0].items()}
    apply_expressions(compiled, scope_values, compiled.probability, compiled.payoff)
    resolve_shares(compiled, compiled.probability)
    check_probabilities(compiled, compiled.probability)
    return compiled


def evaluate_file(path: str, track: str | None = None):
    """Read, check, compile and evaluate a plan file on the columnar path.

    Parameters
    ----------
    path : str
        A ``.bwplan`` file.
    track : str, optional
        Only this track (the caller has checked it exists); every track by default.

    Returns
    -------
    (Plan, list of TrackResult) or None
        The plan's settings and tracks (no nodes) and one result per track; None
        when the object path must handle the file (anything unusual, any message).
    """
    from planning.engine.evaluate import evaluate_compiled

    if not enabled():
        return None
    columns = read_columns(path)
    if columns is None:
        return None
    plan = skeleton(columns)
    results = []
    try:
        for k, t in enumerate(columns.tracks):
            if track is not None and t.id != track:
                continue
            result = evaluate_compiled(compile_columns(columns, k))
            result.rule_value = result.ev
            results.append(result)
    except PlanError:
        return None  # the object path raises it again, labelled by the nodes
    if track is not None and not results:
        return None
    return plan, results
