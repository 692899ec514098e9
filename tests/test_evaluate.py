"""The fast, array-based evaluation against the plain reference of DESIGN's numbers."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from planning.model.errors import PlanError
from planning.engine.evaluate import evaluate_track
from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track


@st.composite
def plans(draw, max_nodes: int = 30) -> Plan:
    """Random valid plans with numeric values, responses, paths and commitments."""
    nodes: dict[str, Node] = {}
    queue = ["n0"]
    nodes["n0"] = Node("n0", draw(st.sampled_from([DECISION, CHANCE])))
    count = 1
    resp = 0
    while queue:
        nid = queue.pop(0)
        node = nodes[nid]
        node.payoff = draw(st.integers(-20, 20))
        if node.kind == TERMINAL:
            node.payoff = draw(st.integers(-100, 100))
            continue
        k = draw(st.integers(1, 3))
        weights = [draw(st.integers(1, 9)) for _ in range(k)]
        use_share = node.kind == CHANCE and k > 1 and draw(st.booleans())
        for j in range(k):
            cid = f"n{count}"
            count += 1
            room = count + len(queue) < max_nodes
            kind = draw(st.sampled_from([TERMINAL, TERMINAL, DECISION, CHANCE])) if room else TERMINAL
            child = Node(cid, kind)
            if node.kind == CHANCE:
                child.probability = weights[j] / sum(weights)
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
            last = nodes[node.children[-1]]
            last.probability = "#"
            fixed = sum(float(nodes[c].probability) for c in node.children[:-1])
            if fixed > 1:
                last.probability = 0.0
        if node.kind == DECISION and draw(st.integers(0, 4)) == 0:
            node.committed = draw(st.sampled_from(node.children))
    objective = draw(st.sampled_from(["maximize", "minimize"]))
    return Plan(objective=objective, tracks=[Track("t", root="n0")], nodes=nodes)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_fast_path_matches_reference(plan):
    ref = reference.evaluate(plan)
    got = evaluate_track(plan)
    for key in ("ev", "ev_unprepared", "ev_full", "p_failure", "failure_exposure", "failure_readiness",
                "p_success", "success_exposure", "success_readiness"):
        assert _close(getattr(got, key), ref[key]), (key, getattr(got, key), ref[key])
    assert got.policy == ref["policy"]
    assert _close(got.value_of_preparedness, ref["ev"] - ref["ev_unprepared"])
    for nid, value in ref["node_ev"].items():
        assert _close(float(got.node_ev[got.index[nid]]), value)
        assert _close(float(got.node_reach[got.index[nid]]), ref["reach"][nid])
    for p in got.priorities:
        assert _close(p.marginal_value, ref["marginal"][p.response]), p
        assert _close(p.exposure_reduction, ref["exposure_cut"][p.response]), p
    sign = -1 if plan.objective == "minimize" else 1
    gains = [sign * p.marginal_value for p in got.priorities]
    assert gains == sorted(gains, reverse=True)


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_from_node_equals_subtree_as_its_own_track(plan, data):
    node_id = data.draw(st.sampled_from([n for n, node in plan.nodes.items() if node.kind != TERMINAL] or ["n0"]))
    sub = evaluate_track(plan, root=node_id)
    ref = reference.evaluate(plan, root=node_id)
    assert _close(sub.ev, ref["ev"])
    assert _close(sub.failure_exposure, ref["failure_exposure"])
    whole = evaluate_track(plan)
    assert _close(sub.ev, float(whole.node_ev[whole.index[node_id]]))


def minimal_plan() -> Plan:
    return Plan(
        title="launch",
        tracks=[Track("launch", root="d1")],
        nodes={
            "d1": Node("d1", DECISION, children=["c1", "t3"]),
            "c1": Node("c1", CHANCE, payoff=-40, children=["t1", "t2"]),
            "t1": Node("t1", probability=0.7, path="success", payoff=200, warning_days=30,
                       responses=[Response("r1", readiness=2, lead_time_days=14, effect=15)]),
            "t2": Node("t2", probability="#", path="failure", payoff=-60, warning_days=10,
                       responses=[Response("r2", readiness=1, lead_time_days=7, effect=30)]),
            "t3": Node("t3", payoff=20, path="neutral"),
        },
    )


def test_minimal_example_by_hand():
    r = evaluate_track(minimal_plan())
    # EV(c1) = -40 + 0.7*(200 + 0.5*15) + 0.3*(-60 + 0.25*30) = -40 + 145.25 - 15.75
    assert r.ev == pytest.approx(89.5)
    assert r.ev_unprepared == pytest.approx(-40 + 0.7 * 200 + 0.3 * -60)
    assert r.ev_full == pytest.approx(-40 + 0.7 * 215 + 0.3 * -30)
    assert r.policy == {"d1": "c1"}
    assert r.p_failure == pytest.approx(0.3)
    assert r.failure_exposure == pytest.approx(0.3 * 0.75)
    assert r.failure_readiness == pytest.approx(0.25)
    assert r.p_success == pytest.approx(0.7)
    assert r.success_readiness == pytest.approx(0.5)
    top = r.priorities[0]
    # r1: 0.7 * 0.5 * 15 = 5.25 ; r2: 0.3 * 0.75 * 30 = 6.75
    assert (top.response, top.marginal_value) == ("r2", pytest.approx(6.75))
    assert top.exposure_reduction == pytest.approx(0.225)
    assert r.priorities[1].marginal_value == pytest.approx(5.25)


def test_late_response_counts_as_not_ready_and_is_listed():
    plan = minimal_plan()
    plan.nodes["t2"].responses[0].lead_time_days = 20  # more than 10 warning days
    r = evaluate_track(plan)
    assert ("t2", "r2") in r.late
    assert r.failure_exposure == pytest.approx(0.3)
    assert r.ev == pytest.approx(-40 + 0.7 * 207.5 + 0.3 * -60)
    late = [p for p in r.priorities if p.response == "r2"][0]
    assert late.late and late.marginal_value == 0


def test_marginal_value_switches_the_policy_when_big_enough():
    plan = minimal_plan()
    plan.nodes["t3"].payoff = 95  # waiting is now better than launching (89.5)
    plan.nodes["t2"].responses[0].effect = 100
    r = evaluate_track(plan)
    assert r.policy == {"d1": "t3"}
    assert r.ev == pytest.approx(95)
    r2 = [p for p in r.priorities if p.response == "r2"][0]
    # Launch with r2 ready: -40 + 0.7*207.5 + 0.3*(-60+100) = 117.25 > 95
    assert r2.marginal_value == pytest.approx(117.25 - 95)


def test_committed_option_overrides_the_best():
    plan = minimal_plan()
    plan.nodes["d1"].committed = "t3"
    r = evaluate_track(plan)
    assert r.policy == {"d1": "t3"} and r.ev == pytest.approx(20)
    assert r.p_failure == 0 and r.failure_readiness == 1


def test_minimize_takes_the_smallest_and_ties_go_first():
    plan = minimal_plan()
    plan.objective = "minimize"
    assert evaluate_track(plan).policy == {"d1": "t3"}
    plan.nodes["t3"].payoff = 89.5
    assert evaluate_track(plan).policy == {"d1": "c1"}  # a tie: the first option


def test_bad_sum_names_node_and_field():
    plan = minimal_plan()
    plan.nodes["t2"].probability = 0.35
    with pytest.raises(PlanError, match=r"node c1: probability: siblings sum to 1.05"):
        evaluate_track(plan)


def test_deep_chain_evaluates():
    depth = 100_000
    nodes = {}
    for i in range(depth):
        nodes[f"c{i}"] = Node(f"c{i}", CHANCE, children=[f"c{i + 1}", f"x{i}"], payoff=1)
        nodes[f"x{i}"] = Node(f"x{i}", probability=0.5, path="failure", payoff=0)
        nodes[f"c{i + 1}"] = Node(f"c{i + 1}", probability=0.5)
    nodes[f"c{depth}"].kind = TERMINAL
    for i in range(1, depth + 1):
        nodes[f"c{i}"].probability = 0.5
    plan = Plan(tracks=[Track("t", root="c0")], nodes=nodes)
    r = evaluate_track(plan)
    # EV = sum_k 0.5^k over k = 0..depth-1 -> 2
    assert r.ev == pytest.approx(2.0)
    assert r.p_failure == pytest.approx(1.0)
    assert np.isfinite(r.node_ev).all()
