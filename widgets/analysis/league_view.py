"""The league table dock: every policy of a two-criteria plan, as a table and on a plot.

The table lists each row of :func:`planning.analyses.league.league_table` (policy as
"decision -> option", both criteria with their units, the ratio to the
efficient row before it, the verdict). The plot puts every row on the two
criteria (criterion 1 across, criterion 2 up): efficient rows joined by the
frontier line and labelled with the ratio of each segment, dominated and
extendedly dominated rows greyed. Selecting a row emits
:attr:`LeagueView.policySelected` (the window highlights that policy on the
canvas) and rings its point.

The table is recomputed after every evaluation of the document (it is a
rollback per policy; plans with too many policies get a message instead).
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from planning.model.errors import PlanError
from planning.analyses.league import LeagueTable, league_table
from widgets import palette
from widgets.analysis.fit import fit_on_resize
from widgets.analysis.plot_export import (
    ExportButton, FigureData, add_plot, message, new_figure, retheme_figures, shorten, unit_suffix,
)
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate

COLUMNS = (QT_TRANSLATE_NOOP("LeagueView", "Row"), QT_TRANSLATE_NOOP("LeagueView", "Policy"), "", "",
           QT_TRANSLATE_NOOP("LeagueView", "Ratio"), QT_TRANSLATE_NOOP("LeagueView", "Verdict"))
#: A criterion's sense as the heading says it (read through translate() when used).
SENSES = {"maximize": QT_TRANSLATE_NOOP("LeagueView", "maximize"),
          "minimize": QT_TRANSLATE_NOOP("LeagueView", "minimize")}


def _num(x: float | None) -> str:
    if x is None:
        return ""
    if math.isinf(x):
        return "Infinity"
    if abs(x) < 1e-9:
        return "0"
    return f"{x:,.4g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _with_unit(x: float, unit: str) -> str:
    return f"{_num(x)} {unit}" if unit else _num(x)


def verdict(row, table: LeagueTable) -> str:
    """What a planner reads in the Verdict column."""
    if row.dominated_by is not None:
        return fill(translate("LeagueView", "dominated by row %1"), row.dominated_by)
    if row.extended_dominated_by is not None:
        a, b = row.extended_dominated_by
        return fill(translate("LeagueView", "extendedly dominated (mix of %1 and %2 is better)"), a, b)
    if row.optimal_for_weight:
        return fill(translate("LeagueView", "efficient; best at weight %1"), _num(table.weight))
    return (translate("LeagueView", "efficient; optimal in the weight range") if row.optimal
            else translate("LeagueView", "efficient"))


def draw_league(figure: pg.GraphicsLayoutWidget, table: LeagueTable | None, selected: str | None = None,
                why: str = "") -> FigureData:
    """The rows on the two criteria, the frontier, the ratios; returns the CSV table."""
    figure.clear()
    data = FigureData("League table", ["row", "policy", "criterion1", "criterion2", "status", "ratio"])
    if table is None:
        plot = add_plot(figure, translate("LeagueView", "League table"), "", "")
        message(plot, why or translate("LeagueView", "No league table"))
        return data
    (n1, n2), (u1, u2) = table.names, table.units
    plot = add_plot(figure, translate("LeagueView", "Policies on the two criteria"), n1 + unit_suffix(u1), n2 + unit_suffix(u2))
    figure.league_plot = plot
    rows = table.rows
    xs = np.array([r.values[0] for r in rows])
    ys = np.array([r.values[1] for r in rows])
    frontier = [r for r in rows if r.on_frontier]
    s1 = -1.0 if table.senses[0] == "minimize" else 1.0
    frontier.sort(key=lambda r: s1 * r.values[0])
    if len(frontier) > 1:
        line = pg.PlotDataItem([r.values[0] for r in frontier], [r.values[1] for r in frontier],
                               pen=pg.mkPen(palette.DECISION, width=2))
        plot.addItem(line)
        figure.league_frontier = line
    grey = palette.qcolor(palette.NEUTRAL)
    blue = palette.qcolor(palette.DECISION)
    brushes = [pg.mkBrush(blue if r.on_frontier else grey) for r in rows]
    symbols = ["o" if r.on_frontier else ("t" if r.extended_dominated_by else "x") for r in rows]
    points = pg.ScatterPlotItem(x=xs, y=ys, size=11, brush=brushes, symbol=symbols,
                                pen=pg.mkPen(palette.NODE_OUTLINE, width=1))
    plot.addItem(points)
    figure.league_points = points
    figure.league_labels = []
    for r in rows:
        label = pg.TextItem(r.id, color=palette.TEXT if r.on_frontier else palette.TEXT_MUTED, anchor=(0, 1))
        label.setPos(r.values[0], r.values[1])
        plot.addItem(label)
        figure.league_labels.append(label)
    figure.league_ratio_labels = []
    for a, b in zip(frontier, frontier[1:]):
        label = pg.TextItem(fill(translate("LeagueView", "ratio %1"), _num(b.icer)), color=palette.DECISION, anchor=(0.5, 1.2),
                            fill=pg.mkBrush(palette.qcolor(palette.LABEL_BACKGROUND)))
        label.setPos((a.values[0] + b.values[0]) / 2, (a.values[1] + b.values[1]) / 2)
        plot.addItem(label)
        figure.league_ratio_labels.append(label)
    if selected is not None:
        row = next((r for r in rows if r.id == selected), None)
        if row is not None:
            ring = pg.ScatterPlotItem(x=[row.values[0]], y=[row.values[1]], size=22, symbol="o",
                                      brush=pg.mkBrush(None), pen=pg.mkPen(palette.SELECTION, width=3))
            plot.addItem(ring)
            figure.league_selected = ring
    # Room around the points so that labels stay inside the axes.
    for values, setter in ((xs, plot.setXRange), (ys, plot.setYRange)):
        low, high = float(values.min()), float(values.max())
        pad = (high - low) * 0.15 or max(1.0, abs(high) * 0.15)
        setter(low - pad, high + pad, padding=0)
    for r in rows:
        data.rows.append([r.id, "; ".join(r.labels), r.values[0], r.values[1], r.status,
                          "" if r.icer is None else r.icer])
    return data


class LeagueView(QWidget):
    """The League table dock (see the module doc)."""

    #: The selected row's policy (decision id -> option id), or None when none is selected.
    policySelected = Signal(object)

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("league_view")
        self.document = document
        self.table_data: LeagueTable | None = None
        self.why = ""
        self.heading = QLabel("", self)
        self.heading.setObjectName("league_heading")
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        # Named columns before there is a table (not Qt's 1, 2, 3 ...); the criteria's names come with it.
        self.table.setHorizontalHeaderLabels([translate("LeagueView", c) for c in COLUMNS])
        self.table.setObjectName("league_table")
        self.table.setAccessibleName(self.tr("League table of policies"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # The policy wraps in the one stretching column; the figures keep their width.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the verdict takes what is left
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.itemSelectionChanged.connect(self._selection)
        self.figure = new_figure(self)
        self.figure.setAccessibleName(self.tr("Policies on the two criteria plot"))
        self.figure.setMinimumHeight(160)
        self.data = FigureData("League table", [])
        self.export_button = ExportButton(lambda: (self.figure, self.data, "league-table"), self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.figure)
        # The plot keeps room for its axes and title: in a 1280-px window the
        # table scrolls sideways rather than squeezing the plot off its right edge.
        self.figure.setMinimumWidth(320)
        fit_on_resize(self.figure)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignRight)
        self._on_screen: bool | None = None  # None: no dock tells us (a view on its own)
        self._stale = True
        document.evaluated.connect(lambda _result: self._changed())
        document.planReplaced.connect(self._changed)
        document.currentTrackChanged.connect(lambda _t: self._changed())
        self._changed()
        palette.on_change(self, self.retheme)  # plot and greyed rows read the palette: light or dark

    def retheme(self) -> None:
        """Draw again in the current colour scheme, keeping the selected row (also for exports)."""
        retheme_figures([self.figure])
        muted = palette.qcolor(palette.TEXT_MUTED)
        if self.table_data is not None:
            for k, row in enumerate(self.table_data.rows[:self.table.rowCount()]):
                for c in range(self.table.columnCount()):
                    item = self.table.item(k, c)
                    if item is not None and not row.on_frontier:
                        item.setForeground(muted)
        row = self.selected_row()
        self.data = draw_league(self.figure, self.table_data, selected=row.id if row else None,
                                why=self._plot_why())

    def set_on_screen(self, on_screen: bool) -> None:
        """Told by the dock: a tab behind another is "visible" to Qt but not seen."""
        self._on_screen = on_screen
        if on_screen and self._stale:
            self.refresh()

    def _changed(self) -> None:
        # Listing every policy is a walk over the tree: do it only when the table is seen.
        if self._on_screen is False:
            self._stale = True
            self.policySelected.emit(None)
            return
        self.refresh()

    def refresh(self) -> None:
        """Recompute the table for the current track and redraw."""
        self._stale = False
        plan = self.document.plan
        track = getattr(self.document, "current_track_id", None)
        self.table_data, self.why = None, ""
        if self.document.result is None:
            self.why = translate("LeagueView", "The plan has problems: fix them to see the league table.")
        elif len(plan.criteria) < 2:
            self.why = translate("LeagueView", "A league table weighs two criteria. Add a second one in "
                                               "File > Plan settings (each node's payoff2).")
        else:
            try:
                self.table_data = league_table(plan, track or None)
            except PlanError as exc:
                self.why = str(exc)
        self._fill()

    def _fill(self) -> None:
        table = self.table_data
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(0)
        self.table.blockSignals(False)
        if table is None:
            self.heading.setText(self.why)
            self.data = draw_league(self.figure, None, why=self._plot_why())
            self.policySelected.emit(None)
            return
        (n1, n2), (s1, s2), (u1, u2) = table.names, table.senses, table.units
        ratio_unit = fill(translate("LeagueView", "%1 per %2"), u2 or n2, u1 or n1)
        self.heading.setText(fill(translate(
            "LeagueView", "%1 (%2) against %3 (%4); weight %5 %6. Ratio (%6): the weight at which a row and "
            "the efficient row before it are equally good."),
            n1, translate("LeagueView", SENSES.get(s1, s1)), n2, translate("LeagueView", SENSES.get(s2, s2)),
            _num(table.weight), ratio_unit))
        headers = list(COLUMNS)
        # Two-line headers keep the number columns narrow.
        headers[2], headers[3] = n1 + ("\n" + unit_suffix(u1).strip() if u1 else ""), \
            n2 + ("\n" + unit_suffix(u2).strip() if u2 else "")
        headers = [translate("LeagueView", h) if h else h for h in headers]
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeaderItem(4).setToolTip(fill(translate(
            "LeagueView", "%1: the weight at which this row and the efficient row before it are equally good"),
            ratio_unit))
        self.table.setColumnWidth(1, max(160, self.table.fontMetrics().horizontalAdvance("x" * 30)))
        self.table.setRowCount(len(table.rows))
        muted = palette.qcolor(palette.TEXT_MUTED)
        for k, row in enumerate(table.rows):
            # Units are in the column headers; the cells hold the numbers.
            cells = (row.id, shorten("; ".join(row.labels) or translate("LeagueView", "(no decision)"), 160), _num(row.values[0]),
                     _num(row.values[1]), _num(row.icer), verdict(row, table))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not row.on_frontier:
                    item.setForeground(muted)
                if c == 1:
                    item.setToolTip("\n".join(row.labels))
                self.table.setItem(k, c, item)
        self.data = draw_league(self.figure, table)
        self.policySelected.emit(None)

    def _plot_why(self) -> str:
        # The heading says why in full; a long reason centred in the plot would be cut at both sides.
        return translate("LeagueView", "No league table")

    def selected_row(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.table_data is None:
            return None
        return self.table_data.rows[rows[0].row()]

    def select_row(self, row_id: str) -> None:
        """Select the row with this id (tests, keyboard)."""
        if self.table_data is None:
            return
        for k, row in enumerate(self.table_data.rows):
            if row.id == row_id:
                self.table.selectRow(k)
                return

    def _selection(self) -> None:
        row = self.selected_row()
        self.data = draw_league(self.figure, self.table_data, selected=row.id if row else None,
                                why=self._plot_why())
        self.policySelected.emit(dict(row.policy) if row is not None else None)


__all__ = ["LeagueView", "draw_league", "verdict"]
