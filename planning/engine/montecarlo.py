"""Monte Carlo simulation of a track (DESIGN point 6).

Each iteration draws every parameter with a range (see
:func:`planning.engine.parameters.compiled_parameters`: plan and local variables,
branch probabilities, payoffs) from a Beta-PERT distribution (lambda = 4,
mode = the point value clipped into the range; a zero-width range is a
constant). It then re-evaluates the expressions that read the drawn
variables, re-shares ``#`` branches, clips branch probabilities to [0, 1]
and scales each affected chance node's branches to sum to 1. A drawn branch
probability replaces what the branch says (a number, an expression or ``#``).

Per iteration the core computes, as columns of (nodes x iterations)
matrices: the EV under that iteration's re-optimised policy; the option each
decision takes (ties go to the first option, ``committed`` wins); the failure
exposure under that policy; and one sampled path (chance nodes pick a branch
with the drawn probabilities, decisions follow the policy) with its realised
value (the sum of effective payoffs along it) and how it ends (the
terminal's success / failure / neutral path).

Speed: only the part of the tree that can differ between iterations is
rolled back per iteration -- the ancestors of everything drawn, plus their
children, whose subtrees are frozen at the base case. That part is laid out
so that the children of each group of like parents (same kind, same number
of children) are contiguous, so a level reduces with reshapes instead of
segmented reductions. Tests check it against :func:`planning.engine.evaluate.rollback`.

Reproducible: the same seed gives the same numbers whatever the chunk size.
``SeedSequence(seed)`` spawns one PCG64 generator for parameters and one for
paths; each draws uniform doubles iteration by iteration ((k, m) blocks in C
order), so chunks concatenate to the same stream. PERT values come from the
uniforms through an inverse-CDF table per distinct PERT shape (1024
Chebyshev-spaced quantiles, linear in between: numpy's beta sampler is about
20 times slower). The table is exact at its nodes; between them the CDF error
is far below sampling noise, and the outermost cells hold ~2e-6 of the mass.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planning.model import expressions

from planning.engine import linked_draws
from planning.engine.compile import (
    KIND_CHANCE,
    KIND_DECISION,
    PATH_FAILURE,
    PATH_NAMES,
    CompiledTrack,
    compile_track,
)
from planning.model.errors import PlanError, names_nodes
from planning.engine.evaluate import TIE_TOLERANCE, branch_readiness, check_finite, follow_policy, rollback
from planning.model.plan import Plan
from planning.engine.parameters import PAYOFF, PROBABILITY, VARIABLE, Parameter, compiled_parameters, response_additions, scope_values_with

#: Budget for one chunk's (nodes x chunk) matrices, all of them together.
CHUNK_BYTES = 200_000_000
#: Iterations per chunk at most, whatever the tree: a small tree with millions
#: of iterations would otherwise run them as one chunk (1.6 GB for 10M).
MAX_CHUNK = 65_536
#: Per-iteration figures kept at most. Iterations are independent, so the
#: first ``MAX_KEPT`` are a uniform sample of all of them: beyond it, means,
#: standard deviations, end shares and option shares still cover every
#: iteration (streamed chunk by chunk), and percentiles and histograms come
#: from the kept sample. Memory then follows the chunk, not the iterations.
MAX_KEPT = 1_000_000
#: About this many (nodes x chunk) float arrays are alive at once in a chunk.
ARRAYS_PER_CHUNK = 6
PERT_LAMBDA = 4.0
#: Cells of the inverse-CDF table of each PERT distribution.
PERT_CELLS = 1024
END_CODES = {name: code for code, name in enumerate(PATH_NAMES)}
_COMMITTED = 3  # group kind of a decision with a committed option


def default_chunk(n_nodes: int, iterations: int) -> int:
    """Iterations per chunk so that n * chunk * 8 bytes * ~6 arrays stays within CHUNK_BYTES."""
    return int(max(1, min(iterations, CHUNK_BYTES // (8 * ARRAYS_PER_CHUNK * max(n_nodes, 1)))))


def pert_parameters(low, mode, high, lam: float = PERT_LAMBDA) -> tuple[np.ndarray, np.ndarray]:
    """Beta shape parameters (alpha, beta) of the PERT distribution on [low, high]."""
    low, mode, high = (np.asarray(a, dtype=float) for a in (low, mode, high))
    width = np.where(high > low, high - low, 1.0)
    mode = np.clip(mode, low, high)
    return 1.0 + lam * (mode - low) / width, 1.0 + lam * (high - mode) / width


def _chebyshev(cells: int) -> np.ndarray:
    """cells + 1 points on [0, 1], dense near both ends."""
    return 0.5 * (1.0 - np.cos(np.pi * np.arange(cells + 1) / cells))


class PertSampler:
    """Beta-PERT values from uniforms through inverse-CDF tables (one per distinct shape).

    Parameters
    ----------
    low, mode, high : array_like
        One entry per parameter; ``mode`` is clipped into [low, high].
    """

    def __init__(self, low, mode, high, cells: int = PERT_CELLS):
        self.low = np.asarray(low, dtype=float)
        self.width = np.asarray(high, dtype=float) - self.low
        self.cells = cells
        alpha, beta = pert_parameters(low, mode, high)
        grid = _chebyshev(8 * cells)  # where the density is integrated
        u_grid = _chebyshev(cells)  # the quantiles kept
        mid = 0.5 * (grid[1:] + grid[:-1])
        # One table per distinct shape: most parameters share a few shapes,
        # which keeps the lookups in cache.
        shapes, shape_of = np.unique(np.round(np.stack([alpha, beta], axis=1), 12), axis=0, return_inverse=True)
        self.table = np.empty((shapes.shape[0], cells + 1))
        for s, (a, b) in enumerate(shapes):
            with np.errstate(divide="ignore"):
                log_density = (a - 1.0) * np.log(mid) + (b - 1.0) * np.log1p(-mid)
            mass = np.exp(log_density - log_density.max()) * np.diff(grid)
            cdf = np.concatenate([[0.0], np.cumsum(mass)])
            cdf /= cdf[-1]
            self.table[s] = np.interp(u_grid, cdf, grid)
        self.flat_table = self.table.ravel()
        self.table_offset = shape_of.ravel().astype(np.int64) * (cells + 1)

    def __call__(self, uniforms: np.ndarray) -> np.ndarray:
        """Values for uniforms of shape (k, m) (one column per parameter) -> (m, k)."""
        position = np.arccos(np.clip(1.0 - 2.0 * uniforms, -1.0, 1.0))
        position *= self.cells / np.pi
        cell = np.minimum(position.astype(np.int64), self.cells - 1)
        position -= cell  # now the fraction within the cell
        cell += self.table_offset
        lower = np.take(self.flat_table, cell)
        cell += 1
        upper = np.take(self.flat_table, cell)
        upper -= lower
        upper *= position
        lower += upper
        lower *= self.width
        lower += self.low
        return lower.T


@dataclass
class SimulationResult:
    """Per-iteration figures of a Monte Carlo run and their summary."""

    track_id: str | None
    iterations: int
    seed: int
    base_ev: float
    ev: np.ndarray
    exposure: np.ndarray
    outcome: np.ndarray
    end_path: np.ndarray  # int8: 0 success, 1 failure, 2 neutral
    option_best: dict[str, dict[str, float]]
    base_policy: dict[str, str]
    on_policy_decisions: list[str]
    parameters: list[Parameter] = field(default_factory=list)
    #: Beyond MAX_KEPT iterations: (count, mean, sum of squared deviations) of
    #: every iteration for "ev", "outcome", "exposure", and the end counts.
    streamed: dict | None = field(default=None, repr=False)

    @property
    def kept(self) -> int:
        """How many iterations' figures ``ev``, ``outcome``... hold (all, up to MAX_KEPT)."""
        return int(self.ev.size)

    def _stats(self, values: np.ndarray, what: str | None = None) -> dict:
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        if self.streamed is not None and what is not None:
            count, mean, m2 = self.streamed[what]
            centre, spread = mean, math.sqrt(m2 / count)
        else:
            centre, spread = values.mean(), values.std()
        return {"mean": float(centre), "std": float(spread),
                "p5": float(p5), "p50": float(p50), "p95": float(p95)}

    def end_shares(self) -> dict[str, float]:
        """Share of sampled paths ending in each of success / failure / neutral."""
        if self.streamed is not None:
            counts = self.streamed["ends"] / max(self.iterations, 1)
        else:
            counts = np.bincount(self.end_path, minlength=3) / max(self.iterations, 1)
        return {name: float(counts[code]) for code, name in enumerate(PATH_NAMES)}

    def summary(self) -> dict:
        """Mean, std and 5/50/95 percentiles of EV, outcome and exposure; end shares.

        Beyond MAX_KEPT iterations the means, standard deviations and end
        shares cover every iteration; the percentiles come from the first
        MAX_KEPT (a uniform sample: iterations are independent).
        """
        exposure = self._stats(self.exposure, "exposure")
        return {
            "ev": self._stats(self.ev, "ev"),
            "outcome": self._stats(self.outcome, "outcome"),
            "exposure": exposure,
            "exposure_mean": exposure["mean"] if self.streamed is not None else float(self.exposure.mean()),
            "ends": self.end_shares(),
        }

    def histogram(self, what: str = "ev", bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
        """Counts and bin edges of ``ev``, ``outcome`` or ``exposure``."""
        return np.histogram(getattr(self, what), bins=bins)

    def to_json(self, samples: bool = False) -> dict:
        """The dict ``branchwise simulate --json`` prints (``samples`` adds every iteration)."""
        out = {
            "track": self.track_id,
            "iterations": self.iterations,
            "seed": self.seed,
            "base_ev": self.base_ev,
            "summary": self.summary(),
            "option_best": {d: dict(shares) for d, shares in self.option_best.items()},
            "base_policy": dict(self.base_policy),
            "on_policy_decisions": list(self.on_policy_decisions),
            "parameters": [p.to_json() for p in self.parameters],
        }
        if self.kept < self.iterations:
            out["kept_iterations"] = self.kept  # percentiles and samples come from these
        if samples:
            out["samples"] = {
                "ev": self.ev.tolist(), "exposure": self.exposure.tolist(), "outcome": self.outcome.tolist(),
                "end_path": [PATH_NAMES[c] for c in self.end_path],
            }
        return out


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


class _Simulator:
    """The compiled track, what varies between iterations and the reduced layout."""

    def __init__(self, ct: CompiledTrack, params: list[Parameter]):
        self.ct = ct
        self.params = params
        n = ct.size
        self.additions = response_additions(ct)
        self.effective = ct.payoff + self.additions
        self.base_value, self.base_chosen = rollback(ct, self.effective)
        failure = ct.is_branch & (ct.path == PATH_FAILURE)
        self.has_failure = bool(failure.any())
        self.factor = np.where(failure, branch_readiness(ct), 1.0)
        self.base_marks = follow_policy(ct, self.factor, self.base_chosen)

        low = np.array([p.low for p in params])
        high = np.array([p.high for p in params])
        self.mode = np.clip(np.array([p.base for p in params]), low, high) if params else np.zeros(0)
        self.random = np.flatnonzero(high > low) if params else np.zeros(0, dtype=np.int64)
        self.sampler = PertSampler(low[self.random], self.mode[self.random], high[self.random]) if self.random.size else None
        self.var_params = [j for j, p in enumerate(params) if p.kind == VARIABLE]
        self.drawn_prob = np.array([j for j, p in enumerate(params) if p.kind == PROBABILITY], dtype=np.int64)
        self.drawn_prob_nodes = np.array([params[j].node_index for j in self.drawn_prob], dtype=np.int64)
        self.drawn_pay = np.array([j for j, p in enumerate(params) if p.kind == PAYOFF], dtype=np.int64)
        self.drawn_pay_nodes = np.array([params[j].node_index for j in self.drawn_pay], dtype=np.int64)
        varies = bool(self.var_params)
        # What can move: payoff rows and the chance nodes whose branches move.
        pay_nodes = {params[j].node_index for j, p in enumerate(params) if p.kind == PAYOFF}
        moving = {int(ct.parent[p.node_index]) for p in params if p.kind == PROBABILITY}
        if varies:
            for f in ct.expression_fields:
                if f.field == "probability":
                    moving.add(int(ct.parent[f.node]))
                else:
                    pay_nodes.add(f.node)
        self.pay_nodes = np.array(sorted(pay_nodes), dtype=np.int64)
        # Moving chance nodes sorted by their number of branches, so that the
        # branches of each such group are a (parents, width) block of rows.
        moving = np.array(sorted(moving), dtype=np.int64)
        self.moving = moving[np.argsort(ct.child_count[moving], kind="stable")]
        self.prob_nodes, counts, offsets = _child_rows(ct, self.moving)
        self.moving_groups: list[tuple[int, int, int, int]] = []  # (first row, end row, parents, width)
        for members in np.split(np.arange(counts.size), np.flatnonzero(np.diff(counts)) + 1):
            if members.size:
                first, width = int(offsets[members[0]]), int(counts[members[0]])
                self.moving_groups.append((first, first + width * members.size, members.size, width))
        self.pay_row = np.full(n, -1, dtype=np.int64)
        self.pay_row[self.pay_nodes] = np.arange(self.pay_nodes.size)
        self.prob_row = np.full(n, -1, dtype=np.int64)
        self.prob_row[self.prob_nodes] = np.arange(self.prob_nodes.size)
        # Live nodes: their value can differ between iterations (closed upwards).
        live = np.zeros(n, dtype=bool)
        live[self.pay_nodes] = True
        live[self.moving] = True
        for d in range(ct.levels - 1, 0, -1):
            lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
            live[ct.parent[lo:hi][live[lo:hi]]] = True
        self.live = live
        self._build_layout()
        self.chance_levels = {d: s for s, d in enumerate(
            d for d in range(ct.levels - 1)
            if (ct.kind[ct.level_start[d]:ct.level_start[d + 1]] == KIND_CHANCE).any())}

    # -- layout ----------------------------------------------------------------
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
        #: Rows of (rows x iterations) arrays alive in one chunk, roughly.
        self.chunk_rows = (8 * widest + self.live_decisions.size + 5 * self.random.size
                           + 3 * (self.pay_nodes.size + self.prob_nodes.size))
        at = self.layout
        self.value_init = np.where(live[at], self.effective[at], self.base_value[at])
        self.marks_init = np.where(live[at], self.factor[at], self.base_marks[at])

    # -- one chunk -----------------------------------------------------------------
    def draw(self, rng: np.random.Generator, k: int) -> np.ndarray:
        """Parameter values, shape (m, k); uniforms are drawn iteration by iteration."""
        if self.sampler is None:
            return np.repeat(self.mode[:, None], k, axis=1)
        drawn = self.sampler(rng.random((k, self.random.size)))
        if self.random.size == self.mode.size:
            return drawn
        values = np.repeat(self.mode[:, None], k, axis=1)
        values[self.random] = drawn
        return values

    def _failing_draw(self, values: np.ndarray, field=None, tries: int = 2000) -> str:
        """Words for the first drawn column that makes the failure happen: ``when x = 0.213 was drawn``.

        Only on the error path: columns are tried one by one (at most ``tries``),
        so the planner reads which drawn values break the expression, not just
        that some did.
        """
        params = [self.params[j] for j in self.var_params]
        for column in range(min(values.shape[1], tries)):
            point = {(p.scope, p.variable): float(values[j, column]) for j, p in zip(self.var_params, params)}
            try:
                scopes = scope_values_with(self.ct, point)
                if field is not None:
                    field.expression.evaluate(scopes[field.scope])
            except (PlanError, expressions.ExpressionError):
                drawn = [f"{p.name} = {float(values[j, column]):.4g}" for j, p in zip(self.var_params, params)]
                shown = ", ".join(drawn[:4]) + (f" and {len(drawn) - 4} more" if len(drawn) > 4 else "")
                return f" when the Monte Carlo draw gives {shown}"
        return " for some drawn values of the variables"

    def scenario(self, values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Drawn effective payoffs (pay_nodes x k) and branch probabilities (prob_nodes x k)."""
        ct, params = self.ct, self.params
        payoff = np.repeat(ct.payoff[self.pay_nodes][:, None], k, axis=1)
        probability = np.repeat(ct.probability[self.prob_nodes][:, None], k, axis=1)
        if self.var_params:
            overrides = {(params[j].scope, params[j].variable): values[j] for j in self.var_params}
            try:
                scope_values = scope_values_with(ct, overrides)
            except PlanError as exc:  # a variable defined from drawn ones (no node: a plan variable)
                raise PlanError(exc.node_id, exc.field, f"{exc.message}{self._failing_draw(values)}",
                                exc.label) from None
            for f in ct.expression_fields:
                try:
                    value = f.expression.evaluate(scope_values[f.scope])
                except expressions.ExpressionError as exc:
                    raise PlanError(ct.ids[f.node], f.field, f"{exc}{self._failing_draw(values, f)}") from None
                if f.field == "probability":
                    probability[self.prob_row[f.node]] = value
                else:
                    payoff[self.pay_row[f.node]] = value
        if self.drawn_prob.size:
            probability[self.prob_row[self.drawn_prob_nodes]] = values[self.drawn_prob]
        if self.drawn_pay.size:
            payoff[self.pay_row[self.drawn_pay_nodes]] = values[self.drawn_pay]
        if self.moving.size:
            self._renormalise(probability)
        payoff += self.additions[self.pay_nodes][:, None]
        return payoff, probability

    def _renormalise(self, block: np.ndarray) -> None:
        """Re-share '#', clip to [0, 1] and scale each moving chance node's branches to sum 1."""
        ct = self.ct
        k = block.shape[1]
        all_shares = ct.shares[self.prob_nodes]
        base = ct.probability[self.prob_nodes]
        for start, stop, parents, width in self.moving_groups:
            branches = block[start:stop].reshape(parents, width, k)
            shares = all_shares[start:stop].reshape(parents, width, 1)
            if shares.any():
                explicit = np.where(shares, 0.0, branches).sum(axis=1)
                rest = np.maximum(1.0 - explicit, 0.0) / np.maximum(shares.sum(axis=1), 1)
                np.copyto(branches, rest[:, None, :], where=shares)
            np.clip(branches, 0.0, 1.0, out=branches)
            sums = branches.sum(axis=1)
            empty = sums <= 0.0
            if empty.any():  # every branch at 0: fall back to the point values
                np.copyto(branches, base[start:stop].reshape(parents, width, 1), where=empty[:, None, :])
                sums = branches.sum(axis=1)
            branches /= sums[:, None, :]

    def full_matrices(self, payoff: np.ndarray, probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The whole track's (n, k) effective payoffs and probabilities (for checking)."""
        k = payoff.shape[1]
        pay = np.repeat(self.effective[:, None], k, axis=1)
        pay[self.pay_nodes] = payoff
        prob = np.repeat(self.ct.probability[:, None], k, axis=1)
        prob[self.prob_nodes] = probability
        return pay, prob

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
                    elif g.width == 1:
                        pick = np.zeros((shape[0], k), dtype=np.int64)
                    else:
                        # The lead's tie rule: the first option within TIE_TOLERANCE of the best.
                        signed = children if sign > 0 else -children
                        best = signed.max(axis=1)
                        floor = best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
                        pick = np.full((shape[0], k), g.width - 1, dtype=np.int64)
                        for j in range(g.width - 2, -1, -1):
                            pick = np.where(signed[:, j] >= floor, j, pick)
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

    def sample_paths(self, uniforms: np.ndarray, choice: np.ndarray, payoff: np.ndarray,
                     probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Walk one path per iteration from the root; its realised value and end code."""
        ct = self.ct
        k = uniforms.shape[0]
        current = np.zeros(k, dtype=np.int64)
        outcome = self._payoff_at(current, np.arange(k), payoff)
        for d in range(ct.levels - 1):
            kind = ct.kind[current]
            nxt = current.copy()
            decision = np.flatnonzero(kind == KIND_DECISION)
            if decision.size:
                node = current[decision]
                row = self.choice_row[node]
                picked = self.base_chosen[node]
                live = row >= 0
                picked[live] = choice[row[live], decision[live]]
                nxt[decision] = picked
            chance = np.flatnonzero(kind == KIND_CHANCE)
            if chance.size:
                rows, counts, offsets = _child_rows(ct, current[chance])
                column = np.repeat(chance, counts)
                p = ct.probability[rows]
                drawn = self.prob_row[rows]
                moved = drawn >= 0
                p[moved] = probability[drawn[moved], column[moved]]
                cum = np.cumsum(p)
                cum -= np.repeat(cum[offsets] - p[offsets], counts)  # restart per iteration
                # Scale each uniform by its branches' total so rounding in the
                # sum can never select a zero-probability last branch.
                u = uniforms[chance, self.chance_levels[d]] * cum[offsets + counts - 1]
                below = np.add.reduceat((cum <= np.repeat(u, counts)).astype(np.int64), offsets)
                nxt[chance] = ct.child_start[current[chance]] + np.minimum(below, counts - 1)
            step = np.flatnonzero(nxt != current)
            if step.size == 0:
                break
            outcome[step] += self._payoff_at(nxt[step], step, payoff)
            current = nxt
        return outcome, ct.path[current].astype(np.int8)

    def _payoff_at(self, nodes: np.ndarray, columns: np.ndarray, payoff: np.ndarray) -> np.ndarray:
        value = self.effective[nodes]
        row = self.pay_row[nodes]
        drawn = row >= 0
        value[drawn] = payoff[row[drawn], columns[drawn]]
        return value


@names_nodes
@np.errstate(over="ignore", invalid="ignore")  # overflow is checked and reported instead
def simulate(plan: Plan, track_id: str | None = None, iterations: int = 10000, seed: int = 0,
             chunk: int | None = None, root: str | None = None,
             ranges: dict[str, tuple[float, float]] | None = None,
             progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Run a seeded Monte Carlo simulation of one track.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
        The track (the first one by default).
    iterations : int
        Number of iterations (>= 1).
    seed : int
        The same seed gives the same result whatever ``chunk``.
    chunk : int, optional
        Iterations per chunk at most; by default chosen from the tree size so
        that a chunk's matrices stay near 200 MB at most (a larger ``chunk``
        is cut down to that budget too). Results do not depend on it.
    root : str, optional
        Simulate the subtree under this node (DESIGN point 8).
    ranges : dict, optional
        ``{name: (low, high)}`` overriding or adding parameter ranges.
    progress : callable, optional
        ``progress(done, iterations)`` before the first chunk (``done`` 0) and
        after each one. It may raise to stop the run (the window's Cancel):
        the exception propagates. The window runs this very function with a
        hook, so its numbers are those of ``branchwise simulate``.

    Returns
    -------
    SimulationResult

    Raises
    ------
    PlanError
        The track cannot be evaluated, an expression fails for drawn values,
        or a value is not a finite number (payoffs adding up beyond float range).
    """
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    ct = compile_track(plan, track_id, root)
    params = compiled_parameters(ct, ranges)
    # Linked tracks: one row per value read from another track, filled per chunk.
    linked = linked_draws.for_simulation(plan, ct, params, seed)
    sim = _Simulator(ct, params + linked.params)
    check_finite(ct, sim.base_value)
    budget = max(1, min(MAX_CHUNK, CHUNK_BYTES // (8 * max(sim.chunk_rows, 1))))
    chunk = min(iterations, budget) if chunk is None else min(int(chunk), budget)
    chunk = max(1, chunk)
    kept = min(iterations, MAX_KEPT)
    streamed = _Stream() if kept < iterations else None
    param_seq, path_seq = np.random.SeedSequence(seed).spawn(2)
    param_rng = np.random.Generator(np.random.PCG64(param_seq))
    path_rng = np.random.Generator(np.random.PCG64(path_seq))

    decisions = np.flatnonzero(ct.kind == KIND_DECISION)
    hits = np.zeros(ct.size, dtype=np.int64)  # times each option was chosen
    frozen = decisions[sim.choice_row[decisions] < 0]
    ev = np.empty(kept)
    exposure = np.empty(kept)
    outcome = np.empty(kept)
    end_path = np.empty(kept, dtype=np.int8)
    if progress is not None:
        progress(0, iterations)
    for start in range(0, iterations, chunk):
        k = min(chunk, iterations - start)
        values = sim.draw(param_rng, k)
        linked.fill(values, k)
        uniforms = path_rng.random((k, len(sim.chance_levels)))
        payoff, probability = sim.scenario(values, k)
        chunk_ev, choice, chunk_exposure = sim.roll(payoff, probability)
        if choice.size:
            hits += np.bincount(choice.ravel(), minlength=ct.size)
        hits[sim.base_chosen[frozen]] += k
        chunk_outcome, chunk_end = sim.sample_paths(uniforms, choice, payoff, probability)
        if not (np.isfinite(chunk_ev).all() and np.isfinite(chunk_outcome).all()):
            raise PlanError(ct.root_id, "payoff", "a simulated value is not a finite number: the drawn "
                                                  "payoffs add up beyond 1.8e308 (use a larger unit)")
        if start < kept:
            part, take = slice(start, min(start + k, kept)), min(k, kept - start)
            ev[part], exposure[part] = chunk_ev[:take], chunk_exposure[:take]
            outcome[part], end_path[part] = chunk_outcome[:take], chunk_end[:take]
        if streamed is not None:
            streamed.add(ev=chunk_ev, outcome=chunk_outcome, exposure=chunk_exposure, ends=chunk_end)
        if progress is not None:
            progress(start + k, iterations)

    ids = ct.ids
    option_best = {ids[d]: {ids[c]: float(hits[c] / iterations) for c in ct.children(int(d))} for d in decisions}
    return SimulationResult(
        track_id=ct.track_id, iterations=iterations, seed=seed, base_ev=float(sim.base_value[0]),
        ev=ev, exposure=exposure, outcome=outcome, end_path=end_path, option_best=option_best,
        base_policy={ids[d]: ids[sim.base_chosen[d]] for d in decisions},
        on_policy_decisions=_on_policy_decisions(ct, sim.base_chosen), parameters=params,
        streamed=streamed.figures() if streamed is not None else None,
    )


class _Stream:
    """Count, mean and squared deviations merged chunk by chunk (Chan et al.), end counts."""

    def __init__(self) -> None:
        self.moments = {name: (0, 0.0, 0.0) for name in ("ev", "outcome", "exposure")}
        self.ends = np.zeros(3, dtype=np.int64)

    def add(self, ends: np.ndarray, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            count, mean, m2 = self.moments[name]
            k = values.size
            chunk_mean = float(values.mean())
            chunk_m2 = float(((values - chunk_mean) ** 2).sum())
            total = count + k
            delta = chunk_mean - mean
            self.moments[name] = (total, mean + delta * k / total, m2 + chunk_m2 + delta * delta * count * k / total)
        self.ends += np.bincount(ends, minlength=3)

    def figures(self) -> dict:
        return {**self.moments, "ends": self.ends}


def _on_policy_decisions(ct: CompiledTrack, chosen: np.ndarray) -> list[str]:
    """Decisions reached under the base policy, breadth-first."""
    reached = np.zeros(ct.size, dtype=bool)
    reached[0] = True
    for d in range(1, ct.levels):
        lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
        parent = ct.parent[lo:hi]
        open_edge = (ct.kind[parent] != KIND_DECISION) | (chosen[parent] == np.arange(lo, hi))
        reached[lo:hi] = reached[parent] & open_edge
    return [ct.ids[i] for i in np.flatnonzero(reached & (ct.kind == KIND_DECISION))]


__all__ = ["END_CODES", "PertSampler", "SimulationResult", "default_chunk", "pert_parameters", "simulate"]
