"""Make a drawn figure fit the width of its dock instead of running past it.

A pyqtgraph figure cannot be narrower than its widest row: a legend laid out
in five columns or a long plot title makes the figure wider than a dock
beside the canvas on a 1280-px screen, and the view then shows only its left
part (plots and legends cut at the dock's edge). :func:`fit_width` lays such
legends out in fewer columns and shortens titles (with "…", the full title
in the export and the tooltip) until the figure fits. It remembers the
original texts, so a wider dock gets them back.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer

from widgets.analysis.plot_export import ExportButton

_MIN = Qt.SizeHint.MinimumSize
#: Titles are never cut shorter than this many characters.
MIN_TITLE_CHARS = 12


def _needed(figure: pg.GraphicsLayoutWidget) -> float:
    """The figure's minimum width as laid out now."""
    layout = figure.ci.layout
    layout.invalidate()
    return figure.ci.effectiveSizeHint(_MIN).width()


def _items(figure: pg.GraphicsLayoutWidget):
    return list(figure.ci.items)


def _restore(figure: pg.GraphicsLayoutWidget) -> None:
    for item in _items(figure):
        if isinstance(item, pg.LegendItem) and hasattr(item, "_fit_columns"):
            item.setColumnCount(item._fit_columns)
        elif isinstance(item, pg.PlotItem):
            title = item.titleLabel
            full = getattr(title, "_fit_text", None)
            if full is not None and title.text != full:
                title.setText(full)
            axis = item.getAxis("left")
            full = getattr(axis, "_fit_label", None)
            if full is not None and axis.labelText != full:
                axis.setLabel(full)


def _cut_axis_label(plot: pg.PlotItem) -> None:
    """Shorten the left axis title with "…" until it is no longer than the plot is tall.

    Qt draws it rotated, centred on the axis: a longer one ran past the plot's
    top over the legend or the plot above.
    """
    axis = plot.getAxis("left")
    if not axis.isVisible() or not getattr(axis, "showLabel", True) or not axis.labelText:
        return
    room = plot.vb.height()
    if room <= 1:
        return
    full = getattr(axis, "_fit_label", None)
    if full is None:
        axis._fit_label = full = axis.labelText
    while axis.label.boundingRect().width() > room:
        current = axis.labelText[:-1] if axis.labelText.endswith("…") else axis.labelText
        if len(current) <= 4:
            return
        axis.setLabel(current[:max(4, int(len(current) * 0.85))].rstrip(" ,:;(—-") + "…")
        axis.label.setToolTip(full)


def _cut_title(plot: pg.PlotItem, room: float) -> None:
    """Shorten the plot's title with "…" until it is no wider than ``room``."""
    title = plot.titleLabel
    if not title.isVisible() or not title.text:
        return
    full = getattr(title, "_fit_text", None)
    if full is None:
        title._fit_text = full = title.text
    while title.effectiveSizeHint(_MIN).width() > room:
        current = title.text[:-1] if title.text.endswith("…") else title.text
        if len(current) <= MIN_TITLE_CHARS:
            return
        keep = max(MIN_TITLE_CHARS, int(len(current) * 0.85))
        title.setText(current[:keep].rstrip(" ,:;—-") + "…")
        title.setToolTip(full)


def fit_width(figure: pg.GraphicsLayoutWidget, width: float | None = None) -> bool:
    """Shrink legends and titles of ``figure`` that are wider than their room.

    A legend gets fewer columns until it is no wider than ``width`` (default:
    the figure's own width); a plot's title is shortened to its share of the
    width (plots side by side share it). Returns True when the figure fits
    (it may not, when its axes alone are wider).
    """
    width = float(figure.width() if width is None else width)
    if width <= 0:
        return True
    _restore(figure)
    room = width - 20  # the figure's margins (8 + 12)
    layout = figure.ci.layout
    columns = max(1, layout.columnCount())
    for item in _items(figure):
        if isinstance(item, pg.LegendItem):
            while item.columnCount > 1 and item.effectiveSizeHint(_MIN).width() > room:
                if not hasattr(item, "_fit_columns"):
                    item._fit_columns = item.columnCount
                item.setColumnCount(item.columnCount - 1)
        elif isinstance(item, pg.PlotItem):
            share = room / columns - 14 * (columns - 1) / columns
            # The title spans the plot's axes too (plot_export.style_plot).
            _cut_title(item, share)
    fits = _needed(figure) <= width
    # The view sized its central item while it was wider than the view (an item is
    # never smaller than its minimum): size it again now that it can be narrower.
    figure.ci.setGeometry(figure.range)
    # Now the plots have their heights: vertical axis titles no taller than their plot.
    for item in _items(figure):
        if isinstance(item, pg.PlotItem):
            _cut_axis_label(item)
    return fits


def restore(figure: pg.GraphicsLayoutWidget) -> None:
    """Give ``figure`` back its full titles and legend columns (before an export)."""
    _restore(figure)


class _FitOnResize(QObject):
    """Fit a figure again whenever it is resized (a tab shown, a dock dragged taller)."""

    def __init__(self, figure: pg.GraphicsLayoutWidget) -> None:
        super().__init__(figure)
        self._figure = figure
        self._pending = False
        figure.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._fit)  # after pyqtgraph has laid the figure out at its new size
        return False

    def _fit(self) -> None:
        self._pending = False
        figure = self._figure
        if figure.isVisible() and any(isinstance(i, pg.PlotItem) for i in _items(figure)):
            fit_width(figure)


def fit_on_resize(figure: pg.GraphicsLayoutWidget) -> None:
    """Keep ``figure`` fitted to its own size: titles to its width, axis titles to its plots' heights."""
    figure._fit_on_resize = _FitOnResize(figure)


class FittedExportButton(ExportButton):
    """Export with the full titles and legends, then fit the figure to its dock again."""

    def __init__(self, source, refit, parent=None):
        super().__init__(source, parent)
        self._refit = refit

    def prepare(self, figure) -> None:
        if figure is not None:
            restore(figure)

    def ask_and_export(self, fmt: str) -> str | None:
        try:
            return super().ask_and_export(fmt)
        finally:
            self._refit()


__all__ = ["FittedExportButton", "fit_on_resize", "fit_width", "restore"]
