"""Plot styling shared by the analysis figures, and their export to PNG, SVG and CSV.

A *figure* is a ``pyqtgraph.GraphicsLayoutWidget`` holding one or more
plots; the draw functions of the views fill one and return a
:class:`FigureData` (the numbers behind the picture, for CSV). The GUI and
``branchwise plot`` use the same draw functions, so a headless PNG is the
picture the planner sees.
"""
from __future__ import annotations

import contextlib
import csv
import os
from numpy import arange as np_arange
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget  # noqa: E402

from widgets import palette  # noqa: E402
from widgets.i18n import translate  # noqa: E402

#: Size of a figure exported headless (pixels) when none is asked for.
EXPORT_SIZE = (1000, 620)
TITLE_SIZE = "11pt"
TITLE_HEIGHT = 24
LABEL_SIZE = "10pt"
TICK_POINT_SIZE = 9
#: Longest tick label before it is cut with an ellipsis.
MAX_LABEL_CHARS = 44
FORMATS = ("png", "svg", "csv")


@dataclass
class FigureData:
    """The numbers behind a figure: a table (for CSV) and a title."""

    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Cut ``text`` to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def unit_suffix(unit: str) -> str:
    """`` (k$)`` for a value unit, nothing without one."""
    return f" ({unit})" if unit else ""


def new_figure(parent: QWidget | None = None) -> pg.GraphicsLayoutWidget:
    """An empty white figure with the app's palette."""
    figure = pg.GraphicsLayoutWidget(parent)
    figure.setBackground(palette.BACKGROUND)
    figure.ci.setContentsMargins(8, 8, 12, 8)
    figure.ci.setSpacing(14)
    figure.ci.layout.setVerticalSpacing(6)  # rows: the height goes to the plots (a 1280x720 dock is short)
    return figure


def add_plot(figure: pg.GraphicsLayoutWidget, title: str, x_label: str, y_label: str,
             row: int | None = None, col: int | None = None, rowspan: int = 1, colspan: int = 1) -> pg.PlotItem:
    """A styled plot in ``figure``: title, axis titles, readable ticks, light grid."""
    plot = figure.addPlot(row=row, col=col, rowspan=rowspan, colspan=colspan)
    style_plot(plot, title, x_label, y_label)
    return plot


def style_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str) -> None:
    """Apply the palette, fonts and axis titles to a plot."""
    plot.setTitle(title, color=palette.TEXT, size=TITLE_SIZE)
    # The title spans the left axis too: with long bar labels (tornado, readiness)
    # the plot area alone is too narrow for it and it was cut to "Inter-state…".
    plot.layout.removeItem(plot.titleLabel)
    plot.layout.addItem(plot.titleLabel, 0, 0, 1, 3)
    # pyqtgraph gives any title a 30-px row: one 11pt line needs 24, each <br> line 18 more
    height = TITLE_HEIGHT + 18 * title.count("<br>")
    plot.titleLabel.setMaximumHeight(height)
    plot.layout.setRowFixedHeight(0, height)
    font = QFont()
    font.setPointSize(TICK_POINT_SIZE)
    for name, label in (("bottom", x_label), ("left", y_label)):
        axis = plot.getAxis(name)
        axis.enableAutoSIPrefix(False)
        axis.setPen(pg.mkPen(palette.TEXT_MUTED))
        axis.setTextPen(pg.mkPen(palette.TEXT))
        axis.setTickFont(font)
        if label:
            axis.setLabel(label, color=palette.TEXT, **{"font-size": LABEL_SIZE})
    plot.showGrid(x=True, y=True, alpha=0.18)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def add_legend(plot: pg.PlotItem, offset=(-10, 10)) -> pg.LegendItem:
    """A legend with a translucent white box, in the plot's top-right corner."""
    legend = plot.addLegend(offset=offset, labelTextColor=palette.TEXT, labelTextSize=LABEL_SIZE,
                            brush=pg.mkBrush(palette.qcolor(palette.BACKGROUND, 225)),
                            pen=pg.mkPen(palette.GRID))
    return legend


def category_axis(plot: pg.PlotItem, side: str, labels: list[str], positions=None,
                  limit: int = MAX_LABEL_CHARS) -> None:
    """Put one text label at each position (0..n-1 by default) of an axis.

    A left axis is made wide enough for its longest label: pyqtgraph would
    otherwise drop labels that do not fit the width it guessed.
    """
    positions = range(len(labels)) if positions is None else positions
    texts = [shorten(text, limit) for text in labels]
    axis = plot.getAxis(side)
    axis.setTicks([[(float(k), text) for k, text in zip(positions, texts)], []])
    axis.setStyle(hideOverlappingLabels=False)
    if side == "left" and texts:
        from PySide6.QtGui import QFontMetrics

        font = QFont()
        font.setPointSize(TICK_POINT_SIZE)
        metrics = QFontMetrics(font)
        axis.setWidth(max(metrics.horizontalAdvance(t) for t in texts) + 16)
        axis.setStyle(autoExpandTextSpace=False, hideOverlappingLabels=False)


def percent_ticks(plot: pg.PlotItem, side: str, top: float = 100.0, step: float = 25.0) -> None:
    """Ticks at 0, 25, ... 100 (%) only, even when the range runs past 100 for labels."""
    values = [v for v in np_arange(0.0, top + 1e-9, step)]
    plot.getAxis(side).setTicks([[(v, f"{v:g}") for v in values], []])


def top_legend(figure: pg.GraphicsLayoutWidget, row: int, col: int = 0, columns: int = 4,
               colspan: int = 1) -> pg.LegendItem:
    """A legend in its own row of the figure (it never hides data)."""
    legend = pg.LegendItem(colCount=columns, labelTextColor=palette.TEXT, labelTextSize=LABEL_SIZE)
    legend.layout.setContentsMargins(2, 0, 2, 0)  # a row of entries, not a framed box: no inner margins
    figure.addItem(legend, row=row, col=col, colspan=colspan)
    return legend


def message(plot: pg.PlotItem, text: str) -> None:
    """Show ``text`` in the middle of an empty plot (no data, or why not)."""
    item = pg.TextItem(text, color=palette.TEXT_MUTED, anchor=(0.5, 0.5))
    plot.addItem(item)
    item.setPos(0.5, 0.5)
    plot.setXRange(0, 1)
    plot.setYRange(0, 1)


def retheme_figures(figures) -> None:
    """Give figures the current scheme's page; a figure showing only a message gets its text colour.

    Figures with data are drawn again by their view (the draw functions read
    the palette), which replaces these items anyway.
    """
    for figure in figures:
        figure.setBackground(palette.BACKGROUND)
        for item in figure.scene().items():
            if isinstance(item, pg.TextItem):
                item.setColor(palette.TEXT_MUTED)


def percent_text(value: float) -> str:
    return f"{value * 100:.1f}%" if value == value else "—"


def layout_for_export(figure: pg.GraphicsLayoutWidget, size: tuple[int, int]) -> None:
    """Give a figure that is not on screen its size, so its plots lay out."""
    width, height = size
    figure.resize(width, height)
    figure.ci.setGeometry(QRectF(0, 0, width, height))
    figure.scene().setSceneRect(QRectF(0, 0, width, height))
    pg.QtWidgets.QApplication.processEvents()


def export_image(figure: pg.GraphicsLayoutWidget, path: str | Path, size: tuple[int, int] | None = None,
                 fmt: str | None = None, title: str | None = None, name: str | None = None) -> None:
    """Write the whole figure to ``path``: PNG or SVG by ``fmt`` (or the suffix).

    Parameters
    ----------
    figure : GraphicsLayoutWidget
    path : str or Path
    size : (int, int), optional
        Lay the figure out at this size first (headless export).
    fmt : str, optional
        ``"png"`` or ``"svg"``; taken from the suffix of ``path`` when omitted
        (a temporary file need not carry the real suffix).
    title : str, optional
        The SVG's ``<title>``; the figure's plot titles by default.
    name : str, optional
        The file the user asked for, named in errors (``path`` may be temporary).

    Raises
    ------
    OSError
        The picture could not be written whole (e.g. the disk is full).
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if size is not None:
        layout_for_export(figure, size)
    if fmt == "png":
        _export_png(figure, path, name)
    elif fmt == "svg":
        from widgets.analysis.plot_svg import figure_svg

        figure_svg(figure, title or figure_title(figure)).write(path, name)
    else:
        raise ValueError(f"{path}: export as .png or .svg")


def _export_png(figure: pg.GraphicsLayoutWidget, path: Path, name: str | None = None) -> None:
    """pyqtgraph's image export into memory, then a save checked whole on disk."""
    from pyqtgraph.exporters import ImageExporter

    from planning.files.whole_file import check_png, fsync_file

    exporter = ImageExporter(figure.ci)
    exporter.parameters()["background"] = palette.qcolor(palette.BACKGROUND)
    exporter.parameters()["antialias"] = True
    image = exporter.export(toBytes=True)
    if image is None or image.isNull() or not image.save(str(path), "PNG"):
        raise OSError(f"{name or path}: the PNG picture could not be written (is the disk full?)")
    fsync_file(path, name)
    check_png(path, name)


def figure_title(figure: pg.GraphicsLayoutWidget) -> str:
    """The titles of a figure's plots joined, for the SVG's <title> (never a file name)."""
    titles = []
    for item in figure.ci.items:
        if isinstance(item, pg.PlotItem) and item.titleLabel.isVisible():
            text = item.titleLabel.item.toPlainText().strip()
            if text:
                titles.append(text)
    return "; ".join(titles) or "Branchwise analysis plot"


def safe_cell(value) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (DESIGN: exports escape)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(data: FigureData, path: str | Path) -> None:
    """Write a figure's table as UTF-8 CSV, text cells neutralised."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(c) for c in data.columns])
        for row in data.rows:
            writer.writerow([safe_cell(c) for c in row])


def export(figure: pg.GraphicsLayoutWidget, data: FigureData | None, path: str | Path,
           size: tuple[int, int] | None = None, fmt: str | None = None, name: str | None = None) -> None:
    """PNG, SVG or CSV by ``fmt`` (or the suffix of ``path``)."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt == "csv":
        if data is None:
            raise ValueError("nothing to export yet")
        write_csv(data, path)
    else:
        export_image(figure, path, size, fmt=fmt, name=name)


class ExportButton(QToolButton):
    """"Export ▾": the shown figure as PNG or SVG, or its data as CSV.

    ``source`` is a callable returning ``(figure, FigureData or None, name)``
    for what is on screen now.
    """

    def __init__(self, source, parent: QWidget | None = None):
        super().__init__(parent)
        self.source = source
        self.setText(translate("ExportButton", "Export"))
        self.setToolTip(translate("ExportButton", "Save this plot as a PNG or SVG picture, or its numbers as CSV"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for fmt, text in (("png", translate("ExportButton", "Picture (PNG)…")), ("svg", translate("ExportButton", "Vector picture (SVG)…")),
                          ("csv", translate("ExportButton", "Data (CSV)…"))):
            menu.addAction(text, lambda f=fmt: self.ask_and_export(f))
        self.setMenu(menu)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

    def ask_and_export(self, fmt: str) -> str | None:
        figure, data, name = self.source()
        filters = {"png": translate("ExportButton", "PNG picture (*.png)"), "svg": translate("ExportButton", "SVG picture (*.svg)"),
                   "csv": translate("ExportButton", "CSV table (*.csv)")}
        path, _ = QFileDialog.getSaveFileName(self, translate("ExportButton", "Export"), f"{name}.{fmt}", filters[fmt])
        if not path:
            return None
        if not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        with self.as_document():
            figure, data, _name = self.source()
            export(figure, data, path)
        return path

    def prepare(self, figure) -> None:
        """Hook: make the figure whole before it is written (see widgets/analysis/fit.py)."""

    @contextlib.contextmanager
    def as_document(self):
        """An export is a document: drawn light even when the window is dark, then redrawn as shown."""
        view = self.parent()
        if palette.scheme() == "light" or not hasattr(view, "retheme"):
            self.prepare(self.source()[0])
            yield
            return
        try:
            with palette.using("light"):
                view.retheme()
                self.prepare(self.source()[0])
                yield
        finally:
            view.retheme()


__all__ = [
    "EXPORT_SIZE", "ExportButton", "FORMATS", "FigureData", "add_legend", "add_plot", "category_axis",
    "export", "export_image", "figure_title", "retheme_figures", "layout_for_export", "message", "new_figure", "percent_text", "percent_ticks",
    "safe_cell", "top_legend",
    "shorten", "style_plot", "unit_suffix", "write_csv",
]
