"""The grouped rollback: the one bottom-up engine of evaluation, sensitivity and Monte Carlo.

Parents at one depth are grouped by kind and number of children, so that the
children of a group form a (parents, width[, columns]) block: a chance group
reduces with a handful of whole-block operations, a decision group picks its
option with the tie rule (:func:`pick_option`) for every column at once. Two
drivers walk the groups:

* :func:`rollback_grouped` -- the whole track in breadth-first order, every
  node's value kept (what :func:`planning.engine.evaluate.rollback` runs for
  evaluation, sensitivity, rules and linked tracks);
* ``_Simulator.roll`` in :mod:`planning.engine.montecarlo` -- only the part
  of the tree that moves between columns, laid out so that each group's
  children are contiguous rows, two levels in memory at a time (Monte Carlo
  and the re-optimised sensitivity scenarios).

Summation order is part of every printed number. :func:`level_sum` adds a
chance node's terms exactly as ``np.add.reduceat`` did in the level-by-level
rollback it replaces (first term + numpy's pairwise sum of the others), so
evaluation and sensitivity print the digits they always printed; Monte Carlo's
driver keeps its own order (first to last), which its figures were always
computed in.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.engine.compile import KIND_CHANCE, CompiledTrack

#: Two options whose values differ by less than this (relative) are tied;
#: ties go to the first option (DESIGN point 1).
TIE_TOLERANCE = 1e-9
#: numpy's pairwise summation: blocks of at most this many terms are summed with 8 accumulators.
_PAIRWISE_BLOCK = 128


def _pairwise(terms: np.ndarray) -> np.ndarray:
    """numpy's pairwise sum along axis 1 of (P, n, k) terms, operation for operation."""
    n = terms.shape[1]
    if n < 8:
        total = np.full((terms.shape[0], terms.shape[2]), -0.0)
        for i in range(n):
            total = total + terms[:, i]
        return total
    if n <= _PAIRWISE_BLOCK:
        partial = [terms[:, j].copy() for j in range(8)]
        i = 8
        while i < n - n % 8:
            for j in range(8):
                partial[j] += terms[:, i + j]
            i += 8
        total = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + \
                ((partial[4] + partial[5]) + (partial[6] + partial[7]))
        for j in range(i, n):
            total = total + terms[:, j]
        return total
    half = n // 2
    half -= half % 8
    return _pairwise(terms[:, :half]) + _pairwise(terms[:, half:])


def level_sum(terms: np.ndarray) -> np.ndarray:
    """Sum (P, C, k) terms along axis 1 exactly as ``np.add.reduceat`` sums each segment.

    The first term plus the pairwise sum of the rest, signed zeros included:
    the order the level-by-level rollback used, so no printed digit moves.
    """
    if terms.shape[1] == 1:
        return terms[:, 0].copy()
    if terms.shape[1] == 2:
        return terms[:, 0] + (-0.0 + terms[:, 1])
    return terms[:, 0] + _pairwise(terms[:, 1:])


def pick_option(children: np.ndarray, sign: float) -> np.ndarray:
    """Per decision (and column): the local index of the first option within TIE_TOLERANCE of the best.

    ``children``: (P, width, k) option values. Ties go to the first option
    (the lead's rule); the committed option is applied by the caller.
    """
    width = children.shape[1]
    if width == 1:
        return np.zeros((children.shape[0], children.shape[2]), dtype=np.int64)
    signed = children if sign > 0 else -children
    best = signed.max(axis=1)
    floor = best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
    pick = np.full((children.shape[0], children.shape[2]), width - 1, dtype=np.int64)
    for j in range(width - 2, -1, -1):
        pick = np.where(signed[:, j] >= floor, j, pick)
    return pick


@dataclass
class _FullGroup:
    """Parents at one depth with the same kind and number of children, in breadth-first order."""

    kind: int
    parents: np.ndarray  # node indices
    first: np.ndarray  # each parent's first child
    children: np.ndarray  # (P, width) node indices
    width: int


def _groups(ct: CompiledTrack) -> list[list[_FullGroup]]:
    """Per parent depth, deepest first: the groups of like parents (built once per compiled track)."""
    cached = ct.__dict__.get("_grouped_levels")
    if cached is not None:
        return cached
    levels = []
    for level in ct.level_plan():
        parents = level.parents
        counts = ct.child_count[parents]
        kinds = ct.kind[parents].astype(np.int64)
        key = kinds * (int(counts.max()) + 1) + counts
        order = np.argsort(key, kind="stable")
        bounds = np.flatnonzero(np.diff(key[order])) + 1
        groups = []
        for members in np.split(parents[order], bounds):
            width = int(ct.child_count[members[0]])
            first = ct.child_start[members]
            groups.append(_FullGroup(int(ct.kind[members[0]]), members, first,
                                     first[:, None] + np.arange(width), width))
        levels.append(groups)
    ct.__dict__["_grouped_levels"] = levels  # structure only: values are read per call
    return levels


def rollback_grouped(ct: CompiledTrack, payoff: np.ndarray, probability: np.ndarray, optimise: bool = True,
                     choice: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every node's expected value and every decision's chosen child, group by group.

    Arguments as :func:`planning.engine.evaluate.rollback` (which calls this
    one for all but deep chains). ``payoff`` is (n,) or (n, k); ``probability``
    (n,) or like ``payoff``; with ``optimise=False`` decisions follow
    ``choice`` ((n,) or like ``payoff``; -1: the first option).
    """
    value = np.array(payoff, dtype=float, copy=True)
    two_d = value.ndim == 2
    k = value.shape[1] if two_d else 1
    column = value if two_d else value[:, None]  # a view: writes reach ``value``
    p = probability if probability.ndim == 2 else probability[:, None]
    chosen = np.full(value.shape, -1, dtype=np.int64)
    chosen_column = chosen if two_d else chosen[:, None]
    sign = ct.sign
    for groups in _groups(ct):
        for g in groups:
            children = column[g.children]  # (P, width, k)
            if g.kind == KIND_CHANCE:
                add = level_sum(p[g.children] * children)
            else:
                if optimise:
                    pick = pick_option(children, sign)
                    committed = ct.committed[g.parents]
                    held = committed >= 0
                    if held.any():
                        pick[held] = (committed[held] - g.first[held])[:, None]
                else:
                    fixed = choice[g.parents]
                    fixed = fixed if fixed.ndim == 2 else np.broadcast_to(fixed[:, None], (fixed.size, k))
                    pick = np.where(fixed >= 0, fixed - g.first[:, None], 0)
                add = np.take_along_axis(children, pick[:, None, :], axis=1)[:, 0]
                chosen_column[g.parents] = g.first[:, None] + pick
            column[g.parents] += add
    return value, chosen


__all__ = ["TIE_TOLERANCE", "level_sum", "pick_option", "rollback_grouped"]
