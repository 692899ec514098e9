"""A plain, slow reference implementation of DESIGN's numbers, for checking the fast path.

Written straight from the text of shared/DESIGN.md ("What the core computes"),
node by node with dictionaries, enumerating every root-to-terminal path. It
supports numeric probabilities and payoffs plus '#'; expressions are resolved
by the caller (tests use plans with numbers), or by :func:`linked` for plans
whose tracks read each other (DESIGN "Linked tracks"): it resolves one track
at a time, in whatever order the values it reads become known, without
planning.engine.links or networkx.
"""
from __future__ import annotations

import copy

from planning.model import expressions
from planning.model.plan import CHANCE, DECISION, FAILURE, MINIMIZE, SUCCESS, TERMINAL, Plan, Track

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


# -- linked tracks ------------------------------------------------------------------

def _scope(variables, scope: dict) -> dict:
    merged = dict(scope)
    merged.update(expressions.resolve_variables(variables, merged))
    return merged


def resolve_track(plan: Plan, track: Track, known: dict) -> tuple[Plan, dict]:
    """A plan holding only ``track``'s nodes, every payoff and probability a number.

    ``known`` maps link keys (``p_success("T")`` ...) to the values read.
    Returns the plan and, per chance node, its children's probabilities.
    Raises EvaluationError when an expression reads a value not yet known.
    """
    nodes = {}
    shares: dict[str, dict[str, float]] = {}
    stack = [(track.root, _scope(plan.variables, known))]
    while stack:
        node_id, scope = stack.pop()
        node = copy.deepcopy(plan.nodes[node_id])
        nodes[node_id] = node
        if node.variables:
            scope = _scope(node.variables, scope)
        node.payoff = float(expressions.evaluate_value(node.payoff, scope))
        for child_id in node.children:
            child = plan.nodes[child_id]
            if node.kind == CHANCE and child.probability != "#":
                expressions.evaluate_value(child.probability, scope)  # raises if unknown
            stack.append((child_id, scope))
        if node.kind == CHANCE:
            fixed = {c: float(expressions.evaluate_value(plan.nodes[c].probability, scope))
                     for c in node.children if plan.nodes[c].probability != "#"}
            hashes = [c for c in node.children if c not in fixed]
            rest = (1.0 - sum(fixed.values())) / len(hashes) if hashes else 0.0
            shares[node_id] = {c: fixed.get(c, rest) for c in node.children}
    for parent, children in shares.items():
        for child_id, value in children.items():
            if plan.nodes[child_id].probability != "#":
                nodes[child_id].probability = value
    return Plan(objective=plan.objective, tracks=[track], nodes=nodes), shares


def _way_down(plan: Plan, root: str, node_id: str) -> list[str]:
    parent = {c: n.id for n in plan.nodes.values() for c in n.children}
    way = [node_id]
    while way[-1] != root:
        way.append(parent[way[-1]])
    return way[::-1]


def read_values(plan: Plan, track: Track, result: dict, start: str) -> dict:
    """What other tracks read of ``track`` evaluated from ``start`` (its root or a given node)."""
    way = _way_down(plan, track.root, start)
    crossed = {plan.nodes[c].path for p, c in zip(way, way[1:]) if plan.nodes[p].kind == CHANCE}
    values = {
        f'p_success("{track.id}")': 1.0 if SUCCESS in crossed else result["p_success"],
        f'p_failure("{track.id}")': 1.0 if FAILURE in crossed else result["p_failure"],
        f'ev("{track.id}")': result["ev"],
    }
    below = set(result["reach"])
    stack = [track.root]
    while stack:
        node_id = stack.pop()
        stack.extend(plan.nodes[node_id].children)
        values[f'reach("{node_id}")'] = (result["reach"][node_id] if node_id in below
                                         else 1.0 if node_id in way else 0.0)
    return values


def linked(plan: Plan, given: tuple[str, ...] = ()) -> dict[str, dict]:
    """Every track evaluated as if the ``given`` nodes had happened (one per track at most).

    Tracks are tried over and over until each has all it reads; a plan whose
    tracks read each other in a circle raises ValueError.
    """
    start = {}
    for node_id in given:
        for track in plan.tracks:
            if node_id in {n for n in _subtree(plan, track.root)}:
                start[track.id] = node_id
    known: dict = {}
    results: dict[str, dict] = {}
    pending = list(plan.tracks)
    while pending:
        progress = False
        for track in list(pending):
            try:
                numeric, _ = resolve_track(plan, track, known)
            except expressions.EvaluationError:
                continue  # reads a track not evaluated yet
            root = start.get(track.id, track.root)
            results[track.id] = evaluate(numeric, root)
            known.update(read_values(plan, track, results[track.id], root))
            pending.remove(track)
            progress = True
        if not progress:
            raise ValueError("tracks read each other in a circle: " + ", ".join(t.id for t in pending))
    return results


def _subtree(plan: Plan, root: str) -> list[str]:
    out, stack = [], [root]
    while stack:
        node_id = stack.pop()
        out.append(node_id)
        stack.extend(plan.nodes[node_id].children)
    return out


def linked_numeric(plan: Plan) -> tuple[Plan, dict]:
    """The whole plan with every number resolved, links read from the base evaluation."""
    linked_results = linked(plan)
    known: dict = {}
    for track in plan.tracks:
        known.update(read_values(plan, track, linked_results[track.id], track.root))
    out = copy.deepcopy(plan)
    shares: dict = {}
    for track in plan.tracks:
        numeric, track_shares = resolve_track(plan, track, known)
        out.nodes.update(numeric.nodes)
        shares.update(track_shares)
    return out, shares
