"""The random plans of the reference tests (expressions, '#' shares, node variables that shadow
outer ones, and the deep chain that takes the node-by-node path) run through the analyses too
(issue 11): Monte Carlo's grouped rollback against the shared rollback iteration by iteration,
and the tornado against the plain reference evaluation of an edited copy."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from test_reference_extended import deep_plans, expression_plans, resolved
from test_sensitivity import committed_to, with_value
from planning.analyses.sensitivity import tornado
from planning.engine.parameters import compiled_parameters
from planning.engine import evaluate as evaluate_module
from planning.engine.compile import KIND_CHANCE, KIND_DECISION, compile_track
from planning.engine.evaluate import evaluate_track, follow_policy, rollback
from planning.engine.montecarlo import _Simulator, simulate
from planning.model.plan import Plan, Variable


def with_ranges(plan: Plan, draw) -> Plan:
    """Ranges on the plan variable, on node variables and on some probabilities and payoffs."""
    if plan.variables:
        # One definition of s (the unranged plans redefine it: s, then s * 2), now ranged.
        plan.variables = [Variable("s", plan.variables[0].value * 2, (1.0, 6.0))]
    else:  # the deep chain: some side payoffs read a ranged plan variable
        plan.variables = [Variable("g", 1.0, (0.5, 2.0))]
        for node in plan.nodes.values():
            if not node.children and node.id.startswith("x") and draw(st.integers(0, 3)) == 0:
                node.payoff = f"{node.payoff} * g"
    several = {c for node in plan.nodes.values() if len(node.children) > 1 for c in node.children}
    for nid, node in plan.nodes.items():
        for j, var in enumerate(node.variables):
            if var.name == "h" and draw(st.booleans()):
                node.variables[j] = Variable("h", var.value, (var.value - 2.0, var.value + 3.0))
        if not node.children and draw(st.integers(0, 2)) == 0:
            node.payoff_range = (-60.0, 90.0)
        if isinstance(node.probability, float) and nid in several and draw(st.integers(0, 3)) == 0:
            node.probability_range = (0.0, min(1.0, node.probability * 1.5))
    return plan


@st.composite
def ranged_expression_plans(draw) -> Plan:
    return with_ranges(draw(expression_plans(max_nodes=24)), draw)


@st.composite
def ranged_deep_plans(draw) -> Plan:
    return with_ranges(draw(deep_plans(depth=280)), draw)


def assert_grouped_roll_equals_shared_rollback(plan: Plan, seed: int, k: int = 12) -> None:
    ct = compile_track(plan)
    sim = _Simulator(ct, compiled_parameters(ct))
    rng = np.random.default_rng(seed)
    payoff, probability = sim.scenario(sim.draw(rng, k), k)
    ev, choice, exposure = sim.roll(payoff, probability)
    full_payoff, full_probability = sim.full_matrices(payoff, probability)
    chance = np.flatnonzero(ct.kind == KIND_CHANCE)
    frozen = np.setdiff1d(np.flatnonzero(ct.kind == KIND_DECISION), sim.live_decisions)
    for col in range(k):
        pay, prob = full_payoff[:, col].copy(), full_probability[:, col].copy()
        assert np.allclose([prob[list(ct.children(int(c)))].sum() for c in chance], 1.0)
        value, chosen = rollback(ct, pay, prob)
        assert ev[col] == pytest.approx(value[0], rel=1e-9, abs=1e-9)
        assert np.array_equal(choice[:, col], chosen[sim.live_decisions])
        assert np.array_equal(sim.base_chosen[frozen], chosen[frozen])
        marks = follow_policy(ct, sim.factor, chosen, prob)
        assert exposure[col] == pytest.approx(min(max(1 - marks[0], 0), 1), abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_expression_plans(), st.integers(0, 2**32 - 1))
def test_monte_carlo_on_expression_plans_equals_the_shared_rollback(plan, seed):
    assert_grouped_roll_equals_shared_rollback(plan, seed)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ranged_deep_plans(), st.integers(0, 2**32 - 1))
def test_monte_carlo_on_deep_chains_equals_the_shared_rollback(plan, seed):
    assert evaluate_module._is_deep(compile_track(plan))  # the base case takes the node-by-node path
    assert_grouped_roll_equals_shared_rollback(plan, seed, k=6)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ranged_deep_plans())
def test_simulation_without_spread_is_the_deep_base_case(plan):
    """With every range at zero width each iteration is the evaluation (node by node) of the chain."""
    for node in plan.nodes.values():
        node.payoff_range = node.probability_range = None
    plan.variables = [Variable(v.name, v.value) for v in plan.variables]
    result = simulate(plan, iterations=5, seed=1)
    ref = reference.evaluate(resolved(plan))
    assert all(math.isclose(v, ref["ev"], rel_tol=1e-9, abs_tol=1e-9) for v in result.ev)
    assert all(math.isclose(v, ref["failure_exposure"], rel_tol=1e-9, abs_tol=1e-9) for v in result.exposure)
    assert result.base_policy == ref["policy"]


def reference_ev(plan: Plan, name: str, value: float, policy: str) -> float:
    """The plain reference rollback of a copy with the parameter set (and the policy held)."""
    edited = with_value(plan, name, value)
    if policy == "fixed":
        edited = committed_to(edited, evaluate_track(plan).policy)
    return reference.evaluate(resolved(edited))["ev"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_expression_plans(), st.sampled_from(["optimal", "fixed"]))
def test_tornado_on_expression_plans_equals_the_reference(plan, policy):
    for bar in tornado(plan, policy=policy).bars:
        assert math.isclose(bar["ev_low"], reference_ev(plan, bar["name"], bar["low"], policy),
                            rel_tol=1e-9, abs_tol=1e-7), bar
        assert math.isclose(bar["ev_high"], reference_ev(plan, bar["name"], bar["high"], policy),
                            rel_tol=1e-9, abs_tol=1e-7), bar


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ranged_deep_plans(), st.sampled_from(["optimal", "fixed"]))
def test_tornado_on_deep_chains_equals_the_reference(plan, policy):
    bars = tornado(plan, policy=policy).bars
    for bar in bars[:12]:
        assert math.isclose(bar["ev_low"], reference_ev(plan, bar["name"], bar["low"], policy),
                            rel_tol=1e-9, abs_tol=1e-7), bar
        assert math.isclose(bar["ev_high"], reference_ev(plan, bar["name"], bar["high"], policy),
                            rel_tol=1e-9, abs_tol=1e-7), bar
