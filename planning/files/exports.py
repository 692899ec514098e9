"""Plain exports: the action register as CSV and the trees as Graphviz DOT.

Plans come from other people, so every text that goes out is made inert for
the program that will read it: a CSV cell that a spreadsheet would run as a
formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading single quote, and DOT strings are quoted with their
backslashes, quotes and line breaks escaped.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from planning.model.errors import PlanError
from planning.model.plan import CHANCE, DECISION, READINESS_LEVELS, TERMINAL, Plan

#: Same hex colours as widgets/palette.py (planning may not import widgets).
PATH_COLORS = {"success": "#009e73", "failure": "#d55e00", "neutral": "#8c959f"}
OPTION_EDGE = "#9aa4ae"
KIND_COLORS = {DECISION: "#0072b2", CHANCE: "#e69f00", TERMINAL: "#6e7781"}

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

REGISTER_COLUMNS = (
    "track", "branch", "branch_label", "path", "reach", "signposts", "warning_days",
    "response", "title", "owner", "trigger", "readiness", "readiness_name", "lead_time_days",
    "late", "cost", "effect", "marginal_value",
)


def csv_safe(value) -> str | float | int:
    """A cell value a spreadsheet will not run: text starting like a formula gets a ``'``.

    Numbers pass unchanged (a negative number is data, not a formula).

    >>> csv_safe("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> csv_safe(-40.0)
    -40.0
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return "" if isinstance(value, float) and math.isnan(value) else value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


@dataclass
class RegisterRow:
    """One response of the action register, with its branch and what it is worth."""

    track: str
    branch: str
    branch_label: str
    path: str
    reach: float | None
    signposts: list[str]
    warning_days: float | None
    response: str
    title: str
    owner: str
    trigger: str
    readiness: int
    lead_time_days: float | None
    late: bool
    cost: float
    effect: float
    marginal_value: float | None

    def cells(self) -> list:
        """The row as CSV cells in :data:`REGISTER_COLUMNS` order (not yet neutralised)."""
        name = READINESS_LEVELS[self.readiness] if 0 <= self.readiness < len(READINESS_LEVELS) else ""
        return [self.track, self.branch, self.branch_label, self.path, _rounded(self.reach),
                "; ".join(self.signposts), self.warning_days, self.response, self.title,
                self.owner, self.trigger, self.readiness, name, self.lead_time_days,
                self.late, self.cost, self.effect, _rounded(self.marginal_value)]


def _rounded(value: float | None) -> float | None:
    """Ten significant digits: 1.44, not 1.4399999999999995."""
    return None if value is None else float(f"{value:.10g}")


def _track_figures(plan: Plan, track_id: str):
    """(result or None) of evaluating a track; None when it cannot be evaluated."""
    from planning.engine.evaluate import evaluate_track

    try:
        return evaluate_track(plan, track_id)
    except (PlanError, KeyError, ValueError, ArithmeticError):
        return None


def action_register(plan: Plan, results: dict | None = None) -> list[RegisterRow]:
    """One row per response, track by track, in tree order (pre-order).

    Parameters
    ----------
    plan : Plan
    results : dict, optional
        Track id -> TrackResult already computed (evaluated here otherwise).
        A track that cannot be evaluated gives rows without reach and value.

    Returns
    -------
    list of RegisterRow
    """
    rows: list[RegisterRow] = []
    for track in plan.tracks:
        result = results.get(track.id) if results else None
        if result is None:
            result = _track_figures(plan, track.id)
        marginal = {}
        if result is not None:
            marginal = {(p.node, p.response): p.marginal_value for p in result.priorities}
        for node in plan.walk(track.root):
            if not node.responses:
                continue
            reach = path = None
            if result is not None and node.id in result.index:
                i = result.index[node.id]
                reach = float(result.node_reach[i])
                path = result.node_path[i]
            for response in node.responses:
                rows.append(RegisterRow(
                    track=track.id, branch=node.id, branch_label=node.label,
                    path=path or node.path or "", reach=reach, signposts=list(node.signposts),
                    warning_days=node.warning_days, response=response.id, title=response.title,
                    owner=response.owner, trigger=response.trigger, readiness=response.readiness,
                    lead_time_days=response.lead_time_days,
                    late=response.is_late(node.warning_days), cost=response.cost,
                    effect=response.effect,
                    marginal_value=marginal.get((node.id, response.id))))
    return rows


def register_csv(plan: Plan, results: dict | None = None) -> str:
    """The action register as CSV text (header row first, cells neutralised).

    Returns
    -------
    str
        Comma-separated, ``\\r\\n`` line ends (RFC 4180), UTF-8 ready.
    """
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    for row in action_register(plan, results):
        writer.writerow([csv_safe(cell) for cell in row.cells()])
    return stream.getvalue()


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string: backslash, quote and line breaks escaped."""
    escaped = (str(text).replace("\\", "\\\\").replace('"', '\\"')
               .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))
    return f'"{escaped}"'


_SHAPES = {DECISION: "box", CHANCE: "ellipse", TERMINAL: "triangle"}


def to_dot(plan: Plan, track_id: str | None = None) -> str:
    """The trees as a Graphviz digraph, one cluster per track, left to right.

    Parameters
    ----------
    plan : Plan
    track_id : str, optional
        Only this track (all tracks when omitted).

    Returns
    -------
    str
        DOT text. Node shapes by kind; edges to branches coloured by path and
        labelled with the probability as written.
    """
    tracks = plan.tracks if track_id is None else [plan.track(track_id)]
    lines = ["digraph plan {", "  rankdir=LR;", f"  label={dot_string(plan.title)};",
             '  node [fontname="Helvetica", fontsize=10, style=filled, fillcolor="#ffffff"];',
             '  edge [fontname="Helvetica", fontsize=9];']
    seen: set[str] = set()
    for number, track in enumerate(tracks):
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={dot_string(track.title or track.id)};")
        for node in plan.walk(track.root):
            if node.id in seen:
                continue
            seen.add(node.id)
            shape = _SHAPES.get(node.kind, "box")
            color = KIND_COLORS.get(node.kind, "#000000")
            lines.append(f"    {dot_string(node.id)} [label={dot_string(node.label or node.id)}, "
                         f'shape={shape}, color="{color}"];')
            for child_id in node.children:
                child = plan.nodes.get(child_id)
                if child is None:
                    continue
                attrs = []
                if node.kind == CHANCE:
                    attrs.append(f'color="{PATH_COLORS.get(child.path or "neutral", OPTION_EDGE)}"')
                    if child.probability is not None:
                        attrs.append(f"label={dot_string(child.probability)}")
                else:
                    attrs.append(f'color="{OPTION_EDGE}"')
                    if node.committed == child_id:
                        attrs.append("penwidth=2")
                lines.append(f"    {dot_string(node.id)} -> {dot_string(child_id)} [{', '.join(attrs)}];")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
