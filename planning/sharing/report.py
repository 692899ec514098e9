"""The briefing report: what a planner hands out, as Markdown and HTML text.

:func:`build_report` gathers the figures once (per track: the summary
numbers, the policy, the decision support matrix, the priority list, the
outcome profile; the walk logs from ``plan.extra["history"]``);
:func:`render_markdown` and :func:`render_html` write them out. The PDF
(app/cli_export.py) is the HTML laid out by Qt, so all three say the same.

Pictures of the trees need Qt, which this package never imports: the
renderers take them as ``images`` (track id -> image address, e.g. a
``data:`` URI) and fall back to a text outline of the tree without them.
Outcome plots are bars of block characters, coloured by path, which read
the same in a browser, in Qt's HTML and in plain Markdown.

Every text from the plan is escaped (HTML entities; Markdown punctuation
and angle brackets), so labels such as ``<script>`` stay text.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np

from planning.model.errors import PlanError
from planning.files.exports import PATH_COLORS
from planning.model.plan import CHANCE, READINESS_LEVELS, Plan

#: Longest text outline of a tree (lines) and longest outcome list shown.
MAX_OUTLINE_LINES = 400
MAX_OUTCOMES = 30
MAX_WALK_STEPS = 500
_BAR_WIDTH = 30
_BLOCK = "\u2588"


@dataclass
class MatrixRow:
    """A row of the decision support matrix: one response (or none) of one branch."""

    branch: str
    branch_label: str
    path: str
    reach: float | None
    signposts: list[str]
    warning_days: float | None
    response: str | None = None
    title: str = ""
    owner: str = ""
    readiness: int | None = None
    lead_time_days: float | None = None
    late: bool = False


@dataclass
class Outcome:
    """A terminal reached under the policy: its path value and probability."""

    node: str
    label: str
    path: str
    value: float
    probability: float


@dataclass
class TrackReport:
    """Everything the report shows about one track."""

    id: str
    title: str
    root: str
    figures: dict | None = None
    error: str | None = None
    policy: list[tuple[str, str]] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    priorities: list[dict] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    more_outcomes: int = 0
    outline: list[tuple[int, str, str]] = field(default_factory=list)
    node_count: int = 0
    information: dict | None = None  # planning.analyses.voi.briefing: what knowing first is worth
    rule_rows: list[tuple[str, str]] = field(default_factory=list)  # the rule's value, both criteria


@dataclass
class WalkStep:
    node: str
    label: str
    time: str
    note: str


@dataclass
class WalkLog:
    started: str
    track: str
    steps: list[WalkStep]


@dataclass
class Report:
    """The whole briefing: plan settings, one :class:`TrackReport` per track, walk logs."""

    title: str
    description: str
    value_unit: str
    objective: str
    tracks: list[TrackReport]
    walks: list[WalkLog]
    #: Linked tracks (planning.sharing.track_map): (boxes, arrows) when some track reads another.
    track_map: tuple | None = None


def _text(value) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _outline(plan: Plan, root: str) -> list[tuple[int, str, str]]:
    """(depth, kind, label) in pre-order, iteratively, at most MAX_OUTLINE_LINES."""
    lines: list[tuple[int, str, str]] = []
    stack = [(root, 0)]
    seen: set[str] = set()
    while stack and len(lines) < MAX_OUTLINE_LINES:
        node_id, depth = stack.pop()
        if node_id in seen or node_id not in plan.nodes:
            continue
        seen.add(node_id)
        node = plan.nodes[node_id]
        lines.append((depth, node.kind, node.label or node.id))
        stack.extend((c, depth + 1) for c in reversed(node.children))
    return lines


def _outcomes(result) -> tuple[list[Outcome], int]:
    ct = result.compiled
    if ct is None:
        return [], 0
    value = np.zeros(len(ct.ids))
    parent = ct.parent
    for i in range(len(ct.ids)):  # breadth-first: a parent comes before its children
        value[i] = ct.payoff[i] + (value[parent[i]] if parent[i] >= 0 else 0.0)
    terminal = np.flatnonzero((ct.child_count == 0) & (result.node_reach > 0))
    order = terminal[np.argsort(-result.node_reach[terminal], kind="stable")]
    shown = order[:MAX_OUTCOMES]
    shown = shown[np.argsort(-value[shown], kind="stable")]
    return [Outcome(ct.ids[i], "", result.node_path[i], float(value[i]), float(result.node_reach[i]))
            for i in shown], max(0, len(order) - MAX_OUTCOMES)


def _track_report(plan: Plan, track) -> TrackReport:
    from planning.engine.evaluate import evaluate_track

    report = TrackReport(track.id, track.title or track.id, track.root,
                         outline=_outline(plan, track.root))
    report.node_count = sum(1 for _ in plan.walk(track.root))
    try:
        result = evaluate_track(plan, track.id)
    except (PlanError, KeyError, ValueError, ArithmeticError) as exc:
        result = None
        report.error = str(exc)

    def label(node_id: str) -> str:
        node = plan.nodes.get(node_id)
        return (node.label or node_id) if node is not None else node_id

    if result is not None:
        report.figures = {k: v for k, v in result.to_json().items()
                          if isinstance(v, float)}
        report.figures["late"] = len(result.late)
        report.policy = [(label(d), label(o)) for d, o in result.policy.items()
                         if result.node_reach[result.index[d]] > 0]
        titles = {r.id: r.title for node in plan.walk(track.root) for r in node.responses}
        report.priorities = [{"response": p.response, "title": titles.get(p.response, ""),
                              "branch": label(p.node), "marginal_value": p.marginal_value,
                              "exposure_reduction": p.exposure_reduction, "late": p.late}
                             for p in result.priorities]
        report.outcomes, report.more_outcomes = _outcomes(result)
        for outcome in report.outcomes:
            outcome.label = label(outcome.node)
        report.information = _information(plan, track.id, report.node_count)
        report.rule_rows = rule_rows(result)
    parents = plan.parents()
    for node in plan.walk(track.root):
        parent = plan.nodes.get(parents.get(node.id, ""))
        if parent is None or parent.kind != CHANCE:
            continue
        reach = path = None
        if result is not None and node.id in result.index:
            i = result.index[node.id]
            reach, path = float(result.node_reach[i]), result.node_path[i]
        base = dict(branch=node.id, branch_label=node.label or node.id,
                    path=path or node.path or "neutral", reach=reach,
                    signposts=list(node.signposts), warning_days=node.warning_days)
        if not node.responses:
            report.matrix.append(MatrixRow(**base))
        for r in node.responses:
            report.matrix.append(MatrixRow(**base, response=r.id, title=r.title, owner=r.owner,
                                           readiness=r.readiness, lead_time_days=r.lead_time_days,
                                           late=r.is_late(node.warning_days)))
    return report


#: Value of information is left out of the report for larger tracks (a Monte Carlo run each).
VOI_MAX_NODES = 20_000


def _information(plan: Plan, track_id: str, node_count: int) -> dict | None:
    """Value of information at the track's first decision (``branchwise voi``'s seed 0), or None."""
    from planning.analyses.voi import briefing

    if node_count > VOI_MAX_NODES:
        return None
    try:
        return briefing(plan, track_id)
    except (PlanError, ValueError, ArithmeticError):
        return None


def _walks(plan: Plan) -> list[WalkLog]:
    """Walk logs from ``plan.extra["history"]``; anything not shaped like one is skipped."""
    history = plan.extra.get("history")
    walks: list[WalkLog] = []
    if not isinstance(history, list):
        return walks
    for entry in history:
        if not isinstance(entry, dict) or entry.get("kind") != "walk":
            continue
        steps = []
        for step in entry.get("steps", [])[:MAX_WALK_STEPS] if isinstance(entry.get("steps"), list) else []:
            if not isinstance(step, dict):
                continue
            node_id = _text(step.get("node"))
            node = plan.nodes.get(node_id)
            steps.append(WalkStep(node_id, node.label if node else "", _text(step.get("time")),
                                  _text(step.get("note"))))
        walks.append(WalkLog(_text(entry.get("started")), _text(entry.get("track")), steps))
    return walks


def build_report(plan: Plan) -> Report:
    """Evaluate every track and gather what the briefing shows.

    A track that cannot be evaluated keeps its matrix and outline and says why
    in ``error``.
    """
    from planning.sharing.track_map import track_map

    boxes, arrows = track_map(plan)
    return Report(plan.title, plan.description, plan.value_unit, plan.objective,
                  [_track_report(plan, t) for t in plan.tracks], _walks(plan),
                  (boxes, arrows) if arrows else None)


#: Key of the map's picture in render_html's ``images`` (the PDF writer renders the SVG).
TRACK_MAP_IMAGE = "__tracks_map__"


def _link_rows(report: Report) -> list[tuple[str, str, str]]:
    """(track that reads, what it reads, track read) for the report's link table."""
    boxes, arrows = report.track_map
    titles = {b.id: b.title for b in boxes}
    return [(titles[a.reader], a.label, titles[a.read]) for a in arrows]


# -- formatting ---------------------------------------------------------------------

def number(x, digits: int = 4) -> str:
    """A number for people: 4 significant digits, thousands separated, '–' for none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "\u2013"
    return f"{x:,.{digits}g}" if abs(x) < 1e6 else f"{x:,.0f}"


def percent(x) -> str:
    return "\u2013" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _days(x) -> str:
    return "\u2013" if x is None else f"{number(x)} d"


def _readiness(level) -> str:
    if level is None:
        return "\u2013"
    name = READINESS_LEVELS[level] if 0 <= level < len(READINESS_LEVELS) else "?"
    return f"{level} {name}"


def rule_rows(result) -> list[tuple[str, str]]:
    """Summary rows for a decision rule or two criteria (DESIGN "Decision rules"), with units."""
    settings = getattr(result, "settings", None)
    if settings is None:
        return []
    if settings.two and result.values is not None:
        rows = [(f"{name or f'Criterion {k + 1}'} ({sense})", f"{number(value)}{' ' + unit if unit else ''}")
                for k, (name, sense, unit, value) in enumerate(zip(settings.names, settings.senses,
                                                                   settings.units, result.values))]
        weight = "Infinity" if math.isinf(settings.weight) else number(settings.weight)
        return rows + [(f"Combined value (weight {weight})", number(result.combined))]
    if settings.rule != "expected" and result.rule_value is not None:
        unit = settings.units[0]
        return [(f"{settings.rule.capitalize()} value ({settings.senses[0]})",
                 f"{number(result.rule_value)}{' ' + unit if unit else ''}")]
    return []


def _summary(track: TrackReport, unit: str) -> list[tuple[str, str]]:
    f = track.figures or {}
    u = f" {unit}" if unit else ""
    return [
        ("Expected value", f"{number(f.get('ev'))}{u}"),
        *track.rule_rows,
        ("Unprepared / all ready", f"{number(f.get('ev_unprepared'))} / {number(f.get('ev_full'))}{u}"),
        ("Value of preparedness", f"{number(f.get('value_of_preparedness'))}{u}"),
        ("P(failure)", percent(f.get("p_failure"))),
        ("Failure exposure", percent(f.get("failure_exposure"))),
        ("Failure readiness", percent(f.get("failure_readiness"))),
        ("P(success)", percent(f.get("p_success"))),
        ("Success readiness", percent(f.get("success_readiness"))),
        ("Late responses", str(f.get("late", 0))),
    ]


_MATRIX_HEAD = ("Branch", "Path", "Reach", "Signposts", "Warning", "Response", "Owner",
                "Readiness", "Lead time", "Late")


#: Column widths (percent) of the matrix, so long signposts do not squeeze the rest.
_MATRIX_WIDTHS = (15, 6, 6, 19, 6, 16, 10, 11, 6, 5)


def _matrix_cells(row: MatrixRow) -> list[str]:
    return [row.branch_label, row.path, percent(row.reach), "; ".join(row.signposts),
            _days(row.warning_days), row.title or row.response or "(no response)", row.owner,
            _readiness(row.readiness), _days(row.lead_time_days), "LATE" if row.late else ""]


def _bar(p: float) -> int:
    return max(0, min(_BAR_WIDTH, round(p * _BAR_WIDTH))) if p == p else 0


# -- Markdown -----------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_{}[]#|~")


def md(text) -> str:
    """Inline Markdown text that renders literally: punctuation escaped, no raw HTML."""
    out = []
    for i, ch in enumerate(_text(text)):
        if ch in _MD_SPECIAL or (i == 0 and ch in "+-=>"):
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _md_table(head, rows) -> list[str]:
    lines = ["| " + " | ".join(md(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(report: Report, images: dict[str, str] | None = None) -> str:
    """The report as Markdown (GitHub flavour tables).

    Parameters
    ----------
    report : Report
    images : dict, optional
        Track id -> image address of the tree picture: ``branchwise export``
        writes the pictures beside the .md and passes their relative links
        (base64 ``data:`` URIs make files many viewers will not show).
        Without one the tree is a text outline.
    """
    images = images or {}
    unit = report.value_unit
    out = [f"# {md(report.title or 'Plan')}", ""]
    if report.description:
        out += [md(report.description), ""]
    out += [f"Objective: {md(report.objective)}; values in {md(unit or 'points')}.", ""]
    for track in report.tracks:
        out += [f"## {md(track.title)}", ""]
        if track.error:
            out += [f"**Cannot be evaluated:** {md(track.error)}", ""]
        else:
            out += _md_table(("Figure", "Value"), _summary(track, unit))
            if track.policy:
                out += ["**Policy:** " + "; ".join(f"{md(d)} \u2192 {md(o)}" for d, o in track.policy), ""]
            if track.information:
                out += ["### Worth knowing first", "", md(track.information["sentence"]), ""]
                if track.information["rows"]:
                    out += _md_table(("Knowing this before deciding", "Worth up to"), track.information["rows"])
        out += ["### Tree", ""]
        if track.id in images:
            out += [f"![{md(track.title)}]({images[track.id]})", ""]
        else:
            out += ["```text"] + [("  " * d) + f"[{k[0].upper()}] " + lbl.replace("`", "'").replace("\n", " ")
                                  for d, k, lbl in track.outline] + ["```", ""]
        if track.outcomes:
            out += ["### Outcomes", ""]
            out += _md_table(("Outcome", "Path", "Value", "Probability", ""),
                             [(o.label, o.path, number(o.value), percent(o.probability),
                               _BLOCK * _bar(o.probability)) for o in track.outcomes])
        out += ["### Decision support matrix", ""]
        out += _md_table(_MATRIX_HEAD, [_matrix_cells(r) for r in track.matrix])
        if track.priorities:
            out += ["### Prepare next", ""]
            out += _md_table(("#", "Response", "Branch", "Marginal value", "Exposure reduction", "Late"),
                             [(str(i), p["title"] or p["response"], p["branch"], number(p["marginal_value"]),
                               percent(p["exposure_reduction"]), "LATE" if p["late"] else "")
                              for i, p in enumerate(track.priorities, 1)])
    if report.track_map is not None:
        out += ["## How the tracks lean on each other", ""]
        out += _md_table(("Track", "reads", "of track"), _link_rows(report))
    if report.walks:
        out += ["## Walk logs", ""]
        for walk in report.walks:
            out += [f"### Walk of {md(walk.track)} started {md(walk.started)}", ""]
            out += _md_table(("Time", "Node", "Note"),
                             [(s.time, s.label or s.node, s.note) for s in walk.steps])
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML ----------------------------------------------------------------------------

def e(text) -> str:
    """HTML-escaped text (quotes too, so it is safe inside attributes)."""
    return html.escape(_text(text), quote=True)


_CSS = """
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; color: #1f2328; font-size: 10pt; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; border-bottom: 1px solid #d0d7de; margin-top: 18pt; }
h3 { font-size: 11pt; margin-bottom: 2pt; }
table { border-collapse: collapse; margin-bottom: 6pt; }
th { background-color: #f6f8fa; text-align: left; }
th, td { border: 1px solid #d0d7de; padding: 2px 4px; vertical-align: top; }
.late { color: #cf222e; font-weight: bold; }
.muted { color: #57606a; }
.success { color: #00704f; } .failure { color: #a84400; } .neutral { color: #57606a; }
img { max-width: 100%; }
table.wide { font-size: 8pt; width: 100%; }
"""


def _html_table(head, rows, raw_columns=(), wide: bool = False, nowrap=(), widths=()) -> list[str]:
    width = ' width="100%" class="wide"' if wide else ""
    out = [f'<table border="1" cellspacing="0" cellpadding="3"{width}>',
           "<tr>" + "".join(f'<th width="{widths[i]}%" style="white-space: nowrap">{e(h)}</th>'
                            if widths else f"<th>{e(h)}</th>" for i, h in enumerate(head)) + "</tr>"]
    for row in rows:
        cells = [c if i in raw_columns else e(c) for i, c in enumerate(row)]
        out.append("<tr>" + "".join(f'<td style="white-space: nowrap">{c}</td>' if i in nowrap else f"<td>{c}</td>"
                                    for i, c in enumerate(cells)) + "</tr>")
    return out + ["</table>"]


def _html_bar(p: float, path: str) -> str:
    color = PATH_COLORS.get(path, PATH_COLORS["neutral"])
    return f'<span style="color:{color}">{_BLOCK * _bar(p)}</span>'


def _path_shares(figures: dict) -> str:
    ps, pf = figures.get("p_success", 0.0), figures.get("p_failure", 0.0)
    parts = [(ps, "success"), (pf, "failure"), (max(0.0, 1 - ps - pf), "neutral")]
    bars = "".join(_html_bar(p, path) for p, path in parts)
    legend = ", ".join(f'<span class="{path}">{path} {percent(p)}</span>' for p, path in parts)
    return f"<p>{bars}<br/>{legend}</p>"


def render_html(report: Report, images: dict[str, str] | None = None, *, for_pdf: bool = False) -> str:
    """The report as one self-contained HTML page (no scripts, no outside files).

    Parameters
    ----------
    report : Report
    images : dict, optional
        Track id -> image address (``data:`` URI, or a resource name the PDF
        writer registered). Without one the tree is a text outline.
    for_pdf : bool
        Markup for Qt's rich text (page breaks before tracks, fixed image width).
    """
    images = images or {}
    unit = report.value_unit
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8"/>',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'img-src data:; style-src \'unsafe-inline\'"/>',
           f"<title>{e(report.title or 'Plan')}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(report.title or 'Plan')}</h1>"]
    if report.description:
        out.append(f"<p>{e(report.description)}</p>")
    out.append(f'<p class="muted">Objective: {e(report.objective)}; values in {e(unit or "points")}; '
               f"{len(report.tracks)} track{'s' if len(report.tracks) != 1 else ''}.</p>")
    for number_, track in enumerate(report.tracks):
        page_break = ' style="page-break-before: always"' if for_pdf and number_ else ""
        out.append(f"<h2{page_break}>{e(track.title)}</h2>")
        if track.error:
            out.append(f'<p class="late">Cannot be evaluated: {e(track.error)}</p>')
        else:
            out += _html_table(("Figure", "Value"), _summary(track, unit))
            out.append(_path_shares(track.figures))
            if track.policy:
                out.append("<p><b>Policy:</b> " + "; ".join(f"{e(d)} \u2192 {e(o)}"
                                                            for d, o in track.policy) + "</p>")
            if track.information:
                out += ["<h3>Worth knowing first</h3>", f"<p>{e(track.information['sentence'])}</p>"]
                if track.information["rows"]:
                    out += _html_table(("Knowing this before deciding", "Worth up to"), track.information["rows"])
        out.append(f"<h3>Tree ({track.node_count} nodes)</h3>")
        if track.id in images:
            width = ' width="640"' if for_pdf else ""
            out.append(f'<p><img src="{e(images[track.id])}" alt="{e(track.title)}"{width}/></p>')
        else:
            out.append("<pre>" + "\n".join(e(("  " * d) + f"[{k[0].upper()}] " + lbl)
                                           for d, k, lbl in track.outline) + "</pre>")
        if track.outcomes:
            out.append("<h3>Outcomes under the policy</h3>")
            out += _html_table(("Outcome", "Path", "Value", "Probability", ""),
                               [(o.label, o.path, number(o.value), percent(o.probability),
                                 _html_bar(o.probability, o.path)) for o in track.outcomes],
                               raw_columns=(4,), wide=True)
            if track.more_outcomes:
                out.append(f'<p class="muted">and {track.more_outcomes} less likely outcomes</p>')
        out.append("<h3>Decision support matrix</h3>")
        rows = []
        for row in track.matrix:
            cells = [e(c) for c in _matrix_cells(row)]
            cells[1] = f'<span class="{e(row.path)}">{cells[1]}</span>'
            if row.late:
                cells[9] = f'<span class="late">{cells[9]}</span>'
            rows.append(cells)
        out += _html_table(_MATRIX_HEAD, rows, raw_columns=tuple(range(len(_MATRIX_HEAD))), wide=True,
                           nowrap=(1, 2, 4, 7, 8, 9), widths=_MATRIX_WIDTHS)
        if track.priorities:
            out.append("<h3>Prepare next</h3>")
            out += _html_table(("#", "Response", "Branch", "Marginal value", "Exposure reduction", "Late"),
                               [(str(i), p["title"] or p["response"], p["branch"],
                                 number(p["marginal_value"]), percent(p["exposure_reduction"]),
                                 "LATE" if p["late"] else "")
                                for i, p in enumerate(track.priorities, 1)], wide=True)
    if report.track_map is not None:
        from planning.sharing.track_map import to_svg

        # After the tracks, as each PDF track starts a page: the map gets a page of its own there.
        page = ' style="page-break-before: always"' if for_pdf else ""
        out.append(f"<h2{page}>How the tracks lean on each other</h2>")
        if not for_pdf:
            out.append(f"<p>{to_svg(*report.track_map, unit)}</p>")
        elif TRACK_MAP_IMAGE in images:  # Qt's rich text draws no SVG: the PDF writer renders it
            out.append(f'<p><img src="{e(images[TRACK_MAP_IMAGE])}" alt="Tracks and the links between them"/></p>')
        out += _html_table(("Track", "reads", "of track"), _link_rows(report))
    if report.walks:
        page_break = ' style="page-break-before: always"' if for_pdf else ""
        out.append(f"<h2{page_break}>Walk logs</h2>")
        for walk in report.walks:
            out.append(f"<h3>Walk of {e(walk.track)} started {e(walk.started)}</h3>")
            out += _html_table(("Time", "Node", "Note"),
                               [(s.time, s.label or s.node, s.note) for s in walk.steps])
    out.append("</body></html>")
    return "\n".join(out) + "\n"
