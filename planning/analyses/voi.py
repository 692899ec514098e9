"""Value of information: what is it worth to know a ranged quantity before deciding?

DESIGN ("Decision rules, two criteria, value of information"): per Monte Carlo
iteration i, V_i(o) is the value of each option o of the track's first
decision with the later decisions re-optimised for that iteration's draw.
With s = +1 (maximize) or -1 (minimize), in the plan's units:

* EVPI = mean_i max_o s V_i(o) - max_o mean_i s V_i(o): what knowing every
  ranged quantity before deciding is worth.
* EVPPI of one quantity (a variable, ``NODE.probability`` or ``NODE.payoff``,
  named as in :mod:`planning.analyses.sensitivity`): sort the iterations by its drawn
  value, cut them into about sqrt(N) bins of equal count, take max_o of each
  bin's mean, average over the bins (weighted by their counts) and subtract
  max_o mean_i s V_i(o).

The draws are those of :func:`planning.engine.montecarlo.simulate` for the same seed
(the same parameter generator and sampler, chunk by chunk), so ``simulate``'s
EV of iteration i is the root's payoff plus max_o V_i(o) when the first
decision is the root and not committed.

Estimator notes. Within a bin the max of means is at most the mean of maxes,
so the estimate of an EVPPI never exceeds the EVPI estimate of the same run.
The bin estimator is biased upwards: with n iterations per bin the bin means
carry noise of the other quantities, and the max over options of noisy means
exceeds the max of the true conditional means by up to about
sd(V_i(o) - V_i(o')) / sqrt(n) where options are close. Two cases are exact
zeros: a quantity that cannot move any value below the decision (checked by
re-evaluating the scenario at four points inside its range) and a decision whose
best option is the same in every iteration (EVPI and every EVPPI are then 0,
up to rounding, which is clipped). Tiny negatives from rounding are clipped
at 0. :attr:`VoiResult.noise` measures the bias of each run: the estimate for
the iterations in random orders (unrelated to anything); EVPPIs near it are
indistinguishable from nothing.

The first decision is the root when it is a decision, else the first decision
(breadth-first) the base-case policy reaches; V_i(o) is then the value of the
option's subtree, as the decision compares them. With two criteria, V_i(o)
is the combined value w * s1 * V1 + s2 * V2 (:mod:`planning.analyses.combined`), and
``NODE.payoff2`` ranges are quantities too.

Memory: the rollback runs in chunks like ``simulate``; what is kept for all
iterations is one value per option and per quantity (8 bytes each).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planning.engine import linked_draws
from planning.engine.compile import KIND_DECISION, CompiledTrack, compile_track
from planning.model.errors import PlanError
from planning.model.plan import Plan
from planning.engine.montecarlo import CHUNK_BYTES, _on_policy_decisions, _Simulator
from planning.engine.parameters import PAYOFF, PROBABILITY, Parameter, compiled_parameters

#: Relative size below which an EVPI / EVPPI is rounding noise and reported as 0.
ZERO_TOLERANCE = 1e-9
#: Random orderings averaged for the estimator's noise floor (:attr:`VoiResult.noise`).
NOISE_ORDERINGS = 5
#: Points of a quantity's range at which relevance to the decision is checked (inside the
#: range: an expression may fail at an end that no PERT draw reaches).
RELEVANCE_POINTS = (0.05, 0.35, 0.65, 0.95)

Progress = Callable[[int, int], None]


@dataclass
class Evppi:
    """The expected value of partial perfect information of one quantity."""

    name: str
    kind: str
    node_id: str | None
    value: float
    relevant: bool  # False: the quantity cannot move any value below the decision

    def to_json(self) -> dict:
        return {"name": self.name, "value": self.value, "kind": self.kind, "node": self.node_id}


@dataclass
class VoiResult:
    """EVPI and EVPPIs of one track's decision from one seeded Monte Carlo run.

    ``option_ev`` is mean_i V_i(o) per option (plan units, not signed);
    ``ev_now`` the best of them (deciding now), ``ev_informed`` the mean of
    the per-iteration best (deciding with every quantity known). ``values``
    holds V_i(o), shape (options, iterations).
    """

    track_id: str | None
    decision: str | None
    iterations: int
    seed: int
    bins: int
    options: list[str]
    option_ev: dict[str, float]
    best_option: str | None
    ev_now: float
    ev_informed: float
    evpi: float
    evppi: list[Evppi]
    option_best: dict[str, float] = field(default_factory=dict)
    noise: float = 0.0  # the estimator's EVPPI for a quantity unrelated to anything (its bias here)
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

    def to_json(self) -> dict:
        """The dict ``branchwise voi --json`` prints per track."""
        return {
            "id": self.track_id, "decision": self.decision, "iterations": self.iterations, "seed": self.seed,
            "bins": self.bins, "evpi": self.evpi, "evppi": [e.to_json() for e in self.evppi],
            "best_option": self.best_option, "ev": self.ev_now, "ev_informed": self.ev_informed,
            "option_ev": dict(self.option_ev), "option_best": dict(self.option_best), "noise": self.noise,
        }


def first_decision(ct: CompiledTrack, chosen: np.ndarray) -> int | None:
    """The track's first decision: the root if it is one, else the first reached under the policy.

    Breadth-first over the decisions the base-case policy reaches; None when
    the track has no decision.
    """
    if ct.kind[0] == KIND_DECISION:
        return 0
    reached = _on_policy_decisions(ct, chosen)
    return ct.index[reached[0]] if reached else None


def bin_count(iterations: int) -> int:
    """Bins of the EVPPI estimator: about sqrt(iterations), at least 1.

    >>> bin_count(10_000), bin_count(10), bin_count(1)
    (100, 3, 1)
    """
    return max(1, int(round(math.sqrt(iterations))))


def evpi_of(signed: np.ndarray) -> float:
    """mean_i max_o - max_o mean_i of signed option values, shape (options, iterations).

    >>> evpi_of(np.array([[0.0, 0.0], [-1.0, 3.0]]))  # (0 + 3) / 2 - max(0, 1)
    0.5
    """
    return float(signed.max(axis=0).mean() - signed.mean(axis=1).max())


def evppi_of(signed: np.ndarray, key: np.ndarray, bins: int) -> float:
    """The binned EVPPI of the quantity ``key`` (one value per iteration).

    Iterations sorted by ``key`` (stable) are cut into ``bins`` runs of equal
    count (within one); the count-weighted mean over runs of max_o of the
    run's mean, minus max_o of the overall mean.

    >>> v = np.array([[0.0, 0.0, 0.0, 0.0], [-2.0, -1.0, 1.0, 2.0]])
    >>> evppi_of(v, np.array([1.0, 2.0, 3.0, 4.0]), 2)
    0.75
    """
    n = signed.shape[1]
    bins = max(1, min(bins, n))
    starts = (np.arange(bins) * n) // bins
    counts = np.diff(np.append(starts, n))
    ordered = signed[:, np.argsort(key, kind="stable")]
    sums = np.add.reduceat(ordered, starts, axis=1)
    informed = (sums / counts).max(axis=0) @ counts / n
    return float(informed - signed.mean(axis=1).max())


def noise_floor(signed: np.ndarray, bins: int, seed: int = 0) -> float:
    """The estimator's EVPPI for a quantity independent of everything: its upward bias here.

    Mean over :data:`NOISE_ORDERINGS` seeded random orderings of the
    iterations (a stream of its own: it changes none of the draws).
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed).spawn(3)[2]))
    n = signed.shape[1]
    return float(np.mean([max(evppi_of(signed, rng.random(n), bins), 0.0) for _ in range(NOISE_ORDERINGS)]))


def _subtree(ct: CompiledTrack, node: int) -> np.ndarray:
    """Mask of the nodes strictly below ``node`` (breadth-first order: parents come first)."""
    inside = np.zeros(ct.size, dtype=bool)
    inside[node] = True
    for i in range(node + 1, ct.size):
        inside[i] = inside[ct.parent[i]]
    inside[node] = False
    return inside


def _relevant(sim: _Simulator, below: np.ndarray) -> np.ndarray:
    """Per parameter: can it move a payoff or probability below the decision?

    Each ranged parameter is set to four points of its range with the others
    at their modes, in one scenario of 4m columns.
    """
    m = len(sim.params)
    relevant = np.zeros(m, dtype=bool)
    if m == 0 or sim.random.size == 0:
        return relevant
    low = np.array([p.low for p in sim.params])
    width = np.array([p.high - p.low for p in sim.params])
    points = np.array(RELEVANCE_POINTS)
    q = points.size
    values = np.repeat(sim.mode[:, None], m * q, axis=1)
    for j in sim.random:
        values[j, j * q:(j + 1) * q] = low[j] + points * width[j]
    try:
        payoff, probability = sim.scenario(values, m * q)
    except PlanError:  # some point fails: treat every ranged quantity as relevant (the estimate decides)
        relevant[sim.random] = True
        return relevant
    watched = [block for block, nodes in ((payoff, sim.pay_nodes), (probability, sim.prob_nodes))
               if nodes.size and below[nodes].any() for block in [block[below[nodes]]]]
    for block in watched:  # (rows, m * q) -> does any watched row move across a parameter's q points?
        relevant |= np.ptp(block.reshape(block.shape[0], m, q), axis=2).max(axis=0) > 0
    return relevant


def _clip(value: float, scale: float) -> float:
    """Rounding noise and tiny negatives to 0."""
    return 0.0 if value <= ZERO_TOLERANCE * max(1.0, scale) else value


def value_of_information(plan: Plan, track_id: str | None = None, iterations: int = 10_000, seed: int = 0,
                         decision: str | None = None, chunk: int | None = None,
                         ranges: dict[str, tuple[float, float]] | None = None,
                         progress: Progress | None = None) -> VoiResult:
    """EVPI and the EVPPI of every ranged quantity at one decision of a track.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
        The track (the first one by default).
    iterations : int
        Monte Carlo iterations (>= 1).
    seed : int
        The draws are :func:`~planning.engine.montecarlo.simulate`'s for this seed,
        whatever ``chunk``.
    decision : str, optional
        The decision to inform; the track's first decision by default
        (:func:`first_decision`).
    chunk : int, optional
        Iterations per rollback chunk (memory budget as ``simulate`` by default).
    ranges : dict, optional
        ``{name: (low, high)}`` overriding or adding ranges.
    progress : callable, optional
        ``progress(done, total)`` after each chunk; it may raise to stop the run.

    Returns
    -------
    VoiResult
        EVPPIs sorted largest first (ties in parameter order).

    Raises
    ------
    PlanError
        The track cannot be evaluated, or an expression fails for drawn values.
    ValueError
        ``iterations`` < 1 or ``decision`` is not a decision of the track.

    Examples
    --------
    Hold (0) or move (payoff x, PERT on [-10, 30] with mode 0):

    >>> from planning.model.plan import DECISION, TERMINAL, Node, Plan, Track
    >>> nodes = {"d": Node("d", DECISION, label="Move?", children=["hold", "move"]),
    ...          "hold": Node("hold", TERMINAL), "move": Node("move", TERMINAL, payoff=0, payoff_range=(-10, 30))}
    >>> result = value_of_information(Plan(tracks=[Track("t", root="d")], nodes=nodes), iterations=4000, seed=1)
    >>> result.decision, result.best_option, round(result.evpi, 1)
    ('d', 'move', 1.4)
    >>> [(e.name, round(e.value, 1)) for e in result.evppi]
    [('move.payoff', 1.4)]
    """
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    if len(plan.criteria) == 2:
        return _combined_voi(plan, track_id, iterations, seed, decision, chunk, ranges, progress)
    ct = compile_track(plan, track_id)
    params = compiled_parameters(ct, ranges)
    # Linked tracks: the values read from other tracks vary per iteration as in simulate().
    linked = linked_draws.for_simulation(plan, ct, params, seed)
    sim = _Simulator(ct, params + linked.params)
    if decision is None:
        node = first_decision(ct, sim.base_chosen)
    else:
        node = ct.index.get(decision)
        if node is None or ct.kind[node] != KIND_DECISION:
            raise ValueError(f"{decision!r} is not a decision of track {ct.track_id!r}")
    bins = bin_count(iterations)
    if node is None:
        return VoiResult(ct.track_id, None, iterations, seed, bins, [], {}, None, float(sim.base_value[0]),
                         float(sim.base_value[0]), 0.0, [Evppi(p.name, p.kind, p.node_id, 0.0, False) for p in params])
    options = np.array(list(ct.children(int(node))), dtype=np.int64)
    values = np.empty((options.size, iterations))
    relevant = _relevant(sim, _subtree(ct, int(node)))
    tracked = np.flatnonzero(relevant)
    keys = np.empty((tracked.size, iterations))
    rows = sim.row_of[options]
    if (tracked.size == 0 and not linked) or (rows < 0).any():
        # Nothing ranged moves a value below the decision: every iteration is the base case.
        values[:] = sim.base_value[options][:, None]
        if progress is not None:
            progress(iterations, iterations)
    else:
        if chunk is None:
            chunk = min(iterations, CHUNK_BYTES // (8 * max(sim.chunk_rows, 1)))
        chunk = max(1, int(chunk))
        # The parameter generator of simulate(): SeedSequence(seed).spawn(2)[0].
        param_seq, _ = np.random.SeedSequence(seed).spawn(2)
        param_rng = np.random.Generator(np.random.PCG64(param_seq))
        for start in range(0, iterations, chunk):
            k = min(chunk, iterations - start)
            drawn = sim.draw(param_rng, k)
            linked.fill(drawn, k)
            payoff, probability = sim.scenario(drawn, k)
            part = slice(start, start + k)
            sim.roll(payoff, probability, keep=(rows, values[:, part]))
            keys[:, part] = drawn[tracked]
            if progress is not None:
                progress(start + k, iterations)

    signed = ct.sign * values
    option_mean = values.mean(axis=1)
    best = int(np.argmax(signed.mean(axis=1)))
    scale = float(np.abs(option_mean).max()) if option_mean.size else 1.0
    evpi = _clip(evpi_of(signed), scale)
    found, noise = {}, 0.0
    if evpi > 0:
        for row, j in enumerate(tracked):
            found[int(j)] = min(_clip(evppi_of(signed, keys[row], bins), scale), evpi)
        noise = _clip(noise_floor(signed, bins, seed), scale)
    evppi = [Evppi(p.name, p.kind, p.node_id, found.get(j, 0.0), bool(relevant[j])) for j, p in enumerate(params)]
    evppi.sort(key=lambda e: -e.value)  # stable: ties keep the parameter order
    winners = np.bincount(np.argmax(signed, axis=0), minlength=options.size) / iterations
    ids = ct.ids
    return VoiResult(
        track_id=ct.track_id, decision=ids[node], iterations=iterations, seed=seed, bins=bins,
        options=[ids[o] for o in options], option_ev={ids[o]: float(v) for o, v in zip(options, option_mean)},
        best_option=ids[options[best]], ev_now=float(option_mean[best]),
        ev_informed=float(ct.sign * signed.max(axis=0).mean()), evpi=evpi, evppi=evppi,
        option_best={ids[o]: float(w) for o, w in zip(options, winners)}, noise=noise, values=values,
    )


def _combined_voi(plan: Plan, track_id, iterations, seed, decision, chunk, ranges, progress) -> VoiResult:
    """Two criteria (DESIGN): V_i(o) is the combined value; quantities keep the plan's names."""
    from planning.analyses.combined import combined_plan, quantity_of

    result = value_of_information(combined_plan(plan), track_id, iterations=iterations, seed=seed,
                                  decision=decision, chunk=chunk, ranges=ranges, progress=progress)
    for e in result.evppi:
        e.name, e.kind = quantity_of(e.name, e.kind, e.node_id)
    return result


def value_unit(plan: Plan) -> str:
    """The unit of value-of-information figures: the plan's, or none for a combined value."""
    return "" if len(plan.criteria) == 2 else plan.value_unit


# -- words for planners ----------------------------------------------------------------

def amount(x: float, digits: int = 3) -> str:
    """A figure rounded for reading: ``digits`` significant digits, whole numbers from 100 on.

    >>> amount(0.9532), amount(13.7407), amount(1234.5), amount(0.0), amount(0.00299, 2)
    ('0.953', '13.7', '1,234', '0', '0.003')
    """
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{float(f'{x:.{digits}g}'):.{max(digits, 12)}g}"


def briefing(plan: Plan, track_id: str | None = None, iterations: int = 10_000, seed: int = 0,
             limit: int = 5) -> dict:
    """What the briefing report and the presenter say about one track's decision.

    ``{"decision", "sentence", "rows": [(quantity label, value text)], "evpi",
    "iterations", "seed"}``: the words of ``branchwise voi`` for the same seed,
    the ``limit`` quantities most worth knowing (value > 0) as rows.
    """
    result = value_of_information(plan, track_id, iterations=iterations, seed=seed)
    unit = f" {value_unit(plan)}" if value_unit(plan) else ""
    if len(plan.criteria) == 2:
        unit = " (combined value)"
    node = plan.nodes.get(result.decision) if result.decision else None
    decision = f"“{(node.label or node.id) if node else ''}”"
    out = {"decision": result.decision, "evpi": result.evpi, "iterations": iterations, "seed": seed, "rows": []}
    if result.decision is None:
        out["sentence"] = "No decision in this track: there is no choice for information to change."
    elif result.evpi <= 0:
        out["sentence"] = (f"Knowing the ranged quantities before {decision} is worth nothing: "
                           f"none can change the best option (EV at stake {amount(result.ev_now)}{unit}).")
    else:
        out["sentence"] = (f"Knowing every ranged quantity before {decision} is worth up to "
                           f"{amount(result.evpi, 2)}{unit} (EV at stake {amount(result.ev_now)}{unit}; "
                           f"{iterations:,} draws, seed {seed}).")
        out["rows"] = [(quantity_label(plan, e), f"{amount(e.value, 2)}{unit}")
                       for e in result.evppi if e.value > 0][:limit]
    return out


#: The presenter leaves value of information out for larger plans (one Monte Carlo run per slide).
PRESENTER_MAX_NODES = 5_000


def worth_knowing(plan: Plan, track_id: str | None, decision: str, limit: int = 2,
                  iterations: int = 10_000, seed: int = 0) -> list[tuple[str, float]]:
    """The ``limit`` quantities most worth knowing before ``decision``: (planner label, EVPPI > 0).

    What the presenter shows at a decision; empty for plans over
    :data:`PRESENTER_MAX_NODES` nodes or when nothing ranged can change the
    choice or the plan cannot be evaluated. ``branchwise voi``'s numbers at
    the track's first decision (same iterations and seed).
    """
    if len(plan.nodes) > PRESENTER_MAX_NODES:
        return []
    try:
        result = value_of_information(plan, track_id, iterations=iterations, seed=seed, decision=decision)
    except (PlanError, ValueError, ArithmeticError):  # the slide says why the plan cannot be evaluated
        return []
    return [(quantity_label(plan, e, with_name=False), e.value) for e in result.evppi if e.value > 0][:limit]


def quantity_label(plan: Plan, param: Parameter | Evppi, with_name: bool = True) -> str:
    """A quantity as a planner reads it: a variable's description, or the chance / value of a node.

    >>> from planning.model.plan import Node, Plan, Variable
    >>> plan = Plan(variables=[Variable("p_ok", 0.5, (0.2, 0.8), "Chance the talks resume")],
    ...             nodes={"t1": Node("t1", "terminal", label="Deal signed")})
    >>> quantity_label(plan, Evppi("p_ok", "variable", None, 0.0, True))
    '“Chance the talks resume” (p_ok)'
    >>> quantity_label(plan, Evppi("t1.payoff", "payoff", "t1", 0.0, True))
    'the value of “Deal signed”'
    """
    node = plan.nodes.get(param.node_id) if param.node_id else None
    label = (node.label or node.id) if node is not None else param.node_id
    if param.kind == PROBABILITY:
        return f"the chance of “{label}”"
    if param.kind == PAYOFF:
        return f"the value of “{label}”"
    if param.kind == "payoff2":
        second = plan.criteria[1].name if len(plan.criteria) == 2 and plan.criteria[1].name else "payoff2"
        return f"the {second} of “{label}”"
    variable = param.name.rpartition(".")[2]
    scope = node.variables if node is not None else plan.variables
    described = next((v.description for v in scope if v.name == variable and v.description), "")
    if not described:
        return param.name
    return f"“{described}” ({param.name})" if with_name else f"“{described}”"


__all__ = ["Evppi", "VoiResult", "amount", "value_unit", "bin_count", "briefing", "evpi_of", "evppi_of", "first_decision",
           "noise_floor", "quantity_label", "value_of_information", "worth_knowing"]
