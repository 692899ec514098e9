"""Node labels of the tree canvas: which ones to show, and a pool of TextItems.

Labels are the expensive part of drawing a big tree, so the canvas only
shows labels for nodes inside the view, at most ``LABEL_BUDGET`` of them,
and only where they do not collide: on each level, a label is placed only if
it is at least one label-extent (in pixels, across the level) away from the
labels already placed there. Candidates are taken by priority (the selected
node, then shallow levels, then nodes on the best policy, then the ones near
the middle of the view), so zooming out keeps the top of the tree labelled.
Text items are pooled and reused; their text is only re-set when it changes.
"""
from __future__ import annotations

import html
from bisect import bisect_left, insort

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

from planning.engine.layout import TreeLayout
from widgets import palette
from widgets.canvas_style import KNEE

#: Most labels shown at once, whatever the tree size.
LABEL_BUDGET = 150
#: Candidates examined per update at most (keeps a zoomed-out frame cheap).
MAX_EXAMINED = 4000
#: Widest label in pixels.
MAX_LABEL_WIDTH = 280
#: Narrowest room in which a label is still worth showing.
MIN_LABEL_ROOM = 44
LABEL_POINT_SIZE = 9
#: Margin inside a label's filled box, in pixels.
_MARGIN = 1.5
INFO_POINT_SIZE = 8


def label_anchors(layout: TreeLayout) -> tuple[np.ndarray, np.ndarray]:
    """Anchor of every node's label: the middle of the straight run of its edge."""
    x = layout.x.copy()
    y = layout.y.copy()
    has_parent = layout.parent >= 0
    p = layout.parent[has_parent]
    if layout.orientation == "lr":
        xk = layout.x[p] + KNEE * (layout.x[has_parent] - layout.x[p])
        x[has_parent] = (xk + layout.x[has_parent]) / 2.0
    else:
        yk = layout.y[p] + KNEE * (layout.y[has_parent] - layout.y[p])
        y[has_parent] = (yk + layout.y[has_parent]) / 2.0
    return x, y


def label_starts(layout: TreeLayout) -> np.ndarray:
    """Where each node's edge turns straight (its knee), along the depth axis.

    In "lr" a label starts there and may run to the next level's knee. The
    root (no edge) gets its own position.
    """
    along = layout.x if layout.orientation == "lr" else layout.y
    start = along.copy()
    has_parent = layout.parent >= 0
    p = layout.parent[has_parent]
    start[has_parent] = along[p] + KNEE * (along[has_parent] - along[p])
    return start


def gaps_before(layout: TreeLayout) -> np.ndarray:
    """Distance (view units, across the levels) from each node to the one
    before it on its level; infinite for the first node of a level.

    In "lr" a label sits above its node's edge: it never covers a
    neighbour's edge (or label) when it is no taller than this gap.
    """
    across = layout.y if layout.orientation == "lr" else layout.x
    gaps = np.full(len(layout.ids), np.inf)
    if len(gaps) > 1:
        same = layout.depth[1:] == layout.depth[:-1]
        gaps[1:][same] = across[1:][same] - across[:-1][same]
    return gaps


def level_bounds(layout: TreeLayout) -> np.ndarray:
    """Start index of each level in breadth-first order, then the node count."""
    bounds = np.flatnonzero(np.diff(layout.depth)) + 1
    return np.concatenate(([0], bounds, [len(layout.ids)])).astype(np.int64)


def free_after_leaf(layout: TreeLayout, levels: np.ndarray, i: int, before: float, after: float) -> bool:
    """True when no node of the next level lies from ``before`` ahead of leaf
    ``i`` to ``after`` past it (view units, across the levels): its label may
    then run on over the next level without meeting a label or an edge there.

    ``levels`` is :func:`level_bounds` of the layout.
    """
    depth = int(layout.depth[i])
    if depth + 2 >= len(levels):
        return True  # the deepest level: nothing beyond
    a, b = int(levels[depth + 1]), int(levels[depth + 2])
    across = layout.y if layout.orientation == "lr" else layout.x
    values = across[a:b]  # sorted: breadth-first order runs across each level in order
    centre = float(across[i])
    k = int(np.searchsorted(values, centre - before))
    return k >= len(values) or values[k] > centre + after


def choose_labels(
    layout: TreeLayout,
    anchor_x: np.ndarray,
    anchor_y: np.ndarray,
    view: tuple[float, float, float, float],
    pixel_size: tuple[float, float],
    across_extent_px: float,
    on_policy: np.ndarray | None = None,
    selected: int = -1,
    budget: int = LABEL_BUDGET,
    eligible: np.ndarray | None = None,
) -> list[int]:
    """Indices of the nodes whose labels fit, best first.

    Parameters
    ----------
    layout : TreeLayout
    anchor_x, anchor_y : numpy.ndarray
        Label anchors in view units (see :func:`label_anchors`).
    view : (xmin, ymin, xmax, ymax)
        Visible rectangle in view units.
    pixel_size : (float, float)
        View units per screen pixel along x and y.
    across_extent_px : float
        Space a label needs across its level (its height in "lr", its
        width in "tb").
    on_policy : numpy.ndarray of bool, optional
        Nodes on the best policy get their labels first.
    selected : int
        Index of the selected node (always first when visible), -1 for none.
    budget : int
        Most labels returned.
    eligible : numpy.ndarray of bool, optional
        Only these nodes may get a label (the selected one always may).
    """
    n = len(layout.ids)
    if n == 0 or budget <= 0:
        return []
    xmin, ymin, xmax, ymax = view
    in_view = (anchor_x >= xmin) & (anchor_x <= xmax) & (anchor_y >= ymin) & (anchor_y <= ymax)
    if eligible is not None:
        in_view &= eligible
        if 0 <= selected < n and anchor_x[selected] >= xmin and anchor_x[selected] <= xmax \
                and anchor_y[selected] >= ymin and anchor_y[selected] <= ymax:
            in_view[selected] = True
    inside = np.flatnonzero(in_view)
    if len(inside) == 0:
        return []
    across = anchor_y if layout.orientation == "lr" else anchor_x
    across_px = across / (pixel_size[1] if layout.orientation == "lr" else pixel_size[0])
    centre = (ymin + ymax) / 2 if layout.orientation == "lr" else (xmin + xmax) / 2
    off_centre = np.abs(across[inside] - centre)
    off_policy = ~on_policy[inside] if on_policy is not None else np.zeros(len(inside), bool)
    order = inside[np.lexsort((off_centre, off_policy, layout.depth[inside]))]
    if selected >= 0:
        order = np.concatenate(([selected], order[order != selected])) if selected in inside else order
    placed: dict[int, list[float]] = {}
    chosen: list[int] = []
    for i in order[:MAX_EXAMINED].tolist():
        level = placed.setdefault(int(layout.depth[i]), [])
        b = float(across_px[i])
        k = bisect_left(level, b)
        if k > 0 and b - level[k - 1] < across_extent_px:
            continue
        if k < len(level) and level[k] - b < across_extent_px:
            continue
        insort(level, b)
        chosen.append(i)
        if len(chosen) >= budget:
            break
    return chosen


class LabelPool:
    """A fixed pool of ``pg.TextItem`` labels in one ViewBox."""

    def __init__(self, view_box: pg.ViewBox, size: int = LABEL_BUDGET):
        self.view_box = view_box
        self.label_font = QFont()
        self.label_font.setPointSize(LABEL_POINT_SIZE)
        self.info_font = QFont()
        self.info_font.setPointSize(INFO_POINT_SIZE)
        self.label_metrics = QFontMetrics(self.label_font)
        self.info_metrics = QFontMetrics(self.info_font)
        self.items: list[pg.TextItem] = []
        self._keys: list[object] = []
        self.size = size
        self.shown = 0

    def block_height(self, label_lines: int = 1) -> float:
        """Pixel height of a label block: ``label_lines`` of label, one of figures."""
        return label_lines * self.label_metrics.height() + self.info_metrics.height() + 2 * _MARGIN + 1

    def wrap(self, text: str, width: float, max_lines: int) -> list[str]:
        """Word-wrap ``text`` to ``width`` pixels, at most ``max_lines``; the last is elided."""
        from PySide6.QtCore import Qt

        metrics = self.label_metrics
        words = text.split()
        lines: list[str] = []
        while words and len(lines) < max_lines - 1:
            line = words.pop(0)
            while words and metrics.horizontalAdvance(line + " " + words[0]) <= width:
                line += " " + words.pop(0)
            if metrics.horizontalAdvance(line) > width:
                # One word wider than the room: cut it here, go on with the rest.
                words.insert(0, line)
                break
            lines.append(line)
        if words:
            lines.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, int(width)))
        return lines or [""]

    def _item(self, k: int) -> pg.TextItem:
        while len(self.items) <= k:
            item = pg.TextItem(anchor=(0.5, 1.0), fill=pg.mkBrush(palette.qcolor(palette.LABEL_BACKGROUND)))
            item.setFont(self.label_font)
            # A thin margin: the filled box is what may cover a neighbour's edge.
            item.textItem.document().setDocumentMargin(_MARGIN)
            item.setZValue(20)
            item.hide()
            self.view_box.addItem(item, ignoreBounds=True)
            self.items.append(item)
            self._keys.append(None)
        return self.items[k]

    def restyle(self) -> None:
        """Take the current scheme's label page and text colours (the html is made again)."""
        fill = pg.mkBrush(palette.qcolor(palette.LABEL_BACKGROUND))
        for k, item in enumerate(self.items):
            item.fill = fill
            self._keys[k] = None
            item.update()

    def html_for(self, label: str, info: str, width: float, label_lines: int = 1) -> str:
        """Escaped HTML: the label wrapped to ``label_lines``, then the figures.

        Every line fits ``width`` pixels (elided with an ellipsis).
        """
        return self.block(label, info, width, label_lines)[0]

    def block(self, label: str, info: str, width: float, label_lines: int = 1) -> tuple[str, float]:
        """``(html, pixel width)`` of a label block (see :meth:`html_for`)."""
        from PySide6.QtCore import Qt

        lines = self.wrap(label, width, label_lines)
        info = self.info_metrics.elidedText(info, Qt.TextElideMode.ElideRight, int(width))
        used = max([self.label_metrics.horizontalAdvance(line) for line in lines]
                   + [self.info_metrics.horizontalAdvance(info)])
        text = "<br>".join(
            f'<span style="color:{palette.TEXT}">{html.escape(line)}</span>' for line in lines
        )
        if info:
            info_html = html.escape(info).replace("  ", "&nbsp;&nbsp;")
            text += (
                f'<br><span style="color:{palette.TEXT_MUTED}; '
                f'font-size:{INFO_POINT_SIZE}pt">{info_html}</span>'
            )
        return text, float(used)

    def show(self, entries: list[tuple[float, float, tuple[float, float], str]]) -> None:
        """Show ``(x, y, anchor, html)`` entries; hide the rest of the pool."""
        for k, (x, y, anchor, text) in enumerate(entries[: self.size]):
            item = self._item(k)
            key = (text, anchor)
            if self._keys[k] != key:
                item.setHtml(text)
                item.setAnchor(anchor)
                self._keys[k] = key
            item.setPos(x, y)
            if not item.isVisible():
                item.show()
        count = min(len(entries), self.size)
        for k in range(count, self.shown):
            self.items[k].hide()
        self.shown = count
        # Follow the view's transform now (the canvas brought it up to date):
        # done in the paint instead, every label moves and a second paint follows.
        for item in self.items[:count]:
            item.updateTransform()

    def texts(self) -> list[str]:
        """Plain text of the labels shown (for tests and accessibility)."""
        return [self.items[k].textItem.toPlainText() for k in range(self.shown)]
