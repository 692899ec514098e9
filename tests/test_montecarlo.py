"""Monte Carlo: reproducibility, agreement with the deterministic core, and sound statistics."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from planning.engine.compile import KIND_CHANCE, compile_track
from planning.engine.evaluate import evaluate_track, follow_policy, rollback
from planning.model.plan import CHANCE, DECISION, MINIMIZE, TERMINAL, Node, Plan, Response, Track, Variable
from planning.engine.montecarlo import PertSampler, _Simulator, simulate
from planning.files.planfile import load_plan
from planning.engine.parameters import compiled_parameters

MINIMAL = SHARED / "examples" / "minimal.bwplan"


def fixed_plan() -> Plan:
    """The minimal example without any range: every iteration is the base case."""
    plan = load_plan(MINIMAL)
    plan.variables[0].range = None
    return plan


def test_same_seed_same_numbers_whatever_the_chunk():
    plan = load_plan(MINIMAL)
    plan.nodes["t2"].payoff_range = (-90, -30)
    plan.nodes["t3"].payoff_range = (0, 120)
    runs = [simulate(plan, iterations=500, seed=7, chunk=c) for c in (None, 1, 13, 64, 500)]
    for other in runs[1:]:
        for field in ("ev", "exposure", "outcome", "end_path"):
            assert np.array_equal(getattr(runs[0], field), getattr(other, field)), field
        assert other.option_best == runs[0].option_best
    different = simulate(plan, iterations=500, seed=8)
    assert not np.array_equal(different.ev, runs[0].ev)


def test_without_ranges_every_iteration_is_the_deterministic_result():
    plan = fixed_plan()
    base = evaluate_track(plan)
    result = simulate(plan, iterations=300, seed=1)
    assert result.parameters == []
    assert np.allclose(result.ev, base.ev, rtol=1e-12)
    assert np.allclose(result.exposure, base.failure_exposure, rtol=1e-12)
    assert result.option_best == {"d1": {"c1": 1.0, "t3": 0.0}}
    assert result.base_policy == base.policy and result.on_policy_decisions == ["d1"]


def test_sampled_outcomes_average_to_the_ev():
    plan = fixed_plan()
    base = evaluate_track(plan)
    n = 20000
    result = simulate(plan, iterations=n, seed=3)
    # Realised values are path sums: launch and win or lose (waiting is never chosen).
    assert set(np.unique(result.outcome)) == {-40 + 200 + 7.5, -40 - 60 + 7.5}
    assert abs(result.outcome.mean() - base.ev) < 4 * result.outcome.std() / math.sqrt(n)
    shares = result.end_shares()
    assert sum(shares.values()) == pytest.approx(1.0)
    assert abs(shares["failure"] - 0.3) < 4 * math.sqrt(0.3 * 0.7 / n)
    assert shares["neutral"] == 0.0
    # Each path ends where its value says it does.
    assert np.all((result.end_path == 0) == (result.outcome > 0))


def test_summary_and_json():
    result = simulate(load_plan(MINIMAL), iterations=400, seed=0)
    summary = result.summary()
    for key in ("ev", "outcome"):
        stats = summary[key]
        assert stats["p5"] <= stats["p50"] <= stats["p95"]
        assert stats["mean"] == pytest.approx(getattr(result, key).mean())
    assert summary["exposure_mean"] == pytest.approx(result.exposure.mean())
    assert sum(summary["ends"].values()) == pytest.approx(1.0)
    out = result.to_json()
    assert out["iterations"] == 400 and out["seed"] == 0 and out["track"] == "launch"
    assert out["parameters"][0]["name"] == "p_ok"
    assert "samples" not in out and len(result.to_json(samples=True)["samples"]["ev"]) == 400


def test_variable_draws_are_pert_within_the_range():
    # EV = 1000 * x exactly, so the EV samples are the draws of x.
    plan = Plan(variables=[Variable("x", 0.2, (0.1, 0.9))], tracks=[Track("t", root="r")],
                nodes={"r": Node("r", TERMINAL, payoff="1000*x")})
    n = 20000
    draws = simulate(plan, iterations=n, seed=5).ev / 1000
    assert draws.min() >= 0.1 and draws.max() <= 0.9
    mean = (0.1 + 4 * 0.2 + 0.9) / 6
    sd = math.sqrt((mean - 0.1) * (0.9 - mean) / 7)  # PERT variance with lambda = 4
    assert abs(draws.mean() - mean) < 4 * sd / math.sqrt(n)
    assert draws.std() == pytest.approx(sd, rel=0.03)


@pytest.mark.parametrize("mode", [0.0, 0.1, 0.5, 0.93, 1.0])
def test_pert_sampler_matches_the_beta_distribution(mode):
    sampler = PertSampler([2.0], [2.0 + 3.0 * mode], [5.0])
    n = 40000
    values = sampler(np.random.default_rng(11).random((n, 1)))[0]
    assert values.min() >= 2.0 and values.max() <= 5.0
    alpha, beta = 1 + 4 * mode, 1 + 4 * (1 - mode)
    reference = 2.0 + 3.0 * np.random.default_rng(12).beta(alpha, beta, size=n)
    grid = np.linspace(2.0, 5.0, 61)
    ecdf = np.searchsorted(np.sort(values), grid) / n
    ref_cdf = np.searchsorted(np.sort(reference), grid) / n
    assert np.max(np.abs(ecdf - ref_cdf)) < 0.02  # two-sample KS at far below 1e-3 significance
    assert values.mean() == pytest.approx((2.0 + 4 * (2.0 + 3.0 * mode) + 5.0) / 6, abs=0.02)


def test_zero_width_range_is_a_constant():
    plan = fixed_plan()
    plan.nodes["t3"].payoff_range = (20, 20)
    result = simulate(plan, iterations=50)
    assert np.allclose(result.ev, evaluate_track(plan).ev)


def test_option_best_counts_the_policy_of_each_iteration():
    plan = load_plan(MINIMAL)
    plan.variables[0].range = (0.3, 0.6)  # launching wins above p = 0.4327
    result = simulate(plan, iterations=4000, seed=2)
    shares = result.option_best["d1"]
    assert sum(shares.values()) == pytest.approx(1.0)
    launch = result.ev > 20 + 1e-9
    assert shares["c1"] == pytest.approx(launch.mean())
    assert 0.5 < shares["c1"] < 1.0
    # Waiting ends neutral; launching ends in success or failure.
    assert (result.end_path == 2).mean() == pytest.approx(shares["t3"], abs=1e-12)


def test_committed_decision_is_always_followed():
    plan = load_plan(MINIMAL)
    plan.nodes["d1"].committed = "t3"
    result = simulate(plan, iterations=200)
    assert result.option_best["d1"] == {"c1": 0.0, "t3": 1.0}
    assert np.all(result.ev == 20) and np.all(result.outcome == 20)


def test_probability_ranges_keep_siblings_summing_to_one():
    plan = Plan(tracks=[Track("t", root="c")], nodes={
        "c": Node("c", CHANCE, children=["a", "b", "z"]),
        "a": Node("a", TERMINAL, probability=0.5, probability_range=(0.3, 0.9), payoff=10, path="success"),
        "b": Node("b", TERMINAL, probability=0.3, payoff=20, path="neutral"),
        "z": Node("z", TERMINAL, probability="#", payoff=0, path="failure"),
    })
    ct = compile_track(plan)
    sim = _Simulator(ct, compiled_parameters(ct))
    values = sim.draw(np.random.default_rng(0), 1000)
    payoff, probability = sim.scenario(values, 1000)
    assert np.allclose(probability.sum(axis=0), 1.0)
    assert (probability >= 0).all()
    # '#' takes what a and b leave; when they take more than 1 it is 0 and a, b are scaled.
    a, b, z = probability
    drawn = values[0]
    room = drawn + 0.3 <= 1
    assert np.allclose(a[room], drawn[room]) and np.allclose(z[room], 1 - drawn[room] - 0.3)
    assert np.allclose(z[~room], 0) and np.allclose(a[~room] / b[~room], drawn[~room] / 0.3)


# -- the fast engine against the shared rollback, iteration by iteration -------------------

@st.composite
def ranged_plans(draw) -> Plan:
    """Random trees with ranges, expressions on a ranged variable, '#', responses, commitments."""
    nodes = {"n0": Node("n0", draw(st.sampled_from([DECISION, CHANCE])))}
    queue, count = ["n0"], 1
    while queue:
        node = nodes[queue.pop(0)]
        node.payoff = draw(st.integers(-10, 10))
        if node.kind == TERMINAL:
            node.payoff = draw(st.sampled_from([draw(st.integers(-100, 100)), "v*50"]))
            if draw(st.integers(0, 3)) == 0:
                node.payoff_range = (-50, 80)
            continue
        k = draw(st.integers(1, 3))
        weights = [draw(st.integers(1, 9)) for _ in range(k)]
        for j in range(k):
            cid = f"n{count}"
            count += 1
            kind = draw(st.sampled_from([TERMINAL, TERMINAL, DECISION, CHANCE])) if count < 18 else TERMINAL
            child = Node(cid, kind)
            if node.kind == CHANCE:
                child.probability = weights[j] / sum(weights)
                child.path = draw(st.sampled_from([None, "success", "failure", "neutral"]))
                if draw(st.integers(0, 2)) == 0:
                    child.probability_range = (0.0, 1.0)
                if draw(st.booleans()):
                    child.responses.append(Response(f"r{cid}", readiness=draw(st.integers(0, 4)),
                                                    effect=draw(st.integers(-5, 30))))
            nodes[cid] = child
            node.children.append(cid)
            queue.append(cid)
        if node.kind == CHANCE and k > 1 and draw(st.booleans()):
            nodes[node.children[0]].probability = "v*0.5"
            for c in node.children[1:]:
                nodes[c].probability = "#"
        if node.kind == DECISION and k > 1 and draw(st.integers(0, 4)) == 0:
            node.committed = node.children[-1]
    objective = draw(st.sampled_from(["maximize", MINIMIZE]))
    return Plan(objective=objective, variables=[Variable("v", 0.5, (0.0, 1.0))],
                tracks=[Track("t", root="n0")], nodes=nodes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_plans(), st.integers(0, 2**32 - 1))
def test_engine_equals_the_shared_rollback_per_iteration(plan, seed):
    ct = compile_track(plan)
    sim = _Simulator(ct, compiled_parameters(ct))
    k = 40
    rng = np.random.default_rng(seed)
    payoff, probability = sim.scenario(sim.draw(rng, k), k)
    ev, choice, exposure = sim.roll(payoff, probability)
    full_payoff, full_probability = sim.full_matrices(payoff, probability)
    chance = np.flatnonzero(ct.kind == KIND_CHANCE)
    for col in range(k):
        pay, prob = full_payoff[:, col].copy(), full_probability[:, col].copy()
        sums = [prob[list(ct.children(int(c)))].sum() for c in chance]
        assert np.allclose(sums, 1.0)
        value, chosen = rollback(ct, pay, prob)
        assert ev[col] == pytest.approx(value[0], rel=1e-9, abs=1e-9)
        live = sim.live_decisions
        assert np.array_equal(choice[:, col], chosen[live])
        frozen = np.setdiff1d(np.flatnonzero(ct.kind == 0), live)
        assert np.array_equal(sim.base_chosen[frozen], chosen[frozen])
        marks = follow_policy(ct, sim.factor, chosen, prob)
        assert exposure[col] == pytest.approx(min(max(1 - marks[0], 0), 1), abs=1e-9)
    # Each sampled path is a real root-to-terminal path under that iteration's policy.
    outcome, ends = sim.sample_paths(rng.random((k, len(sim.chance_levels))), choice, payoff, probability)
    for col in range(k):
        value, chosen = rollback(ct, full_payoff[:, col].copy(), full_probability[:, col].copy())
        totals = _path_values(ct, chosen, full_payoff[:, col], full_probability[:, col])
        assert any(math.isclose(outcome[col], t, abs_tol=1e-9) and e == ends[col] for t, e in totals)


def _path_values(ct, chosen, payoff, probability):
    """(value, end code) of every path with positive probability under a policy."""
    out, stack = [], [(0, payoff[0])]
    while stack:
        node, total = stack.pop()
        kids = list(ct.children(node))
        if not kids:
            out.append((total, ct.path[node]))
        elif ct.kind[node] == 0:
            stack.append((int(chosen[node]), total + payoff[chosen[node]]))
        else:
            stack.extend((c, total + payoff[c]) for c in kids if probability[c] > 0)
    return out


def test_a_subtree_can_be_simulated_from_its_root():
    plan = load_plan(MINIMAL)
    n = 4000
    result = simulate(plan, iterations=n, root="c1")
    assert "d1" not in result.option_best
    assert result.base_ev == pytest.approx(evaluate_track(plan, root="c1").ev)
    # EV(c1) = 260 p - 92.5 with p ~ PERT(0.5, 0.7, 0.85).
    assert result.ev.min() >= 260 * 0.5 - 92.5 - 1e-9 and result.ev.max() <= 260 * 0.85 - 92.5 + 1e-9
    mean_p = (0.5 + 4 * 0.7 + 0.85) / 6
    assert abs(result.ev.mean() - (260 * mean_p - 92.5)) < 4 * result.ev.std() / math.sqrt(n)


def _bad_middle_plan(tmp_path, where: str):
    """minimal.bwplan with x in [-1, 2] read by sqrt(x*x - 0.25): fine at both ends, fails for |x| < 0.5."""
    import json

    from conftest import SHARED

    data = json.loads((SHARED / "examples" / "minimal.bwplan").read_text())
    data["variables"].append({"name": "x", "value": 1, "range": [-1, 2]})
    nodes = {n["id"]: n for n in data["nodes"]}
    if where == "payoff":
        nodes["t3"]["payoff"] = "20 + sqrt(x*x - 0.25)"
    else:  # a plan variable defined from the drawn one
        data["variables"].append({"name": "y", "value": "sqrt(x*x - 0.25)"})
        nodes["t3"]["payoff"] = "20 + y"
    path = tmp_path / f"bad-{where}.bwplan"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("where, place", [("payoff", '"Wait a year" [t3]: payoff: sqrt()'),
                                          ("variable", "variable y: sqrt()")])
def test_simulate_error_names_the_node_by_label_and_the_drawn_values(tmp_path, capsys, where, place):
    """Issue 10: an expression that fails for drawn values says where (label [id]) and for which draw."""
    import re

    from app import cli

    path = _bad_middle_plan(tmp_path, where)
    assert cli.main(["validate", str(path)]) == 0   # both range ends are fine
    capsys.readouterr()
    assert cli.main(["simulate", str(path), "--iterations", "300"]) == 1
    err = capsys.readouterr().err
    assert place in err
    drawn = re.search(r"when the Monte Carlo draw gives .*x = (-?[0-9.e-]+)", err)
    assert drawn is not None, err
    assert abs(float(drawn.group(1))) < 0.5          # a value that does break sqrt(x*x - 0.25)
