"""Expected values, policy, reach and readiness of a track (DESIGN points 1-5, 8).

Every pass runs level by level over a :class:`~planning.engine.compile.CompiledTrack`:
one level is a handful of numpy calls whatever its width, and value arrays may
carry a second axis (several payoff variants at once, or scenario columns).
The rollback is the grouped engine of :mod:`planning.engine.grouped`, which
also serves sensitivity and Monte Carlo.

>>> from planning.model.plan import Plan, Track, Node
>>> plan = Plan(tracks=[Track("t", root="d")], nodes={
...     "d": Node("d", "decision", children=["c", "safe"]),
...     "c": Node("c", "chance", children=["win", "lose"]),
...     "win": Node("win", probability=0.6, payoff=100, path="success"),
...     "lose": Node("lose", probability="#", payoff=-50, path="failure"),
...     "safe": Node("safe", payoff=20)})
>>> result = evaluate_track(plan)
>>> round(result.ev, 6), result.policy, round(result.p_failure, 6)
(40.0, {'d': 'c'}, 0.4)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planning.engine.compile import (
    KIND_CHANCE,
    KIND_DECISION,
    KIND_TERMINAL,
    PATH_FAILURE,
    PATH_NAMES,
    PATH_SUCCESS,
    CompiledTrack,
    compile_track,
)
from planning.engine import rules
from planning.engine.grouped import TIE_TOLERANCE, follow_policy_grouped, rollback_grouped
from planning.model.errors import PlanError
from planning.model.plan import Plan



def _is_deep(ct: CompiledTrack) -> bool:
    """Deep, narrow trees (long chains) run faster node by node than level by level."""
    return ct.levels > 256 and ct.size < 16 * ct.levels


def _rollback_scalar(ct, payoff, probability, optimise, choice):
    """:func:`rollback` node by node in reverse breadth-first order (1-D only)."""
    n = ct.size
    value = payoff.tolist()
    p = probability.tolist()
    kind = ct.kind.tolist()
    start = ct.child_start.tolist()
    count = ct.child_count.tolist()
    committed = ct.committed.tolist()
    fixed = choice.tolist() if choice is not None else None
    chosen = [-1] * n
    sign = ct.sign
    for i in range(n - 1, -1, -1):
        k = count[i]
        if k == 0:
            continue
        s = start[i]
        if kind[i] == KIND_CHANCE:
            value[i] += sum(p[c] * value[c] for c in range(s, s + k))
            continue
        if not optimise:
            best = fixed[i] if fixed[i] >= 0 else s
        elif committed[i] >= 0:
            best = committed[i]
        else:
            top = max(sign * value[c] for c in range(s, s + k))
            tol = TIE_TOLERANCE * max(1.0, abs(top))
            best = next(c for c in range(s, s + k) if sign * value[c] >= top - tol)
        chosen[i] = best
        value[i] += value[best]
    return np.asarray(value), np.asarray(chosen, dtype=np.int64)


def _follow_policy_scalar(ct, factor, chosen, probability):
    """:func:`follow_policy` node by node; ``factor`` may have columns."""
    x = factor.copy()
    p = probability
    kind = ct.kind
    start = ct.child_start
    count = ct.child_count
    for i in range(ct.size - 1, -1, -1):
        k = count[i]
        if k == 0:
            continue
        s = start[i]
        if kind[i] == KIND_CHANCE:
            x[i] *= p[s:s + k] @ x[s:s + k]
        else:
            x[i] *= x[chosen[i]]
    return x


def rollback(
    ct: CompiledTrack,
    payoff: np.ndarray,
    probability: np.ndarray | None = None,
    optimise: bool = True,
    choice: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Roll expected values back from the terminals to the root.

    The grouped rollback (:func:`planning.engine.grouped.rollback_grouped`)
    does the work, node by node instead for deep narrow chains.

    Parameters
    ----------
    ct : CompiledTrack
    payoff : ndarray, shape (n,) or (n, k)
        Payoff of each node; with a second axis, k independent rollbacks
        (payoff variants or Monte Carlo iterations) run at once.
    probability : ndarray, optional
        Branch probabilities, shape (n,) or (n, k); ``ct.probability`` by default.
    optimise : bool
        True: each decision takes its best option (or its committed one).
        False: decisions follow ``choice`` (a policy held fixed).
    choice : ndarray, optional
        With ``optimise=False``, the chosen child index of every decision,
        shape (n,) (the same policy in every column) or like ``payoff``.

    Returns
    -------
    value : ndarray like ``payoff``
        Expected value of every node's subtree, its own payoff included.
    chosen : ndarray of int, like ``payoff``
        The chosen child of each decision node, -1 elsewhere.
    """
    if probability is None:
        probability = ct.probability
    if _is_deep(ct) and np.ndim(probability) == 1 and (optimise or np.ndim(choice) == 1):
        payoff = np.asarray(payoff, dtype=float)
        if payoff.ndim == 1:
            return _rollback_scalar(ct, payoff, probability, optimise, choice)
        if payoff.shape[1] <= 8:
            columns = [_rollback_scalar(ct, payoff[:, j], probability, optimise, choice) for j in range(payoff.shape[1])]
            return np.stack([c[0] for c in columns], axis=1), np.stack([c[1] for c in columns], axis=1)
    return rollback_grouped(ct, payoff, np.asarray(probability, dtype=float), optimise, choice)


def edge_weights(ct: CompiledTrack, chosen: np.ndarray, probability: np.ndarray | None = None) -> np.ndarray:
    """Weight of the edge into each node: its probability, 1/0 for options, 1 at the root."""
    if probability is None:
        probability = ct.probability
    weight = np.ones(chosen.shape, dtype=float)
    if ct.size > 1:
        kids = np.arange(1, ct.size)
        parent_kind = ct.kind[ct.parent[kids]]
        if chosen.ndim == 2:
            p = probability[kids] if probability.ndim == 2 else np.broadcast_to(probability[kids][:, None], (kids.size, chosen.shape[1]))
            opt = (chosen[ct.parent[kids]] == kids[:, None]).astype(float)
            weight[kids] = np.where((parent_kind == KIND_CHANCE)[:, None], p, opt)
        else:
            opt = (chosen[ct.parent[kids]] == kids).astype(float)
            weight[kids] = np.where(parent_kind == KIND_CHANCE, probability[kids], opt)
    return weight


def reach(ct: CompiledTrack, weight: np.ndarray) -> np.ndarray:
    """Probability of reaching each node under the policy (top-down product of weights)."""
    r = np.array(weight, copy=True)
    r[0] = 1.0
    for d in range(1, ct.levels):
        lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
        r[lo:hi] *= r[ct.parent[lo:hi]]
    return r


def follow_policy(ct: CompiledTrack, factor: np.ndarray, chosen: np.ndarray, probability: np.ndarray | None = None) -> np.ndarray:
    """X(n) = factor(n) * (terminal: 1; chance: sum p X(c); decision: X(chosen)).

    ``factor`` may have a second axis (several quantities at once). The
    readiness numbers are all of this form.
    """
    if probability is None:
        probability = ct.probability
    if _is_deep(ct) and np.ndim(probability) == 1 and np.ndim(chosen) == 1:
        return _follow_policy_scalar(ct, np.asarray(factor, dtype=float), chosen, probability)
    return follow_policy_grouped(ct, factor, chosen, np.asarray(probability, dtype=float))


@dataclass
class Priority:
    """One response on the priority list: what raising it to ready is worth."""

    response: str
    node: str
    marginal_value: float
    exposure_reduction: float
    late: bool = False

    def to_json(self) -> dict:
        return {
            "response": self.response,
            "node": self.node,
            "marginal_value": self.marginal_value,
            "exposure_reduction": self.exposure_reduction,
            "late": self.late,
        }


@dataclass
class TrackResult:
    """Everything the core computes for one track (or subtree); see ARCHITECTURE.md."""

    track_id: str | None
    root: str
    ev: float
    ev_unprepared: float
    ev_full: float
    value_of_preparedness: float
    p_failure: float
    failure_exposure: float
    failure_readiness: float
    p_success: float
    success_exposure: float
    success_readiness: float
    policy: dict[str, str]
    priorities: list[Priority]
    late: list[tuple[str, str]]
    ids: list[str]
    index: dict[str, int]
    node_ev: np.ndarray
    node_reach: np.ndarray
    node_probability: np.ndarray
    node_on_policy: np.ndarray
    node_readiness: np.ndarray
    node_path: np.ndarray  # object array of path names
    node_p_failure: np.ndarray
    node_failure_exposure: np.ndarray
    node_failure_readiness: np.ndarray
    node_ev_unprepared: np.ndarray = field(repr=False, default=None)
    compiled: CompiledTrack | None = field(repr=False, default=None)
    # Decision rules and two criteria (planning/engine/rules.py): the root's value
    # under the rule (None: the expected value, ``ev``), and with two
    # criteria the two expected criteria, their combined value and the
    # second criterion per node.
    rule_value: float | None = None
    values: tuple[float, float] | None = None
    combined: float | None = None
    node_ev2: np.ndarray | None = field(repr=False, default=None)
    settings: object = field(repr=False, default=None)

    def node(self, node_id: str) -> dict:
        """The figures of one node (what a presenter or the inspector shows)."""
        i = self.index[node_id]
        rho = self.node_readiness[i]
        return {
            "ev": float(self.node_ev[i]),
            "reach": float(self.node_reach[i]),
            "probability": float(self.node_probability[i]),
            "on_policy": bool(self.node_on_policy[i]),
            "readiness": None if np.isnan(rho) else float(rho),
            "path": self.node_path[i],
            "p_failure": float(self.node_p_failure[i]),
            "failure_exposure": float(self.node_failure_exposure[i]),
            "failure_readiness": float(self.node_failure_readiness[i]),
        }

    def to_json(self, nodes: bool = False) -> dict:
        """The dict `branchwise evaluate --json` prints for this track."""
        out = {
            "id": self.track_id,
            "root": self.root,
            "ev": self.ev,
            "ev_unprepared": self.ev_unprepared,
            "ev_full": self.ev_full,
            "value_of_preparedness": self.value_of_preparedness,
            "p_failure": self.p_failure,
            "failure_exposure": self.failure_exposure,
            "failure_readiness": self.failure_readiness,
            "p_success": self.p_success,
            "success_exposure": self.success_exposure,
            "success_readiness": self.success_readiness,
            "policy": dict(self.policy),
            "priorities": [p.to_json() for p in self.priorities],
            "late": [{"node": n, "response": r} for n, r in self.late],
            "rule_value": self.ev if self.rule_value is None else self.rule_value,
        }
        if self.values is not None:
            out["values"] = list(self.values)
            out["combined"] = self.combined
        if nodes:
            out["nodes"] = {
                node_id: {"ev": float(self.node_ev[i]), "reach": float(self.node_reach[i])}
                for i, node_id in enumerate(self.ids)
            }
        return out


def effective_payoffs(ct: CompiledTrack, payoff: np.ndarray | None = None) -> np.ndarray:
    """Payoff columns [effective, unprepared, full] (DESIGN point 5), shape (n, 3)."""
    if payoff is None:
        payoff = ct.payoff
    out = np.repeat(np.asarray(payoff, dtype=float)[:, None], 3, axis=1)
    if ct.resp_node.size:
        usable = ~ct.resp_late
        node = ct.resp_node[usable]
        effect = ct.resp_effect[usable]
        np.add.at(out[:, 0], node, ct.resp_r[usable] * effect)
        np.add.at(out[:, 2], node, effect)
    return out


def branch_readiness(ct: CompiledTrack) -> np.ndarray:
    """rho per node: the best readiness of its responses, late ones counting 0 (DESIGN 3)."""
    rho = np.zeros(ct.size)
    if ct.resp_node.size:
        r = np.where(ct.resp_late, 0.0, ct.resp_r)
        np.maximum.at(rho, ct.resp_node, r)
    return rho


def readiness_factors(ct: CompiledTrack, rho: np.ndarray) -> np.ndarray:
    """Factor columns for :func:`follow_policy`: [prepared F, clear F, prepared S, clear S]."""
    failure = ct.is_branch & (ct.path == PATH_FAILURE)
    success = ct.is_branch & (ct.path == PATH_SUCCESS)
    f = np.ones((ct.size, 4))
    f[failure, 0] = rho[failure]
    f[failure, 1] = 0.0
    f[success, 2] = rho[success]
    f[success, 3] = 0.0
    return f


_PATH_ARRAY = np.asarray(PATH_NAMES, dtype=object)


def _readiness(exposure: np.ndarray, p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 1e-15, 1.0 - exposure / np.where(p > 1e-15, p, 1.0), 1.0)


def check_finite(ct: CompiledTrack, value: np.ndarray) -> None:
    """Raise PlanError unless every node's value (every column) is a finite number.

    Finite payoffs can still add up beyond float range (about 1.8e308). The
    error names the deepest node whose value is not finite: its children's
    are, so that is where the sum overflows.
    """
    finite = np.isfinite(value)
    if finite.all():
        return
    bad = ~finite if finite.ndim == 1 else ~finite.all(axis=1)
    i = int(np.flatnonzero(bad)[-1])  # breadth-first order: the deepest one
    raise PlanError(ct.ids[i], "payoff", "the expected value is not a finite number: the payoffs "
                                          "add up beyond 1.8e308 (use a larger unit)")


@np.errstate(over="ignore", invalid="ignore")  # overflow is checked and reported instead
def evaluate_compiled(ct: CompiledTrack, rolled: tuple[np.ndarray, np.ndarray] | None = None) -> TrackResult:
    """Evaluate an already compiled track (see :func:`evaluate_track`).

    ``rolled``: the (values, chosen) of the effective/unprepared/full payoff
    columns when a decision rule picked the policy (planning/engine/rules.py);
    by default the expected-value rollback.

    Raises
    ------
    PlanError
        When an expected value overflows (names the node).
    """
    from planning.engine.readiness import priority_list

    if rolled is None:
        values, chosen_all = rollback(ct, effective_payoffs(ct))
    else:
        values, chosen_all = rolled
    check_finite(ct, values)
    value = values[:, 0]
    chosen = chosen_all[:, 0]
    weight = edge_weights(ct, chosen)
    r = reach(ct, weight)
    rho = branch_readiness(ct)
    marks = follow_policy(ct, readiness_factors(ct, rho), chosen)
    # marks[:, 0] is the mass of paths that meet no unprepared failure; with
    # probabilities summing to 1 the exposure is its complement.
    failure_exposure = 1.0 - marks[:, 0]
    p_failure = 1.0 - marks[:, 1]
    success_exposure = 1.0 - marks[:, 2]
    p_success = 1.0 - marks[:, 3]
    failure_readiness = _readiness(failure_exposure, p_failure)
    success_readiness = _readiness(success_exposure, p_success)
    # Clamp rounding noise (1 - 0.9999999999999999) so figures print cleanly.
    for arr in (failure_exposure, p_failure, success_exposure, p_success):
        np.clip(arr, 0.0, 1.0, out=arr)
        arr[np.abs(arr) < 1e-13] = 0.0

    ids = ct.ids
    decisions = np.flatnonzero(ct.kind == KIND_DECISION)
    policy = {ids[i]: ids[j] for i, j in zip(decisions.tolist(), chosen[decisions].tolist())}
    on_policy = np.zeros(ct.size, dtype=bool)
    on_policy[0] = True
    for d in range(1, ct.levels):
        lo, hi = int(ct.level_start[d]), int(ct.level_start[d + 1])
        parent = ct.parent[lo:hi]
        on_policy[lo:hi] = on_policy[parent] & (weight[lo:hi] > 0)
    node_readiness = np.where(ct.is_branch, rho, np.nan)
    late = [(ids[ct.resp_node[k]], ct.resp_ids[k]) for k in np.flatnonzero(ct.resp_late)]
    priorities = priority_list(ct, value, chosen, r, rho, marks[:, 0])
    ev = float(value[0])
    ev_unprepared = float(values[0, 1])
    return TrackResult(
        track_id=ct.track_id,
        root=ct.root_id,
        ev=ev,
        ev_unprepared=ev_unprepared,
        ev_full=float(values[0, 2]),
        value_of_preparedness=ev - ev_unprepared,
        p_failure=float(p_failure[0]),
        failure_exposure=float(failure_exposure[0]),
        failure_readiness=float(failure_readiness[0]),
        p_success=float(p_success[0]),
        success_exposure=float(success_exposure[0]),
        success_readiness=float(success_readiness[0]),
        policy=policy,
        priorities=priorities,
        late=late,
        ids=ids,
        index=ct.index,
        node_ev=value,
        node_reach=r,
        node_probability=ct.probability,
        node_on_policy=on_policy,
        node_readiness=node_readiness,
        node_path=_PATH_ARRAY[ct.path],
        node_p_failure=p_failure,
        node_failure_exposure=failure_exposure,
        node_failure_readiness=failure_readiness,
        node_ev_unprepared=values[:, 1],
        compiled=ct,
    )


def evaluate_track(plan: Plan, track_id: str | None = None, root: str | None = None) -> TrackResult:
    """Evaluate one track of ``plan``, or the subtree under ``root`` as if it had been reached.

    Raises
    ------
    PlanError
        When the track cannot be evaluated (names the node and field).
    """
    return evaluate_compiled_plan(plan, compile_track(plan, track_id=track_id, root=root))


def evaluate_compiled_plan(plan: Plan, ct: CompiledTrack) -> TrackResult:
    """Evaluate a track of ``plan`` already compiled (or patched, or spliced) under the plan's rule.

    Raises
    ------
    PlanError
        Labelled with the node's label where the plan knows it.
    """
    try:
        if not rules.uses_default_rules(plan):
            return rules.evaluate_under_rules(plan, ct)
        result = evaluate_compiled(ct)
        result.rule_value = result.ev
        return result
    except PlanError as exc:
        labelled = exc.labelled(plan.nodes)
        if labelled is exc:
            raise
        raise labelled from None


def evaluate_plan(plan: Plan) -> list[TrackResult]:
    """Evaluate every track, in plan order."""
    return [evaluate_track(plan, track.id) for track in plan.tracks]


__all__ = [
    "KIND_TERMINAL",
    "Priority",
    "TrackResult",
    "branch_readiness",
    "check_finite",
    "edge_weights",
    "effective_payoffs",
    "evaluate_compiled",
    "evaluate_compiled_plan",
    "evaluate_plan",
    "evaluate_track",
    "follow_policy",
    "reach",
    "rollback",
]
