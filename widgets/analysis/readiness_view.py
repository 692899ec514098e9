"""Readiness dashboard: every track's readiness and exposure, and the branches that cost most.

:func:`draw_readiness` fills a figure from a
:class:`widgets.analysis.data.ReadinessReport`: per-track failure readiness
and exposure, then the failure branches that cost the most exposure,
coloured by their readiness badge. :class:`ReadinessView` adds a table of
every failure and success branch (late responses, branches with no
response); double-clicking a row selects that node in the canvas.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
    QWidget,
)

from widgets import palette
from widgets.analysis.fit import FittedExportButton, fit_on_resize, fit_width
from widgets.analysis.marker_labels import room_for_value_labels
from widgets.analysis.plot_export import (
    FigureData, add_plot, category_axis, message, new_figure, percent_ticks, shorten, top_legend,
)
from widgets.analysis.plot_export import retheme_figures  # light / dark
from widgets.i18n import QT_TRANSLATE_NOOP, fill, number, translate

MAX_BRANCH_BARS = 12
#: Rows of the branch table (costliest first); a 10,000-node plan has thousands
#: of branches and the rest are in the CSV export.
MAX_TABLE_ROWS = 400
BADGE_TEXT = {"none": QT_TRANSLATE_NOOP("ReadinessView", "no response"), "late": QT_TRANSLATE_NOOP("ReadinessView", "late"),
              "partial": QT_TRANSLATE_NOOP("ReadinessView", "partly ready"),
              "ready": QT_TRANSLATE_NOOP("ReadinessView", "ready")}
COLUMNS = (QT_TRANSLATE_NOOP("ReadinessView", "Branch"), QT_TRANSLATE_NOOP("ReadinessView", "Track"),
           QT_TRANSLATE_NOOP("ReadinessView", "Path"), QT_TRANSLATE_NOOP("ReadinessView", "Badge"),
           QT_TRANSLATE_NOOP("ReadinessView", "Readiness"), QT_TRANSLATE_NOOP("ReadinessView", "Reach"),
           QT_TRANSLATE_NOOP("ReadinessView", "Exposure cost"), QT_TRANSLATE_NOOP("ReadinessView", "Responses"),
           QT_TRANSLATE_NOOP("ReadinessView", "Late responses"))


def _pct(value: float) -> str:
    return "—" if value != value else f"{100 * value:.1f}%"


def readiness_fit(width: int, height: int, wide: bool) -> dict:
    """``label_chars`` and ``max_rows`` for a figure of this size (the dock's, or a plot's from the CLI).

    Bar labels take at most ~40% of a chart's width (about 7 px a character):
    side by side each chart has half the width, one above the other all of it.
    Each bar label needs ~18 px of height: the legend, titles and axes take
    about 140 px, stacked charts share the rest.
    """
    return {"label_chars": max(12, int(width / (2 if wide else 1) * 0.4 / 7)),
            "max_rows": max(3, int((height - 140) / (1 if wide else 2) // 18))}


def draw_readiness(figure: pg.GraphicsLayoutWidget, report, track_id: str | None = None, wide: bool = False,
                   label_chars: int | None = None, max_rows: int | None = None) -> FigureData:
    """Per-track readiness and exposure; the costliest failure branches (of ``track_id`` or all).

    ``wide`` puts the two charts side by side (a short, wide dock);
    ``label_chars`` shortens the bar labels (a narrow dock); ``max_rows`` is
    how many branch bars the chart's height can label without the labels
    running into each other (the table lists every branch).
    """
    figure.clear()
    data = FigureData("Readiness", ["kind", "track", "node", "label", "badge", "readiness", "reach",
                                    "exposure_cost", "p_failure", "failure_exposure", "late", "no_response"])
    for t in report.tracks:
        data.rows.append(["track", t.track_id, "", t.title, "", t.failure_readiness, "", "", t.p_failure,
                          t.failure_exposure, t.late, t.unprepared_branches])
    for b in report.branches:
        data.rows.append([f"{b.path} branch", b.track_id, b.node_id, b.label, b.badge, b.readiness, b.reach, b.cost,
                          "", "", " ".join(b.late), "yes" if b.responses == 0 else ""])
    # A narrow figure (a dock beside the canvas) gets short bar labels and titles:
    # long ones took most of the width and left the bars a sliver. One above the
    # other in a narrow dock, the axis titles go into the plot titles (height for the bars).
    narrow = wide or (label_chars is not None and label_chars < 48)
    stacked_narrow = narrow and not wide
    legend = top_legend(figure, row=0, columns=6 if wide else 4 if narrow else 3, colspan=2 if wide else 1)
    chars = min(28, label_chars) if label_chars else 28
    limit = chars + 2 if narrow else 60
    tracks = report.tracks
    tight = chars < 22  # side by side in a narrow dock: a title has ~150 px over its plot
    top = add_plot(figure, translate("ReadinessView", "Readiness per track (%)") if stacked_narrow
                   else translate("ReadinessView", "Per track") if tight
                   else translate("ReadinessView", "Readiness per track") if narrow
                   else translate("ReadinessView", "Per track: failure readiness and failure exposure"),
                   "" if stacked_narrow else translate("ReadinessView", "Percent (%)"), "", row=1, col=0)
    names = [shorten(t.title, chars) if narrow else
             fill(translate("ReadinessView", "%1  (%2 late, %3 with no response)"), shorten(t.title, 30), t.late,
                  t.unprepared_branches) for t in tracks]
    y = np.arange(len(tracks))[::-1].astype(float)
    values_shown = []
    for offset, key, colour, name in ((0.18, "failure_readiness", palette.BADGE_READY,
                                       translate("ReadinessView", "failure readiness")),
                                      (-0.18, "failure_exposure", palette.FAILURE,
                                       translate("ReadinessView", "failure exposure"))):
        values = np.array([100.0 * getattr(t, key) for t in tracks])
        values = np.nan_to_num(values)
        item = pg.BarGraphItem(x0=np.zeros(len(tracks)), x1=values, y=y + offset, height=0.34, brush=colour,
                               pen=pg.mkPen(colour))
        top.addItem(item)
        legend.addItem(item, name)
        for yy, value in zip(y, values):
            text = pg.TextItem(f"{value:.0f}%", color=palette.TEXT, anchor=(0, 0.5))
            text.setPos(value, yy + offset)
            top.addItem(text)
            values_shown.append((float(value), text))
    category_axis(top, "left", names, positions=y, limit=limit)
    percent_ticks(top, "bottom")
    top.setYRange(-0.6, len(tracks) - 0.4, padding=0)
    # "75%" ends inside the plot, whatever its width and height
    room_for_value_labels(top, values_shown, 104.0, rows=(-0.6, len(tracks) - 0.4))
    top.showGrid(x=True, y=False, alpha=0.18)

    failures = [b for b in report.branches if b.path == "failure" and (track_id is None or b.track_id == track_id)]
    where = "" if track_id is None else f" — {shorten(next((t.title for t in tracks if t.track_id == track_id), track_id), 30)}"
    costly = [b for b in failures if b.cost > 0]
    shown = costly[:max(1, min(MAX_BRANCH_BARS, max_rows or MAX_BRANCH_BARS))]
    more = fill(translate("ReadinessView", ", %1 of %2"), len(shown), len(costly)) if len(shown) < len(costly) else ""
    low = add_plot(figure, fill(translate("ReadinessView", "Costliest failures (points%1)"), more) if stacked_narrow
                   else translate("ReadinessView", "Costliest failures") if tight
                   else translate("ReadinessView", "Costliest failure branches") if narrow
                   else fill(translate("ReadinessView", "Failure branches by the exposure they cost%1%2"), where,
                             more.replace(",", ":")),
                   "" if stacked_narrow else fill(translate("ReadinessView", "Exposure cost (points%1)"), more) if narrow
                   else translate("ReadinessView", "Exposure removed if the branch were ready (percentage points)"),
                   "", row=1 if wide else 2, col=1 if wide else 0)
    if not shown:
        message(low, translate("ReadinessView", "no failure branch costs exposure: every reached failure has a ready response"))
    else:
        y = np.arange(len(shown))[::-1].astype(float)
        for badge in BADGE_TEXT:
            rows = [k for k, b in enumerate(shown) if b.badge == badge]
            if not rows:
                continue
            colour = palette.BADGE_COLORS[badge]
            item = pg.BarGraphItem(x0=np.zeros(len(rows)), x1=[100.0 * shown[k].cost for k in rows], y=y[rows],
                                   height=0.62, brush=colour, pen=pg.mkPen(colour))
            low.addItem(item)
            legend.addItem(item, BADGE_TEXT[badge])
        top_cost = 100.0 * max(b.cost for b in shown)
        cost_labels = []
        for yy, b in zip(y, shown):
            text = pg.TextItem(f"{100 * b.cost:.1f}", color=palette.TEXT, anchor=(0, 0.5))
            text.setPos(100.0 * b.cost, yy)
            low.addItem(text)
            cost_labels.append((100.0 * b.cost, text))
        several = track_id is None and len({b.track_id for b in shown}) > 1
        names = [f"{shorten(b.label, chars - 2 if narrow else 38)}" + (f"  [{b.track_id}]" if several and not narrow else "")
                 for b in shown]
        category_axis(low, "left", names, positions=y, limit=limit)
        low.setYRange(-0.6, len(shown) - 0.4, padding=0)
        room_for_value_labels(low, cost_labels, top_cost * 1.02, rows=(-0.6, len(shown) - 0.4))  # "24.0" inside
        low.showGrid(x=True, y=False, alpha=0.18)
    if not wide:
        figure.ci.layout.setRowStretchFactor(1, 1)
        figure.ci.layout.setRowStretchFactor(2, 1)
    return data


class ReadinessView(QWidget):
    """The readiness dashboard: a figure over a table of branches, costliest first.

    Parameters
    ----------
    document : Document
        Double-clicking a branch selects it (switching track when needed).
    """

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("readiness_view")
        self.document = document
        self.report = None
        self.data: FigureData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.summary = QLabel("", self)
        self.summary.setObjectName("readiness_summary")
        self.summary.setWordWrap(True)  # one line of counts grows with the plan: it wraps, never widens the dock
        top.addWidget(self.summary, 1)
        self.export_button = FittedExportButton(lambda: (self.figure, self.data, "readiness"), self._fit, self)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Readiness views"))
        self.figure = new_figure(self)
        fit_on_resize(self.figure)
        self.figure.setAccessibleName(self.tr("Readiness overview plot"))
        message(self.figure.addPlot(), translate("ReadinessView", "readiness appears when this panel is open"))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("readiness_table")
        self.table.setAccessibleName(self.tr("Branches by readiness cost"))
        self.table.setHorizontalHeaderLabels([translate("ReadinessView", c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(translate("ReadinessView", "Double-click a branch to select it in the tree"))
        self.table.cellDoubleClicked.connect(self._jump)
        self.tabs.addTab(self.figure, translate("ReadinessView", "Overview"))
        self.tabs.addTab(self.table, translate("ReadinessView", "Branches"))
        layout.addWidget(self.tabs, 1)
        palette.on_change(self, self.retheme)

    def show_report(self, report) -> None:
        """Draw a readiness report (GUI thread)."""
        self.report = report
        self._drawn_wide = wide = self._wide()
        self.data = draw_readiness(self.figure, report, wide=wide,
                                   **readiness_fit(self.tabs.width(), self.tabs.height() - 30, wide))
        self._fit()
        late = sum(t.late for t in report.tracks)
        unanswered = sum(t.unprepared_branches for t in report.tracks)
        shown = report.branches[:MAX_TABLE_ROWS]
        more = fill(translate("ReadinessView", " · table shows the %1 costliest of %2 branches"),
                    number(len(shown)), number(len(report.branches))) if len(shown) < len(report.branches) else ""
        # Whole sentences for one and for many: a translation cannot follow an appended "s".
        tracks = (translate("ReadinessView", "1 track") if len(report.tracks) == 1
                  else fill(translate("ReadinessView", "%1 tracks"), number(len(report.tracks))))
        lates = (translate("ReadinessView", "1 late response") if late == 1
                 else fill(translate("ReadinessView", "%1 late responses"), number(late)))
        bare = (translate("ReadinessView", "1 failure branch without a response") if unanswered == 1
                else fill(translate("ReadinessView", "%1 failure branches without a response"), number(unanswered)))
        self.summary.setText(f"{tracks} · {lates} · {bare}{more}")
        table = self.table
        table.setSortingEnabled(False)
        table.setUpdatesEnabled(False)
        table.setRowCount(len(shown))
        for row, b in enumerate(shown):
            cells = (b.label, b.track_id, b.path, translate("ReadinessView", BADGE_TEXT.get(b.badge, b.badge)), _pct(b.readiness), _pct(b.reach),
                     f"{100 * b.cost:.1f} pts", str(b.responses), ", ".join(b.late))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (b.track_id, b.node_id))
                if col == 3:
                    item.setForeground(QBrush(palette.qcolor(palette.BADGE_COLORS.get(b.badge, palette.TEXT))))
                if col == 2:
                    item.setForeground(QBrush(palette.qcolor(palette.PATH_TEXT_COLORS[b.path])))
                if col == 0:
                    item.setToolTip(f"{b.node_id}: {b.label}")
                table.setItem(row, col, item)
        table.setUpdatesEnabled(True)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _wide(self) -> bool:
        # One above the other only where each chart keeps a useful height.
        size = self.tabs.size()
        return size.width() > 1.8 * size.height() or (size.height() < 400 and size.width() >= 560)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.report is not None and self._wide() != getattr(self, "_drawn_wide", None):
            self.show_report(self.report)
        elif self.report is not None and event.size() != event.oldSize():
            self.show_report(self.report)  # bar labels shortened to the width, as many bars as the height labels

    def _fit(self) -> None:
        """Legends and titles no wider than the dock (a figure wider than its view is cut)."""
        if self.report is not None:
            fit_width(self.figure, self.tabs.currentWidget().width())

    def retheme(self) -> None:
        """Draw again in the current colour scheme (widgets.palette)."""
        retheme_figures([self.figure])
        if self.report is not None:
            self.show_report(self.report)

    def show_error(self, text: str) -> None:
        self.report = None
        self.data = None
        self.figure.clear()
        message(self.figure.addPlot(), text)
        self.table.setRowCount(0)

    def _jump(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is None:
            return
        track_id, node_id = item.data(Qt.ItemDataRole.UserRole)
        jump_to(self.document, track_id, node_id)


def jump_to(document, track_id: str | None, node_id: str) -> None:
    """Select ``node_id`` in the canvas, switching to its track first."""
    if node_id not in document.plan.nodes:
        return
    if track_id is None:
        track = document.plan.track_of(node_id)
        track_id = track.id if track is not None else None
    if track_id and track_id != document.current_track_id:
        document.set_current_track(track_id)
    document.select(node_id)


__all__ = ["ReadinessView", "draw_readiness", "jump_to", "readiness_fit"]
