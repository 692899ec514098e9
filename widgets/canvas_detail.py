"""The tree canvas's level of detail: which nodes and edges are handed to Qt.

A mixin of :class:`widgets.tree_canvas.TreeCanvas` (it uses the canvas's
view box, items and position arrays); the numpy work is in
:mod:`widgets.canvas_cull`. Cuts are redone only when the view leaves the
region cut last time, or zooms in enough to show detail that was merged.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from widgets.canvas_cull import ANTIALIAS_MAX, clip_segments, drawn_edges, drawn_points
from widgets.canvas_scatter import set_styled_points
from widgets.canvas_style import NODE_SIZE, SPACING


class LevelOfDetail:
    """Culling, one-per-pixel thinning and marker scaling for the canvas."""

    def _cut_still_good(self, cut, drawn_at: tuple[float, float], rect: QRectF, exact: bool) -> bool:
        """Whether the last cut still serves this view (see widgets/canvas_cull.py)."""
        if cut is None:
            return False
        if cut == "all":
            return exact or self._same_detail(drawn_at)
        xmin, ymin, xmax, ymax = cut
        inside = xmin <= rect.left() and rect.right() <= xmax and ymin <= rect.top() and rect.bottom() <= ymax
        return inside and rect.width() * 4 > xmax - xmin and (exact or self._same_detail(drawn_at))

    def _same_detail(self, drawn_at: tuple[float, float]) -> bool:
        """Not zoomed in much since one-per-pixel decimation was done at ``drawn_at``."""
        px, py = self.view_box.viewPixelSize()
        return px * 1.5 > drawn_at[0] and py * 1.5 > drawn_at[1]

    def _cull_points(self) -> None:
        """Nodes and badges near the view, one per pixel, on big trees (as for the edges).

        pyqtgraph tests every point against the view on each paint; with
        100,000 nodes that alone is most of a frame.
        """
        if self._node_points is None:
            return
        rect = self.view_box.viewRect()
        scale = self._marker_scale()
        if scale == self._marker_scale_drawn and self._cut_still_good(
                self._nodes_cut_to, self._nodes_cut_at, rect, self._nodes_exact):
            return  # everything is drawn already, or the last cut still covers the view
        cut = self._new_cut(len(self._node_points[0]), rect)
        px, py = self.view_box.viewPixelSize()
        self._marker_scale_drawn = scale
        self._nodes_exact = True
        for item, (x, y, codes, data, styles) in ((self.node_item, self._node_points),
                                                  (self.badge_item, self._badge_points)):
            if scale < 0.5:  # outlines would hide the fill colour of tiny markers
                styles = [(sym, size * scale, self._pen_none, brush) for sym, size, _pen, brush in styles]
            else:
                styles = [(sym, size * scale, pen, brush) for sym, size, pen, brush in styles]
            if item is self.badge_item and scale < 0.5:
                keep = np.zeros(0, dtype=np.int64)  # too small to tell apart: no badges
            else:
                keep, thinned = drawn_points(x, y, codes, None if cut == "all" else cut, px, py)
                self._nodes_exact &= not thinned
            if keep is not None:
                x, y, codes = x[keep], y[keep], codes[keep]
                data = data[keep] if data is not None else None
            set_styled_points(item, x, y, codes, styles, data=data)
        self._nodes_cut_to, self._nodes_cut_at = cut, (px, py)

    def _marker_scale(self) -> float:
        """Shrink the markers when zoomed out so that neighbours do not smear together."""
        px, py = self.view_box.viewPixelSize()
        unit = SPACING[self.orientation][0] / ((py if self.orientation == "lr" else px) or 1.0)
        return float(np.clip(round(unit / (NODE_SIZE * 1.5), 1), 0.2, 1.0))

    def _cull_edges(self) -> None:
        """Give the edge curves only the edges near the view, one per pixel, on big trees."""
        rect = self.view_box.viewRect()
        if self._cut_still_good(self._edges_cut_to, self._edges_cut_at, rect, self._edges_exact):
            return  # still inside the region cut last time, at a similar zoom
        cut = self._new_cut(sum(len(x) for x, _y in self._edge_points.values()), rect)
        px, py = self.view_box.viewPixelSize()
        chosen, self._edges_exact = {}, True
        for key, (x, y) in self._edge_points.items():
            rows, thinned = drawn_edges(x, y, None if cut == "all" else cut, px, py, self._edge_bounds[key])
            chosen[key] = rows
            self._edges_exact &= not thinned
        smooth = sum(len(rows) for rows in chosen.values()) <= ANTIALIAS_MAX
        for key, (x, y) in self._edge_points.items():
            item = self.edge_items[key]
            if item.opts["antialias"] != smooth:  # a dense texture: plain lines cost a tenth
                item.opts["antialias"] = smooth
                item.setPen(self._edge_pens[key][0 if smooth else 1])
            rows = chosen[key]
            if cut == "all":
                item.setData(x[rows].ravel(), y[rows].ravel())
            else:
                item.setData(*clip_segments(x[rows].ravel(), y[rows].ravel(), cut))
        self._edges_cut_to, self._edges_cut_at = cut, (px, py)
