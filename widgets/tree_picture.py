"""Pictures of the trees (``branchwise export --format png|svg``, the report's images).

:class:`TreePicture` lays the tracks out once with
:func:`planning.engine.layout.layout_track` and turns them into a display list:
edges, node markers and texts in absolute pixels. The same list is painted
with ``QPainter`` (PNG, PDF) and written as plain SVG
(:class:`widgets.svg_writer.SvgDocument`), so both show the same picture.

Labels never cover one another, a node or an edge: every marker and edge is
marked as taken first, then each label (shallow levels first) gets the width
that is still free to its right, shortened with an ellipsis, or is left out
when too little is free (:class:`widgets.label_fit.FreeSpace`).
"""
from __future__ import annotations

from dataclasses import dataclass

from widgets import palette
from widgets.label_fit import Box, FreeSpace
from widgets.svg_writer import SvgDocument

# Geometry, in pixels at scale 1.
LEVEL = 210          # distance between depths
SIBLING = 40         # distance between neighbouring nodes
MARKER = 12          # node symbol size
MARGIN = 16
FAN = 26             # horizontal run of the diagonal from a parent's stem to a child
MAX_LEAF_LABEL = 420  # a leaf's label may run on past the next level when nothing is there
TRACK_HEADER = 34
LABEL_PX, INFO_PX, TITLE_PX = 11, 9, 15
#: Narrowest room in which a shortened label is still worth showing.
MIN_LABEL_ROOM = 40
#: Qt's DashLine pattern in multiples of the pen width: the same dashes in PNG and SVG.
DASH = (4.0, 2.0)


@dataclass
class Stroke:
    points: list[tuple[float, float]]
    color: str
    width: float
    dashed: bool = False


@dataclass
class Marker:
    kind: str
    x: float
    y: float


@dataclass
class Text:
    x: float
    baseline: float
    text: str
    px: int
    color: str
    box: Box
    role: str
    bold: bool = False
    node: str = ""


def _font(pixels: int, bold: bool = False):
    from PySide6.QtGui import QFont

    font = QFont("DejaVu Sans")
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


class TreePicture:
    """The trees of some tracks as a display list, stacked top to bottom (needs a Qt application)."""

    def __init__(self, plan, track_ids: list[str]):
        from PySide6.QtGui import QFontMetricsF

        self.plan = plan
        self.strokes: list[Stroke] = []
        self.markers: list[Marker] = []
        self.texts: list[Text] = []
        self.hidden: list[str] = []  # node ids whose label did not fit anywhere
        self._metrics = {px: QFontMetricsF(_font(px, bold)) for px, bold in
                         ((LABEL_PX, False), (INFO_PX, False), (TITLE_PX, True))}
        self.title = plan.title or "Branchwise plan"
        top = MARGIN
        right = 0.0
        for track_id in track_ids:
            top = self._track(plan.track(track_id), top)
        for text in self.texts:
            right = max(right, text.box[2])
        for marker in self.markers:
            right = max(right, marker.x + MARKER)
        self.width = int(right + MARGIN)
        self.height = int(top)

    # -- building ---------------------------------------------------------------------
    def _text(self, x: float, baseline: float, text: str, px: int, color: str, role: str,
              bold: bool = False, node: str = "") -> Text:
        metrics = self._metrics[px]
        box = (x, baseline - metrics.ascent(), x + metrics.horizontalAdvance(text), baseline + metrics.descent())
        item = Text(x, baseline, text, px, color, box, role, bold, node)
        self.texts.append(item)
        return item

    def _fit(self, free: FreeSpace, x: float, baseline: float, candidates: list[str], px: int, color: str,
             role: str, limit: float, node: str, elide: bool) -> bool:
        """Place the first candidate that fits the free room (the last one shortened if ``elide``)."""
        from PySide6.QtCore import Qt

        metrics = self._metrics[px]
        room = free.room(x, baseline - metrics.ascent(), baseline + metrics.descent(), limit)
        for text in candidates:
            if text and metrics.horizontalAdvance(text) <= room:
                break
        else:
            if not elide or room < MIN_LABEL_ROOM or not candidates[-1]:
                return False
            text = metrics.elidedText(candidates[-1], Qt.TextElideMode.ElideRight, room)
            if not text or text == "\u2026":
                return False
        free.add(self._text(x, baseline, text, px, color, role, node=node).box)
        return True

    def _track(self, track, top: float) -> float:
        from planning.engine.evaluate import evaluate_track
        from planning.engine.layout import layout_track

        plan = self.plan
        layout = layout_track(plan, track.root)
        try:
            result = evaluate_track(plan, track.id)
        except Exception:  # an invalid plan still draws: structure only
            result = None
        free = FreeSpace()
        free.add(self._text(MARGIN, top + 16, track.title or track.id, TITLE_PX, palette.TEXT, "track-title",
                            bold=True).box)
        origin_y = top + TRACK_HEADER
        xs = [MARGIN + MARKER + float(x) * LEVEL for x in layout.x]
        ys = [origin_y + float(y) * SIBLING for y in layout.y]
        ids = layout.ids
        kinds = [plan.nodes[i].kind for i in ids]
        chosen = set(result.policy.values()) if result is not None else set()
        h = MARKER / 2
        first_stroke = len(self.strokes)
        # edges: a grey stem out of each parent, then a short diagonal and a straight run into each child
        for i in range(len(ids)):
            if layout.child_count[i]:
                fan = xs[int(layout.child_start[i])] - FAN - 14
                self.strokes.append(Stroke([(xs[i] + h, ys[i]), (fan, ys[i])], palette.OPTION_EDGE, 1.5))
        for i, node_id in enumerate(ids):
            p = int(layout.parent[i])
            if p < 0:
                continue
            if kinds[p] == "chance":
                path = result.node_path[result.index[node_id]] if result is not None \
                    else (plan.nodes[node_id].path or "neutral")
                stroke = Stroke([], palette.PATH_COLORS.get(path, palette.NEUTRAL), 2.0)
            else:
                on_policy = node_id in chosen
                stroke = Stroke([], palette.OPTION_EDGE, 2.5 if on_policy else 1.2,
                                dashed=result is not None and not on_policy)
            stroke.points = [(xs[i] - FAN - 14, ys[p]), (xs[i] - 14, ys[i]), (xs[i] - h, ys[i])]
            self.strokes.append(stroke)
        for stroke in self.strokes[first_stroke:]:
            for (x1, y1), (x2, y2) in zip(stroke.points, stroke.points[1:]):
                free.add_segment(x1, y1, x2, y2, pad=stroke.width / 2 + 0.5)
        for i, node_id in enumerate(ids):
            self.markers.append(Marker(kinds[i], xs[i], ys[i]))
            free.add((xs[i] - h - 1, ys[i] - h - 1, xs[i] + h + 1, ys[i] + h + 1))
        # labels, shallow levels first (the decisions near the root matter most)
        for i in sorted(range(len(ids)), key=lambda k: (int(layout.depth[k]), ys[k])):
            node = plan.nodes[ids[i]]
            x = xs[i] + h + 3
            limit = LEVEL - 44 if layout.child_count[i] else MAX_LEAF_LABEL
            if not self._fit(free, x, ys[i] - 5, [node.label or node.id], LABEL_PX, palette.TEXT,
                             "node-label", limit, node.id, elide=True):
                self.hidden.append(node.id)
            info = self._info(node, result, layout, i)
            if info:
                self._fit(free, x, ys[i] + 11, info, INFO_PX, palette.TEXT_MUTED, "node-info", limit, node.id,
                          elide=False)
        ymax = max(ys) - origin_y if ys else 0.0
        return top + TRACK_HEADER + ymax + SIBLING + MARGIN

    def _info(self, node, result, layout, i) -> list[str]:
        """The small line under a node (probability of a branch and EV), then shorter forms of it."""
        from planning.sharing.report import number

        parts = []
        p = int(layout.parent[i])
        if p >= 0 and self.plan.nodes[layout.ids[p]].kind == "chance":
            if result is not None:
                parts.append(f"p {number(float(result.node_probability[result.index[node.id]]), 3)}")
            elif node.probability is not None:
                parts.append(f"p {str(node.probability)[:20]}")
        if result is not None and node.id in result.index:
            parts.append(f"EV {number(float(result.node_ev[result.index[node.id]]))}")
        if not parts:
            return []
        return [" \u00b7 ".join(parts), parts[-1]] if len(parts) > 1 else parts

    # -- output -----------------------------------------------------------------------
    def draw(self, painter, labels: bool = True) -> None:
        """Paint at scale 1 onto ``painter`` (already scaled by the caller)."""
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QBrush, QPainterPath, QPen, QPolygonF

        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.setRenderHint(painter.RenderHint.TextAntialiasing, True)
        painter.fillRect(QRectF(0, 0, self.width, self.height), palette.qcolor(palette.BACKGROUND))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in self.strokes:
            pen = QPen(palette.qcolor(stroke.color), stroke.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if stroke.dashed:
                pen.setDashPattern(list(DASH))
            path = QPainterPath(QPointF(*stroke.points[0]))
            for point in stroke.points[1:]:
                path.lineTo(QPointF(*point))
            painter.strokePath(path, pen)
        h = MARKER / 2
        painter.setPen(QPen(palette.qcolor(palette.NODE_OUTLINE), 1))
        for marker in self.markers:
            painter.setBrush(QBrush(palette.qcolor(palette.KIND_COLORS.get(marker.kind, palette.TERMINAL))))
            x, y = marker.x, marker.y
            if marker.kind == "decision":
                painter.drawRect(QRectF(x - h, y - h, MARKER, MARKER))
            elif marker.kind == "chance":
                painter.drawEllipse(QPointF(x, y), h, h)
            else:
                painter.drawPolygon(QPolygonF([QPointF(*p) for p in _triangle(x, y)]))
        for text in self.texts:
            if not labels and text.role != "track-title":
                continue
            painter.setFont(_font(text.px, text.bold))
            painter.setPen(palette.qcolor(text.color))
            painter.drawText(QPointF(text.x, text.baseline), text.text)

    def svg(self) -> SvgDocument:
        """The same picture as plain SVG."""
        doc = SvgDocument(self.width, self.height, self.title, "Branchwise contingency trees")
        doc.rect(0, 0, self.width, self.height, fill=palette.BACKGROUND, role="background")
        doc.open_group("edges")
        for stroke in self.strokes:
            dash = [d * stroke.width for d in DASH] if stroke.dashed else None
            doc.polyline(stroke.points, stroke.color, stroke.width, dash=dash, role="edge")
        doc.close_group()
        doc.open_group("nodes")
        h = MARKER / 2
        for marker in self.markers:
            fill = palette.KIND_COLORS.get(marker.kind, palette.TERMINAL)
            if marker.kind == "decision":
                doc.rect(marker.x - h, marker.y - h, MARKER, MARKER, fill=fill, stroke=palette.NODE_OUTLINE,
                         role="node")
            elif marker.kind == "chance":
                doc.circle(marker.x, marker.y, h, fill, palette.NODE_OUTLINE, role="node")
            else:
                doc.polygon(_triangle(marker.x, marker.y), fill, stroke=palette.NODE_OUTLINE, role="node")
        doc.close_group()
        doc.open_group("labels")
        for text in self.texts:
            doc.text(text.x, text.baseline, text.text, text.px, text.color, bold=text.bold, role=text.role)
        doc.close_group()
        return doc


def _triangle(x: float, y: float) -> list[tuple[float, float]]:
    h = MARKER / 2
    return [(x - h, y - h), (x + h, y), (x - h, y + h)]


__all__ = ["LEVEL", "MARKER", "SIBLING", "TreePicture"]
