"""The decision rules' and two criteria's rollbacks on the grouped engine (issue 11) against the
level-by-level versions they replaced (kept here, frozen, as they were): bit for bit."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_grouped_rollback import same
from test_montecarlo import ranged_plans
from test_reference_extended import expression_plans
from planning.engine.compile import CompiledTrack, compile_track
from planning.engine.rules import TIE_TOLERANCE, combined_value, rule_rollback, two_criteria_rollback
from planning.model.generate import random_plan
from planning.model.plan import BEST_CASE, EXPECTED, WORST_CASE


def _columns(a):
    a = np.asarray(a, dtype=float)
    return a[:, None] if a.ndim == 1 else a


def _first_near(signed: np.ndarray, starts: np.ndarray, segment: np.ndarray, c0: int, c1: int):
    """Per parent and column: the best signed value and the mask of children tied with it."""
    best = np.maximum.reduceat(signed, starts, axis=0)
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
    near = signed >= (best - tol)[segment]
    local = np.broadcast_to(np.arange(c1 - c0)[:, None], signed.shape)
    first = np.minimum.reduceat(np.where(near, local, c1 - c0), starts, axis=0) + c0
    return first, near


def old_rule_rollback(ct: CompiledTrack, payoff: np.ndarray, sign: float, rule: str,
                  probability: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Roll values back under ``rule`` (one criterion); columns roll back independently.

    Returns the value of every node (its own payoff included) and the chosen
    child of every decision (-1 elsewhere), shaped like ``payoff``.
    """
    if probability is None:
        probability = ct.probability
    one_d = np.ndim(payoff) == 1
    value = _columns(payoff).copy()
    p = _columns(probability)
    chosen = np.full(value.shape, -1, dtype=np.int64)
    for level in ct.level_plan():
        parents, c0, c1, starts = level.parents, level.c0, level.c1, level.starts
        vc = value[c0:c1]
        signed = sign * vc
        if rule == WORST_CASE:
            add = sign * np.minimum.reduceat(signed, starts, axis=0)
        elif rule == BEST_CASE:
            add = sign * np.maximum.reduceat(signed, starts, axis=0)
        else:
            add = np.add.reduceat(p[c0:c1] * vc, starts, axis=0)
        if level.any_decision:
            segment = np.repeat(np.arange(parents.size), ct.child_count[parents])
            first, _ = _first_near(signed, starts, segment, c0, c1)
            committed = ct.committed[parents]
            has = committed >= 0
            if has.any():
                first[has] = committed[has][:, None]
            is_decision = level.is_decision[:, None]
            add = np.where(is_decision, np.take_along_axis(value, first, axis=0), add)
            chosen[parents] = np.where(is_decision, first, -1)
        value[parents] += add
    if one_d:
        return value[:, 0], chosen[:, 0]
    return value, chosen



def old_two_criteria_rollback(ct: CompiledTrack, payoff1: np.ndarray, payoff2: np.ndarray,
                          signs: tuple[float, float], weight: float,
                          probability: np.ndarray | None = None,
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Roll both criteria back as expectations; decisions take the best combined value.

    Tied options (combined values within 1e-9, relative) are equally good:
    the decision takes the mean of their criteria and ``chosen`` names the
    first. A committed option is taken as it is. ``payoff1`` and
    ``payoff2`` may carry columns (``payoff2`` 1-D is shared by all).

    Returns V1, V2 (shaped like ``payoff1``) and the chosen child of every
    decision (-1 elsewhere).
    """
    if probability is None:
        probability = ct.probability
    one_d = np.ndim(payoff1) == 1
    v1 = _columns(payoff1).copy()
    v2 = np.broadcast_to(_columns(payoff2), v1.shape).copy()
    p = _columns(probability)
    chosen = np.full(v1.shape, -1, dtype=np.int64)
    for level in ct.level_plan():
        parents, c0, c1, starts = level.parents, level.c0, level.c1, level.starts
        a1, a2 = v1[c0:c1], v2[c0:c1]
        add1 = np.add.reduceat(p[c0:c1] * a1, starts, axis=0)
        add2 = np.add.reduceat(p[c0:c1] * a2, starts, axis=0)
        if level.any_decision:
            segment = np.repeat(np.arange(parents.size), ct.child_count[parents])
            first, near = _first_near(combined_value(a1, a2, signs, weight), starts, segment, c0, c1)
            count = np.add.reduceat(near.astype(float), starts, axis=0)
            mean1 = np.add.reduceat(np.where(near, a1, 0.0), starts, axis=0) / count
            mean2 = np.add.reduceat(np.where(near, a2, 0.0), starts, axis=0) / count
            committed = ct.committed[parents]
            has = committed >= 0
            if has.any():
                first[has] = committed[has][:, None]
                mean1[has] = v1[committed[has]]
                mean2[has] = v2[committed[has]]
            is_decision = level.is_decision[:, None]
            add1 = np.where(is_decision, mean1, add1)
            add2 = np.where(is_decision, mean2, add2)
            chosen[parents] = np.where(is_decision, first, -1)
        v1[parents] += add1
        v2[parents] += add2
    if one_d:
        return v1[:, 0], v2[:, 0], chosen[:, 0]
    return v1, v2, chosen




def assert_like_the_old_rollbacks(ct, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = ct.size
    payoff = rng.standard_normal((n, 3)) * 50
    payoff[rng.random((n, 3)) < 0.2] = 0.0
    payoff2 = rng.integers(-5, 6, (n, 3)).astype(float)
    drawn = np.repeat(ct.probability[:, None], 3, axis=1) * rng.choice([0.0, 0.5, 1.0], size=(n, 3))
    for probability in (None, drawn):
        for rule in (EXPECTED, WORST_CASE, BEST_CASE):
            for sign in (1.0, -1.0):
                for pay in (payoff, payoff[:, 0]):
                    prob = probability if probability is None or pay.ndim == 2 else probability[:, 0]
                    new, old = rule_rollback(ct, pay, sign, rule, prob), old_rule_rollback(ct, pay, sign, rule, prob)
                    assert same(new[0], old[0]) and same(new[1], old[1])
        for signs in ((1.0, 1.0), (1.0, -1.0), (-1.0, 1.0)):
            for weight in (1.0, 0.5, float("inf")):
                for second in (payoff2, payoff2[:, 0]):
                    new = two_criteria_rollback(ct, payoff, second, signs, weight, probability)
                    old = old_two_criteria_rollback(ct, payoff, second, signs, weight, probability)
                    assert all(same(a, b) for a, b in zip(new, old))
                    # Integer payoffs: ties (and their means) happen.
                    new = two_criteria_rollback(ct, payoff2, second, signs, weight, probability)
                    old = old_two_criteria_rollback(ct, payoff2, second, signs, weight, probability)
                    assert all(same(a, b) for a, b in zip(new, old))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_plans(), st.integers(0, 2**32 - 1))
def test_rules_on_expression_plans_like_the_level_rollbacks(plan, seed):
    assert_like_the_old_rollbacks(compile_track(plan), seed)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_plans(), st.integers(0, 2**32 - 1))
def test_rules_on_ranged_plans_like_the_level_rollbacks(plan, seed):
    assert_like_the_old_rollbacks(compile_track(plan), seed)


def test_rules_on_a_generated_plan_like_the_level_rollbacks():
    assert_like_the_old_rollbacks(compile_track(random_plan(1500, seed=4)), 4)
