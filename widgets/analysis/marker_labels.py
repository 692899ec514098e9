"""Labels of vertical marker lines (mean, P5 / P50 / P95, thresholds) that never overlap.

pyqtgraph's own line labels sit at a fixed fraction of the plot's height:
two lines close together ("mean 14.6" and "P50 10.0") draw their labels over
each other, and a label near the top is cut by the plot's edge.
:class:`MarkerLabels` places the labels itself, in pixels, each time the plot
is laid out or its range changes: most important first, each in the highest
row where it meets no label already placed, right of its line (left of it
when the right runs out of the plot); a label with no free row left in the
top part of the plot is hidden rather than drawn over another.

:func:`room_for_value_labels` does the same for the value written at the end
of each horizontal bar ("24.0", "75%"): the x range is widened, in pixels,
so the longest label ends inside the plot instead of being cut at its edge.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg

#: Pixels between a line and its label, and between two labels in a row.
GAP = 4
#: Labels use rows in this top share of the plot's height at most (the rest is the data's).
ROOM = 0.45


@dataclass
class _Label:
    x: float
    item: pg.TextItem


class MarkerLabels:
    """Place the labels of vertical lines of ``plot`` so no two overlap and all stay inside.

    Parameters
    ----------
    plot : PlotItem
    markers : list of (x, text, colour)
        Most important first: when there is no room, the last ones are hidden.
    fill : QColor, optional
        Background of each label (so a bar or grid line behind stays readable).
    data_top : float, optional
        The highest data value (y) from 0: the y range is then kept so the
        data ends below the rows of labels, which never cover a bar.
    bottom : bool
        Rows from the bottom of the plot up (where a rising curve leaves room).
    """

    def __init__(self, plot: pg.PlotItem, markers: list[tuple[float, str, object]], fill=None,
                 data_top: float | None = None, bottom: bool = False) -> None:
        self.plot = plot
        self.data_top = data_top
        self.bottom = bottom
        self.labels: list[_Label] = []
        for x, text, colour in markers:
            item = pg.TextItem(text, color=colour, anchor=(0, 0), fill=fill)
            item.setZValue(20)
            plot.addItem(item, ignoreBounds=True)
            self.labels.append(_Label(float(x), item))
        self._placing = False
        view = plot.getViewBox()
        view.sigResized.connect(self.place)
        view.sigRangeChanged.connect(self.place)
        plot._marker_labels = getattr(plot, "_marker_labels", []) + [self]  # kept alive with the plot
        self.place()

    def items(self) -> list[pg.TextItem]:
        return [label.item for label in self.labels]

    def place(self, *_args) -> None:
        """Put every label in the first free row, or hide it (called on resize and range changes)."""
        if self._placing:
            self._again = True  # the range moved while placing: place once more afterwards
            return
        self._placing = True
        try:
            for _ in range(3):
                self._again = False
                used = self._place()
                if not self._again:
                    break
            if self.data_top is not None and used is not None:
                # the data's top a few pixels under the lowest row of labels
                view = self.plot.getViewBox()
                height = view.height()
                top = self.data_top * height / max(height - used - 6, height * (1 - ROOM) - 6, 1.0)
                if abs(view.viewRange()[1][1] - top) > 1e-6 * max(abs(top), 1e-12):
                    view.setYRange(0, top, padding=0)
                    self._place()
        finally:
            self._placing = False

    def _place(self) -> float | None:
        """Place the labels; the pixels their rows take from the top (None before the plot is laid out)."""
        view = self.plot.getViewBox()
        if getattr(view, "_matrixNeedsUpdate", False):
            view.updateMatrix()  # pyqtgraph waits for the next paint: an export or a test may come first
        rect = view.viewRect()
        width, height = view.width(), view.height()
        if width <= 1 or height <= 1 or rect.width() <= 0 or rect.height() <= 0:
            return None
        bottom = 0.0
        sx, sy = width / rect.width(), height / rect.height()
        rows: list[list[tuple[float, float]]] = []
        for label in self.labels:
            box = label.item.textItem.boundingRect()
            w, h = box.width(), box.height()
            line = (label.x - rect.left()) * sx
            if not 0 <= line <= width or w > width:
                label.item.hide()  # its line is outside the plot: no label either
                continue
            right = (line + GAP, line + GAP + w)
            left = (line - GAP - w, line - GAP)
            sides = [s for s in (right, left) if s[0] >= 0 and s[1] <= width]
            if not sides:  # wider than either side: as far in as the plot allows
                start = min(max(line - w / 2, 0.0), width - w)
                sides = [(start, start + w)]
            max_rows = max(1, int(height * ROOM // (h + 1)))
            spot = None
            for row in range(max_rows):
                taken = rows[row] if row < len(rows) else []
                for x0, x1 in sides:
                    if all(x1 + GAP <= a or x0 >= b + GAP for a, b in taken):
                        spot = (row, x0, x1)
                        break
                if spot is not None:
                    break
            if spot is None:
                label.item.hide()  # no free row: the lesser label goes, never drawn over another
                continue
            row, x0, x1 = spot
            while len(rows) <= row:
                rows.append([])
            rows[row].append((x0, x1))
            top = height - 2 - (row + 1) * (h + 1) if self.bottom else 2 + row * (h + 1)
            label.item.setPos(rect.left() + x0 / sx, rect.bottom() - top / sy)
            label.item.show()
            label.item.updateTransform(force=True)  # pixel-sized now, not at the next paint (export, tests)
            bottom = max(bottom, top + h)
        return bottom


def room_for_value_labels(plot: pg.PlotItem, labels: list[tuple[float, pg.TextItem]], high: float,
                          rows: tuple[float, float] | None = None) -> None:
    """Keep the ranges of ``plot`` wide enough that each bar's value label lies inside it.

    ``labels`` are (bar end, text item anchored left of its position and
    centred on its row); the x range runs from 0 to at least ``high``, the y
    range (``rows``: low, high) grows so the top and bottom labels are not cut
    either. Run again whenever the plot is resized: the room a label needs is
    in pixels, the ranges in data units.
    """
    view = plot.getViewBox()

    def fit(*_args) -> None:
        width, height = view.width(), view.height()
        if width <= 1 or height <= 1:
            return
        right = high
        for end, item in labels:
            need = item.textItem.boundingRect().width() + GAP + 2
            if end > 0 and width > need:
                right = max(right, end * width / (width - need))
        if abs(view.viewRange()[0][1] - right) > 1e-9 * max(abs(right), 1.0) or view.viewRange()[0][0] != 0:
            view.setXRange(0, right, padding=0)
        if rows is None or not labels:
            return
        half = max(item.textItem.boundingRect().height() for _, item in labels) / 2
        ys = [item.pos().y() for _, item in labels]
        low, top = rows
        for _ in range(3):  # the room in data units depends on the range itself
            per_px = (top - low) / height
            low, top = min(rows[0], min(ys) - half * per_px), max(rows[1], max(ys) + half * per_px)
        if view.viewRange()[1] != [low, top]:
            view.setYRange(low, top, padding=0)

    view.sigResized.connect(fit)
    plot._value_room = fit  # kept alive with the plot
    fit()


def room_above_bars(plot: pg.PlotItem, labels: list[tuple[float, pg.TextItem]], top: float) -> None:
    """Keep the y range (from 0) tall enough that the label above each vertical bar stays inside.

    ``labels`` are (bar top, text item anchored at its bottom centre); the
    range reaches at least ``top``. Run again on resize (the room is in pixels).
    """
    view = plot.getViewBox()

    def fit(*_args) -> None:
        height = view.height()
        if height <= 1:
            return
        high = top
        for end, item in labels:
            need = item.textItem.boundingRect().height() + 2
            if end > 0 and height > need:
                high = max(high, end * height / (height - need))
        if abs(view.viewRange()[1][1] - high) > 1e-9 * max(abs(high), 1.0) or view.viewRange()[1][0] != 0:
            view.setYRange(0, high, padding=0)

    view.sigResized.connect(fit)
    plot._bar_room = fit  # kept alive with the plot
    fit()


__all__ = ["MarkerLabels", "room_above_bars", "room_for_value_labels"]
