"""The Tracks view: the plan's tracks as a small graph, an arrow per link.

Each track is a box with its title, EV and failure readiness; each arrow runs
from the track read to the track that reads it, labelled with what is read
(``p_success``, ``reach “Freeze verified”``). Read tracks stand to the left of
their readers (networkx ordering, :func:`planning.sharing.track_map.track_map`).
Double-click a box to open that track. The view only reads the document and
redraws (debounced) when the plan changes, and only while it is on screen.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsTextItem, QLabel, QVBoxLayout, QWidget

from planning.sharing.track_map import LinkArrow, TrackBox, box_text, track_map
from widgets import palette

#: Box size and gaps in view units (one unit ~ one pixel at the default zoom).
BOX_W, BOX_H, GAP_X, GAP_Y = 290.0, 46.0, 120.0, 22.0
REDRAW_MS = 200


def box_rect(box: TrackBox) -> QRectF:
    return QRectF(box.x * (BOX_W + GAP_X), box.y * (BOX_H + GAP_Y), BOX_W, BOX_H)


class TracksView(QWidget):
    """A dock's content: the tracks and the links between them."""

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tracks_view")
        self.document = document
        self.boxes: list[TrackBox] = []
        self.arrows: list[LinkArrow] = []
        self.frames: dict[str, QGraphicsRectItem] = {}
        self.texts: dict[str, QGraphicsTextItem] = {}
        self.arrow_texts: list[QGraphicsTextItem] = []
        self._on_screen = True
        self._stale = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.note = QLabel(self.tr("Each arrow runs from a track to a track that reads it. "
                                   "Double-click a track to open it."), self)
        self.note.setObjectName("tracks_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {palette.TEXT_MUTED};")
        layout.addWidget(self.note)
        self.plot = pg.PlotWidget(self, background=palette.BACKGROUND)
        self.plot.setObjectName("tracks_plot")
        self.plot.setAccessibleName(self.tr("Tracks and the links between them"))
        item = self.plot.getPlotItem()
        item.hideAxis("left")
        item.hideAxis("bottom")
        item.setMenuEnabled(False)
        self.view = item.getViewBox()
        self.view.invertY(True)
        self.view.setAspectLocked(True)
        # The range is set once per redraw; no auto-range to chase the aspect lock in a resizing dock.
        self.view.disableAutoRange()
        self.view.setMouseEnabled(x=True, y=True)
        layout.addWidget(self.plot, 1)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        document.changed.connect(self._schedule)
        document.planReplaced.connect(self._schedule)
        document.currentTrackChanged.connect(self._schedule)
        self.redraw()

    # -- when to draw ----------------------------------------------------------
    def set_on_screen(self, on_screen: bool) -> None:
        """Tabbed behind another dock the view waits; shown, it catches up."""
        self._on_screen = on_screen
        if on_screen and self._stale:
            self._timer.start()

    def _schedule(self, *_args) -> None:
        self._stale = True
        if self._on_screen:
            self._timer.start()

    # -- drawing -------------------------------------------------------------
    def redraw(self) -> None:
        """Lay out and draw the tracks of the document's plan now."""
        self._stale = False
        plan = self.document.plan
        self.boxes, self.arrows = track_map(plan)
        self.plot.clear()
        self.frames, self.texts, self.arrow_texts = {}, {}, []
        current = getattr(self.document, "current_track_id", None)
        where = {box.id: box_rect(box) for box in self.boxes}
        for arrow in self.arrows:
            self._draw_arrow(where[arrow.read], where[arrow.reader], arrow)
        for box in self.boxes:
            self._draw_box(box, where[box.id], box.id == current, plan.value_unit)
        if self.boxes:
            bounds = QRectF()
            for rect in where.values():
                bounds = bounds.united(rect)
            self.view.setRange(bounds.adjusted(-20, -20, 20, 20), padding=0)

    def _draw_box(self, box: TrackBox, rect: QRectF, current: bool, unit: str) -> None:
        colour = palette.FAILURE if box.error else palette.DECISION
        item = QGraphicsRectItem(rect)
        item.setPen(QPen(palette.qcolor(colour), 3 if current else 1.5))
        item.setBrush(QBrush(palette.qcolor(palette.BACKGROUND)))
        item.setToolTip(box.error or box_text(box, unit))
        self.plot.addItem(item)
        self.frames[box.id] = item
        title, figures = box_text(box, unit).split("\n", 1)
        bold = _font(12)
        bold.setBold(True)
        title = QFontMetricsF(bold).elidedText(title, Qt.TextElideMode.ElideRight, BOX_W - 14)
        # Text in view units (not pixels): it scales with the boxes at any zoom.
        text = QGraphicsTextItem()
        text.setFont(_font(12))
        text.setDefaultTextColor(palette.qcolor(palette.TEXT))
        text.setHtml(f"<b>{_escape(title)}</b><br/>{_escape(figures)}")
        text.setPos(rect.left() + 4, rect.top() + 2)
        self.plot.addItem(text)
        self.texts[box.id] = text

    def _draw_arrow(self, start: QRectF, end: QRectF, arrow: LinkArrow) -> None:
        a = QPointF(start.right(), start.center().y())
        b = QPointF(end.left(), end.center().y())
        if end.left() <= start.left():  # same column (a circle): along the right side
            b = QPointF(end.right(), end.center().y())
        pen = pg.mkPen(palette.TEXT_MUTED, width=1.5)
        self.plot.addItem(pg.PlotCurveItem([a.x(), b.x()], [a.y(), b.y()], pen=pen))
        import math

        angle = math.degrees(math.atan2(b.y() - a.y(), b.x() - a.x()))
        head = pg.ArrowItem(pos=(b.x(), b.y()), angle=180 + angle, headLen=12, tipAngle=30,
                            pen=pen, brush=palette.TEXT_MUTED)
        self.plot.addItem(head)
        label = QGraphicsTextItem(arrow.label)
        label.setFont(_font(11))
        label.setDefaultTextColor(palette.qcolor(palette.TEXT_MUTED))
        size = label.boundingRect()
        label.setPos((a.x() + b.x()) / 2 - size.width() / 2, (a.y() + b.y()) / 2 - size.height())
        self.plot.addItem(label)
        self.arrow_texts.append(label)

    # -- double-click opens the track -----------------------------------------------
    def track_at(self, point: QPointF) -> str | None:
        """The track whose box holds ``point`` (view coordinates), if any."""
        for box in self.boxes:
            if box_rect(box).contains(point):
                return box.id
        return None

    def open_track(self, track_id: str) -> None:
        self.document.set_current_track(track_id)

    def _clicked(self, event) -> None:
        if not event.double():
            return
        track_id = self.track_at(self.view.mapSceneToView(event.scenePos()))
        if track_id is not None:
            event.accept()
            self.open_track(track_id)


def _font(pixels: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    return font


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


__all__ = ["TracksView", "box_rect"]
