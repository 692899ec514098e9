"""The reference check (tests/reference.py) widened to what the fast core must also get right
(issue 11): expressions, '#' shares and node variables, and the deep-tree path (node by node)
with decisions, commitments and responses."""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from planning.engine import evaluate as evaluate_module
from planning.engine.evaluate import evaluate_track
from planning.model.expressions import evaluate_value
from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track, Variable


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@st.composite
def expression_plans(draw, max_nodes: int = 30) -> Plan:
    """Random valid plans whose payoffs and probabilities are often expressions of plan and node
    variables (a node's own variables shadow outer ones and may read them), with '#' shares."""
    nodes: dict[str, Node] = {"n0": Node("n0", draw(st.sampled_from([DECISION, CHANCE])))}
    defined = {"n0": {"s"}}
    queue, count, resp = ["n0"], 1, 0
    while queue:
        nid = queue.pop(0)
        node = nodes[nid]
        names = set(defined[nid])
        if draw(st.integers(0, 3)) == 0:  # node variables: shadow s (reading the outer s), add h
            node.variables = [Variable("s", f"s + {draw(st.integers(1, 3))}"),
                              Variable("h", float(draw(st.integers(-5, 5))))]
            names |= {"h"}
        defined[nid] = names
        c = draw(st.integers(-20, 20))
        payoff_form = draw(st.integers(0, 2))
        if node.kind == TERMINAL:
            c = draw(st.integers(-100, 100))
        node.payoff = float(c) if payoff_form == 0 else (f"{c} * s" if payoff_form == 1 or "h" not in names
                                                           else f"{c} + h * 2")
        if node.kind == TERMINAL:
            continue
        k = draw(st.integers(1, 3))
        weights = [draw(st.integers(1, 9)) for _ in range(k)]
        total = sum(weights)
        use_share = node.kind == CHANCE and k > 1 and draw(st.booleans())
        for j in range(k):
            cid = f"n{count}"
            count += 1
            room = count + len(queue) < max_nodes
            kind = draw(st.sampled_from([TERMINAL, TERMINAL, DECISION, CHANCE])) if room else TERMINAL
            child = Node(cid, kind)
            defined[cid] = names
            if node.kind == CHANCE:
                # An expression that reads a variable but is worth weight/total in every scope.
                child.probability = (weights[j] / total if draw(st.booleans())
                                     else f"{weights[j]} * s / ({total} * s)")
                child.path = draw(st.sampled_from([None, "success", "failure", "neutral"]))
                child.warning_days = draw(st.sampled_from([None, 5, 30]))
                for _ in range(draw(st.integers(0, 2))):
                    resp += 1
                    child.responses.append(Response(
                        f"r{resp}", readiness=draw(st.integers(0, 4)),
                        lead_time_days=draw(st.sampled_from([None, 3, 10, 60])),
                        effect=draw(st.integers(-10, 40))))
            nodes[cid] = child
            node.children.append(cid)
            queue.append(cid)
        if use_share:
            nodes[node.children[-1]].probability = "#"
        if node.kind == DECISION and draw(st.integers(0, 4)) == 0:
            node.committed = draw(st.sampled_from(node.children))
    variables = [Variable("s", float(draw(st.integers(1, 3)))), Variable("s", "s * 2")]
    return Plan(objective=draw(st.sampled_from(["maximize", "minimize"])), variables=variables,
                tracks=[Track("t", root="n0")], nodes=nodes)


def resolved(plan: Plan) -> Plan:
    """The same plan with every expression replaced by its number, scopes walked plainly."""
    out = copy.deepcopy(plan)
    scope: dict = {}
    for variable in plan.variables:
        scope[variable.name] = evaluate_value(variable.value, scope)
    stack = [(plan.tracks[0].root, scope)]
    while stack:
        nid, outer = stack.pop()
        node = out.nodes[nid]
        here = dict(outer)
        for variable in node.variables:
            here[variable.name] = evaluate_value(variable.value, here)
        if isinstance(node.payoff, str):
            node.payoff = float(evaluate_value(node.payoff, here))
        if isinstance(node.probability, str) and node.probability != "#":
            node.probability = float(evaluate_value(node.probability, here))
        node.variables = []
        stack.extend((child, here) for child in node.children)
    out.variables = []
    return out


def assert_matches_reference(plan: Plan, got) -> None:
    ref = reference.evaluate(resolved(plan))
    for key in ("ev", "ev_unprepared", "ev_full", "p_failure", "failure_exposure", "failure_readiness",
                "p_success", "success_exposure", "success_readiness"):
        assert _close(getattr(got, key), ref[key]), (key, getattr(got, key), ref[key])
    assert got.policy == ref["policy"]
    for nid, value in ref["node_ev"].items():
        assert _close(float(got.node_ev[got.index[nid]]), value), nid
        assert _close(float(got.node_reach[got.index[nid]]), ref["reach"][nid]), nid
    for p in got.priorities:
        assert _close(p.marginal_value, ref["marginal"][p.response]), p
        assert _close(p.exposure_reduction, ref["exposure_cut"][p.response]), p


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_plans())
def test_expressions_shares_and_node_variables_match_reference(plan):
    assert_matches_reference(plan, evaluate_track(plan))


@st.composite
def deep_plans(draw, depth: int = 300) -> Plan:
    """A chain deeper than 256 levels (the node-by-node path): at each level a decision (go on,
    or stop with a payoff; sometimes committed) or a chance node (go on, or a failure/success
    end with responses), so every kind of step sits on the spine."""
    nodes: dict[str, Node] = {}
    resp = 0
    for i in range(depth):
        kind = draw(st.sampled_from([DECISION, CHANCE]))
        spine, side = f"s{i + 1}", f"x{i}"
        placeholder = nodes.get(f"s{i}")
        nodes[f"s{i}"] = node = Node(f"s{i}", kind, children=[spine, side],
                                     payoff=float(draw(st.integers(-3, 3))),
                                     probability=placeholder.probability if placeholder else None)
        nodes[side] = Node(side, payoff=float(draw(st.integers(-200, 200))))
        nodes[spine] = Node(spine)
        if kind == CHANCE:
            p = draw(st.integers(1, 9)) / 10
            nodes[spine].probability = p
            nodes[side].probability = "#"
            nodes[side].path = draw(st.sampled_from(["failure", "success", "neutral"]))
            nodes[side].warning_days = draw(st.sampled_from([None, 5, 30]))
            if draw(st.integers(0, 3)) == 0:
                resp += 1
                nodes[side].responses.append(Response(
                    f"r{resp}", readiness=draw(st.integers(0, 4)),
                    lead_time_days=draw(st.sampled_from([None, 3, 10])), effect=draw(st.integers(-10, 40))))
        elif draw(st.integers(0, 5)) == 0:
            node.committed = draw(st.sampled_from([spine, side]))
    nodes[f"s{depth}"].payoff = float(draw(st.integers(-50, 50)))
    return Plan(objective=draw(st.sampled_from(["maximize", "minimize"])),
                tracks=[Track("t", root="s0")], nodes=nodes)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(deep_plans())
def test_deep_tree_path_with_decisions_commitments_and_responses(plan):
    got = evaluate_track(plan)
    assert got.compiled is not None and evaluate_module._is_deep(got.compiled)  # the node-by-node path
    assert_matches_reference(plan, got)


def test_deep_path_equals_level_path(monkeypatch):
    rng = np.random.default_rng(4)
    nodes: dict[str, Node] = {}
    for i in range(400):
        kind = DECISION if i % 3 == 0 else CHANCE
        probability = nodes[f"s{i}"].probability if f"s{i}" in nodes else None
        nodes[f"s{i}"] = Node(f"s{i}", kind, children=[f"s{i + 1}", f"x{i}"], payoff=float(rng.integers(-3, 4)),
                              probability=probability)
        nodes[f"x{i}"] = Node(f"x{i}", payoff=float(rng.integers(-100, 100)))
        nodes[f"s{i + 1}"] = Node(f"s{i + 1}")
        if kind == CHANCE:
            nodes[f"s{i + 1}"].probability = 0.8
            nodes[f"x{i}"].probability = "#"
            nodes[f"x{i}"].path = "failure"
            nodes[f"x{i}"].responses.append(Response(f"r{i}", readiness=i % 5, effect=float(i % 7)))
        elif i % 9 == 0:
            nodes[f"s{i}"].committed = f"x{i}" if i % 2 else f"s{i + 1}"
    plan = Plan(tracks=[Track("t", root="s0")], nodes=nodes)
    deep = evaluate_track(plan)
    monkeypatch.setattr(evaluate_module, "_is_deep", lambda ct: False)
    level = evaluate_track(plan)
    assert deep.policy == level.policy
    assert deep.ev == pytest.approx(level.ev, rel=1e-12)
    np.testing.assert_allclose(deep.node_ev, level.node_ev, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(deep.node_failure_exposure, level.node_failure_exposure, rtol=1e-12, atol=1e-12)
    assert [p.response for p in deep.priorities] == [p.response for p in level.priorities]
