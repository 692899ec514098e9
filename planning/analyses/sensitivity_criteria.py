"""Sensitivity of a plan with two criteria: the combined value against every ranged quantity.

The tornado, spider and sweeps run on :func:`planning.analyses.combined.combined_plan`
(decisions take the best combined value ``w * s1 * V1 + s2 * V2``); its
``bw_payoff_1`` / ``bw_payoff_2`` variables are the plan's ``NODE.payoff``
and ``NODE.payoff2`` (:func:`plan_name`), so results name what the planner
wrote. A ``--range`` or a swept name on ``NODE.payoff`` / ``NODE.payoff2``
becomes that node's payoff range in the copy analysed, so that it turns into
a quantity of the combined plan.

The value is in criterion 2's unit: ``w`` converts criterion 1 into it
(:func:`value_words`). With weight Infinity the combined plan is criterion 1
alone, in criterion 1's unit.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping

from planning.analyses.combined import PAYOFF2, VAR1, VAR2, combined_plan
from planning.model.plan import Plan
from planning.engine.rules import settings_of

PAYOFF = "payoff"


def is_two(plan: Plan) -> bool:
    """True for a plan with two criteria."""
    return len(plan.criteria) == 2


def plan_name(name: str) -> str:
    """``N.bw_payoff_1`` -> ``N.payoff``, ``N.bw_payoff_2`` -> ``N.payoff2``; other names unchanged."""
    node, _, var = name.rpartition(".")
    if node and var == VAR1:
        return f"{node}.{PAYOFF}"
    if node and var == VAR2:
        return f"{node}.{PAYOFF2}"
    return name


def analysis_name(name: str | None) -> str | None:
    """The combined plan's name of a plan quantity (the inverse of :func:`plan_name`)."""
    if name is None:
        return None
    node, _, field = name.rpartition(".")
    if node and field == PAYOFF:
        return f"{node}.{VAR1}"
    if node and field == PAYOFF2:
        return f"{node}.{VAR2}"
    return name


def analysis_plan(plan: Plan, ranges: Mapping[str, tuple[float, float]] | None = None,
                  named: Iterable[str | None] = ()) -> tuple[Plan, dict[str, tuple[float, float]]]:
    """(the combined plan to analyse, the other ranges).

    ``ranges`` on ``NODE.payoff`` / ``NODE.payoff2`` become the node's ranges
    before combining; a payoff in ``named`` (a swept quantity) without a range
    gets a zero-width one, so that it is a quantity of the combined plan.
    """
    copy = plan.copy()
    rest: dict[str, tuple[float, float]] = {}
    for name, span in (ranges or {}).items():
        node, _, field = name.rpartition(".")
        if node in copy.nodes and field in (PAYOFF, PAYOFF2):
            setattr(copy.nodes[node], f"{field}_range", (float(span[0]), float(span[1])))
        else:
            rest[name] = span
    for name in named:
        node, _, field = (name or "").rpartition(".")
        if node in copy.nodes and field in (PAYOFF, PAYOFF2):
            target = copy.nodes[node]
            if getattr(target, f"{field}_range") is None and isinstance(getattr(target, field), (int, float)):
                value = float(getattr(target, field))
                setattr(target, f"{field}_range", (value, value))
    # With weight Infinity combined_plan is criterion 1 alone: payoff ranges stay NODE.payoff.
    return combined_plan(copy), rest


def value_words(plan: Plan) -> str:
    """What the analysed value is: ``combined value at weight 1 engineer-weeks per k$ (in engineer-weeks)``."""
    s = settings_of(plan)
    u1 = s.units[0] or s.names[0] or "criterion 1"
    if math.isinf(s.weight):
        return f"{s.names[0] or 'criterion 1'} alone (weight Infinity){f' ({u1})' if s.units[0] else ''}"
    u2 = s.units[1] or s.names[1] or "criterion 2"
    return f"combined value at weight {s.weight:g} {u2} per {u1} (in {u2})"


def value_unit(plan: Plan) -> str:
    """The unit an axis gives the analysed value: criterion 2's with the weight, or criterion 1's at Infinity."""
    s = settings_of(plan)
    if math.isinf(s.weight):
        return s.units[0]
    u1 = s.units[0] or s.names[0] or "criterion 1"
    u2 = s.units[1] or s.names[1] or "criterion 2"
    return f"{u2}, combined at weight {s.weight:g} {u2} per {u1}"


def rename_result(result):
    """A tornado / spider / sweep / two-way sweep result with the plan's quantity names."""
    if result is None:
        return None
    if hasattr(result, "bars"):
        return dataclasses.replace(result, bars=[dict(b, name=plan_name(b["name"])) for b in result.bars])
    if hasattr(result, "lines"):
        return dataclasses.replace(result, lines=[dict(ln, name=plan_name(ln["name"])) for ln in result.lines])
    if hasattr(result, "variable"):
        return dataclasses.replace(result, variable=plan_name(result.variable))
    if hasattr(result, "x") and hasattr(result, "y"):
        return dataclasses.replace(result, x=plan_name(result.x), y=plan_name(result.y))
    return result


def rename_parameter(param):
    """A :class:`planning.engine.parameters.Parameter` with the plan's name and kind."""
    name = plan_name(param.name)
    kind = PAYOFF2 if name.endswith("." + PAYOFF2) else PAYOFF if name != param.name else param.kind
    return dataclasses.replace(param, name=name, kind=kind)


def rename_bundle(bundle):
    """A sensitivity bundle (the dock's and ``branchwise plot``'s) with the plan's quantity names."""
    return dataclasses.replace(
        bundle, tornado=rename_result(bundle.tornado), spider=rename_result(bundle.spider),
        sweep=rename_result(bundle.sweep), policy_map=rename_result(bundle.policy_map),
        parameters=[rename_parameter(p) for p in bundle.parameters], left_out=[plan_name(n) for n in bundle.left_out])


__all__ = ["rename_bundle", "analysis_name", "analysis_plan", "is_two", "plan_name", "rename_parameter", "rename_result",
           "value_unit", "value_words"]
