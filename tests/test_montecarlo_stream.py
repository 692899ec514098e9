"""Monte Carlo beyond MAX_KEPT iterations (issue 11): memory follows the chunk; means,
standard deviations and shares still cover every iteration, percentiles the kept sample."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import SHARED
from planning.engine import montecarlo
from planning.engine.montecarlo import simulate
from planning.files.planfile import load_plan

SAMPLE = SHARED / "examples" / "minimal.bwplan"


def ranged_plan():
    plan = load_plan(SAMPLE)
    plan.nodes["t2"].payoff_range = (-90, -30)
    plan.nodes["t3"].payoff_range = (0, 120)
    return plan


def test_streamed_summary_equals_the_whole_run(monkeypatch):
    plan = ranged_plan()
    whole = simulate(plan, iterations=3000, seed=5, chunk=128)
    monkeypatch.setattr(montecarlo, "MAX_KEPT", 1000)
    streamed = simulate(plan, iterations=3000, seed=5, chunk=128)
    assert streamed.kept == 1000 and whole.kept == 3000
    for name in ("ev", "outcome", "exposure", "end_path"):  # the kept ones are the first iterations
        assert np.array_equal(getattr(streamed, name), getattr(whole, name)[:1000])
    full, part = whole.summary(), streamed.summary()
    for name in ("ev", "outcome", "exposure"):
        assert part[name]["mean"] == pytest.approx(full[name]["mean"], rel=1e-12, abs=1e-12)
        assert part[name]["std"] == pytest.approx(full[name]["std"], rel=1e-9, abs=1e-12)
        p5, p50, p95 = np.percentile(getattr(whole, name)[:1000], [5, 50, 95])
        assert (part[name]["p5"], part[name]["p50"], part[name]["p95"]) == (p5, p50, p95)
    assert part["ends"] == full["ends"]
    assert streamed.option_best == whole.option_best
    out = streamed.to_json()
    assert out["iterations"] == 3000 and out["kept_iterations"] == 1000
    assert "kept_iterations" not in whole.to_json()


def test_a_small_tree_runs_in_chunks_not_all_iterations_at_once(monkeypatch):
    """The chunk is capped by MAX_CHUNK whatever the tree, and the numbers do not depend on it."""
    plan = ranged_plan()
    seen = []
    simulate(plan, iterations=2000, seed=3, progress=lambda done, total: seen.append(done))
    monkeypatch.setattr(montecarlo, "MAX_CHUNK", 300)
    steps = []
    capped = simulate(plan, iterations=2000, seed=3, progress=lambda done, total: steps.append(done))
    assert seen == [0, 2000]
    assert steps == [0, 300, 600, 900, 1200, 1500, 1800, 2000]
    assert np.array_equal(capped.ev, simulate(plan, iterations=2000, seed=3).ev)
