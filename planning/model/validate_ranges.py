"""Checks that need a track compiled: every ranged variable at both ends of its range,
and sums large enough to overflow.

:func:`planning.model.validate.validate_plan` runs them after the structural checks
pass; they report through its checker, so their problems read like every other one.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from planning.model.errors import PlanError
from planning.model.plan import Plan
from planning.model.validate import SUM_TOLERANCE, _fmt

if TYPE_CHECKING:
    from planning.model.validate import _Checker


def range_ends(check: "_Checker", plan: Plan) -> None:
    """Move each variable with a range to its low and its high end, one at a time.

    Monte Carlo draws and sensitivity sweeps go that far, so every expression
    must still evaluate there and every chance node's branches still lie in
    [0, 1] and sum to 1. Reports the first failure of each end, naming the
    node, its field and the variable.

    All ends of a track are first resolved together, two scenario columns per
    variable (linear in the number of variables, where one resolution per end
    was quadratic for chained definitions); a variable whose columns fail, or
    every variable when the joint pass cannot evaluate, is then checked end by
    end as before, which gives the message.
    """
    from planning.engine.compile import compile_track

    seen: set[tuple] = set()
    for track in plan.tracks:
        try:
            ct = compile_track(plan, track.id)
        except PlanError:
            continue  # reported as what it is by the checks above or by evaluation
        ends = []  # (scope index, variable, name as reported)
        for s, scope in enumerate(ct.scopes):
            for variable in scope.variables:
                if (variable.range is None or variable.name not in check.names_used
                        or (s, scope.node_id, variable.name) in seen):
                    continue
                seen.add((s, scope.node_id, variable.name))
                name = variable.name if scope.node_id is None else f"{scope.node_id}.{variable.name}"
                ends.append((s, variable, name))
        suspects = range_end_suspects(ct, ends) if len(ends) > 1 else ends
        for s, variable, name in suspects:
            range_end_check(check, ct, s, variable, name)


def range_end_suspects(ct, ends: list) -> list:
    """The entries of ``ends`` whose low or high end leaves invalid probabilities (all on any error)."""
    from planning.engine.compile import KIND_CHANCE, apply_expressions, resolve_shares
    from planning.model.expressions import ExpressionError
    from planning.engine.parameters import scope_values_columns

    moves: dict = {}
    for k, (s, variable, _) in enumerate(ends):
        where, what = moves.setdefault((s, variable.name), ([], []))
        where += [2 * k, 2 * k + 1]
        what += [float(variable.range[0]), float(variable.range[1])]
    width = 2 * len(ends)
    probability = np.repeat(ct.probability[:, None], width, axis=1)
    payoff = np.repeat(ct.payoff[:, None], width, axis=1)
    try:
        with np.errstate(all="ignore"):
            values = scope_values_columns(ct, {key: (np.asarray(c), np.asarray(v))
                                               for key, (c, v) in moves.items()}, width)
            apply_expressions(ct, values, probability, payoff)
            resolve_shares(ct, probability)
    except (PlanError, ExpressionError):
        return ends
    branches = np.flatnonzero(ct.is_branch)
    if branches.size == 0:
        return []
    p = probability[branches]
    bad = ((p < -SUM_TOLERANCE) | (p > 1 + SUM_TOLERANCE) | ~np.isfinite(p)).any(axis=0)
    sums = np.zeros((ct.size, width))
    np.add.at(sums, ct.parent[branches], p)
    chance = np.flatnonzero(ct.kind == KIND_CHANCE)
    bad |= (np.abs(sums[chance] - 1.0) > SUM_TOLERANCE).any(axis=0)
    # Near the tolerance the joint pass and the end-by-end one could round
    # apart: only a clear pass is trusted, anything else is checked again.
    return [entry for k, entry in enumerate(ends) if bad[2 * k] or bad[2 * k + 1]]


def range_end_check(check: "_Checker", ct, s: int, variable, name: str) -> None:
    """Move one variable to its low, then its high end; report the first failure."""
    from planning.engine.compile import apply_expressions, check_probabilities, resolve_shares
    from planning.engine.parameters import scope_values_with

    for end, value in zip(("low", "high"), variable.range):
        probability, payoff = ct.probability.copy(), ct.payoff.copy()
        try:
            values = scope_values_with(ct, {(s, variable.name): float(value)})
            apply_expressions(ct, values, probability, payoff)
            resolve_shares(ct, probability)
            check_probabilities(ct, probability)
        except PlanError as exc:
            check.error(exc.node_id, exc.field,
                        f"{exc.message} when variable {name} = {_fmt(value)} "
                        f"(the {end} end of its range)")
            break


def finite_results(check: "_Checker", plan: Plan) -> None:
    """Evaluate each track when its payoffs are large enough to overflow a sum."""
    from planning.engine.evaluate import evaluate_track

    for track in plan.tracks:
        try:
            evaluate_track(plan, track.id)
        except PlanError as exc:
            check.error(exc.node_id, exc.field, exc.message)
