"""Tornado, spider and sweeps against plain recomputation: set the value in a copy, evaluate."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from planning.model.errors import PlanError
from planning.engine.evaluate import evaluate_track
from planning.model.plan import CHANCE, DECISION, MINIMIZE, TERMINAL, Node, Plan, Response, Track, Variable
from planning.files.planfile import load_plan
from planning.analyses.sensitivity import spider, sweep, sweep2, tornado
from planning.engine.parameters import parameters, parse_range

MINIMAL = SHARED / "examples" / "minimal.bwplan"


# -- the reference: edit a copy of the plan and evaluate it ---------------------------

def with_value(plan: Plan, name: str, value: float, track_id: str | None = None) -> Plan:
    """A copy of ``plan`` with one parameter set the way a user would edit it.

    A branch probability set to v scales its siblings by (1 - v) / (their sum),
    written out as numbers (the documented rule).
    """
    copy = plan.copy()
    node_id, _, field = name.rpartition(".")
    if field == "probability":
        result = evaluate_track(plan, track_id)
        parent = next(n for n in copy.nodes.values() if node_id in n.children)
        others = [c for c in parent.children if c != node_id]
        total = sum(result.node_probability[result.index[c]] for c in others)
        for c in others:
            old = result.node_probability[result.index[c]]
            copy.nodes[c].probability = old * (1 - value) / total if total > 0 else (1 - value) / len(others)
        copy.nodes[node_id].probability = value
    elif field == "payoff":
        copy.nodes[node_id].payoff = value
    else:
        owner = copy.nodes[node_id].variables if node_id else copy.variables
        var_name = field if node_id else name
        for var in owner:
            if var.name == var_name:
                var.value = value
                break
        else:
            copy.variables.append(Variable(var_name, value))
    return copy


def committed_to(plan: Plan, policy: dict[str, str]) -> Plan:
    """A copy whose every decision is committed to the given policy (the 'fixed' reference)."""
    copy = plan.copy()
    for decision, option in policy.items():
        copy.nodes[decision].committed = option
    return copy


def reference_ev(plan: Plan, name: str, value: float, policy: str, track_id: str | None = None) -> float:
    edited = with_value(plan, name, value, track_id)
    if policy == "fixed":
        edited = committed_to(edited, evaluate_track(plan, track_id).policy)
    return evaluate_track(edited, track_id).ev


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# -- plans ---------------------------------------------------------------------------

def rich_plan() -> Plan:
    """Two decisions, a local variable built from a plan variable, '#', responses, ranges."""
    nodes = {
        "root": Node("root", DECISION, children=["go", "hold"]),
        "go": Node("go", CHANCE, payoff=-10, children=["up", "flat", "down"],
                   variables=[Variable("q", "p_up*0.5", (0.1, 0.4))]),
        "up": Node("up", TERMINAL, probability="p_up", probability_range=(0.3, 0.7), payoff="gain",
                   path="success"),
        "flat": Node("flat", DECISION, probability="q", children=["push", "stop"], path="neutral"),
        "push": Node("push", CHANCE, payoff=-5, children=["ok", "bad"]),
        "ok": Node("ok", TERMINAL, probability=0.6, payoff=60, payoff_range=(20, 90), path="success"),
        "bad": Node("bad", TERMINAL, probability="#", payoff=-40, path="failure",
                    responses=[Response("r1", readiness=2, effect=20)]),
        "stop": Node("stop", TERMINAL, payoff=5),
        "down": Node("down", TERMINAL, probability="#", payoff=-80, payoff_range=(-120, -50), path="failure",
                     responses=[Response("r2", readiness=3, effect=30)]),
        "hold": Node("hold", CHANCE, children=["calm", "storm"]),
        "calm": Node("calm", TERMINAL, probability=0.8, probability_range=(0.6, 0.95), payoff=25),
        "storm": Node("storm", TERMINAL, probability=0.2, payoff=-30, path="failure"),
    }
    return Plan(title="rich", variables=[Variable("p_up", 0.5, (0.2, 0.6), "chance of upside"),
                                         Variable("gain", 120.0, (60.0, 200.0))],
                tracks=[Track("t", root="root")], nodes=nodes)


def threshold_plan() -> Plan:
    """EV(A) = 100 p - 20, EV(B) = 30: the best option switches at p = 0.5."""
    return Plan(variables=[Variable("p", 0.7, (0.0, 1.0))], tracks=[Track("t", root="d")], nodes={
        "d": Node("d", DECISION, children=["A", "B"]),
        "A": Node("A", CHANCE, payoff=-20, children=["win", "lose"]),
        "win": Node("win", TERMINAL, probability="p", payoff=100, path="success"),
        "lose": Node("lose", TERMINAL, probability="1-p", payoff=0, path="failure"),
        "B": Node("B", TERMINAL, payoff=30),
    })


# -- parameters -------------------------------------------------------------------------

def test_parameters_list_every_range_and_ranges_extend_them():
    plan = rich_plan()
    names = [p.name for p in parameters(plan)]
    assert names == ["p_up", "gain", "go.q", "up.probability", "calm.probability", "down.payoff", "ok.payoff"]
    up = next(p for p in parameters(plan) if p.name == "up.probability")
    assert (up.kind, up.node_id, up.base, up.low, up.high) == ("probability", "up", 0.5, 0.3, 0.7)
    extended = {p.name: p for p in parameters(plan, ranges={"gain": (100, 110), "stop.payoff": (0, 10),
                                                         "ok.probability": (0.5, 0.7)})}
    assert (extended["gain"].low, extended["gain"].high) == (100, 110)
    assert extended["stop.payoff"].kind == "payoff" and extended["stop.payoff"].base == 5
    assert extended["ok.probability"].base == pytest.approx(0.6)
    with pytest.raises(PlanError, match="unknown parameter"):
        parameters(plan, ranges={"nope": (0, 1)})
    with pytest.raises(PlanError, match=r"within \[0, 1\]"):
        parameters(plan, ranges={"ok.probability": (0.5, 1.5)})


def test_parse_range_reads_the_cli_form():
    assert parse_range("p_ok=0.4:0.9") == ("p_ok", (0.4, 0.9))
    assert parse_range("t2.payoff=-100:-20") == ("t2.payoff", (-100.0, -20.0))
    with pytest.raises(ValueError):
        parse_range("p_ok=0.4")


# -- tornado ----------------------------------------------------------------------------

@pytest.mark.parametrize("policy", ["optimal", "fixed"])
def test_tornado_bars_equal_recomputation(policy):
    plan = rich_plan()
    result = tornado(plan, policy=policy, ranges={"stop.payoff": (-10, 40)})
    assert result.base_ev == pytest.approx(evaluate_track(plan).ev)
    assert len(result.bars) == 8
    for bar in result.bars:
        assert close(bar["ev_low"], reference_ev(plan, bar["name"], bar["low"], policy)), bar
        assert close(bar["ev_high"], reference_ev(plan, bar["name"], bar["high"], policy)), bar
    swings = [abs(b["ev_high"] - b["ev_low"]) for b in result.bars]
    assert swings == sorted(swings, reverse=True)


def test_tornado_on_the_minimal_example_by_hand():
    plan = load_plan(MINIMAL)
    # EV(launch) = -40 + p*(200 + 7.5) + (1 - p)*(-60 + 7.5) = 260 p - 92.5; waiting = 20.
    result = tornado(plan, ranges={"p_ok": (0.2, 0.85)})
    assert result.to_json() == {"base_ev": pytest.approx(89.5), "policy": "optimal", "bars": [
        {"name": "p_ok", "low": 0.2, "high": 0.85, "ev_low": 20.0, "ev_high": pytest.approx(128.5)}]}
    fixed = tornado(plan, ranges={"p_ok": (0.2, 0.85)}, policy="fixed")
    assert fixed.bars[0]["ev_low"] == pytest.approx(260 * 0.2 - 92.5)  # keeps launching


def test_probability_change_renormalises_siblings_proportionally():
    plan = rich_plan()
    # up 0.5, flat q = 0.25, down '#' = 0.25: up -> 0.7 leaves 0.3 shared 0.15 / 0.15.
    bars = {b["name"]: b for b in tornado(plan, policy="fixed").bars}
    edited = committed_to(plan, evaluate_track(plan).policy)
    edited.nodes["up"].probability = 0.7
    edited.nodes["flat"].probability = 0.15
    edited.nodes["down"].probability = 0.15
    assert bars["up.probability"]["ev_high"] == pytest.approx(evaluate_track(edited).ev)


def test_a_variable_that_breaks_the_probabilities_is_reported_with_its_value():
    plan = threshold_plan()
    plan.nodes["lose"].probability = 0.3  # p + 0.3 only sums to 1 at p = 0.7
    with pytest.raises(PlanError, match="p = 0.9"):
        tornado(plan, ranges={"p": (0.7, 0.9)})


# -- spider -------------------------------------------------------------------------------

def test_spider_lines_run_from_low_to_high_and_match_recomputation():
    plan = rich_plan()
    result = spider(plan, steps=5)
    assert [line["name"] for line in result.lines] == [p.name for p in parameters(plan)]
    for line in result.lines:
        assert line["values"][0] == line["low"] and line["values"][-1] == line["high"]
        assert line["position"] == [0.0, 0.25, 0.5, 0.75, 1.0]
        for value, ev in result.points(line["name"]):
            assert close(ev, reference_ev(plan, line["name"], value, "optimal"))
    gain = next(line for line in result.lines if line["name"] == "gain")
    assert gain["percent"][0] == pytest.approx(-50.0)  # 60 is 50% below 120


# -- sweeps ---------------------------------------------------------------------------------

@pytest.mark.parametrize("policy", ["optimal", "fixed"])
@pytest.mark.parametrize("name, lo, hi", [("p_up", 0.0, 0.6), ("ok.payoff", -50, 150),
                                          ("calm.probability", 0.0, 1.0), ("go.q", 0.0, 0.45)])
def test_sweep_points_equal_recomputation(policy, name, lo, hi):
    plan = rich_plan()
    result = sweep(plan, name, lo, hi, 7, policy=policy)
    assert [p["value"] for p in result.points] == pytest.approx(list(np.linspace(lo, hi, 7)))
    for point in result.points:
        assert close(point["ev"], reference_ev(plan, name, point["value"], policy))
        assert point["best"] == evaluate_track(with_value(plan, name, point["value"])).policy


def test_option_lines_are_each_options_ev_as_if_chosen():
    plan = threshold_plan()
    result = sweep(plan, "p", 0.0, 1.0, 11)
    values = [p["value"] for p in result.points]
    assert result.option_ev["d"]["A"] == pytest.approx([100 * p - 20 for p in values])
    assert result.option_ev["d"]["B"] == pytest.approx([30] * 11)
    assert [p["ev"] for p in result.points] == pytest.approx([max(100 * p - 20, 30) for p in values])


@pytest.mark.parametrize("name", ["p", "win.probability"])
def test_threshold_is_found_where_the_best_option_switches(name):
    result = sweep(threshold_plan(), name, 0.0, 1.0, 8)
    assert len(result.thresholds) == 1
    threshold = result.thresholds[0]
    assert threshold["decision"] == "d" and threshold["from"] == "B" and threshold["to"] == "A"
    assert abs(threshold["value"] - 0.5) <= 1e-6
    assert result.to_json()["thresholds"] == result.thresholds


def test_threshold_on_the_minimal_example():
    result = sweep(load_plan(MINIMAL), "p_ok", 0.0, 1.0, 5)
    assert [(t["from"], t["to"]) for t in result.thresholds] == [("t3", "c1")]
    assert result.thresholds[0]["value"] == pytest.approx(112.5 / 260, abs=1e-6)


def test_sweep_json_has_the_cli_shape():
    out = sweep(threshold_plan(), "p", 0.2, 0.8, 3).to_json()
    assert set(out) == {"variable", "policy", "points", "thresholds"}
    assert out["variable"] == "p" and out["policy"] == "optimal"
    assert out["points"][0] == {"value": 0.2, "ev": pytest.approx(30.0), "best": {"d": "B"}}


def test_minimize_sweeps_pick_the_smallest():
    plan = threshold_plan()
    plan.objective = MINIMIZE
    result = sweep(plan, "p", 0.0, 1.0, 3)
    assert [p["best"]["d"] for p in result.points] == ["A", "A", "B"]  # the tie at 0.5 goes to A
    assert [p["ev"] for p in result.points] == pytest.approx([-20.0, 30.0, 30.0])
    assert abs(result.thresholds[0]["value"] - 0.5) <= 1e-6


def test_two_way_sweep_maps_policy_regions():
    plan = threshold_plan()
    result = sweep2(plan, "p", 0.0, 1.0, "B.payoff", 0.0, 60.0, 11, 7)
    assert result.decision == "d"
    for iy, b in enumerate(result.y_values):
        for ix, p in enumerate(result.x_values):
            expected = "A" if 100 * p - 20 >= b - 1e-9 else "B"  # ties go to the first option
            assert result.best[iy][ix] == expected, (p, b)
            assert result.ev[iy][ix] == pytest.approx(max(100 * p - 20, b))
    out = result.to_json()
    assert out["x"]["name"] == "p" and len(out["best"]) == 7 and len(out["best"][0]) == 11


def test_two_way_sweep_of_sibling_probabilities_holds_both():
    plan = rich_plan()
    result = sweep2(plan, "up.probability", 0.2, 0.6, "flat.probability", 0.1, 0.3, 3, 3, decision="root")
    for iy, y in enumerate(result.y_values):
        for ix, x in enumerate(result.x_values):
            edited = plan.copy()
            edited.nodes["up"].probability = x
            edited.nodes["flat"].probability = y
            edited.nodes["down"].probability = 1 - x - y
            reference = evaluate_track(edited)
            assert result.ev[iy][ix] == pytest.approx(reference.ev)
            assert result.best[iy][ix] == reference.policy["root"]


# -- random plans ----------------------------------------------------------------------------

@st.composite
def ranged_plans(draw) -> Plan:
    """Random trees with numeric values, some ranges on branches and payoffs."""
    nodes = {"n0": Node("n0", draw(st.sampled_from([DECISION, CHANCE])))}
    queue, count = ["n0"], 1
    while queue:
        node = nodes[queue.pop(0)]
        if node.kind == TERMINAL:
            node.payoff = draw(st.integers(-100, 100))
            if draw(st.booleans()):
                node.payoff_range = (node.payoff - draw(st.integers(0, 50)), node.payoff + draw(st.integers(0, 50)))
            continue
        k = draw(st.integers(2, 3))
        weights = [draw(st.integers(1, 9)) for _ in range(k)]
        for j in range(k):
            cid = f"n{count}"
            count += 1
            kind = draw(st.sampled_from([TERMINAL, TERMINAL, DECISION, CHANCE])) if count < 14 else TERMINAL
            child = Node(cid, kind)
            if node.kind == CHANCE:
                child.probability = weights[j] / sum(weights)
                if draw(st.booleans()):
                    child.probability_range = (child.probability * draw(st.sampled_from([0.0, 0.5])),
                                               min(1.0, child.probability * 1.5))
            nodes[cid] = child
            node.children.append(cid)
            queue.append(cid)
    return Plan(tracks=[Track("t", root="n0")], nodes=nodes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_plans(), st.sampled_from(["optimal", "fixed"]))
def test_random_tornados_equal_recomputation(plan, policy):
    for bar in tornado(plan, policy=policy).bars:
        assert math.isclose(bar["ev_low"], reference_ev(plan, bar["name"], bar["low"], policy), rel_tol=1e-9, abs_tol=1e-7)
        assert math.isclose(bar["ev_high"], reference_ev(plan, bar["name"], bar["high"], policy), rel_tol=1e-9, abs_tol=1e-7)


def test_sweep_uses_the_parameter_range_unless_given_one():
    plan = rich_plan()
    own = sweep(plan, "gain", steps=3)
    assert [p["value"] for p in own.points] == [60.0, 130.0, 200.0]
    other = sweep(plan, "stop.payoff", -10, 10, 3)  # no range in the plan: LOW and HIGH given
    assert [p["value"] for p in other.points] == [-10.0, 0.0, 10.0]
    with pytest.raises(PlanError, match="no range"):
        sweep(plan, "stop.payoff")
    with pytest.raises(PlanError, match="unknown parameter"):
        sweep(plan, "nothing", 0, 1)


def test_parameters_read_by_a_track_and_their_planner_words():
    """The filter and the words the CLI, the docks and the plots share (planning.analyses.sensitivity)."""
    from conftest import SAMPLES
    from planning.engine.compile import compile_track
    from planning.analyses.sensitivity import parameter_names, parameter_words, parameters_read_by

    plan = load_plan(SAMPLES / "peace-process.bwplan")
    ct = compile_track(plan, "nuclear")
    read = parameters_read_by(ct)
    assert {"v_freeze", "p_access", "p_moratorium_holds", "nuc_t6.probability", "nuc_t4.payoff"} <= read
    assert not {"p_summit_date", "v_statement"} & read            # only other tracks read them
    assert {"p_summit_date", "v_statement"} <= parameter_names(ct)  # plan variables exist in every track
    assert parameter_words(plan, "nuc_t6.probability") == 'chance of "Declaration handed over, incomplete but usable"'
    assert parameter_words(plan, "nuc_t4.payoff") == 'value of "Spiral of tests and counter-drills"'
    assert parameter_words(plan, "p_access") == "Chance inspectors are let into the declared enrichment hall"
    short = parameter_words(plan, "nuc_t6.probability", 30)
    assert len(short) <= 30 and short.startswith('chance of "Declaration') and short.endswith('…"')
