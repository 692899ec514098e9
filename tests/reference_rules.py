"""A plain reference for decision rules, two criteria and the league table.

Written from shared/DESIGN.md ("Decision rules, two criteria, value of
information"): recursion over dictionaries for the rules, and brute force
over every policy (one option at every reached decision; a committed
decision keeps its option) for the league table. Slow and obvious on purpose.
"""
from __future__ import annotations

import itertools
import math

from reference import payoff as effective_payoff
from reference import probabilities

from planning.model.plan import CHANCE, DECISION, MINIMIZE, Plan

TOL = 1e-9


def close(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def rule_value(plan: Plan, node_id: str, rule: str, sign: float, p: dict) -> float:
    """The value of a node under a single-criterion rule, by recursion."""
    node = plan.nodes[node_id]
    own = effective_payoff(node, "effective")
    if not node.children:
        return own
    values = [rule_value(plan, c, rule, sign, p) for c in node.children]
    if node.kind == CHANCE:
        if rule == "worst-case":
            return own + sign * min(sign * v for v in values)
        if rule == "best-case":
            return own + sign * max(sign * v for v in values)
        return own + sum(p[c] * v for c, v in zip(node.children, values))
    if node.committed is not None:
        return own + values[node.children.index(node.committed)]
    return own + sign * max(sign * v for v in values)


def policies(plan: Plan, node_id: str) -> list[dict[str, str]]:
    """Every policy under a node: decision id -> option id, reached decisions only."""
    node = plan.nodes[node_id]
    if not node.children:
        return [{}]
    if node.kind == DECISION:
        options = [node.committed] if node.committed is not None else node.children
        return [{node_id: o, **sub} for o in options for sub in policies(plan, o)]
    out = [{}]
    for child in node.children:
        out = [{**a, **b} for a, b in itertools.product(out, policies(plan, child))]
    return out


def policy_values(plan: Plan, node_id: str, policy: dict, p: dict) -> tuple[float, float, float, float]:
    """(expected V1, expected V2, worst-case V1, best-case V1) of a policy, V1 signed as written."""
    node = plan.nodes[node_id]
    own1 = effective_payoff(node, "effective")
    own2 = float(node.payoff2)
    if not node.children:
        return own1, own2, own1, own1
    if node.kind == DECISION:
        e1, e2, lo, hi = policy_values(plan, policy[node_id], policy, p)
        return own1 + e1, own2 + e2, own1 + lo, own1 + hi
    parts = [policy_values(plan, c, policy, p) for c in node.children]
    return (own1 + sum(p[c] * v[0] for c, v in zip(node.children, parts)),
            own2 + sum(p[c] * v[1] for c, v in zip(node.children, parts)),
            own1 + min(v[2] for v in parts), own1 + max(v[3] for v in parts))


def brute_force_rule_value(plan: Plan, rule: str) -> float:
    """max (or min) over all policies of the policy's value under the rule."""
    sign = -1.0 if plan.objective == MINIMIZE else 1.0
    p = probabilities(plan)
    root = plan.tracks[0].root
    best = -math.inf
    for policy in policies(plan, root):
        e1, _, lo, hi = policy_values(plan, root, policy, p)
        if rule == "expected":
            v = e1
        elif rule == "worst-case":
            v = lo if sign > 0 else hi
        else:
            v = hi if sign > 0 else lo
        best = max(best, sign * v)
    return sign * best


def two_criteria_values(plan: Plan, node_id: str, signs, weight: float, p: dict) -> tuple[float, float]:
    """(V1, V2) by recursion: decisions take the best combined value, ties the mean."""
    node = plan.nodes[node_id]
    own1 = effective_payoff(node, "effective")
    own2 = float(node.payoff2)
    if not node.children:
        return own1, own2
    values = [two_criteria_values(plan, c, signs, weight, p) for c in node.children]
    if node.kind == CHANCE:
        return (own1 + sum(p[c] * v[0] for c, v in zip(node.children, values)),
                own2 + sum(p[c] * v[1] for c, v in zip(node.children, values)))
    if node.committed is not None:
        v = values[node.children.index(node.committed)]
        return own1 + v[0], own2 + v[1]
    scores = [combined(v[0], v[1], signs, weight) for v in values]
    top = max(scores)
    tied = [v for v, s in zip(values, scores) if s >= top - TOL * max(1.0, abs(top))]
    return own1 + sum(v[0] for v in tied) / len(tied), own2 + sum(v[1] for v in tied) / len(tied)


def combined(v1: float, v2: float, signs, weight: float) -> float:
    return signs[0] * v1 if math.isinf(weight) else weight * signs[0] * v1 + signs[1] * v2


def league(plan: Plan, signs, weight: float, weight_range) -> list[dict]:
    """Rows by brute force: distinct values, dominated, optimal sets by scanning weights."""
    p = probabilities(plan)
    root = plan.tracks[0].root
    rows: list[dict] = []
    for policy in policies(plan, root):
        v1, v2, _, _ = policy_values(plan, root, policy, p)
        for row in rows:
            if close(row["values"][0], v1) and close(row["values"][1], v2):
                row["policies"].append(policy)
                break
        else:
            rows.append({"values": (v1, v2), "policies": [policy]})
    for row in rows:
        g = (signs[0] * row["values"][0], signs[1] * row["values"][1])
        row["g"] = g
    for row in rows:
        g = row["g"]
        row["dominated"] = any(
            (o["g"][0] >= g[0] or close(o["g"][0], g[0])) and (o["g"][1] >= g[1] or close(o["g"][1], g[1]))
            and ((o["g"][0] > g[0] and not close(o["g"][0], g[0])) or (o["g"][1] > g[1] and not close(o["g"][1], g[1])))
            for o in rows if o is not row)
    alive = [r for r in rows if not r["dominated"]]
    ratios = set()
    for a, b in itertools.combinations(alive, 2):
        if not close(a["g"][0], b["g"][0]):
            w = (b["g"][1] - a["g"][1]) / (a["g"][0] - b["g"][0])
            if w >= 0:
                ratios.add(w)

    def optimal_at(w: float) -> list[dict]:
        scores = [r["g"][0] if math.isinf(w) else w * r["g"][0] + r["g"][1] for r in alive]
        top = max(scores)
        scale = max(1.0, abs(top)) if math.isinf(w) else max(1.0, abs(top), w)
        return [r for r, s in zip(alive, scores) if s >= top - 1e-8 * scale]

    def weights_in(low: float, high: float) -> list[float]:
        points = sorted({low, high} | {w for w in ratios if low <= w <= high})
        finite = [w for w in points if not math.isinf(w)]
        mids = [(a + b) / 2 for a, b in zip(finite, finite[1:])]
        if math.isinf(high) and finite:
            mids.append(finite[-1] * 2 + 1)
        return points + mids

    frontier = {id(r) for w in weights_in(0.0, math.inf) for r in optimal_at(w)}
    in_range = {id(r) for w in weights_in(*weight_range) for r in optimal_at(w)}
    at_weight = {id(r) for r in optimal_at(weight)}
    for r in rows:
        r["frontier"] = id(r) in frontier
        r["optimal"] = id(r) in in_range
        r["optimal_for_weight"] = id(r) in at_weight
    return rows
