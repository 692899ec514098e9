"""A two-criteria plan as the one-criterion plan of its combined value.

With two criteria a decision takes the option with the best combined value
``w * s1 * V1 + s2 * V2`` (DESIGN "Two criteria"). Both criteria roll back as
expectations, so the combined value of a subtree is the expectation of the
combined payoff ``w * s1 * payoff + s2 * payoff2``: the plan whose payoffs
are those, maximised, has the same policy and its EV is the combined value.
Analyses written for one criterion (value of information, DESIGN) then run
on the combined value unchanged.

A ranged payoff stays a quantity of its own: the node gets a local variable
holding the payoff with its range (``bw_payoff_1``; ``bw_payoff_2`` for
``payoff2``), and its payoff reads it. :func:`quantity_of` maps those
parameter names back to ``NODE.payoff`` and ``NODE.payoff2``. Responses'
effects (criterion 1) are scaled by ``w * s1``.

With ``w = Infinity`` criterion 1 decides alone: the combined plan is the
plan with criterion 1 only, to its own sense.
"""
from __future__ import annotations

import dataclasses
import math

from planning.model.plan import MAXIMIZE, Node, Plan, Variable
from planning.engine.rules import settings_of

#: The local variables that carry a ranged payoff (criterion 1, criterion 2).
VAR1, VAR2 = "bw_payoff_1", "bw_payoff_2"
PAYOFF2 = "payoff2"


def _term(factor: float, value) -> str | float | None:
    """``factor * value`` as a number or an expression text (None when it is 0)."""
    if factor == 0:
        return None
    if isinstance(value, (int, float)):
        return factor * float(value)
    return f"{factor!r}*({value})"


def _sum(terms) -> str | float:
    terms = [t for t in terms if t is not None]
    numbers = [t for t in terms if isinstance(t, float)]
    texts = [t for t in terms if isinstance(t, str)]
    total = sum(numbers) if numbers else 0.0
    if not texts:
        return float(total)
    parts = texts + ([repr(total)] if total != 0 else [])
    return " + ".join(parts)


def combined_plan(plan: Plan) -> Plan:
    """The one-criterion plan whose EV is ``plan``'s combined value (see the module doc).

    A plan with one criterion is returned as it is.
    """
    settings = settings_of(plan)
    if not settings.two:
        return plan
    if math.isinf(settings.weight):
        return dataclasses.replace(plan, criteria=plan.criteria[:1], objective=settings.senses[0], rule="expected")
    a = settings.weight * settings.signs[0]
    b = settings.signs[1]
    nodes: dict[str, Node] = {}
    for node_id, node in plan.nodes.items():
        new = dataclasses.replace(node, variables=list(node.variables), payoff2=0.0, payoff2_range=None,
                                  payoff_range=None,
                                  responses=[dataclasses.replace(r, effect=a * float(r.effect)) for r in node.responses])
        first, second = node.payoff, node.payoff2
        if node.payoff_range is not None:
            new.variables.append(Variable(VAR1, node.payoff, tuple(node.payoff_range),
                                          f"payoff of {node_id} (criterion 1)"))
            first = VAR1
        if node.payoff2_range is not None:
            new.variables.append(Variable(VAR2, node.payoff2, tuple(node.payoff2_range),
                                          f"payoff2 of {node_id} (criterion 2)"))
            second = VAR2
        new.payoff = _sum([_term(a, first), _term(b, second)])
        nodes[node_id] = new
    return dataclasses.replace(plan, nodes=nodes, criteria=[], objective=MAXIMIZE, rule="expected",
                               weight=1.0, weight_range=None)


def quantity_of(name: str, kind: str, node_id: str | None) -> tuple[str, str]:
    """A parameter of the combined plan as the original plan names it: (name, kind)."""
    if node_id is not None and name == f"{node_id}.{VAR1}":
        return f"{node_id}.payoff", "payoff"
    if node_id is not None and name == f"{node_id}.{VAR2}":
        return f"{node_id}.{PAYOFF2}", PAYOFF2
    return name, kind


__all__ = ["PAYOFF2", "VAR1", "VAR2", "combined_plan", "quantity_of"]
