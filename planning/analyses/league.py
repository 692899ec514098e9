"""The league table of a two-criteria plan (DESIGN "League table").

Every policy (one option at every decision the policy reaches; a committed
decision keeps its commitment) with its two expected criteria. Policies with
equal values share a row; a row is *dominated* when another row is at least
as good on both criteria and better on one, *extendedly dominated* when a mix
of its two frontier neighbours is better (it is optimal for no weight). The
remaining rows form the frontier; ``icer`` is the incremental ratio from the
previous frontier row: the weight w at which both are equally good under the
combined value ``w * s1 * V1 + s2 * V2``. For cost (minimised, criterion 2)
against effect (maximised, criterion 1) that is the familiar
cost-effectiveness ratio, cost per unit of effect. A frontier row is optimal
for the weights between its own ratio and the next one's; ``optimal`` marks
rows optimal for some weight in ``weight_range``, ``optimal_for_weight`` those
optimal for ``weight`` (ratios and weights compare within 1e-9, relative, so a
weight equal to a ratio makes both neighbours optimal).

>>> from planning.model.plan import Plan, Track, Node, Criterion
>>> plan = Plan(criteria=[Criterion("Effect"), Criterion("Cost", "minimize")],
...     tracks=[Track("t", root="d")], nodes={
...     "d": Node("d", "decision", label="Which?", children=["a", "b", "c"]),
...     "a": Node("a", label="cheap", payoff=1, payoff2=10),
...     "b": Node("b", label="middle", payoff=2, payoff2=40),
...     "c": Node("c", label="dear", payoff=4, payoff2=50)})
>>> table = league_table(plan)
>>> [(r.id, r.values, r.extended_dominated_by, r.icer) for r in table.rows]
[('1', (1.0, 10.0), None, None), ('2', (2.0, 40.0), ('1', '3'), None), ('3', (4.0, 50.0), None, 13.333333333333334)]
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from planning.engine.compile import KIND_DECISION, compile_track
from planning.model.errors import PlanError
from planning.model.plan import Plan

#: Values, ratios and weights compare within this (relative).
TOLERANCE = 1e-9
#: More policies than this are not listed (the count grows as a product over chance nodes).
MAX_POLICIES = 20_000


@dataclass
class LeagueRow:
    """One row: the policies with these two expected criteria."""

    id: str
    policies: list[dict[str, str]]  # decision id -> option id, reached decisions only
    values: tuple[float, float]
    dominated_by: str | None = None
    extended_dominated_by: tuple[str, str] | None = None
    icer: float | None = None
    optimal: bool = False
    optimal_for_weight: bool = False
    labels: list[str] = field(default_factory=list)  # "decision label -> option label" of the first policy

    @property
    def policy(self) -> dict[str, str]:
        """The first policy of the row (its representative)."""
        return self.policies[0]

    @property
    def on_frontier(self) -> bool:
        return self.dominated_by is None and self.extended_dominated_by is None

    @property
    def status(self) -> str:
        """``dominated``, ``extended`` (extendedly dominated) or ``frontier``."""
        if self.dominated_by is not None:
            return "dominated"
        if self.extended_dominated_by is not None:
            return "extended"
        return "frontier"

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "policy": list(self.labels),
            "policy_ids": dict(self.policy),
            "equal_policies": len(self.policies),
            "values": list(self.values),
            "dominated_by": self.dominated_by,
            "extended_dominated_by": list(self.extended_dominated_by) if self.extended_dominated_by else None,
            "icer": self.icer,
            "optimal": self.optimal,
            "optimal_for_weight": self.optimal_for_weight,
        }


@dataclass
class LeagueTable:
    """The league table of one track."""

    track_id: str | None
    names: tuple[str, str]
    senses: tuple[str, str]
    units: tuple[str, str]
    weight: float
    weight_range: tuple[float, float]
    rows: list[LeagueRow]

    def row(self, row_id: str) -> LeagueRow:
        return next(r for r in self.rows if r.id == row_id)

    def to_json(self) -> dict:
        return {
            "track": self.track_id,
            "criteria": [{"name": n, "sense": s, "unit": u} for n, s, u in zip(self.names, self.senses, self.units)],
            "weight": _json_weight(self.weight),
            "weight_range": [_json_weight(w) for w in self.weight_range],
            "rows": [r.to_json() for r in self.rows],
        }


def _json_weight(w: float):
    return "Infinity" if math.isinf(w) else w


def _close(a, b) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return np.abs(a - b) <= TOLERANCE * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))


def _le(a: float, b: float) -> bool:
    """a <= b within the relative tolerance (Infinity compares exactly)."""
    if math.isinf(a) or math.isinf(b):
        return a <= b
    return a <= b + TOLERANCE * max(1.0, abs(a), abs(b))


def count_policies(plan: Plan, track_id: str | None = None) -> int:
    """How many policies the track has (capped just above :data:`MAX_POLICIES`)."""
    ct = compile_track(plan, track_id)
    return _counts(ct)[0]


def _counts(ct) -> list[int]:
    cap = MAX_POLICIES + 1
    count = [1] * ct.size
    for i in range(ct.size - 1, -1, -1):
        kids = ct.children(i)
        if not len(kids):
            continue
        if ct.kind[i] == KIND_DECISION:
            if ct.committed[i] >= 0:
                count[i] = count[int(ct.committed[i])]
            else:
                count[i] = min(cap, sum(count[c] for c in kids))
        else:
            total = 1
            for c in kids:
                total = min(cap, total * count[c])
            count[i] = total
    return count


def enumerate_policies(plan: Plan, track_id: str | None = None):
    """Every policy of the track with its two expected criteria.

    Returns the compiled track, the list of policies (tuples of (decision,
    option) positions) and the arrays V1, V2. Criterion 1 uses the effective
    payoffs (responses at their readiness), as ``ev`` does.

    Raises
    ------
    PlanError
        When the track has more than :data:`MAX_POLICIES` policies.
    """
    from planning.engine.evaluate import effective_payoffs
    from planning.engine.rules import payoff2_array

    ct = compile_track(plan, track_id)
    count = _counts(ct)
    if count[0] > MAX_POLICIES:
        raise PlanError(ct.root_id, None, f"the track has more than {MAX_POLICIES:,} policies; "
                        "a league table lists them all, so commit some decisions first")
    p1 = effective_payoffs(ct)[:, 0]
    p2 = payoff2_array(plan, ct)
    prob = ct.probability
    partial: list = [None] * ct.size  # per node: (assignments, v1 array, v2 array)
    for i in range(ct.size - 1, -1, -1):
        kids = list(ct.children(i))
        if not kids:
            partial[i] = ([()], np.array([p1[i]]), np.array([p2[i]]))
        elif ct.kind[i] == KIND_DECISION:
            options = [int(ct.committed[i])] if ct.committed[i] >= 0 else kids
            assigns, a1, a2 = [], [], []
            for c in options:
                sub, s1, s2 = partial[c]
                assigns.extend(((i, c),) + a for a in sub)
                a1.append(s1)
                a2.append(s2)
            partial[i] = (assigns, p1[i] + np.concatenate(a1), p2[i] + np.concatenate(a2))
        else:
            assigns, a1, a2 = [()], np.array([p1[i]]), np.array([p2[i]])
            for c in kids:
                sub, s1, s2 = partial[c]
                assigns = [a + b for a, b in itertools.product(assigns, sub)]
                a1 = (a1[:, None] + prob[c] * s1[None, :]).ravel()
                a2 = (a2[:, None] + prob[c] * s2[None, :]).ravel()
            partial[i] = (assigns, a1, a2)
        for c in kids:
            partial[c] = None  # free what is merged
    assigns, v1, v2 = partial[0]
    return ct, assigns, v1, v2


def league_table(plan: Plan, track_id: str | None = None) -> LeagueTable:
    """The league table of a track of a two-criteria plan (see the module doc).

    Raises
    ------
    PlanError
        When the plan has one criterion, or too many policies.
    """
    from planning.engine.rules import settings_of

    settings = settings_of(plan)
    if not settings.two:
        raise PlanError(None, "criteria", "a league table weighs two criteria; the plan has one "
                                          "(add a second criterion, or pass --senses)")
    ct, assigns, v1, v2 = enumerate_policies(plan, track_id)
    s1, s2 = settings.signs
    ids = ct.ids
    nodes = plan.nodes

    # Rows: policies with equal values (within the tolerance) share one.
    order = np.lexsort((-s2 * v2, s1 * v1))
    r1: list[float] = []
    r2: list[float] = []
    members: list[list[int]] = []
    for k in order.tolist():
        if r1:
            same = np.flatnonzero(_close(r1, v1[k]) & _close(r2, v2[k]))
            if same.size:
                members[int(same[0])].append(k)
                continue
        r1.append(float(v1[k]))
        r2.append(float(v2[k]))
        members.append([k])
    g1 = s1 * np.asarray(r1)
    g2 = s2 * np.asarray(r2)
    n = len(r1)

    def policy_dict(k: int) -> dict[str, str]:
        return {ids[d]: ids[c] for d, c in sorted(assigns[k], key=lambda dc: dc[0])}

    rows = []
    for j in range(n):
        policies = [policy_dict(k) for k in sorted(members[j])]
        first = policies[0]
        labels = [f"{_label(nodes, d)} -> {_label(nodes, o)}" for d, o in first.items()]
        rows.append(LeagueRow(str(j + 1), policies, (r1[j], r2[j]), labels=labels))

    # Strict dominance: at least as good on both, better on one (beyond the tolerance).
    for j in range(n):
        ge1 = (g1 >= g1[j]) | _close(g1, g1[j])
        ge2 = (g2 >= g2[j]) | _close(g2, g2[j])
        gt = (~_close(g1, g1[j]) & (g1 > g1[j])) | (~_close(g2, g2[j]) & (g2 > g2[j]))
        better = np.flatnonzero(ge1 & ge2 & gt)
        if better.size:
            # Name the best of them under the plan's weight (the one a planner would take).
            score = _score(g1[better], g2[better], settings.weight)
            rows[j].dominated_by = rows[int(better[int(np.argmax(score))])].id

    # Extended dominance: the frontier is the upper hull in (g1, g2), g1 rising.
    candidates = [j for j in range(n) if rows[j].dominated_by is None]
    candidates.sort(key=lambda j: (g1[j], -g2[j]))
    hull: list[int] = []
    for j in candidates:
        while len(hull) >= 2 and _ratio(g1, g2, hull[-2], hull[-1]) > _ratio(g1, g2, hull[-1], j) \
                and not _close(_ratio(g1, g2, hull[-2], hull[-1]), _ratio(g1, g2, hull[-1], j)):
            hull.pop()
        hull.append(j)
    on_hull = set(hull)
    for j in candidates:
        if j in on_hull:
            continue
        left = max((h for h in hull if g1[h] < g1[j]), key=lambda h: g1[h])
        right = min((h for h in hull if g1[h] > g1[j]), key=lambda h: g1[h])
        rows[j].extended_dominated_by = (rows[left].id, rows[right].id)
    ratios = [None] + [_ratio(g1, g2, a, b) for a, b in zip(hull, hull[1:])]
    low, high = settings.weight_range
    w = settings.weight
    for k, j in enumerate(hull):
        rows[j].icer = ratios[k]
        start = 0.0 if ratios[k] is None else ratios[k]
        end = ratios[k + 1] if k + 1 < len(hull) else math.inf
        rows[j].optimal = _le(start, high) and _le(low, end)
        rows[j].optimal_for_weight = _le(start, w) and _le(w, end)
    return LeagueTable(ct.track_id, tuple(settings.names), tuple(settings.senses), tuple(settings.units),
                       w, settings.weight_range, rows)


def _score(g1: np.ndarray, g2: np.ndarray, w: float) -> np.ndarray:
    return g1 if math.isinf(w) else w * g1 + g2


def _ratio(g1: np.ndarray, g2: np.ndarray, a: int, b: int) -> float:
    """The weight at which frontier rows a and b (g1[a] < g1[b]) are equally good."""
    return float((g2[a] - g2[b]) / (g1[b] - g1[a]))


def _label(nodes, node_id: str) -> str:
    label = " ".join((nodes[node_id].label or "").split())
    return label or node_id


__all__ = ["LeagueRow", "LeagueTable", "MAX_POLICIES", "count_policies", "enumerate_policies", "league_table"]
