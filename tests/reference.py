"""A plain, slow reference implementation of DESIGN's numbers, for checking the fast path.

Written straight from the text of shared/DESIGN.md ("What the core computes"),
node by node with dictionaries, enumerating every root-to-terminal path. It
supports numeric probabilities and payoffs plus '#'; expressions are resolved
by the caller (tests use plans with numbers).
"""
from __future__ import annotations

import copy

from planning.model import CHANCE, DECISION, FAILURE, MINIMIZE, SUCCESS, TERMINAL, Plan

TOL = 1e-9


def probabilities(plan: Plan) -> dict[str, float]:
    p: dict[str, float] = {}
    for node in plan.nodes.values():
        if node.kind != CHANCE:
            continue
        fixed = [float(plan.nodes[c].probability) for c in node.children if plan.nodes[c].probability != "#"]
        shared = [c for c in node.children if plan.nodes[c].probability == "#"]
        for c in node.children:
            pc = plan.nodes[c].probability
            p[c] = (1 - sum(fixed)) / len(shared) if pc == "#" else float(pc)
    return p


def late(node, response) -> bool:
    return node.warning_days is not None and response.lead_time_days is not None and response.lead_time_days > node.warning_days


def rho(node) -> float:
    return max([0.0] + [0.0 if late(node, r) else r.readiness / 4 for r in node.responses])


def payoff(node, mode: str) -> float:
    base = float(node.payoff)
    if mode == "unprepared":
        return base
    for r in node.responses:
        if late(node, r):
            continue
        base += (1.0 if mode == "full" else r.readiness / 4) * r.effect
    return base


def postorder(plan: Plan, root: str) -> list[str]:
    out, stack = [], [(root, False)]
    while stack:
        nid, done = stack.pop()
        if done:
            out.append(nid)
            continue
        stack.append((nid, True))
        for c in reversed(plan.nodes[nid].children):
            stack.append((c, False))
    return out


def rollback(plan: Plan, root: str, mode: str = "effective") -> tuple[dict, dict]:
    p = probabilities(plan)
    better = (lambda a, b: a < b - TOL * max(1, abs(a), abs(b))) if plan.objective == MINIMIZE else (lambda a, b: a > b + TOL * max(1, abs(a), abs(b)))
    ev: dict[str, float] = {}
    policy: dict[str, str] = {}
    for nid in postorder(plan, root):
        node = plan.nodes[nid]
        own = payoff(node, mode)
        if node.kind == TERMINAL:
            ev[nid] = own
        elif node.kind == CHANCE:
            ev[nid] = own + sum(p[c] * ev[c] for c in node.children)
        else:
            best = node.children[0]
            for c in node.children[1:]:
                if better(ev[c], ev[best]):
                    best = c
            if node.committed:
                best = node.committed
            policy[nid] = best
            ev[nid] = own + ev[best]
    return ev, policy


def paths(plan: Plan, root: str, policy: dict) -> list[tuple[str, float, list[str]]]:
    """(terminal, reach, the nodes on its path) for every terminal, under the policy."""
    p = probabilities(plan)
    out = []
    stack = [(root, 1.0, [root])]
    while stack:
        nid, r, trail = stack.pop()
        node = plan.nodes[nid]
        if node.kind == TERMINAL:
            out.append((nid, r, trail))
        for c in node.children:
            if node.kind == CHANCE:
                stack.append((c, r * p[c], trail + [c]))
            else:
                stack.append((c, r if policy[nid] == c else 0.0, trail + [c]))
    return out


def branch_ids(plan: Plan) -> set[str]:
    return {c for n in plan.nodes.values() if n.kind == CHANCE for c in n.children}


def readiness_numbers(plan: Plan, root: str, policy: dict, which: str) -> tuple[float, float]:
    """(p_crossing, exposure) for failure or success branches."""
    branches = branch_ids(plan)
    p_cross = exposure = 0.0
    for _, r, trail in paths(plan, root, policy):
        marked = [n for n in trail if n in branches and n != root and (plan.nodes[n].path or "neutral") == which]
        if marked:
            p_cross += r
            prod = 1.0
            for b in marked:
                prod *= rho(plan.nodes[b])
            exposure += r * (1 - prod)
    return p_cross, exposure


def evaluate(plan: Plan, root: str | None = None) -> dict:
    root = root or plan.tracks[0].root
    ev, policy = rollback(plan, root)
    unprepared, _ = rollback(plan, root, "unprepared")
    full, _ = rollback(plan, root, "full")
    p_f, exp_f = readiness_numbers(plan, root, policy, FAILURE)
    p_s, exp_s = readiness_numbers(plan, root, policy, SUCCESS)
    pr = probabilities(plan)
    reach = {root: 1.0}
    stack = [root]
    while stack:
        nid = stack.pop()
        node = plan.nodes[nid]
        for c in node.children:
            if node.kind == CHANCE:
                reach[c] = reach[nid] * pr[c]
            else:
                reach[c] = reach[nid] if policy[nid] == c else 0.0
            stack.append(c)
    marginal = {}
    exposure_cut = {}
    for node in plan.nodes.values():
        for k, resp in enumerate(node.responses):
            changed = copy.deepcopy(plan)
            changed.nodes[node.id].responses[k].readiness = 4
            marginal[resp.id] = rollback(changed, root)[0][root] - ev[root]
            exposure_cut[resp.id] = exp_f - readiness_numbers(changed, root, policy, FAILURE)[1]
    return {
        "ev": ev[root],
        "node_ev": ev,
        "reach": reach,
        "policy": policy,
        "ev_unprepared": unprepared[root],
        "ev_full": full[root],
        "p_failure": p_f,
        "failure_exposure": exp_f,
        "failure_readiness": 1 - exp_f / p_f if p_f > 1e-15 else 1.0,
        "p_success": p_s,
        "success_exposure": exp_s,
        "success_readiness": 1 - exp_s / p_s if p_s > 1e-15 else 1.0,
        "marginal": marginal,
        "exposure_cut": exposure_cut,
        "decisions": [n.id for n in plan.nodes.values() if n.kind == DECISION],
    }
