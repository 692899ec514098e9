"""What the audience sees at the walk's current node, as plain data.

:func:`build_slide` gathers the figures, cards and outlook of one step so that
the Qt audience and console views only lay them out; :func:`format_value` is
how the presenter writes a figure, in the views and in the walk log alike.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planning.model.errors import PlanError
from planning.engine.evaluate import TrackResult
from planning.model.plan import CHANCE, DECISION, READINESS_LEVELS, TERMINAL, Plan
from planning.engine.readiness import badge
from planning.sharing.walk import Walk


def format_value(value: float | None, unit: str = "") -> str:
    """A figure as the presenter shows it: 4 significant digits, thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    if "e" in text:
        text = f"{value:,.2f}"
    return f"{text} {unit}".strip()


@dataclass
class ResponseLine:
    """One prepared response as shown on a branch card."""

    title: str
    owner: str
    readiness: int
    readiness_name: str
    lead_time_days: float | None
    late: bool


@dataclass
class BranchCard:
    """One branch of a chance node or option of a decision node."""

    node_id: str
    number: int
    label: str
    kind: str
    path: str
    probability: float | None      # None for decision options
    ev: float | None
    failure_readiness: float | None
    p_failure: float | None
    badge: str
    signposts: list[str]
    warning_days: float | None
    responses: list[ResponseLine]
    #: one level further: (label, probability or None, path) of this node's children
    outlook: list[tuple[str, float | None, str]] = field(default_factory=list)
    best: bool = False              # the policy option of a decision
    revealed: bool = True
    next_target: bool = False       # where "next" would step
    #: with two criteria: the second criterion's expected value from this node (Slide.second names it)
    ev2: float | None = None


@dataclass
class Slide:
    """Everything the audience view draws for the current node."""

    node_id: str
    label: str
    kind: str
    path: str
    value_unit: str
    track_title: str
    breadcrumbs: list[tuple[str, str]]
    ev: float | None = None
    p_failure: float | None = None
    failure_exposure: float | None = None
    failure_readiness: float | None = None
    success_readiness: float | None = None
    probability: float | None = None       # of the current node under its parent (chance)
    branch_readiness: float | None = None  # rho of the current node when it is a branch
    self_card: BranchCard | None = None    # the current node's own branch details
    cards: list[BranchCard] = field(default_factory=list)
    error: str = ""
    notes: str = ""
    #: at a decision: (quantity label, value) of what is most worth knowing first (planning.analyses.voi)
    worth_knowing: list[tuple[str, float]] = field(default_factory=list)
    #: with two criteria: (name, expected value from here, unit) of the second criterion
    second: tuple[str, float, str] | None = None


def _responses(node: Any) -> list[ResponseLine]:
    lines = []
    for r in node.responses:
        level = max(0, min(len(READINESS_LEVELS) - 1, int(r.readiness)))
        lines.append(ResponseLine(r.title or r.id, r.owner, level, READINESS_LEVELS[level],
                                  r.lead_time_days, r.is_late(node.warning_days)))
    return lines


def _outlook(plan: Plan, node: Any, result: TrackResult | None) -> list[tuple[str, float | None, str]]:
    out = []
    for child_id in node.children:
        child = plan.nodes.get(child_id)
        if child is None:
            continue
        figures = result.node(child_id) if result is not None and child_id in result.index else None
        p = figures["probability"] if figures and node.kind == CHANCE else None
        out.append((child.label or child_id, p, figures["path"] if figures else (child.path or "neutral")))
    return out


def _card(plan: Plan, node_id: str, number: int, probability: float | None,
          result: TrackResult | None) -> BranchCard:
    node = plan.nodes[node_id]
    figures = result.node(node_id) if result is not None and node_id in result.index else None
    path = figures["path"] if figures else (node.path or "neutral")
    return BranchCard(
        node_id=node_id, number=number, label=node.label or node_id, kind=node.kind, path=path,
        probability=probability, ev=figures["ev"] if figures else None,
        failure_readiness=figures["failure_readiness"] if figures else None,
        p_failure=figures["p_failure"] if figures else None,
        badge=badge(node), signposts=list(node.signposts), warning_days=node.warning_days,
        responses=_responses(node), outlook=_outlook(plan, node, result), ev2=_ev2(result, node_id))


def _ev2(result: TrackResult | None, node_id: str) -> float | None:
    """The second criterion's expected value from a node (None with one criterion)."""
    node_ev2 = getattr(result, "node_ev2", None) if result is not None else None
    if node_ev2 is None or node_id not in result.index:
        return None
    return float(np.ravel(node_ev2[result.index[node_id]])[0])


def build_slide(walk: Walk) -> Slide:
    """What the audience view shows for the walk's current node.

    Figures are those of :func:`evaluate_from` at the current node; a plan
    that cannot be evaluated gives a slide with ``error`` set and no numbers.
    """
    plan = walk.plan
    node = plan.nodes[walk.current]
    track = plan.track(walk.track_id)
    crumbs = [(i, plan.nodes[i].label or i) for i in walk.breadcrumbs() if i in plan.nodes]
    slide = Slide(node_id=node.id, label=node.label or node.id, kind=node.kind,
                  path=node.path or "neutral", value_unit=plan.value_unit,
                  track_title=track.title or track.id, breadcrumbs=crumbs, notes=node.notes)
    try:
        result = walk.result()
    except (PlanError, KeyError, ArithmeticError) as exc:
        slide.error = str(exc)
        result = None
    parent_id = plan.parents().get(node.id) if len(crumbs) > 1 else None
    parent = plan.nodes.get(parent_id) if parent_id else None
    is_branch = parent is not None and parent.kind == CHANCE
    try:
        # The parent's figures (usually cached: the walk came from there) give
        # this node's resolved probability, path and branch readiness.
        above = walk.result(parent_id) if parent_id else result
    except (PlanError, KeyError, ArithmeticError):
        above = None
    if above is not None and node.id in above.index:
        slide.path = above.node_path[above.index[node.id]]
        if is_branch:
            slide.probability = float(above.node_probability[above.index[node.id]])
            slide.branch_readiness = float(above.node_readiness[above.index[node.id]])
    if result is not None:
        slide.ev = result.ev
        slide.p_failure = result.p_failure
        slide.failure_exposure = result.failure_exposure
        slide.failure_readiness = result.failure_readiness
        slide.success_readiness = result.success_readiness
        settings = getattr(result, "settings", None)
        if settings is not None and settings.two and result.values is not None:
            slide.second = (settings.names[1] or "criterion 2", result.values[1], settings.units[1])
    if is_branch or node.responses or node.signposts or node.kind == TERMINAL:
        slide.self_card = _card(plan, node.id, 0, slide.probability, result)
        slide.self_card.path = slide.path
    target = walk.default_child() if walk.all_revealed else None
    best = result.policy.get(node.id) if result is not None and node.kind == DECISION else None
    if best is not None and len(node.children) > 1:
        from planning.analyses.voi import worth_knowing
        slide.worth_knowing = worth_knowing(plan, walk.track_id, node.id)
    for number, child in enumerate(walk.children, 1):
        p = None
        if node.kind == CHANCE and result is not None:
            p = result.node(child)["probability"]
        card = _card(plan, child, number, p, result)
        card.best = child == best
        card.revealed = number <= walk.revealed
        card.next_target = child == target
        slide.cards.append(card)
    return slide
