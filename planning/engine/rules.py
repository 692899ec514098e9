"""Decision rules and two criteria (DESIGN "Decision rules, two criteria").

A plan without ``rule`` or a second criterion evaluates exactly as before
(:mod:`planning.engine.evaluate`); this module handles the others, on the arrays of a
:class:`~planning.engine.compile.CompiledTrack`:

* ``worst-case`` / ``best-case``: a chance node takes payoff + its worst
  (best) branch's value instead of the expectation;
* two criteria: both roll back as expectations and a decision takes the
  option with the best ``w * s1 * V1 + s2 * V2``; tied options (1e-9,
  relative) count as one: the decision takes the mean of their criteria and
  the policy names the first.

The rule only picks the policy. Reach, readiness, exposure and ``ev`` are
then computed by the ordinary passes under that policy with the real
probabilities, so they keep their meaning; ``rule_value`` is the root's value
under the rule.

>>> from planning.model.plan import Plan, Track, Node
>>> plan = Plan(rule="worst-case", tracks=[Track("t", root="d")], nodes={
...     "d": Node("d", "decision", children=["c", "safe"]),
...     "c": Node("c", "chance", children=["win", "lose"]),
...     "win": Node("win", probability=0.6, payoff=100),
...     "lose": Node("lose", probability="#", payoff=-50),
...     "safe": Node("safe", payoff=20)})
>>> from planning.engine.evaluate import evaluate_track
>>> result = evaluate_track(plan)
>>> result.policy, result.rule_value, result.ev
({'d': 'safe'}, 20.0, 20.0)
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from planning.model import expressions
from planning.engine.compile import KIND_CHANCE, CompiledTrack, resolve_scopes
from planning.engine.grouped import _groups as grouped_levels, level_sum, pick_option
from planning.model.errors import PlanError
from planning.model.fields import read_value
from planning.model.plan import BEST_CASE, EXPECTED, MAXIMIZE, MINIMIZE, RULES, WORST_CASE, Criterion, Plan

#: Options whose values differ by less than this (relative) are tied (DESIGN).
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Settings:
    """The rule and criteria a plan is evaluated with."""

    rule: str = EXPECTED
    senses: tuple[str, ...] = (MAXIMIZE,)
    names: tuple[str, ...] = ("",)
    units: tuple[str, ...] = ("",)
    weight: float = 1.0
    weight_range: tuple[float, float] = (0.0, math.inf)

    @property
    def two(self) -> bool:
        """True with two criteria."""
        return len(self.senses) == 2

    @property
    def signs(self) -> tuple[float, ...]:
        """+1 for a criterion to maximise, -1 for one to minimise."""
        return tuple(-1.0 if s == MINIMIZE else 1.0 for s in self.senses)


def settings_of(plan: Plan) -> Settings:
    """The plan's rule, criteria and weights, defaults filled in (DESIGN)."""
    if plan.criteria:
        criteria = list(plan.criteria[:2])
    else:
        criteria = [Criterion("", plan.objective, plan.value_unit)]
    low, high = plan.weight_range if plan.weight_range is not None else (0.0, math.inf)
    return Settings(
        rule=plan.rule if plan.rule in RULES else EXPECTED,
        senses=tuple(c.sense if c.sense in (MAXIMIZE, MINIMIZE) else MAXIMIZE for c in criteria),
        names=tuple(c.name for c in criteria),
        units=tuple(c.unit for c in criteria),
        weight=float(plan.weight),
        weight_range=(float(low), float(high)),
    )


def uses_default_rules(plan: Plan) -> bool:
    """True when the plan evaluates as it always did: expected values, one criterion, its objective."""
    if plan.rule != EXPECTED or len(plan.criteria) > 1:
        return False
    return not plan.criteria or plan.criteria[0].sense == plan.objective


def with_options(plan: Plan, rule: str | None = None, objective: str | None = None,
                 senses: tuple[str, str] | None = None, weight: float | None = None,
                 weight_range: tuple[float, float] | None = None) -> Plan:
    """A shallow copy of ``plan`` with these fields overridden (the CLI's options).

    ``objective`` sets criterion 1's sense too; ``senses`` sets both
    criteria's senses (adding a second criterion when the plan has one) and
    the objective. ``rule`` or ``objective`` without ``senses`` judge
    criterion 1 alone (a rule applies to one criterion), so that
    ``rule="worst-case", objective="maximize"`` is SilverDecisions' maxi-min
    on any plan.
    """
    criteria = [dataclasses.replace(c) for c in plan.criteria]
    if senses is None and (rule is not None or objective is not None):
        criteria = criteria[:1]
    changes: dict = {}
    if rule is not None:
        changes["rule"] = rule
    if objective is not None:
        changes["objective"] = objective
        if criteria:
            criteria[0].sense = objective
    if senses is not None:
        if not criteria:
            criteria = [Criterion("value", plan.objective, plan.value_unit)]
        if len(criteria) < 2:
            criteria.append(Criterion("criterion 2", MAXIMIZE, ""))
        criteria[0].sense, criteria[1].sense = senses
        changes["objective"] = senses[0]
    if weight is not None:
        changes["weight"] = float(weight)
    if weight_range is not None:
        changes["weight_range"] = (float(weight_range[0]), float(weight_range[1]))
    changes["criteria"] = criteria
    return dataclasses.replace(plan, **changes)


def settings_problems(plan: Plan) -> list[tuple[str, str, str]]:
    """(severity, field, message) of what is wrong with the rule, criteria and weights."""
    out: list[tuple[str, str, str]] = []
    objectives = (MAXIMIZE, MINIMIZE)
    if plan.rule not in RULES:
        out.append(("error", "rule", f"must be one of {', '.join(RULES)}, got {plan.rule!r}"))
    if len(plan.criteria) > 2:
        out.append(("error", "criteria", f"at most two criteria, got {len(plan.criteria)}"))
    for i, criterion in enumerate(plan.criteria):
        if criterion.sense not in objectives:
            out.append(("error", f"criteria[{i}].sense", f"must be one of {', '.join(objectives)}, "
                                                         f"got {criterion.sense!r}"))
    first = plan.criteria[0] if plan.criteria else None
    if first is not None and first.sense in objectives and first.sense != plan.objective:
        out.append(("warning", "criteria[0].sense", f"criterion 1 ({first.name}) is to {first.sense}, "
                    f"the plan's objective is to {plan.objective}; the criterion's sense is used"))
    if len(plan.criteria) == 2 and plan.rule != EXPECTED:
        out.append(("warning", "rule", f"the {plan.rule} rule applies to one criterion; with two "
                                       "criteria each rolls back as an expectation"))
    weight = plan.weight
    if not (isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight >= 0):
        out.append(("error", "weight", f"must be a number 0 or more, or Infinity, got {weight!r}"))
    pair = plan.weight_range
    if pair is not None:
        try:
            low, high = float(pair[0]), float(pair[1])
        except (TypeError, ValueError, IndexError):
            out.append(("error", "weight_range", f"must be [low, high], got {pair!r}"))
        else:
            if not (0 <= low <= high):
                out.append(("error", "weight_range", f"must be [low, high] with 0 <= low <= high, "
                                                     f"got [{low:g}, {high:g}]"))
    return out


# -- the second criterion's payoffs -----------------------------------------------------
def payoff2_array(plan: Plan, ct: CompiledTrack, scope_values: list[dict] | None = None) -> np.ndarray:
    """``payoff2`` of every node of ``ct`` (breadth-first order), expressions resolved."""
    out = np.zeros(ct.size)
    nodes = plan.nodes
    pending: list[tuple[int, expressions.Expression]] = []
    for i, node_id in enumerate(ct.ids):
        value = nodes[node_id].payoff2
        if type(value) is float:
            out[i] = value
            continue
        read = read_value(value, node_id, "payoff2")
        if type(read) is float:
            out[i] = read
        else:
            pending.append((i, read))
    if pending:
        if scope_values is None:
            scope_values = resolve_scopes(ct)
        for i, expression in pending:
            try:
                out[i] = float(expression.evaluate(scope_values[int(ct.node_scope[i])]))
            except expressions.ExpressionError as exc:
                raise PlanError(ct.ids[i], "payoff2", str(exc)) from None
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        raise PlanError(ct.ids[bad[0]], "payoff2", f"must be finite, got {out[bad[0]]!r}")
    return out


def payoff2_range_array(plan: Plan, ct: CompiledTrack) -> np.ndarray:
    """``payoff2_range`` per node, shape (n, 2), NaN where none."""
    out = np.full((ct.size, 2), np.nan)
    for i, node_id in enumerate(ct.ids):
        pair = plan.nodes[node_id].payoff2_range
        if pair is not None:
            out[i] = (float(pair[0]), float(pair[1]))
    return out


# -- rollbacks ---------------------------------------------------------------------------
def _columns(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[:, None] if a.ndim == 1 else a


def rule_rollback(ct: CompiledTrack, payoff: np.ndarray, sign: float, rule: str,
                  probability: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Roll values back under ``rule`` (one criterion); columns roll back independently.

    Returns the value of every node (its own payoff included) and the chosen
    child of every decision (-1 elsewhere), shaped like ``payoff``. The
    grouped engine's groups and tie rule (planning/engine/grouped.py); a
    chance node is worth its worst or best branch, or the expectation.
    """
    if probability is None:
        probability = ct.probability
    one_d = np.ndim(payoff) == 1
    value = _columns(payoff).copy()
    p = _columns(probability)
    chosen = np.full(value.shape, -1, dtype=np.int64)
    for groups in grouped_levels(ct):
        for g in groups:
            children = value[g.children]  # (P, width, k)
            if g.kind == KIND_CHANCE:
                if rule == WORST_CASE:
                    add = sign * (sign * children).min(axis=1)
                elif rule == BEST_CASE:
                    add = sign * (sign * children).max(axis=1)
                else:
                    add = level_sum(p[g.children] * children)
            else:
                pick = pick_option(children, sign)
                committed = ct.committed[g.parents]
                held = committed >= 0
                if held.any():
                    pick[held] = (committed[held] - g.first[held])[:, None]
                add = np.take_along_axis(children, pick[:, None, :], axis=1)[:, 0]
                chosen[g.parents] = g.first[:, None] + pick
            value[g.parents] += add
    if one_d:
        return value[:, 0], chosen[:, 0]
    return value, chosen


def combined_value(v1, v2, signs: tuple[float, float], weight: float):
    """w * s1 * V1 + s2 * V2; with w = Infinity, s1 * V1 alone (DESIGN)."""
    if math.isinf(weight):
        return signs[0] * np.asarray(v1, dtype=float)
    return weight * signs[0] * np.asarray(v1, dtype=float) + signs[1] * np.asarray(v2, dtype=float)


def two_criteria_rollback(ct: CompiledTrack, payoff1: np.ndarray, payoff2: np.ndarray,
                          signs: tuple[float, float], weight: float,
                          probability: np.ndarray | None = None,
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Roll both criteria back as expectations; decisions take the best combined value.

    Tied options (combined values within 1e-9, relative) are equally good:
    the decision takes the mean of their criteria and ``chosen`` names the
    first. A committed option is taken as it is. ``payoff1`` and
    ``payoff2`` may carry columns (``payoff2`` 1-D is shared by all).

    Returns V1, V2 (shaped like ``payoff1``) and the chosen child of every
    decision (-1 elsewhere). The grouped engine's groups and sums.
    """
    if probability is None:
        probability = ct.probability
    one_d = np.ndim(payoff1) == 1
    v1 = _columns(payoff1).copy()
    v2 = np.broadcast_to(_columns(payoff2), v1.shape).copy()
    p = _columns(probability)
    chosen = np.full(v1.shape, -1, dtype=np.int64)
    for groups in grouped_levels(ct):
        for g in groups:
            a1, a2 = v1[g.children], v2[g.children]  # (P, width, k)
            if g.kind == KIND_CHANCE:
                add1 = level_sum(p[g.children] * a1)
                add2 = level_sum(p[g.children] * a2)
            else:
                combined = combined_value(a1, a2, signs, weight)
                pick = pick_option(combined, 1.0)
                best = combined.max(axis=1)
                near = combined >= (best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best)))[:, None, :]
                count = level_sum(near.astype(float))
                add1 = level_sum(np.where(near, a1, 0.0)) / count
                add2 = level_sum(np.where(near, a2, 0.0)) / count
                committed = ct.committed[g.parents]
                held = committed >= 0
                if held.any():
                    pick[held] = (committed[held] - g.first[held])[:, None]
                    add1[held] = v1[committed[held]]
                    add2[held] = v2[committed[held]]
                chosen[g.parents] = g.first[:, None] + pick
            v1[g.parents] += add1
            v2[g.parents] += add2
    if one_d:
        return v1[:, 0], v2[:, 0], chosen[:, 0]
    return v1, v2, chosen


def policy_rollback(ct: CompiledTrack, settings: Settings, payoff: np.ndarray,
                    payoff2: np.ndarray | None, probability: np.ndarray | None = None):
    """The policy under the settings, and the root's rule value, per column.

    Returns ``(rule_value, chosen, extra)``: the value of every node under
    the rule (one criterion) or the combined value (two), the chosen child
    of each decision, and with two criteria ``(V1, V2)``.
    """
    if settings.two:
        p2 = np.zeros(ct.size) if payoff2 is None else payoff2
        v1, v2, chosen = two_criteria_rollback(ct, payoff, p2, settings.signs, settings.weight, probability)
        return combined_value(v1, v2, settings.signs, settings.weight), chosen, (v1, v2)
    value, chosen = rule_rollback(ct, payoff, settings.signs[0], settings.rule, probability)
    return value, chosen, None


def _pick(signed: list[float], first: int) -> int:
    """The rollback's choice: the first child within the tie tolerance of the best."""
    top = max(signed)
    tol = TIE_TOLERANCE * max(1.0, abs(top))
    return first + next(j for j, x in enumerate(signed) if x >= top - tol)


def marginal_values_under(ct: CompiledTrack, settings: Settings, own: np.ndarray, own2: np.ndarray | None,
                          rule_value: np.ndarray, pair, expected: np.ndarray) -> np.ndarray:
    """Exact change of ``ev`` if each response alone were raised to ready (DESIGN point 5).

    As :func:`planning.engine.readiness.marginal_values`, with the decisions
    re-optimised under the rule (or the combined value). A response changes
    values on the path from its node to the root only, so each response
    walks up that path and recomputes every ancestor from its children with
    the rollback's own rules (ties to the first option within 1e-9,
    committed options kept): depth x branching steps per response.

    ``own``/``own2``: every node's effective payoff and payoff2;
    ``rule_value``: every node's value under the rule (one criterion);
    ``pair``: (V1, V2) with two criteria; ``expected``: every node's
    expected value under the policy (1-D arrays).
    """
    m = len(ct.resp_ids)
    out = np.zeros(m)
    if m == 0:
        return out
    gain = np.where(ct.resp_late, 0.0, (1.0 - ct.resp_r) * ct.resp_effect)
    kind = ct.kind.tolist()
    parent = ct.parent.tolist()
    start = ct.child_start.tolist()
    count = ct.child_count.tolist()
    committed = ct.committed.tolist()
    p = ct.probability.tolist()
    o1 = own.tolist()
    e = expected.tolist()
    two = settings.two
    if two:
        o2 = own2.tolist()
        v1, v2 = pair[0].tolist(), pair[1].tolist()
        s1, s2 = settings.signs
        w = settings.weight
    else:
        v = rule_value.tolist()
        sign = settings.signs[0]
        worst, best = settings.rule == WORST_CASE, settings.rule == BEST_CASE
    for k in np.flatnonzero(gain != 0).tolist():
        node = int(ct.resp_node[k])
        g = float(gain[k])
        ne = {node: e[node] + g}
        if two:
            na, nb = {node: v1[node] + g}, {node: v2[node]}
        else:
            nv = {node: v[node] + g}
        cur = node
        while parent[cur] >= 0:
            up = parent[cur]
            s0 = start[up]
            kids = range(s0, s0 + count[up])
            ek = [ne.get(c, e[c]) for c in kids]
            if two:
                ak = [na.get(c, v1[c]) for c in kids]
                bk = [nb.get(c, v2[c]) for c in kids]
                if kind[up] == KIND_CHANCE:
                    na[up] = o1[up] + sum(p[c] * x for c, x in zip(kids, ak))
                    nb[up] = o2[up] + sum(p[c] * x for c, x in zip(kids, bk))
                else:
                    if committed[up] >= 0:
                        pick = committed[up]
                        a, b = ak[pick - s0], bk[pick - s0]
                    else:
                        score = [s1 * x if math.isinf(w) else w * s1 * x + s2 * y for x, y in zip(ak, bk)]
                        pick = _pick(score, s0)
                        top = max(score)
                        tol = TIE_TOLERANCE * max(1.0, abs(top))
                        tied = [j for j, x in enumerate(score) if x >= top - tol]
                        a = sum(ak[j] for j in tied) / len(tied)
                        b = sum(bk[j] for j in tied) / len(tied)
                    na[up], nb[up] = o1[up] + a, o2[up] + b
            else:
                vk = [nv.get(c, v[c]) for c in kids]
                if kind[up] == KIND_CHANCE:
                    if worst:
                        agg = sign * min(sign * x for x in vk)
                    elif best:
                        agg = sign * max(sign * x for x in vk)
                    else:
                        agg = sum(p[c] * x for c, x in zip(kids, vk))
                else:
                    pick = committed[up] if committed[up] >= 0 else _pick([sign * x for x in vk], s0)
                    agg = vk[pick - s0]
                nv[up] = o1[up] + agg
            if kind[up] == KIND_CHANCE:
                ne[up] = o1[up] + sum(p[c] * x for c, x in zip(kids, ek))
            else:
                ne[up] = o1[up] + ek[pick - s0]
            cur = up
        out[k] = ne[0] - e[0]
    return out


def evaluate_under_rules(plan: Plan, ct: CompiledTrack):
    """:func:`planning.engine.evaluate.evaluate_compiled` under the plan's rule and criteria.

    The policy comes from the rule (or the combined value); everything else
    is the ordinary pass under that policy. Adds ``rule_value``, and with two
    criteria ``values``, ``combined`` and the per-node ``node_ev2``.
    """
    from planning.engine.evaluate import Priority, effective_payoffs, evaluate_compiled, rollback
    from planning.engine.readiness import exposure_reductions

    settings = settings_of(plan)
    payoffs = effective_payoffs(ct)
    payoff2 = payoff2_array(plan, ct) if settings.two else None
    rule_values, chosen_all, pair = policy_rollback(ct, settings, payoffs, payoff2)
    values, _ = rollback(ct, payoffs, optimise=False, choice=chosen_all)
    result = evaluate_compiled(ct, rolled=(values, chosen_all))
    chosen = chosen_all[:, 0]
    result.rule_value = float(rule_values[0, 0])
    result.settings = settings
    if settings.two:
        v1, v2 = pair
        result.values = (float(v1[0, 0]), float(v2[0, 0]))
        result.combined = float(rule_values[0, 0])
        result.node_ev2 = rollback(ct, payoff2, optimise=False, choice=chosen)[0]
    # Priorities: the marginal value re-optimises under the rule; the
    # exposure a response removes is measured under the policy, as before.
    from planning.engine.evaluate import branch_readiness, follow_policy, readiness_factors

    rho = branch_readiness(ct)
    marks = follow_policy(ct, readiness_factors(ct, rho), chosen)
    if settings.two:
        marginal = marginal_values_under(ct, settings, payoffs[:, 0], payoff2, None,
                                         (pair[0][:, 0], pair[1][:, 0]), values[:, 0])
    else:
        marginal = marginal_values_under(ct, settings, payoffs[:, 0], None, rule_values[:, 0], None,
                                         values[:, 0])
    reduction = exposure_reductions(ct, chosen, result.node_reach, rho, marks[:, 0])
    marginal = np.where(np.abs(marginal) < 1e-12, 0.0, marginal)
    m = marginal.size
    order = np.lexsort((np.arange(m), -reduction, -settings.signs[0] * marginal))
    result.priorities = [
        Priority(ct.resp_ids[k], ct.ids[int(ct.resp_node[k])], float(marginal[k]), float(reduction[k]),
                 bool(ct.resp_late[k]))
        for k in order.tolist()
    ]
    return result


__all__ = [
    "Settings",
    "combined_value",
    "evaluate_under_rules",
    "marginal_values_under",
    "payoff2_array",
    "payoff2_range_array",
    "policy_rollback",
    "rule_rollback",
    "settings_of",
    "settings_problems",
    "two_criteria_rollback",
    "uses_default_rules",
    "with_options",
]
