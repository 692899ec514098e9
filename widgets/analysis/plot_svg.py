"""Write an analysis figure (a pyqtgraph GraphicsLayoutWidget) as plain SVG.

The figure is laid out by pyqtgraph exactly as for the PNG; this module then
reads where everything landed (the plot area of each ViewBox, the axis
ticks and labels from :meth:`AxisItem.generateDrawSpecs`, the data of each
bar, curve, line, marker and text item, the legends) and writes those in
absolute pixel coordinates with :class:`widgets.svg_writer.SvgDocument`.

Data marks are clipped to the plot area before they are written (and a
``clipPath`` guards again), so nothing runs past the axes in any viewer.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen, QTextCursor
from PySide6.QtWidgets import QGraphicsTextItem

from widgets import palette
from widgets.svg_writer import SvgDocument, clip_polyline, clip_rect

#: Qt's built-in dash patterns, in multiples of the pen width (Qt documentation, QPen).
_DASHES = {
    Qt.PenStyle.DashLine: [4.0, 2.0],
    Qt.PenStyle.DotLine: [1.0, 2.0],
    Qt.PenStyle.DashDotLine: [4.0, 2.0, 1.0, 2.0],
    Qt.PenStyle.DashDotDotLine: [4.0, 2.0, 1.0, 2.0, 1.0, 2.0],
}


def _hex(color: QColor) -> str:
    return color.name(QColor.NameFormat.HexRgb)


def _pen(pen) -> tuple[str | None, float, float, list[float] | None]:
    """(colour, width px, opacity, dashes px) of a pen; colour None for no pen."""
    pen = pen if isinstance(pen, QPen) else pg.mkPen(pen)
    if pen.style() == Qt.PenStyle.NoPen or pen.color().alpha() == 0:
        return None, 0.0, 0.0, None
    width = pen.widthF() or 1.0  # width 0 is Qt's one-pixel cosmetic pen
    dash = None
    if pen.style() == Qt.PenStyle.CustomDashLine:
        dash = [d * width for d in pen.dashPattern()]
    elif pen.style() in _DASHES:
        dash = [d * width for d in _DASHES[pen.style()]]
    return _hex(pen.color()), width, pen.color().alphaF(), dash


def _brush(brush) -> tuple[str | None, float]:
    brush = pg.mkBrush(brush) if brush is not None else pg.mkBrush(None)
    if brush.style() == Qt.BrushStyle.NoBrush or brush.color().alpha() == 0:
        return None, 0.0
    return _hex(brush.color()), brush.color().alphaF()


def _dpi() -> float:
    screen = pg.QtWidgets.QApplication.primaryScreen()
    return screen.logicalDotsPerInchY() if screen is not None else 96.0


def _font_px(font) -> float:
    return font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * _dpi() / 72.0


class _Writer:
    """Walks one laid-out figure and fills an :class:`SvgDocument`."""

    def __init__(self, figure: pg.GraphicsLayoutWidget, title: str):
        self.figure = figure
        source = figure.ci.sceneBoundingRect()
        self.origin = source.topLeft()
        self.doc = SvgDocument(max(1.0, round(source.width())), max(1.0, round(source.height())), title,
                               "Branchwise analysis plot")
        self.clips = 0

    # -- helpers -----------------------------------------------------------------
    def point(self, p: QPointF) -> tuple[float, float]:
        return p.x() - self.origin.x(), p.y() - self.origin.y()

    def box(self, rect: QRectF) -> tuple[float, float, float, float]:
        return (rect.left() - self.origin.x(), rect.top() - self.origin.y(),
                rect.right() - self.origin.x(), rect.bottom() - self.origin.y())

    def map_arrays(self, item, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Item coordinates (data coordinates for plot items) to picture pixels."""
        t = item.sceneTransform()
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        sx = t.m11() * x + t.m21() * y + t.dx() - self.origin.x()
        sy = t.m12() * x + t.m22() * y + t.dy() - self.origin.y()
        return sx, sy

    def text_item(self, item: QGraphicsTextItem, role: str, fill_color: QColor | None = None) -> None:
        """A QGraphicsTextItem where Qt placed it: same font size, colour and rotation."""
        if not item.isVisible() or not item.toPlainText().strip():
            return
        document = item.document()
        cursor = QTextCursor(document)
        cursor.setPosition(min(1, max(0, document.characterCount() - 1)))
        fmt = cursor.charFormat()
        font = fmt.font()
        color = fmt.foreground().color() if fmt.foreground().style() != Qt.BrushStyle.NoBrush \
            else item.defaultTextColor()
        metrics = QFontMetricsF(font)
        local = item.boundingRect()
        margin = document.documentMargin()
        t = item.sceneTransform()
        angle = math.degrees(math.atan2(t.m12(), t.m11()))
        for number, line in enumerate(item.toPlainText().split("\n")):
            if not line.strip():
                continue
            baseline = local.top() + margin + metrics.ascent() + number * metrics.lineSpacing()
            x, y = self.point(item.mapToScene(QPointF(local.center().x(), baseline)))
            self.doc.text(x, y, line, _font_px(font), _hex(color), anchor="middle", bold=font.bold(),
                          rotate=angle, opacity=color.alphaF(), role=role)

    # -- figure --------------------------------------------------------------------
    def write(self) -> SvgDocument:
        self.doc.rect(0, 0, self.doc.width, self.doc.height, fill=palette.BACKGROUND, role="background")
        for item in self.figure.ci.items:
            if isinstance(item, pg.PlotItem) and item.isVisible():
                self.plot(item)
            elif isinstance(item, pg.LabelItem) and item.isVisible():
                self.text_item(item.item, "label")
        for item in self.figure.scene().items(Qt.SortOrder.AscendingOrder):
            if isinstance(item, pg.LegendItem) and item.isVisible() and item.items:
                self.legend(item)
        return self.doc

    def plot(self, plot: pg.PlotItem) -> None:
        vb = plot.vb
        area = self.box(vb.mapRectToScene(vb.boundingRect()))
        left, top, right, bottom = area
        self.clips += 1
        clip = f"plot-area-{self.clips}"
        self.doc.clip_rect(clip, left, top, right - left, bottom - top)
        self.doc.rect(left, top, right - left, bottom - top, role="plot-area")
        axes = [plot.getAxis(name) for name in ("left", "bottom", "right", "top")]
        axes = [a for a in axes if a.isVisible()]
        specs = {}
        image = QImage(4, 4, QImage.Format.Format_ARGB32)
        for axis in axes:
            painter = QPainter(image)
            try:
                if axis.style["tickFont"] is not None:
                    painter.setFont(axis.style["tickFont"])
                specs[axis] = axis.generateDrawSpecs(painter)
            finally:
                painter.end()
        # grid and ticks under the data (pyqtgraph draws the grid as long ticks)
        self.doc.open_group("grid")
        for axis, spec in specs.items():
            if spec is None:
                continue
            for pen, p1, p2 in spec[1]:
                colour, width, opacity, dash = _pen(pen)
                if colour is None:
                    continue
                (x1, y1), (x2, y2) = self.point(axis.mapToScene(p1)), self.point(axis.mapToScene(p2))
                self.doc.line(x1, y1, x2, y2, colour, width, opacity, dash, role="tick")
        self.doc.close_group()
        self.doc.open_group("data", clip=clip)
        for item in sorted(vb.addedItems, key=lambda i: i.zValue()):
            if item.isVisible():
                self.data_item(item, area)
        self.doc.close_group()
        for axis, spec in specs.items():
            if spec is None:
                continue
            pen, p1, p2 = spec[0]
            colour, width, opacity, dash = _pen(pen)
            if colour is not None:
                (x1, y1), (x2, y2) = self.point(axis.mapToScene(p1)), self.point(axis.mapToScene(p2))
                self.doc.line(x1, y1, x2, y2, colour, width, opacity, dash, role="axis")
            font = axis.style["tickFont"] or pg.QtGui.QFont()
            text_colour = _hex(axis.textPen().color())
            metrics = QFontMetricsF(font)
            for rect, flags, text in spec[2]:
                scene = axis.mapRectToScene(rect)
                x0, y0, x1, y1 = self.box(scene)
                if flags & Qt.AlignmentFlag.AlignRight:
                    x, anchor = x1, "end"
                elif flags & Qt.AlignmentFlag.AlignLeft:
                    x, anchor = x0, "start"
                else:
                    x, anchor = (x0 + x1) / 2, "middle"
                y = (y0 + y1) / 2 + (metrics.ascent() - metrics.descent()) / 2
                self.doc.text(x, y, text, _font_px(font), text_colour, anchor=anchor, role="tick-label")
            if axis.label.isVisible() and getattr(axis, "showLabel", True):
                self.text_item(axis.label, "axis-label")
        if plot.titleLabel.isVisible():
            self.text_item(plot.titleLabel.item, "title")
        # text placed over the data (value labels, line labels) after the axes; every
        # child of the view, as labels placed in pixels are added without data bounds
        for item in vb.childGroup.childItems():
            if isinstance(item, pg.InfiniteLine) and item.isVisible() and getattr(item, "label", None) is not None:
                self.text(item.label)
            elif isinstance(item, pg.TextItem) and item.isVisible():
                self.text(item)

    def text(self, item: pg.TextItem) -> None:
        if not item.isVisible():
            return
        fill, fill_opacity = _brush(item.fill)
        border, width, border_opacity, dash = _pen(item.border)
        if fill or border:
            x0, y0, x1, y1 = self.box(item.textItem.mapRectToScene(item.textItem.boundingRect()))
            self.doc.rect(x0, y0, x1 - x0, y1 - y0, fill=fill, fill_opacity=fill_opacity, stroke=border,
                          width=width, stroke_opacity=border_opacity, dash=dash, role="text-box")
        self.text_item(item.textItem, "value-label")

    # -- data items ---------------------------------------------------------------
    def data_item(self, item, area) -> None:
        if isinstance(item, pg.BarGraphItem):
            self.bars(item, area)
        elif isinstance(item, pg.PlotDataItem):
            x, y = item.getData()
            if x is not None and len(x) and item.opts.get("pen") is not None:
                self.curve(item, x, y, item.opts["pen"], area)
            if item.scatter.isVisible() and item.opts.get("symbol") is not None:
                self.scatter(item.scatter, area)
        elif isinstance(item, pg.PlotCurveItem):
            x, y = item.getData()
            if x is not None and len(x):
                self.curve(item, x, y, item.opts["pen"], area)
        elif isinstance(item, pg.ScatterPlotItem):
            self.scatter(item, area)
        elif isinstance(item, pg.InfiniteLine):
            self.infinite_line(item, area)

    def curve(self, item, x, y, pen, area) -> None:
        colour, width, opacity, dash = _pen(pen)
        if colour is None:
            return
        sx, sy = self.map_arrays(item, x, y)
        for run in clip_polyline(list(zip(sx.tolist(), sy.tolist())), area):
            self.doc.polyline(run, colour, width, opacity, dash, role="curve")

    def bars(self, item: pg.BarGraphItem, area) -> None:
        x0, y0, x1, y1 = (np.atleast_1d(np.asarray(v, dtype=float)) for v in item._getNormalizedCoords())
        n = max(len(x0), len(y0), len(x1), len(y1))
        x0, y0, x1, y1 = (np.broadcast_to(v, (n,)) for v in (x0, y0, x1, y1))
        ax0, ay0 = self.map_arrays(item, x0, y0)
        ax1, ay1 = self.map_arrays(item, x1, y1)
        pens, brushes = item.opts.get("pens"), item.opts.get("brushes")
        for k in range(n):
            rect = clip_rect(ax0[k], ay0[k], ax1[k], ay1[k], area)
            if rect is None:
                continue
            fill, fill_opacity = _brush(brushes[k] if brushes is not None else item.opts.get("brush"))
            colour, width, opacity, dash = _pen(pens[k] if pens is not None else item.opts.get("pen"))
            left, top, right, bottom = rect
            self.doc.rect(left, top, right - left, bottom - top, fill=fill, fill_opacity=fill_opacity,
                          stroke=colour, width=width, stroke_opacity=opacity, dash=dash, role="bar")

    def scatter(self, item: pg.ScatterPlotItem, area) -> None:
        data = item.data
        sx, sy = self.map_arrays(item, data["x"], data["y"])
        left, top, right, bottom = area
        for k in range(len(data)):
            if not (left <= sx[k] <= right and top <= sy[k] <= bottom):
                continue
            symbol = data["symbol"][k] if data["symbol"][k] is not None else item.opts["symbol"]
            size = data["size"][k] if data["size"][k] >= 0 else item.opts["size"]
            pen = data["pen"][k] if data["pen"][k] is not None else item.opts["pen"]
            brush = data["brush"][k] if data["brush"][k] is not None else item.opts["brush"]
            self.symbol(sx[k], sy[k], symbol, size, pen, brush, "marker")

    def symbol(self, x: float, y: float, symbol, size: float, pen, brush, role: str) -> None:
        from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols

        path = Symbols.get(symbol, Symbols["o"]) if isinstance(symbol, str) else symbol
        colour, width, opacity, _dash = _pen(pen)
        fill, fill_opacity = _brush(brush)
        for polygon in path.toSubpathPolygons():
            points = [(x + p.x() * size, y + p.y() * size) for p in polygon]
            self.doc.polygon(points, fill, fill_opacity, colour, width, opacity, role=role)

    def infinite_line(self, item: pg.InfiniteLine, area) -> None:
        colour, width, opacity, dash = _pen(item.currentPen)
        if colour is None:
            return
        left, top, right, bottom = area
        value = item.value()
        if item.angle % 180 == 90:
            x, _ = self.map_arrays(item.parentItem(), [value], [0.0])
            if left <= x[0] <= right:
                self.doc.line(x[0], top, x[0], bottom, colour, width, opacity, dash, role="line")
        elif item.angle % 180 == 0:
            _, y = self.map_arrays(item.parentItem(), [0.0], [value])
            if top <= y[0] <= bottom:
                self.doc.line(left, y[0], right, y[0], colour, width, opacity, dash, role="line")

    # -- legends ------------------------------------------------------------------
    def legend(self, legend: pg.LegendItem) -> None:
        self.doc.open_group("legend")
        fill, fill_opacity = _brush(legend.opts.get("brush"))
        colour, width, opacity, dash = _pen(legend.opts.get("pen"))
        if fill or colour:
            x0, y0, x1, y1 = self.box(legend.mapRectToScene(legend.boundingRect()))
            self.doc.rect(x0, y0, x1 - x0, y1 - y0, fill=fill, fill_opacity=fill_opacity, stroke=colour,
                          width=width, stroke_opacity=opacity, dash=dash, role="legend-box")
        for sample, label in legend.items:
            if not sample.isVisible():
                continue
            self.legend_sample(sample)
            self.text_item(label.item, "legend-label")
        self.doc.close_group()

    def legend_sample(self, sample) -> None:
        """The little picture before a legend entry, as pyqtgraph's ItemSample paints it."""
        item = sample.item
        opts = item.opts
        x0, y0 = self.point(sample.mapToScene(QPointF(0, 0)))
        if not isinstance(item, pg.ScatterPlotItem):
            colour, width, opacity, dash = _pen(opts.get("pen"))
            if colour is not None:
                self.doc.line(x0, y0 + 11, x0 + 20, y0 + 11, colour, width, opacity, dash, role="legend-line")
        if isinstance(item, pg.BarGraphItem):
            fill, fill_opacity = _brush(opts.get("brush"))
            colour, width, opacity, dash = _pen(opts.get("pen"))
            self.doc.rect(x0 + 2, y0 + 2, 18, 18, fill=fill, fill_opacity=fill_opacity, stroke=colour,
                          width=width, stroke_opacity=opacity, role="legend-swatch")
        symbol = opts.get("symbol")
        if symbol is not None:
            sopts = item.scatter.opts if isinstance(item, pg.PlotDataItem) else opts
            self.symbol(x0 + 10, y0 + 10, symbol, sopts["size"], sopts["pen"], sopts["brush"], "legend-marker")


def settle(figure: pg.GraphicsLayoutWidget) -> None:
    """Paint the figure once, small: pyqtgraph places text items when they are first painted.

    The placement follows scene coordinates, not the painter, so a thumbnail
    does (an 8000-pixel figure would otherwise need a 256 MB image).
    """
    rect = figure.ci.sceneBoundingRect()
    scale = min(1.0, 256.0 / max(1.0, rect.width(), rect.height()))
    image = QImage(max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)),
                   QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        figure.scene().render(painter, QRectF(0, 0, image.width(), image.height()), rect)
    finally:
        painter.end()


def figure_svg(figure: pg.GraphicsLayoutWidget, title: str) -> SvgDocument:
    """The laid-out ``figure`` as an :class:`SvgDocument` titled ``title``."""
    settle(figure)
    return _Writer(figure, title).write()


__all__ = ["figure_svg", "settle"]
