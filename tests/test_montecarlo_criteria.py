"""Monte Carlo of a plan with two criteria against a plain per-iteration reference.

The draws are replayed from the documented stream (parameters' PERT draws,
``SeedSequence(seed).spawn(2)[0]``); each iteration's plan is then rolled
back by plain recursion (tests/reference_rules.py), iteration by iteration.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import reference
import reference_rules as ref

from planning.analyses.combined import VAR1, VAR2, combined_plan
from planning.engine.compile import compile_track
from planning.engine.montecarlo import _Simulator, simulate
from planning.analyses.montecarlo_criteria import simulate_criteria
from planning.files.planfile import loads_plan
from planning.engine.parameters import compiled_parameters

ROOT = Path(__file__).resolve().parents[1]
LAUNCH = ROOT / "resources" / "samples" / "product-launch.bwplan"

PLAN = {
    "format": "branchwise-plan", "version": 1, "title": "Two criteria", "objective": "maximize",
    "value_unit": "k$",
    "criteria": [{"name": "Margin", "sense": "maximize", "unit": "k$"},
                 {"name": "Staff time", "sense": "minimize", "unit": "weeks"}],
    "weight": 2,
    "tracks": [{"id": "t", "title": "Track", "root": "d"}],
    "nodes": [
        {"id": "d", "kind": "decision", "label": "Which way?", "children": ["a", "b", "c"]},
        {"id": "a", "kind": "chance", "label": "Bold", "children": ["a1", "a2"], "payoff": -10,
         "payoff_range": [-20, 0], "payoff2": 30, "payoff2_range": [10, 60]},
        {"id": "a1", "kind": "terminal", "label": "Works", "probability": 0.6, "payoff": 50,
         "payoff_range": [20, 90], "path": "success"},
        {"id": "a2", "kind": "terminal", "label": "Fails", "probability": "#", "payoff": -30,
         "payoff2": 5, "path": "failure",
         "responses": [{"id": "r", "title": "Fallback", "readiness": 2, "effect": 8}]},
        {"id": "b", "kind": "terminal", "label": "Careful", "payoff": 12, "payoff2": 4,
         "payoff2_range": [0, 12], "path": "neutral"},
        {"id": "c", "kind": "chance", "label": "Partner", "children": ["c1", "c2"], "payoff2": 10},
        {"id": "c1", "kind": "terminal", "label": "Partner delivers", "probability": 0.5, "payoff": 30,
         "payoff_range": [10, 40]},
        {"id": "c2", "kind": "terminal", "label": "Partner walks", "probability": 0.5, "payoff": 0,
         "payoff2": 8, "payoff2_range": [2, 20]},
    ],
}


def _plan(**changes):
    data = dict(PLAN, **changes)
    return loads_plan(json.dumps(data))


def _draws(plan, iterations: int, seed: int) -> list[dict[tuple[str, str], float]]:
    """Per iteration: (node, "payoff" | "payoff2") -> drawn value, from the documented parameter stream."""
    finite = plan.copy()
    finite.weight = 1.0  # the same drawn quantities at any weight (Infinity included)
    ct = compile_track(combined_plan(finite), "t")
    params = compiled_parameters(ct)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed).spawn(2)[0]))
    values = _Simulator(ct, params).draw(rng, iterations)
    field = {VAR1: "payoff", VAR2: "payoff2"}
    return [{(p.node_id, field[p.name.split(".")[1]]): float(values[j, i]) for j, p in enumerate(params)}
            for i in range(iterations)]


@pytest.mark.parametrize("weight", [2.0, 0.7])
def test_both_criteria_and_the_combined_value_match_the_reference_iteration_by_iteration(weight):
    plan = _plan(weight=weight)
    n = 300
    got = simulate_criteria(plan, "t", iterations=n, seed=7, chunk=64)
    signs = (1.0, -1.0)
    picks = {"a": 0, "b": 0, "c": 0}
    for i, draw in enumerate(_draws(plan, n, 7)):
        one = plan.copy()
        for (node_id, which), value in draw.items():
            setattr(one.nodes[node_id], which, value)
        p = reference.probabilities(one)
        v1, v2 = ref.two_criteria_values(one, "d", signs, weight, p)
        assert got.values[0][i] == pytest.approx(v1, rel=1e-9, abs=1e-9)
        assert got.values[1][i] == pytest.approx(v2, rel=1e-9, abs=1e-9)
        assert got.combined[i] == pytest.approx(weight * v1 - v2, rel=1e-9, abs=1e-9)
        scores = {o: ref.combined(*ref.two_criteria_values(one, o, signs, weight, p), signs, weight)
                  for o in ("a", "b", "c")}
        picks[max(scores, key=scores.get)] += 1
    assert got.policy.option_best["d"] == {o: c / n for o, c in picks.items()}
    # Each option must win sometimes for the test to check the re-optimisation.
    assert sum(1 for c in picks.values() if c) >= 2


def test_weight_infinity_ranks_by_criterion_one_and_has_no_combined_value():
    plan = _plan()
    plan.weight = math.inf
    got = simulate_criteria(plan, "t", iterations=200, seed=3)
    assert got.combined is None
    assert "combined" not in got.summary()
    for i, draw in enumerate(_draws(plan, 200, 3)):
        one = plan.copy()
        for (node_id, which), value in draw.items():
            setattr(one.nodes[node_id], which, value)
        v1, v2 = ref.two_criteria_values(one, "d", (1.0, -1.0), math.inf, reference.probabilities(one))
        assert got.values[0][i] == pytest.approx(v1, rel=1e-9, abs=1e-9)
        assert got.values[1][i] == pytest.approx(v2, rel=1e-9, abs=1e-9)


def test_the_same_seed_gives_the_same_numbers_whatever_the_chunk():
    plan = _plan()
    a = simulate_criteria(plan, "t", iterations=500, seed=11, chunk=50)
    b = simulate_criteria(plan, "t", iterations=500, seed=11)
    assert np.array_equal(a.values[0], b.values[0]) and np.array_equal(a.values[1], b.values[1])
    assert np.array_equal(a.combined, b.combined)


def test_a_single_criterion_plan_is_simulated_as_before():
    data = {k: v for k, v in PLAN.items() if k not in ("criteria", "weight")}
    plan = loads_plan(json.dumps(data))
    with pytest.raises(ValueError):
        simulate_criteria(plan, "t", iterations=10)
    assert simulate(plan, "t", iterations=10).to_json()["summary"]["ev"]  # untouched path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.main", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_simulate_cli_shows_both_criteria_with_units_and_names_the_combined_value():
    out = _cli("simulate", str(LAUNCH), "--iterations", "500", "--track", "launch")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    margin = next(line for line in text.splitlines() if line.strip().startswith("Gross margin (maximize)"))
    time = next(line for line in text.splitlines() if line.strip().startswith("Engineering time (minimize)"))
    combined = next(line for line in text.splitlines() if line.strip().startswith("combined value  "))
    assert margin.endswith("(k$)") and time.endswith("(engineer-weeks)")
    # The combined value adds w x Gross margin to Engineering time: it is in
    # engineer-weeks, never under the k$ label.
    assert combined.endswith("(engineer-weeks, at weight 1 engineer-weeks per k$)")
    assert "combined value at weight 1 engineer-weeks per k$ (in engineer-weeks): 72.47 at the base values" in text
    assert "how often each option is best on the combined value (weight 1 engineer-weeks per k$):" in text
    assert "one path's outcome" not in text
    data = json.loads(_cli("simulate", str(LAUNCH), "--iterations", "200", "--json").stdout)
    summary = data["tracks"][0]["summary"]
    assert [c["criterion"] for c in summary["criteria"]] == ["Gross margin", "Engineering time"]
    assert [c["unit"] for c in summary["criteria"]] == ["k$", "engineer-weeks"]
    assert summary["combined"]["criterion"] == "combined value at weight 1 engineer-weeks per k$ (in engineer-weeks)"
    assert data["tracks"][0]["option_best_on"] == "combined value"
    assert "ev" not in summary  # no unlabelled number a program could read as k$


def test_simulate_cli_of_a_single_criterion_plan_is_unchanged():
    out = _cli("simulate", str(ROOT / "resources" / "samples" / "peace-process.bwplan"), "--iterations", "200")
    assert "one path's outcome" in out.stdout and "how often each option is best:" in out.stdout


def test_progress_rises_to_the_end_and_a_raising_hook_cancels_the_replay():
    plan = _plan()
    seen = []
    simulate_criteria(plan, "t", iterations=400, seed=1, chunk=100, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 400) and seen[-1] == (400, 400)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    class Stop(Exception):
        pass

    def hook(done: int, total: int) -> None:
        if done > total // 2:  # in the criteria's replay
            raise Stop

    with pytest.raises(Stop):
        simulate_criteria(plan, "t", iterations=400, seed=1, chunk=100, progress=hook)
