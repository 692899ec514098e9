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

import contextvars
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from planning.engine.compile import KIND_CHANCE, CompiledTrack

#: Two options whose values differ by less than this (relative) are tied;
#: ties go to the first option (DESIGN point 1).
TIE_TOLERANCE = 1e-9
#: Chunks (Monte Carlo) or column batches (sensitivity) rolled back side by side at most:
#: numpy releases the GIL in its loops, so a second core halves the wall time.
WORKERS = max(1, min(2, os.cpu_count() or 1))
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


def follow_policy_grouped(ct: CompiledTrack, factor: np.ndarray, chosen: np.ndarray,
                          probability: np.ndarray) -> np.ndarray:
    """X(n) = factor(n) * (terminal: 1; chance: sum p X(c); decision: X(chosen)), group by group.

    What :func:`planning.engine.evaluate.follow_policy` runs (readiness,
    exposure); ``factor`` (n,) or (n, k), ``chosen`` (n,) one policy.
    """
    x = np.array(factor, dtype=float, copy=True)
    column = x if x.ndim == 2 else x[:, None]  # a view: writes reach ``x``
    p = probability if probability.ndim == 2 else probability[:, None]
    for groups in _groups(ct):
        for g in groups:
            if g.kind == KIND_CHANCE:
                column[g.parents] *= level_sum(p[g.children] * column[g.children])
            else:
                column[g.parents] *= column[chosen[g.parents]]
    return x


# -- the live-part driver (Monte Carlo, re-optimised sensitivity scenarios) --------------

_COMMITTED = 3  # group kind of a decision with a committed option


def _child_rows(ct: CompiledTrack, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Children of ``parents`` (concatenated, in order), each parent's count and offset."""
    counts = ct.child_count[parents]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    rows = np.repeat(ct.child_start[parents] - offsets, counts) + np.arange(int(counts.sum()))
    return rows, counts, offsets


@dataclass
class _Group:
    """Parents at one level with the same kind and child count; children rows c0..c1."""

    kind: int
    parents: np.ndarray | slice  # rows of the parents in the layout
    parents_ct: np.ndarray
    c0: int
    c1: int
    width: int
    base_p: np.ndarray | None = None  # (P, C, 1) fixed branch probabilities
    prob_rows: np.ndarray | None = None  # rows into the drawn probabilities, in layout order
    committed: np.ndarray | None = None  # (P, 1) committed option, local index
    choice_rows: np.ndarray | None = None  # rows into the per-iteration choice matrix


class GroupedLayout:
    """The part of a track that moves between columns, laid out in groups; :meth:`roll` rolls it back.

    A subclass (``planning.engine.montecarlo._Simulator``) sets, before
    calling :meth:`_build_layout`: ``ct``; ``live`` (bool per node: its value
    can differ between columns, closed upwards); ``moving`` (chance nodes whose
    branch probabilities come per column, rows ``prob_row``); ``pay_nodes``
    (nodes whose payoffs come per column); ``effective`` (base effective
    payoffs); ``base_value`` (base rollback, which frozen subtrees keep);
    ``factor`` / ``base_marks`` / ``has_failure`` (failure exposure).
    Live nodes' children are laid out level by level so that the children of
    each group of like parents (same kind, same number of children) are
    contiguous rows: a level reduces with reshapes instead of segmented
    reductions. Chance sums run first to last (Monte Carlo's order since it
    was written; tests compare it with the whole-track rollback).
    """

    def _build_layout(self) -> None:
        """Order live nodes and their children level by level, grouping like parents."""
        ct, live = self.ct, self.live
        kind_key = np.where(ct.committed >= 0, _COMMITTED, ct.kind).astype(np.int64)
        moving = np.zeros(ct.size, dtype=np.int64)
        moving[self.moving] = 1
        row_of = np.full(ct.size, -1, dtype=np.int64)
        row_of[0] = 0
        order = [np.array([0], dtype=np.int64)]
        levels: list[list[_Group]] = []
        live_decisions: list[np.ndarray] = []
        n_rows, n_decisions = 1, 0
        current = order[0]
        while True:
            parents = current[live[current] & (ct.child_count[current] > 0)]
            if parents.size == 0:
                break
            counts = ct.child_count[parents]
            key = (kind_key[parents] * 2 + moving[parents]) * (int(counts.max()) + 1) + counts
            parents = parents[np.argsort(key, kind="stable")]
            key = np.sort(key, kind="stable")
            bounds = np.flatnonzero(np.diff(key)) + 1
            groups, next_level = [], []
            for members in np.split(parents, bounds):
                width = int(ct.child_count[members[0]])
                children = (ct.child_start[members][:, None] + np.arange(width)).ravel()
                row_of[children] = np.arange(n_rows, n_rows + children.size)
                rows = row_of[members]
                contiguous = rows.size == 1 or bool((np.diff(rows) == 1).all())
                group = _Group(int(kind_key[members[0]]), slice(int(rows[0]), int(rows[-1]) + 1) if contiguous else rows,
                               members, n_rows, n_rows + children.size, width)
                if group.kind == KIND_CHANCE:
                    if moving[members[0]]:
                        group.prob_rows = self.prob_row[children]
                    else:
                        group.base_p = ct.probability[children].reshape(members.size, width, 1)
                else:
                    group.choice_rows = np.arange(n_decisions, n_decisions + members.size)
                    n_decisions += members.size
                    live_decisions.append(members)
                    if group.kind == _COMMITTED:
                        group.committed = (ct.committed[members] - ct.child_start[members])[:, None]
                groups.append(group)
                next_level.append(children)
                n_rows += children.size
            levels.append(groups)
            current = np.concatenate(next_level)
            order.append(current)
        self.levels = levels
        self.row_of = row_of
        self.layout = np.concatenate(order)
        ends = np.cumsum([len(level) for level in order])
        self.level_rows = [(int(end - len(level)), int(end)) for level, end in zip(order, ends)]
        for depth, groups in enumerate(levels):
            first = self.level_rows[depth][0]
            for g in groups:
                g.parents = (slice(g.parents.start - first, g.parents.stop - first) if isinstance(g.parents, slice)
                             else g.parents - first)
                g.c0 -= self.level_rows[depth + 1][0]
                g.c1 -= self.level_rows[depth + 1][0]
        # Per level: local rows with drawn payoffs and their rows in the draws.
        pay_rows = row_of[self.pay_nodes]
        by_row = np.argsort(pay_rows)
        bounds = np.searchsorted(pay_rows[by_row], np.asarray(self.level_rows).ravel()).reshape(-1, 2)
        self.level_payoffs = [(pay_rows[by_row[a:b]] - first, by_row[a:b])
                              for (a, b), (first, _) in zip(bounds, self.level_rows)]
        self.live_decisions = np.concatenate(live_decisions) if live_decisions else np.zeros(0, dtype=np.int64)
        self.choice_row = np.full(ct.size, -1, dtype=np.int64)
        self.choice_row[self.live_decisions] = np.arange(self.live_decisions.size)
        sizes = np.diff(np.asarray(self.level_rows), axis=1).ravel()
        widest = int((sizes + np.append(sizes[1:], 0)).max())
        self.widest = widest  # rows of the two widest neighbouring levels: what a chunk holds
        at = self.layout
        self.value_init = np.where(live[at], self.effective[at], self.base_value[at])
        self.marks_init = np.where(live[at], self.factor[at], self.base_marks[at])


    def roll(self, payoff: np.ndarray, probability: np.ndarray,
             keep: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per iteration: root EV, chosen option of every live decision, failure exposure.

        Bottom-up over the layout, holding only two levels at a time, so a
        chunk's memory follows the widest level rather than the whole tree.
        ``keep = (rows, out)`` also copies the per-iteration values of those
        layout rows (:attr:`row_of`) into ``out``, shape (len(rows), k)
        (value of information reads a decision's options this way).
        """
        k = payoff.shape[1]
        choice = np.empty((self.live_decisions.size, k), dtype=np.int64)
        sign = self.ct.sign
        below = below_marks = None
        for depth in range(len(self.level_rows) - 1, -1, -1):
            first, end = self.level_rows[depth]
            value = np.empty((end - first, k))
            value[:] = self.value_init[first:end, None]
            local, drawn = self.level_payoffs[depth]
            if local.size:
                value[local] = payoff[drawn]
            marks = None
            if self.has_failure:
                marks = np.empty((end - first, k))
                marks[:] = self.marks_init[first:end, None]
            for g in self.levels[depth] if depth < len(self.levels) else ():
                shape = ((g.c1 - g.c0) // g.width, g.width, k)
                children = below[g.c0:g.c1].reshape(shape)
                child_marks = below_marks[g.c0:g.c1].reshape(shape) if marks is not None else None
                if g.kind == KIND_CHANCE:
                    p = g.base_p if g.prob_rows is None else probability[g.prob_rows].reshape(shape)
                    add = np.einsum("pck,pck->pk", p, children) if g.base_p is None else (p * children).sum(axis=1)
                    add_marks = (p * child_marks).sum(axis=1) if marks is not None else None
                else:
                    if g.kind == _COMMITTED:
                        pick = np.broadcast_to(g.committed, (shape[0], k))
                    else:  # the lead's tie rule, as in the whole-track driver
                        pick = pick_option(children, sign)
                    index = pick[:, None, :]
                    add = np.take_along_axis(children, index, axis=1)[:, 0]
                    add_marks = np.take_along_axis(child_marks, index, axis=1)[:, 0] if marks is not None else None
                    choice[g.choice_rows] = self.ct.child_start[g.parents_ct][:, None] + pick
                value[g.parents] += add
                if marks is not None:
                    marks[g.parents] *= add_marks
            if keep is not None:  # rows of this level: copy before the level is dropped
                here = (keep[0] >= first) & (keep[0] < end)
                keep[1][here] = value[keep[0][here] - first]
            below, below_marks = value, marks
        exposure = np.clip(1.0 - below_marks[0], 0.0, 1.0) if below_marks is not None else np.zeros(k)
        return below[0].copy(), choice, exposure


def in_order(work: Callable, items: Iterable[tuple], workers: int | None = None) -> Iterator:
    """``work(*item)`` for each item, results in the items' order, up to ``workers`` at a time.

    ``items`` is consumed in this thread, one item ahead of the results at
    most per worker (random draws stay in their stream's order, and memory
    follows ``workers`` chunks). Each ``work`` call must depend on its item
    only: the results are then those of a plain loop. An exception reaches
    the caller at the item that raised it, as in a loop; when the caller
    stops early (an error, a cancel), the chunks still in flight are waited
    for and dropped.
    """
    workers = WORKERS if workers is None else workers
    if workers <= 1:
        for item in items:
            yield work(*item)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rollback")
    pending = []
    try:
        for item in items:
            # The caller's context goes along (numpy's error state is a context variable).
            pending.append(pool.submit(contextvars.copy_context().run, work, *item))
            if len(pending) >= workers:
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)


__all__ = ["TIE_TOLERANCE", "GroupedLayout", "follow_policy_grouped", "in_order", "level_sum", "pick_option", "rollback_grouped"]
