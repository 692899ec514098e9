"""Monte Carlo of a plan with two criteria (DESIGN point 6 and "Two criteria").

Like a cost-effectiveness PSA: each iteration draws every ranged quantity
(``payoff2_range`` included), decisions are re-optimised on the combined
value ``w * s1 * V1 + s2 * V2`` at the plan's weight, and the iteration
reports both criteria's expected values under that policy and the combined
value. "How often each option is best" counts the combined value's choices.

Three plans share one structure and one list of drawn quantities: a ranged
payoff becomes the node's local variable ``bw_payoff_1`` / ``bw_payoff_2``
(as in :mod:`planning.analyses.combined`) in all three, so one draw feeds them all.
The policy plan's payoffs are the combined payoffs; the criterion plans'
payoffs are criterion 1's (with the responses' effects, which are in
criterion 1's unit) and criterion 2's. ``w = Infinity`` ranks by criterion 1
alone and has no finite combined value (``combined`` is None).

A decision whose options tie on the combined value takes the first one (the
simulator's tie rule), not the mean of the tied options' criteria: ties have
probability 0 under continuous draws.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planning.analyses.combined import VAR1, VAR2, _sum, _term
from planning.engine.compile import KIND_CHANCE, KIND_DECISION, CompiledTrack, compile_track
from planning.engine.evaluate import check_finite
from planning.model.plan import MAXIMIZE, Node, Plan, Variable
from planning.engine.montecarlo import CHUNK_BYTES, MAX_CHUNK, SimulationResult, _Simulator, simulate
from planning.engine.rules import settings_of
from planning.engine.parameters import compiled_parameters


def _linear_plan(plan: Plan, a: float, b: float, effects: float) -> Plan:
    """The one-criterion plan with payoffs ``a * payoff + b * payoff2`` and effects scaled by ``effects``.

    Every ranged payoff is a local variable (``bw_payoff_1``/``bw_payoff_2``)
    whatever ``a`` and ``b``, so the plans built here draw the same quantities.
    """
    nodes: dict[str, Node] = {}
    for node_id, node in plan.nodes.items():
        new = dataclasses.replace(node, variables=list(node.variables), payoff2=0.0, payoff2_range=None,
                                  payoff_range=None,
                                  responses=[dataclasses.replace(r, effect=effects * float(r.effect))
                                             for r in node.responses])
        first, second = node.payoff, node.payoff2
        if node.payoff_range is not None:
            new.variables.append(Variable(VAR1, node.payoff, tuple(node.payoff_range), f"payoff of {node_id}"))
            first = VAR1
        if node.payoff2_range is not None:
            new.variables.append(Variable(VAR2, node.payoff2, tuple(node.payoff2_range), f"payoff2 of {node_id}"))
            second = VAR2
        # A term with factor 0 still reads its variable (0 * x), so the
        # variable stays a drawn quantity of every plan.
        terms = [_term(a, first) if a else (f"0*({first})" if isinstance(first, str) else None),
                 _term(b, second) if b else (f"0*({second})" if isinstance(second, str) else None)]
        new.payoff = _sum(terms)
        nodes[node_id] = new
    return dataclasses.replace(plan, nodes=nodes, criteria=[], objective=MAXIMIZE, rule="expected",
                               weight=1.0, weight_range=None)


def policy_values(ct: CompiledTrack, payoff: np.ndarray, probability: np.ndarray,
                  chosen: np.ndarray) -> np.ndarray:
    """Per iteration, the root's expected value under a given policy.

    ``payoff`` and ``probability`` are (nodes x k), ``chosen`` (nodes x k)
    holds the option each decision takes. Top-down: a node's reach is its
    parent's times its branch probability (chance) or 1/0 (chosen or not);
    the value is the sum of reach times payoff.
    """
    k = payoff.shape[1]
    reach = np.zeros((ct.size, k))
    reach[0] = 1.0
    for d in range(1, ct.levels):
        lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
        rows = np.arange(lo, hi)
        parent = ct.parent[lo:hi]
        weight = np.where((ct.kind[parent] == KIND_CHANCE)[:, None], probability[lo:hi],
                          np.where((ct.kind[parent] == KIND_DECISION)[:, None],
                                   (chosen[parent] == rows[:, None]).astype(float), 1.0))
        reach[lo:hi] = reach[parent] * weight
    return (reach * payoff).sum(axis=0)


@dataclass
class CriteriaSimulation:
    """Both criteria's per-iteration expected values, the combined value and its policy's figures."""

    names: tuple[str, str]
    units: tuple[str, str]
    senses: tuple[str, str]
    weight: float
    base: tuple[float, float]
    values: tuple[np.ndarray, np.ndarray]
    #: The simulation of the combined value (its ``ev`` is the combined value;
    #: option shares, exposure and path ends follow the combined policy).
    policy: SimulationResult

    @property
    def iterations(self) -> int:
        return self.policy.iterations

    @property
    def seed(self) -> int:
        return self.policy.seed

    @property
    def combined(self) -> np.ndarray | None:
        """Per-iteration combined value (None with weight Infinity)."""
        return None if math.isinf(self.weight) else self.policy.ev

    def combined_label(self) -> str:
        """"combined value at weight 1 engineer-weeks per k$ (in engineer-weeks)".

        ``w * s1 * V1 + s2 * V2`` adds w times criterion 1 to criterion 2, so
        the weight is in criterion 2's unit per criterion 1's unit (as the
        league table's ratios) and the sum is in criterion 2's unit.
        """
        return f"combined value at {self.weight_words()} (in {self.unit2()})"

    def unit2(self) -> str:
        """Criterion 2's unit (its name without one): the combined value's unit."""
        return self.units[1] or self.names[1] or "criterion 2"

    def weight_words(self) -> str:
        """"weight 1 engineer-weeks per k$"."""
        return f"weight {self.weight:g} {self.unit2()} per {self.units[0] or self.names[0] or 'criterion 1'}"

    def summary(self) -> dict:
        """Per criterion: mean, sd and 5/50/95 percentiles with name, unit and sense; the combined value."""
        out = {"criteria": []}
        for i in range(2):
            v = self.values[i]
            p5, p50, p95 = np.percentile(v, [5, 50, 95])
            out["criteria"].append({"criterion": self.names[i], "unit": self.units[i], "sense": self.senses[i],
                                    "base": self.base[i], "mean": float(v.mean()), "std": float(v.std()),
                                    "p5": float(p5), "p50": float(p50), "p95": float(p95)})
        policy = self.policy.summary()
        if self.combined is not None:
            out["combined"] = dict(policy["ev"], criterion=self.combined_label(), weight=self.weight,
                                   base=self.policy.base_ev)
        out["exposure"] = policy["exposure"]
        out["ends"] = policy["ends"]
        return out

    def to_json(self, samples: bool = False) -> dict:
        """``branchwise simulate --json`` for a two-criteria plan: ``summary.criteria`` and ``summary.combined``."""
        out = self.policy.to_json(samples=False)
        out.pop("base_ev")
        out["summary"] = self.summary()
        out["option_best_on"] = "combined value" if self.combined is not None else self.names[0]
        if samples:
            out["samples"] = {self.names[0] or "criterion 1": self.values[0].tolist(),
                              self.names[1] or "criterion 2": self.values[1].tolist()}
        return out


def simulate_criteria(plan: Plan, track_id: str | None = None, iterations: int = 10000, seed: int = 0,
                      chunk: int | None = None, root: str | None = None,
                      ranges: dict[str, tuple[float, float]] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> CriteriaSimulation:
    """Monte Carlo of a two-criteria plan (see the module doc); same seed, same numbers.

    The policy run is :func:`planning.engine.montecarlo.simulate` of the combined
    plan; the criteria are replayed from the same parameter stream.
    """
    settings = settings_of(plan)
    if not settings.two:
        raise ValueError("simulate_criteria needs a plan with two criteria")
    s1, s2 = settings.signs
    w = settings.weight
    if math.isinf(w):  # criterion 1 decides alone, to its own sense: the policy's EV is V1
        policy_plan = dataclasses.replace(_linear_plan(plan, 1.0, 0.0, 1.0), objective=settings.senses[0])
    else:
        policy_plan = _linear_plan(plan, w * s1, s2, w * s1)
    # Progress: the policy run is the first half, the criteria's replay the second (the
    # hook may raise to cancel, between chunks of either).
    half = None if progress is None else (lambda done, total: progress(done // 2, total))
    result = simulate(policy_plan, track_id, iterations=iterations, seed=seed, chunk=chunk, root=root,
                      ranges=ranges, progress=half)
    ct = compile_track(policy_plan, track_id, root)
    params = compiled_parameters(ct, ranges)
    sim = _Simulator(ct, params)
    crit = []
    for plan_k in (_linear_plan(plan, 1.0, 0.0, 1.0), _linear_plan(plan, 0.0, 1.0, 0.0)):
        ct_k = compile_track(plan_k, track_id, root)
        crit.append(_Simulator(ct_k, params))  # the same quantities, in the same order
    n = ct.size
    step = max(1, min(iterations, MAX_CHUNK, CHUNK_BYTES // (8 * 6 * max(n, 1)), chunk or iterations))
    param_seq, _ = np.random.SeedSequence(seed).spawn(2)  # simulate's parameter stream
    rng = np.random.Generator(np.random.PCG64(param_seq))
    values = (np.empty(iterations), np.empty(iterations))
    for start in range(0, iterations, step):
        k = min(step, iterations - start)
        drawn = sim.draw(rng, k)
        payoff, probability = sim.scenario(drawn, k)
        _, choice, _ = sim.roll(payoff, probability)
        chosen = np.repeat(sim.base_chosen[:, None], k, axis=1)
        decisions = np.flatnonzero((ct.kind == KIND_DECISION) & (sim.choice_row >= 0))
        chosen[decisions] = choice[sim.choice_row[decisions]]
        for i, sim_k in enumerate(crit):
            pay_k, prob_k = sim_k.full_matrices(*sim_k.scenario(drawn, k))
            values[i][start:start + k] = policy_values(sim_k.ct, pay_k, prob_k, chosen)
        if progress is not None:
            progress((iterations + start + k) // 2, iterations)
    base_chosen = sim.base_chosen[:, None]
    base = tuple(float(policy_values(s.ct, s.effective[:, None], s.ct.probability[:, None], base_chosen)[0])
                 for s in crit)
    for s in crit:
        check_finite(s.ct, s.base_value)
    return CriteriaSimulation(names=settings.names, units=settings.units, senses=settings.senses, weight=w,
                              base=base, values=values, policy=result)


__all__ = ["CriteriaSimulation", "policy_values", "simulate_criteria"]
