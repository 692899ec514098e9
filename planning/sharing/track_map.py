"""The plan's map: tracks as a small graph, an arrow per link (DESIGN "Linked tracks").

One description serves the Tracks dock, the HTML/PDF report and
``branchwise export --format dot --level tracks``: each track with its EV and
failure readiness (or why it cannot be evaluated), each arrow from the track
read to the track that reads it, labelled with what is read. Positions come
from networkx: read tracks to the left of their readers (topological
generations), tracks in plan order within a column.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from planning.engine import links
from planning.model.errors import PlanError
from planning.model.plan import Plan


@dataclass
class TrackBox:
    """One track on the map."""

    id: str
    title: str
    x: float
    y: float
    ev: float | None = None
    failure_readiness: float | None = None
    p_failure: float | None = None
    given: str | None = None  # the node that happened in it, when conditioned
    error: str | None = None  # why it cannot be evaluated


@dataclass
class LinkArrow:
    """An arrow from the track read to the track that reads it."""

    read: str
    reader: str
    label: str  # "p_success, reach “Freeze verified”"
    links: list = field(default_factory=list)


def _label_of(plan: Plan, link: links.Link) -> str:
    if link.function != "reach":
        return link.function
    node = plan.nodes.get(link.argument)
    label = " ".join(node.label.split()) if node is not None and node.label else link.argument
    if len(label) > 28:
        label = label[:27].rstrip() + "…"
    return f"reach “{label}”"


def track_map(plan: Plan, given: Iterable[str] = (), figures: bool = True) -> tuple[list[TrackBox], list[LinkArrow]]:
    """The tracks with positions and figures, and the arrows between them.

    ``given`` conditions every figure as ``evaluate --given`` does;
    ``figures=False`` skips the evaluation (layout only).
    """
    found = links.find_links(plan)
    graph = links.dependency_graph(plan, found)
    order = {track.id: i for i, track in enumerate(plan.tracks)}
    try:
        generations = [sorted(g, key=order.__getitem__) for g in nx.topological_generations(graph)]
    except nx.NetworkXUnfeasible:  # a circle: one column in plan order (validation says why)
        generations = [[track.id for track in plan.tracks]]
    boxes: dict[str, TrackBox] = {}
    row: dict[str, float] = {}
    for x, generation in enumerate(generations):
        if x:  # readers level with what they read (fewer crossing arrows), then plan order
            generation.sort(key=lambda t: (sum(row.get(r, 0.0) for r in graph.predecessors(t))
                                           / max(1, graph.in_degree(t)), order[t]))
        for y, track_id in enumerate(generation):
            row[track_id] = float(y)
            track = next(t for t in plan.tracks if t.id == track_id)
            boxes[track_id] = TrackBox(track_id, track.title or track_id, float(x), float(y))
    if figures:
        _fill_figures(plan, boxes, list(given))
    arrows = []
    for read, reader, data in graph.edges(data=True):
        labels = list(dict.fromkeys(_label_of(plan, link) for link in data["links"]))
        arrows.append(LinkArrow(read, reader, ", ".join(labels), list(data["links"])))
    arrows.sort(key=lambda a: (order[a.read], order[a.reader]))
    return [boxes[t.id] for t in plan.tracks if t.id in boxes], arrows


def _fill_figures(plan: Plan, boxes: dict[str, TrackBox], given: list[str]) -> None:
    try:
        with links.conditioned(plan, given) as chosen:
            for track in plan.tracks:
                box = boxes.get(track.id)
                if box is None:
                    continue
                box.given = chosen.get(track.id)
                try:
                    result = links._result_of(plan, track.id)
                except PlanError as exc:
                    box.error = str(exc)
                    continue
                seen = links.read_as(plan, result)
                box.ev = result.ev
                box.failure_readiness = result.failure_readiness
                box.p_failure = seen["p_failure"]
    except PlanError as exc:  # a given node that cannot happen
        for box in boxes.values():
            box.error = box.error or str(exc)


def _number(value: float) -> str:
    return f"{value:.4g}"


def box_text(box: TrackBox, unit: str = "") -> str:
    """Two lines a planner reads: the title, then EV and failure readiness."""
    if box.error is not None:
        return f"{box.title}\ncannot be evaluated"
    u = f" {unit}" if unit else ""
    return f"{box.title}\nEV {_number(box.ev)}{u} · failure readiness {box.failure_readiness:.0%}"


def to_tracks_dot(plan: Plan, given: Iterable[str] = ()) -> str:
    """The map as a Graphviz digraph: a box per track, an arrow per link, left to right."""
    from planning.files.exports import dot_string

    boxes, arrows = track_map(plan, given)
    lines = ["digraph tracks {", "  rankdir=LR;", f"  label={dot_string(plan.title)};",
             '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=9];']
    for box in boxes:
        lines.append(f"  {dot_string(box.id)} [label={dot_string(box_text(box, plan.value_unit))}];")
    for arrow in arrows:
        lines.append(f"  {dot_string(arrow.read)} -> {dot_string(arrow.reader)} [label={dot_string(arrow.label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


__all__ = ["LinkArrow", "TrackBox", "box_text", "to_tracks_dot", "track_map"]


# -- a picture for the HTML report (no Qt) -------------------------------------------

BOX_WIDTH, BOX_HEIGHT, COLUMN_GAP, ROW_GAP = 300, 46, 130, 22


def to_svg(boxes: list[TrackBox], arrows: list[LinkArrow], unit: str = "") -> str:
    """The map as an SVG element: a box per track, an arrow per link with what is read."""
    from html import escape

    if not boxes:
        return ""
    place = {b.id: (10 + b.x * (BOX_WIDTH + COLUMN_GAP), 10 + b.y * (BOX_HEIGHT + ROW_GAP)) for b in boxes}
    width = int(max(x for x, _ in place.values()) + BOX_WIDTH + 20)
    height = int(max(y for _, y in place.values()) + BOX_HEIGHT + 20)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Tracks and the links between them" '
           'font-family="Helvetica, Arial, sans-serif" font-size="11">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
           'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#37474f"/>'
           '</marker></defs>']
    for arrow in arrows:
        (x1, y1), (x2, y2) = place[arrow.read], place[arrow.reader]
        sx, sy = x1 + BOX_WIDTH, y1 + BOX_HEIGHT / 2
        ex, ey = x2, y2 + BOX_HEIGHT / 2
        if x2 <= x1:  # same column (tracks in a circle): go round the right side
            ex = x2 + BOX_WIDTH
        out.append(f'<line x1="{sx:.0f}" y1="{sy:.0f}" x2="{ex:.0f}" y2="{ey:.0f}" stroke="#37474f" '
                   'stroke-width="1.5" marker-end="url(#arrow)"/>')
        out.append(f'<text x="{sx + 0.5 * (ex - sx):.0f}" y="{sy + 0.5 * (ey - sy) - 5:.0f}" text-anchor="middle" '
                   f'fill="#37474f">{escape(arrow.label)}</text>')
    for box in boxes:
        x, y = place[box.id]
        title, figures = box_text(box, unit).split("\n", 1)
        if len(title) > 46:
            title = title[:45].rstrip() + "…"
        colour = "#c62828" if box.error else "#1565c0"
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" '
                   f'fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>')
        out.append(f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" font-weight="bold">{escape(title)}</text>')
        out.append(f'<text x="{x + 8:.0f}" y="{y + 36:.0f}">{escape(figures)}</text>')
    out.append("</svg>")
    return "".join(out)
