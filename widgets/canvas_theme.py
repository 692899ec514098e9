"""The tree canvas's colours: pens and brushes from :mod:`widgets.palette`, remade on a scheme change.

A mixin of :class:`widgets.tree_canvas.TreeCanvas`, apart so that the canvas
module keeps to drawing. ``_make_pens`` is called once at construction and
again by ``apply_theme`` when ``palette.notifier().changed`` fires; the items
then get the new pens and everything is pushed again (no new layout).
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from widgets import palette
from widgets.canvas_style import BADGES, EDGE_STYLES

#: Palette entry of each edge style (read when pens are made: it follows the scheme).
EDGE_COLOUR_NAMES = {"option": "OPTION_EDGE", "neutral": "NEUTRAL", "success": "SUCCESS", "failure": "FAILURE"}


class CanvasTheme:
    """Pens, brushes and background of the canvas for the current colour scheme."""

    def _make_pens(self) -> None:
        self._edge_pens = {}
        for bold in (False, True):
            for name in EDGE_STYLES:
                colour = palette.qcolor(getattr(palette, EDGE_COLOUR_NAMES[name]))
                pen = pg.mkPen(colour, width=3.6 if bold else 1.3)
                # Round caps make Qt's stroker ~100x slower on big paths; square
                # caps close the notch at each edge's knee and stay fast.
                pen.setCapStyle(Qt.PenCapStyle.SquareCap if bold else Qt.PenCapStyle.FlatCap)
                dense = pg.mkPen(colour, width=3 if bold else 1)
                dense.setCapStyle(Qt.PenCapStyle.FlatCap)
                self._edge_pens[(name, bold)] = (pen, dense)
        self._pen_plain = pg.mkPen(palette.qcolor(palette.NODE_OUTLINE), width=1)
        self._pen_none = pg.mkPen(None)
        self._pen_selected = pg.mkPen(palette.qcolor(palette.SELECTION), width=3)
        self._pen_collapse = pg.mkPen(palette.qcolor(palette.ON_NODE), width=2)
        self._brushes = [pg.mkBrush(palette.qcolor(c)) for c in
                         (palette.DECISION, palette.CHANCE, palette.TERMINAL)]
        self._badge_brushes = [pg.mkBrush(palette.qcolor(palette.BADGE_COLORS[b])) for b in BADGES]
        self._badge_pens = [pg.mkPen(palette.qcolor(palette.BADGE_COLORS[b]), width=2)
                            if b == "late" else pg.mkPen(palette.qcolor(palette.BADGE_RING), width=1)
                            for b in BADGES]

    def apply_theme(self) -> None:
        """Redraw in the current scheme: background, edges, nodes, badges, labels."""
        if getattr(self, "closed", False):
            return
        self._make_pens()
        self.setBackground(palette.qcolor(palette.BACKGROUND))
        for key, item in self.edge_items.items():
            item.setPen(self._edge_pens[key][0])
        self.node_item.setPen(self._pen_plain)
        self.selection_item.setPen(self._pen_selected)
        self.collapse_item.setPen(self._pen_collapse)
        self.labels.restyle()
        if self.layout_data is not None:
            self._draw_edges_and_nodes(geometry_changed=True)
            self.update_labels()
        self.viewport().update()
