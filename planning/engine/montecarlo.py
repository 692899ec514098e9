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
segmented reductions (:class:`planning.engine.grouped.GroupedLayout`, the
grouped engine's live-part driver). Tests check it against
:func:`planning.engine.evaluate.rollback`.

Reproducible: the same seed gives the same numbers whatever the chunk size.
``SeedSequence(seed)`` spawns one PCG64 generator for parameters and one for
paths; each draws uniform doubles iteration by iteration ((k, m) blocks in C
order), so chunks concatenate to the same stream. PERT values come from the
uniforms through inverse-CDF tables (:mod:`planning.engine.pert`).
"""
from __future__ import annotations

import math
from contextlib import closing
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
from planning.engine.evaluate import branch_readiness, check_finite, follow_policy, rollback
from planning.engine.grouped import GroupedLayout, _child_rows, in_order
from planning.engine.pert import PertSampler, pert_parameters  # noqa: F401 (re-exported)
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
END_CODES = {name: code for code, name in enumerate(PATH_NAMES)}


def default_chunk(n_nodes: int, iterations: int) -> int:
    """Iterations per chunk so that n * chunk * 8 bytes * ~6 arrays stays within CHUNK_BYTES."""
    return int(max(1, min(iterations, CHUNK_BYTES // (8 * ARRAYS_PER_CHUNK * max(n_nodes, 1)))))



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



class _Simulator(GroupedLayout):
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
        self._rows_in_layout_order()
        #: Rows of (rows x iterations) arrays alive in one chunk, roughly.
        self.chunk_rows = (8 * self.widest + self.live_decisions.size + 5 * self.random.size
                           + 3 * (self.pay_nodes.size + self.prob_nodes.size))
        self.chance_levels = {d: s for s, d in enumerate(
            d for d in range(ct.levels - 1)
            if (ct.kind[ct.level_start[d]:ct.level_start[d + 1]] == KIND_CHANCE).any())}

    def _rows_in_layout_order(self) -> None:
        """Put the moving branches' rows in layout order: each chance group's block is then a slice.

        The roll reads a group's drawn probabilities as a view instead of
        gathering them per chunk; re-sharing runs group by group (the same
        arithmetic per chance node, so the same numbers).
        """
        groups = [g for level in self.levels for g in level if g.prob_rows is not None]
        if not groups:
            return
        self.moving = np.concatenate([g.parents_ct for g in groups])
        self.prob_nodes, _, _ = _child_rows(self.ct, self.moving)
        self.prob_row[:] = -1
        self.prob_row[self.prob_nodes] = np.arange(self.prob_nodes.size)
        self.moving_groups, row = [], 0
        for g in groups:
            end = row + g.parents_ct.size * g.width
            self.moving_groups.append((row, end, g.parents_ct.size, g.width))
            g.prob_rows = slice(row, end)
            row = end

    # -- one chunk -----------------------------------------------------------------
    def draw(self, rng: np.random.Generator, k: int) -> np.ndarray:
        """Parameter values, shape (m, k); uniforms are drawn iteration by iteration."""
        return self.values(self.uniforms(rng, k), k)

    def uniforms(self, rng: np.random.Generator, k: int) -> np.ndarray | None:
        """The next k iterations' uniforms of the drawn parameters (the stream's order), or None."""
        return rng.random((k, self.random.size)) if self.sampler is not None else None

    def values(self, uniforms: np.ndarray | None, k: int) -> np.ndarray:
        """Parameter values, shape (m, k), from :meth:`uniforms` (PERT through the tables)."""
        if self.sampler is None:
            return np.repeat(self.mode[:, None], k, axis=1)
        drawn = self.sampler(uniforms)
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
    # Large trees roll two chunks side by side (grouped.in_order); a small tree's chunks are capped
    # by MAX_CHUNK, and one at a time keeps its memory where that cap put it (10M iterations).
    workers = 1 if budget >= MAX_CHUNK else None
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
    def draws():
        """Each chunk's random numbers, in the streams' order (here, in this thread)."""
        for start in range(0, iterations, chunk):
            k = min(chunk, iterations - start)
            values = sim.uniforms(param_rng, k)
            if linked.params:  # the read tracks draw with this chunk's plan variables
                values = sim.values(values, k)
                linked.fill(values, k)
            yield start, k, values, path_rng.random((k, len(sim.chance_levels)))

    def run(start: int, k: int, values, uniforms: np.ndarray):
        """One chunk's figures: a pure function of its draws, so chunks may run side by side."""
        if not linked.params:
            values = sim.values(values, k)
        payoff, probability = sim.scenario(values, k)
        chunk_ev, choice, chunk_exposure = sim.roll(payoff, probability)
        chunk_outcome, chunk_end = sim.sample_paths(uniforms, choice, payoff, probability)
        return start, k, chunk_ev, choice, chunk_exposure, chunk_outcome, chunk_end

    with closing(in_order(run, draws(), workers)) as chunks:  # closing: a cancel waits for the chunk in flight
        for start, k, chunk_ev, choice, chunk_exposure, chunk_outcome, chunk_end in chunks:
            if choice.size:
                hits += np.bincount(choice.ravel(), minlength=ct.size)
            hits[sim.base_chosen[frozen]] += k
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
