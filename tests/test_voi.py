"""Value of information (issue 13): closed forms, exact zeros, a plain reference, the command."""
from __future__ import annotations

import copy
import doctest
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.cli_voi
import planning.analyses.voi
import reference
from app.cli import main
from conftest import SAMPLES
from planning.engine.compile import compile_track
from planning.model.plan import CHANCE, DECISION, MINIMIZE, TERMINAL, Node, Plan, Track, Variable
from planning.engine.montecarlo import _Simulator, simulate
from planning.files.planfile import load_plan
from planning.engine.parameters import compiled_parameters
from planning.analyses.voi import bin_count, value_of_information


def test_doctests():
    for module in (planning.analyses.voi, app.cli_voi):
        assert doctest.testmod(module).failed == 0


# -- closed form -----------------------------------------------------------------------

def hold_or_move(low: float, mode: float, high: float, objective: str = "maximize") -> Plan:
    """Hold (0) or move (payoff x, PERT on [low, high] with ``mode``)."""
    nodes = {"d": Node("d", DECISION, label="Move the convoy?", children=["hold", "move"]),
             "hold": Node("hold", TERMINAL, label="Hold"),
             "move": Node("move", TERMINAL, label="Move", payoff=mode, payoff_range=(low, high))}
    return Plan(objective=objective, value_unit="points", tracks=[Track("t", root="d")], nodes=nodes)


def pert_expectation(f, low: float, mode: float, high: float) -> float:
    """E[f(x)] for x ~ PERT(low, mode, high), lambda 4, by the midpoint rule on the beta density."""
    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    cells = 400_000
    u = (np.arange(cells) + 0.5) / cells
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    density = np.exp(log_norm + (a - 1) * np.log(u) + (b - 1) * np.log1p(-u))
    return float(np.sum(f(low + (high - low) * u) * density) / cells)


@pytest.mark.parametrize("low, mode, high, objective", [
    (-10, 0, 30, "maximize"), (-40, 5, 20, "maximize"), (-20, 4, 10, "maximize"), (-30, -5, 10, MINIMIZE)])
def test_evpi_of_hold_or_move_is_the_closed_form(low, mode, high, objective):
    n = 40_000
    result = value_of_information(hold_or_move(low, mode, high, objective), iterations=n, seed=11)
    s = 1.0 if objective == "maximize" else -1.0
    # EVPI = E[max(0, s x)] - max(0, E[s x]), the expectation integrated numerically.
    best_with_knowledge = pert_expectation(lambda x: np.maximum(0.0, s * x), low, mode, high)
    mean = pert_expectation(lambda x: x, low, mode, high)
    exact = best_with_knowledge - max(0.0, s * mean)
    # Monte Carlo error: both terms are sample means of the same draws.
    x = result.values[1]
    error = (np.std(np.maximum(0, s * x)) + np.std(x)) / math.sqrt(n)
    assert exact > 0.1
    assert result.evpi == pytest.approx(exact, abs=4 * error)
    # The only quantity is x: knowing it is knowing everything.
    (only,) = result.evppi
    assert only.name == "move.payoff"
    assert only.value == pytest.approx(result.evpi, abs=4 * error)
    assert only.value <= result.evpi


def test_options_and_the_root_ev_are_simulates_draws():
    """max_o V_i(o) plus the root's payoff is simulate's EV of iteration i, same seed."""
    plan = load_plan(SAMPLES / "peace-process.bwplan")
    for track in ("ties", "sanctions"):
        result = value_of_information(plan, track, iterations=3000, seed=5)
        sim = simulate(plan, track, iterations=3000, seed=5)
        ct = compile_track(plan, track)
        root_payoff = float(_Simulator(ct, []).effective[0])
        assert result.decision == ct.ids[0]
        assert np.allclose(result.values.max(axis=0) + root_payoff, sim.ev, rtol=1e-12, atol=1e-9)
        assert result.option_best == pytest.approx(sim.option_best[result.decision])


# -- exact zeros and bounds ---------------------------------------------------------------

def two_quantities(spread: float = 20.0) -> Plan:
    """Option A pays s; option B pays s + y. s shifts both equally; only y can change the choice."""
    nodes = {"d": Node("d", DECISION, label="Which way?", children=["a", "b"]),
             "a": Node("a", TERMINAL, label="Way A", payoff="s"),
             "b": Node("b", TERMINAL, label="Way B", payoff="s + y")}
    variables = [Variable("s", 0.0, (-50.0, 50.0), "A shift common to both ways"),
                 Variable("y", 1.0, (-spread, spread), "What way B adds")]
    return Plan(variables=variables, tracks=[Track("t", root="d")], nodes=nodes)


def test_a_quantity_shifting_every_option_equally_is_worth_nothing():
    n = 10_000
    result = value_of_information(two_quantities(), iterations=n, seed=3)
    value = {e.name: e.value for e in result.evppi}
    assert result.evpi > 1.0
    assert value["y"] == pytest.approx(result.evpi, rel=0.02)
    # s only reorders the iterations at random as far as the choice goes, so its
    # estimate is pure bias: for two options at most sd(V_b - V_a) / sqrt(2 pi per-bin count).
    per_bin = n / bin_count(n)
    bias = np.std(result.values[1] - result.values[0]) / math.sqrt(2 * math.pi * per_bin)
    assert value["s"] < bias
    assert value["s"] < 0.05 * result.evpi
    assert result.evppi[0].name == "y"


def test_no_range_can_change_the_choice_gives_zeros():
    nodes = {"d": Node("d", DECISION, label="Go?", children=["a", "b"]),
             "a": Node("a", CHANCE, children=["a1", "a2"]),
             "a1": Node("a1", TERMINAL, payoff=60, payoff_range=(50, 70), probability=0.5, probability_range=(0.2, 0.8)),
             "a2": Node("a2", TERMINAL, payoff=55, payoff_range=(50, 60), probability=0.5),
             "b": Node("b", TERMINAL, payoff=20, payoff_range=(0, 40))}
    plan = Plan(variables=[Variable("unused", 1.0, (0.0, 2.0))], tracks=[Track("t", root="d")], nodes=nodes)
    result = value_of_information(plan, iterations=5000, seed=0)
    assert result.evpi == 0.0
    assert result.option_best == {"a": 1.0, "b": 0.0}
    assert [e.value for e in result.evppi] == [0.0] * 5
    assert {e.name: e.relevant for e in result.evppi}["unused"] is False


def test_a_quantity_outside_the_decision_is_exactly_zero_and_not_bias():
    """A variable no expression below the decision reads gets 0, not the estimator's noise."""
    plan = two_quantities(spread=2.0)
    plan.variables[1].value = 0.0  # ways A and B equally good on average
    plan.variables.append(Variable("elsewhere", 0.5, (0.0, 1.0)))
    result = value_of_information(plan, iterations=2000, seed=1)
    value = {e.name: e for e in result.evppi}
    assert value["elsewhere"].value == 0.0 and not value["elsewhere"].relevant
    assert result.noise > 0  # close options: the estimator's bias is visible here


def test_no_decision_means_no_value_of_information():
    nodes = {"c": Node("c", CHANCE, children=["x", "y"]),
             "x": Node("x", TERMINAL, probability=0.5, payoff=1, payoff_range=(0, 3)),
             "y": Node("y", TERMINAL, probability=0.5)}
    result = value_of_information(Plan(tracks=[Track("t", root="c")], nodes=nodes), iterations=100)
    assert result.decision is None and result.evpi == 0.0
    assert result.to_json()["evppi"] == [{"name": "x.payoff", "value": 0.0, "kind": "payoff", "node": "x"}]


def test_first_decision_under_a_chance_root():
    nodes = {"c": Node("c", CHANCE, children=["x", "y"]),
             "x": Node("x", TERMINAL, probability=0.4),
             "y": Node("y", DECISION, probability=0.6, children=["hold", "move"]),
             "hold": Node("hold", TERMINAL), "move": Node("move", TERMINAL, payoff=0, payoff_range=(-10, 30))}
    result = value_of_information(Plan(tracks=[Track("t", root="c")], nodes=nodes), iterations=4000, seed=2)
    direct = value_of_information(hold_or_move(-10, 0, 30), iterations=4000, seed=2)
    assert result.decision == "y" and result.options == ["hold", "move"]
    assert result.evpi == pytest.approx(direct.evpi, rel=1e-12)


def test_same_seed_same_numbers_whatever_the_chunk():
    plan = load_plan(SAMPLES / "product-launch.bwplan")
    runs = [value_of_information(plan, iterations=1500, seed=9, chunk=c).to_json() for c in (None, 97, 500)]
    assert runs[0] == runs[1] == runs[2]
    # One iteration per chunk: numpy sums a (p, c, 1) block in another order (last-digit differences).
    single = value_of_information(plan, iterations=1500, seed=9, chunk=1).to_json()
    assert single["evpi"] == pytest.approx(runs[0]["evpi"], rel=1e-12)
    assert value_of_information(plan, iterations=1500, seed=10).to_json()["evpi"] != runs[0]["evpi"]


def test_unknown_decision_is_refused():
    with pytest.raises(ValueError, match="not a decision"):
        value_of_information(hold_or_move(-1, 0, 1), decision="move")


# -- a plain reference: loop over iterations, brute-force rollback ---------------------------

@st.composite
def voi_plans(draw) -> Plan:
    """Random trees under a decision: numeric probabilities and payoffs, some ranged, some 'v*k'."""
    nodes = {"n0": Node("n0", DECISION)}
    queue, count = ["n0"], 1
    while queue:
        node = nodes[queue.pop(0)]
        if node.kind == TERMINAL:
            node.payoff = draw(st.sampled_from([draw(st.integers(-100, 100)), "v*50", "v*-30"]))
            if isinstance(node.payoff, int) and draw(st.booleans()):
                node.payoff_range = (node.payoff - draw(st.integers(0, 60)), node.payoff + draw(st.integers(0, 60)))
            continue
        k = draw(st.integers(2, 3))
        weights = [draw(st.integers(1, 9)) for _ in range(k)]
        for j in range(k):
            cid = f"n{count}"
            count += 1
            kind = draw(st.sampled_from([TERMINAL, TERMINAL, DECISION, CHANCE])) if count < 14 else TERMINAL
            child = Node(cid, kind, payoff=draw(st.integers(-5, 5)))
            if node.id == "n0" and kind != TERMINAL and draw(st.booleans()):
                child.payoff_range = (-60, 60)  # options close enough for the choice to flip
            if node.kind == CHANCE:
                child.probability = weights[j] / sum(weights)
                if draw(st.booleans()):
                    child.probability_range = (0.0, 1.0)
            nodes[cid] = child
            node.children.append(cid)
            queue.append(cid)
    objective = draw(st.sampled_from(["maximize", MINIMIZE]))
    return Plan(objective=objective, variables=[Variable("v", 0.5, (0.0, 1.0))],
                tracks=[Track("t", root="n0")], nodes=nodes)


def reference_voi(plan: Plan, iterations: int, seed: int) -> tuple[list[list[float]], float, dict[str, float]]:
    """V_i(o) by one plain rollback per iteration; EVPI and EVPPIs with loops."""
    ct = compile_track(plan)
    params = compiled_parameters(ct)
    # The draws: simulate()'s parameter generator for this seed.
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed).spawn(2)[0]))
    drawn = _Simulator(ct, params).draw(rng, iterations)
    options = plan.nodes["n0"].children
    sign = -1.0 if plan.objective == MINIMIZE else 1.0
    values = []
    for i in range(iterations):
        p = copy.deepcopy(plan)
        v = 0.5
        for j, param in enumerate(params):
            if param.kind == "variable":
                v = float(drawn[j, i])
        for node in p.nodes.values():
            if isinstance(node.payoff, str):
                node.payoff = v * float(node.payoff.split("*")[1])
        for j, param in enumerate(params):
            if param.kind == "payoff":
                p.nodes[param.node_id].payoff = float(drawn[j, i])
            elif param.kind == "probability":
                p.nodes[param.node_id].probability = float(drawn[j, i])
        for node in p.nodes.values():
            if node.kind == CHANCE:
                total = sum(min(max(float(p.nodes[c].probability), 0.0), 1.0) for c in node.children)
                for c in node.children:
                    p.nodes[c].probability = min(max(float(p.nodes[c].probability), 0.0), 1.0) / total
        ev, _ = reference.rollback(p, "n0")
        values.append([sign * ev[o] for o in options])
    n = iterations
    means = [sum(row[o] for row in values) / n for o in range(len(options))]
    evpi = sum(max(row) for row in values) / n - max(means)
    bins = max(1, round(math.sqrt(n)))
    evppi = {}
    for j, param in enumerate(params):
        if param.kind == "variable" and not any(isinstance(x.payoff, str) for x in plan.nodes.values()):
            evppi[param.name] = 0.0  # nothing reads v
            continue
        if param.low == param.high:
            evppi[param.name] = 0.0  # a constant: nothing to learn
            continue
        order = sorted(range(n), key=lambda i: drawn[j, i])
        total = 0.0
        for b in range(bins):
            members = order[b * n // bins:(b + 1) * n // bins]
            total += len(members) * max(sum(values[i][o] for i in members) / len(members) for o in range(len(options)))
        evppi[param.name] = total / n - max(means)
    return values, evpi, evppi


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(voi_plans(), st.integers(0, 2**32 - 1))
def test_vectorised_equals_the_plain_reference(plan, seed):
    n = 60
    result = value_of_information(plan, iterations=n, seed=seed)
    values, evpi, evppi = reference_voi(plan, n, seed)
    sign = -1.0 if plan.objective == MINIMIZE else 1.0
    assert np.allclose(sign * result.values.T, values, rtol=1e-9, atol=1e-9)
    tolerance = 1e-9 * max(1.0, float(np.abs(result.values).max()))
    assert result.evpi == pytest.approx(max(evpi, 0.0), abs=tolerance)
    found = {e.name: e.value for e in result.evppi}
    assert found.keys() == evppi.keys()
    for name, value in evppi.items():
        # The core skips the search when EVPI is 0 (no EVPPI can exceed it).
        expected = min(max(value, 0.0), result.evpi) if result.evpi > 0 else 0.0
        assert found[name] == pytest.approx(expected, abs=tolerance), name
        assert found[name] <= result.evpi


# -- the command -------------------------------------------------------------------------

def test_voi_command_speaks_to_planners(capsys):
    assert main(["voi", str(SAMPLES / "peace-process.bwplan"), "--track", "sanctions", "--iterations", "4000"]) == 0
    out = capsys.readouterr().out
    assert "value of information (4,000 iterations, seed 0)" in out
    assert "== Staged sanctions relief" in out
    assert "Decision: “Sanctions: offer staged relief or hold pressure?”" in out
    assert "EV at stake:" in out and "points (deciding now: “Offer tranche 1" in out
    assert "Knowing every ranged quantity before “Sanctions: offer staged relief or hold pressure?” is worth up to" in out
    lines = [line for line in out.splitlines() if line.strip().startswith("Knowing “Chance the Security Council")]
    assert len(lines) == 1
    assert lines[0].endswith(" points") and "(p_council_unity) before “Sanctions: offer staged relief" in lines[0]
    assert "sanc_d1" not in out  # labels, not ids
    assert "quantities do not change this choice alone" in out


def test_voi_command_json(capsys):
    code = main(["voi", str(SAMPLES / "product-launch.bwplan"), "--iterations", "2000", "--seed", "4", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    plan = load_plan(SAMPLES / "product-launch.bwplan")
    assert [t["id"] for t in data["tracks"]] == [t.id for t in plan.tracks]
    for track in data["tracks"]:
        assert {"id", "decision", "iterations", "evpi", "evppi"} <= track.keys()
        assert track["iterations"] == 2000
        values = [e["value"] for e in track["evppi"]]
        assert values == sorted(values, reverse=True)
        assert all(0 <= v <= track["evpi"] for v in values)
        ct = compile_track(plan, track["id"])
        names = {p.name for p in compiled_parameters(ct)}
        # The sample weighs two criteria (issue 12): a ranged payoff2 is a quantity too.
        names |= {f"{i}.payoff2" for i in ct.ids if plan.nodes[i].payoff2_range is not None}
        assert {e["name"] for e in track["evppi"]} == names
    again = value_of_information(plan, data["tracks"][0]["id"], iterations=2000, seed=4)
    assert data["tracks"][0]["evpi"] == again.evpi


def test_voi_command_refuses_bad_arguments(capsys):
    assert main(["voi", str(SAMPLES / "peace-process.bwplan"), "--track", "nope"]) == 2
    assert "no track 'nope'" in capsys.readouterr().err
    assert main(["voi", str(SAMPLES / "peace-process.bwplan"), "--iterations", "0"]) == 2


# -- the briefing report ------------------------------------------------------------------

def test_report_says_what_is_worth_knowing_with_the_commands_numbers(capsys):
    from planning.sharing.report import build_report, render_html, render_markdown

    plan = load_plan(SAMPLES / "peace-process.bwplan")
    report = build_report(plan)
    sanctions = next(t for t in report.tracks if t.id == "sanctions")
    assert main(["voi", str(SAMPLES / "peace-process.bwplan"), "--track", "sanctions"]) == 0
    out = capsys.readouterr().out
    evpi_line = next(line for line in out.splitlines() if "(EVPI)" in line)
    worth = evpi_line.split("is worth up to ")[1].split(" (EVPI)")[0]  # the same seed: the same figure
    assert f"before “Sanctions: offer staged relief or hold pressure?” is worth up to {worth}" \
        in sanctions.information["sentence"]
    first = sanctions.information["rows"][0]
    assert f"Knowing {first[0]} before “Sanctions: offer staged relief or hold pressure?” is worth up to {first[1]}" in out
    markdown, html = render_markdown(report), render_html(report)
    assert markdown.count("### Worth knowing first") == len(plan.tracks)
    assert "<h3>Worth knowing first</h3>" in html and "Knowing this before deciding" in html


def test_an_expression_failing_at_the_end_of_a_range_does_not_stop_the_run():
    nodes = {"d": Node("d", DECISION, children=["a", "b"]),
             "a": Node("a", TERMINAL, payoff="10 / x"), "b": Node("b", TERMINAL, payoff=12)}
    plan = Plan(variables=[Variable("x", 1.0, (0.0, 2.0))], tracks=[Track("t", root="d")], nodes=nodes)
    result = value_of_information(plan, iterations=2000, seed=0)
    assert result.evpi > 0 and result.evppi[0].name == "x"
    assert result.evppi[0].value == pytest.approx(result.evpi, rel=0.05)
