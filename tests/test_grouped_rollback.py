"""The grouped rollback (planning/engine/grouped.py) against the level-by-level rollback it replaced
(kept here, frozen, as it was): every value and every choice bit for bit, signed zeros included,
so no number the program prints moves (issue 11, "one rollback engine")."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_reference_extended import expression_plans
from test_montecarlo import ranged_plans
from planning.engine.compile import compile_track
from planning.engine.evaluate import (TIE_TOLERANCE, branch_readiness, effective_payoffs, follow_policy,
                                      readiness_factors, rollback)
from planning.engine.grouped import level_sum
from planning.model.generate import random_plan


def old_rollback(ct, payoff, probability=None, optimise=True, choice=None):
    """planning/engine/evaluate.py's level rollback before issue 11 (its non-deep path), verbatim."""
    if probability is None:
        probability = ct.probability
    value = np.array(payoff, dtype=float, copy=True)
    two_d = value.ndim == 2
    if two_d and probability.ndim == 1:
        probability = probability[:, None]
    chosen = np.full(value.shape, -1, dtype=np.int64)
    sign = ct.sign
    for level in ct.level_plan():
        parents, c0, c1, starts = level.parents, level.c0, level.c1, level.starts
        vc = value[c0:c1]
        if level.any_chance:
            add = np.add.reduceat(probability[c0:c1] * vc, starts, axis=0)
        else:
            add = np.zeros((parents.size,) + value.shape[1:])
        if level.any_decision:
            is_decision = level.is_decision
            segment = level.segment
            if optimise:
                signed = sign * vc
                best = np.maximum.reduceat(signed, starts, axis=0)
                tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
                near = signed >= (best - tol)[segment]
                local = np.arange(c1 - c0)
                if two_d:
                    local = np.broadcast_to(local[:, None], vc.shape)
                first = np.minimum.reduceat(np.where(near, local, c1 - c0), starts, axis=0) + c0
                committed = ct.committed[parents]
                has_commit = committed >= 0
                if has_commit.any():
                    if two_d:
                        first[has_commit] = committed[has_commit][:, None]
                    else:
                        first[has_commit] = committed[has_commit]
            else:
                first = choice[parents]
                if two_d and first.ndim == 1:
                    first = np.broadcast_to(first[:, None], (parents.size, value.shape[1]))
                first = np.where(first >= 0, first, ct.child_start[parents][:, None] if two_d else ct.child_start[parents])
            if two_d:
                picked = np.take_along_axis(value, first, axis=0)
                mask = is_decision[:, None]
            else:
                picked = value[first]
                mask = is_decision
            add = np.where(mask, picked, add)
            chosen[parents] = np.where(mask, first, -1)
        value[parents] += add
    return value, chosen


def old_follow_policy(ct, factor, chosen, probability=None):
    """planning/engine/evaluate.py's level follow_policy before issue 11 (its non-deep path), verbatim."""
    if probability is None:
        probability = ct.probability
    x = np.array(factor, dtype=float, copy=True)
    two_d = x.ndim == 2
    p = probability[:, None] if two_d and probability.ndim == 1 else probability
    for level in ct.level_plan():
        parents, c0, c1 = level.parents, level.c0, level.c1
        inner = np.add.reduceat(p[c0:c1] * x[c0:c1], level.starts, axis=0)
        if level.any_decision:
            dec = level.is_decision
            inner[dec] = x[chosen[parents[dec]]]
        x[parents] *= inner
    return x


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b))


def assert_like_the_old_rollback(ct, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = ct.size
    effective = effective_payoffs(ct)
    cases = [(effective[:, 0], None), (effective, None), (effective[:, :1], None)]
    scaled = effective * rng.choice([-1.0, 0.0, 0.5, 1e-7, 3.0], size=(n, 1))
    cases.append((scaled, None))
    # Drawn probabilities per column (some at zero: signed zeros in the products).
    drawn = np.repeat(ct.probability[:, None], 4, axis=1) * rng.choice([0.0, 0.3, 1.0, 1.7], size=(n, 4))
    cases.append((rng.standard_normal((n, 4)) * 100, drawn))
    for payoff, probability in cases:
        new = rollback(ct, payoff, probability)
        old = old_rollback(ct, payoff, probability)
        assert same(new[0], old[0]) and same(new[1], old[1])
        # A policy held fixed: shared by every column, or one per column.
        new_fixed = rollback(ct, payoff, probability, optimise=False, choice=old[1] if old[1].ndim == 1 else old[1][:, 0])
        old_fixed = old_rollback(ct, payoff, probability, optimise=False, choice=old[1] if old[1].ndim == 1 else old[1][:, 0])
        assert same(new_fixed[0], old_fixed[0]) and same(new_fixed[1], old_fixed[1])
        policy = old[1] if old[1].ndim == 1 else old[1][:, 0]
        factors = readiness_factors(ct, branch_readiness(ct))
        for factor in (factors, factors[:, 0], rng.random(n) * rng.choice([0.0, 1.0], size=n)):
            flat = probability if probability is None else probability[:, 0]
            assert same(follow_policy(ct, factor, policy, flat), old_follow_policy(ct, factor, policy, flat))
        if old[1].ndim == 2:
            per_column = old[1][:, ::-1].copy()
            assert same(rollback(ct, payoff, probability, optimise=False, choice=per_column)[0],
                        old_rollback(ct, payoff, probability, optimise=False, choice=per_column)[0])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_plans(), st.integers(0, 2**32 - 1))
def test_grouped_equals_the_level_rollback_on_expression_plans(plan, seed):
    assert_like_the_old_rollback(compile_track(plan), seed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_plans(), st.integers(0, 2**32 - 1))
def test_grouped_equals_the_level_rollback_on_ranged_plans(plan, seed):
    assert_like_the_old_rollback(compile_track(plan), seed)


def test_grouped_equals_the_level_rollback_on_generated_plans():
    for size, seed in ((300, 1), (2000, 2), (5000, 3)):
        assert_like_the_old_rollback(compile_track(random_plan(size, seed=seed)), seed)


def test_level_sum_adds_like_reduceat_at_every_width():
    """First term plus numpy's pairwise sum of the rest: 1 to 300 terms, signed zeros, wide magnitudes."""
    rng = np.random.default_rng(0)
    for width in list(range(1, 40)) + [127, 128, 129, 136, 200, 257, 300]:
        for k in (1, 3):
            terms = rng.standard_normal((5, width, k)) * 10.0 ** rng.integers(-6, 6, (5, width, k))
            terms[rng.random(terms.shape) < 0.15] = -0.0
            terms[rng.random(terms.shape) < 0.05] = 0.0
            starts = np.arange(0, 5 * width, width)
            assert same(level_sum(terms), np.add.reduceat(terms.reshape(5 * width, k), starts, axis=0))
            assert same(level_sum(terms)[:, 0], np.add.reduceat(terms[:, :, 0].ravel(), starts))
