"""The priority list: every response with what raising it to ready is worth, best first.

It follows ``document.evaluated`` (the core already computed the list for the
current track, DESIGN point 5), so it needs no worker. Double-clicking a row
selects the response's branch in the canvas.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from widgets import palette
from widgets.analysis.plot_export import FigureData, shorten, write_csv
from widgets.analysis.readiness_view import jump_to
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate

COLUMNS = ("#", QT_TRANSLATE_NOOP("PriorityView", "Response"), QT_TRANSLATE_NOOP("PriorityView", "Owner"),
           QT_TRANSLATE_NOOP("PriorityView", "Branch"), QT_TRANSLATE_NOOP("PriorityView", "Readiness"),
           QT_TRANSLATE_NOOP("PriorityView", "Marginal value"), QT_TRANSLATE_NOOP("PriorityView", "Exposure removed"),
           QT_TRANSLATE_NOOP("PriorityView", "Late"))
READINESS_NAMES = ("0 idea", "1 drafted", "2 resourced", "3 rehearsed", "4 ready")


class _NumberItem(QTableWidgetItem):
    """A cell that sorts by its number, not its text."""

    def __init__(self, text: str, value: float):
        super().__init__(text)
        self.setData(Qt.ItemDataRole.UserRole + 1, float(value))
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other):  # noqa: D105 - Qt sorting hook
        mine, theirs = self.data(Qt.ItemDataRole.UserRole + 1), other.data(Qt.ItemDataRole.UserRole + 1)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


def _signed(value: float) -> str:
    return f"{value:+,.3g}" if abs(value) < 1000 else f"{value:+,.0f}"


class PriorityView(QWidget):
    """Responses of the current track, best marginal value first."""

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("priority_view")
        self.document = document
        self.rows: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.summary = QLabel("", self)
        self.summary.setObjectName("priority_summary")
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("priority_table")
        self.table.setAccessibleName(self.tr("Responses by priority"))
        self.table.setHorizontalHeaderLabels([translate("PriorityView", c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        # One line a row, long texts cut with "…" (full text in the tooltip), so a
        # narrow dock does not squeeze the Response column into a column of "…".
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.viewport().installEventFilter(self)
        self.table.setToolTip(translate("PriorityView", "What to prepare next: double-click a response to select its branch in the tree"))
        self.table.cellDoubleClicked.connect(self._jump)
        # Best first unless the planner sorts by another column.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        self._pending = None
        self._stale = False
        self._on_screen: bool | None = None  # None: follow isVisible() (no dock tells us)
        document.evaluated.connect(self._on_evaluated)
        self.show_result(document.result)
        # Late and marginal-value cells are coloured from the palette: fill again in the new scheme.
        palette.on_change(self, lambda: self._on_evaluated(self.document.result))

    def set_on_screen(self, on_screen: bool) -> None:
        """Told by the dock: a tab behind another is "visible" to Qt but not seen."""
        self._on_screen = on_screen
        if on_screen and self._stale:
            self.show_result(self._pending)

    def _on_evaluated(self, result) -> None:
        # Thousands of rows cost more than the edit itself: fill only when seen.
        seen = self.isVisible() if self._on_screen is None else (self._on_screen and self.isVisible())
        if seen:
            self.show_result(result)
        else:
            self._pending, self._stale = result, True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.show_result(self._pending)

    def show_result(self, result) -> None:
        """Fill the table from a TrackResult (None: the plan cannot be evaluated)."""
        self._pending, self._stale = None, False
        plan = self.document.plan
        unit = f" {plan.value_unit}" if plan.value_unit else ""
        table = self.table
        table.setSortingEnabled(False)
        self.rows = list(result.priorities) if result is not None else []
        table.setRowCount(len(self.rows))
        responses = {(n.id, r.id): r for n in plan.nodes.values() for r in n.responses}
        for row, p in enumerate(self.rows):
            node = plan.nodes.get(p.node)
            response = responses.get((p.node, p.response))
            title = (response.title if response is not None else "") or p.response
            level = response.readiness if response is not None else 0
            late = bool(p.late)
            cells = [
                _NumberItem(str(row + 1), row + 1),
                QTableWidgetItem(shorten(title, 60)),
                QTableWidgetItem(response.owner if response is not None else ""),
                QTableWidgetItem(shorten(node.label if node is not None else p.node, 50)),
                _NumberItem(READINESS_NAMES[max(0, min(4, int(level)))], level),
                _NumberItem(f"{_signed(p.marginal_value)}{unit}", p.marginal_value),
                _NumberItem(f"{100 * p.exposure_reduction:.1f} pts", p.exposure_reduction),
                QTableWidgetItem("late" if late else ""),
            ]
            cells[1].setToolTip(f"{p.response}: {title}")
            cells[3].setToolTip(node.label if node is not None else p.node)
            if late:
                cells[7].setForeground(QBrush(palette.qcolor(palette.BADGE_LATE)))
            if p.marginal_value > 0 if plan.objective != "minimize" else p.marginal_value < 0:
                cells[5].setForeground(QBrush(palette.qcolor(palette.SUCCESS_TEXT)))
            for col, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, p.node)
                table.setItem(row, col, item)
        table.setSortingEnabled(True)
        self._size_columns()
        if result is None:
            self.summary.setText(translate("PriorityView", "The plan cannot be evaluated: see Problems."))
        elif not self.rows:
            self.summary.setText(translate("PriorityView", "No responses in this track yet."))
        else:
            total = sum(p.marginal_value for p in self.rows)
            self.summary.setText(fill(translate("PriorityView", "%1 responses · raising all of them to ready would add about %2%3 (marginal values sum to %4%5)"), len(self.rows), _signed(result.ev_full - result.ev), unit, _signed(total), unit))

    def _size_columns(self) -> None:
        """Numbers at their width; Owner and Branch capped; Response gets the rest (at least ~22 characters)."""
        table = self.table
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.resizeColumnsToContents()
        room = table.viewport().width()
        caps = {2: 0.18, 3: 0.28}  # Owner, Branch: a share of the view
        for col, share in caps.items():
            header.resizeSection(col, min(header.sectionSize(col), max(90, int(room * share))))
        response_min = table.fontMetrics().horizontalAdvance("M" * 14)
        others = sum(header.sectionSize(c) for c in range(table.columnCount()) if c != 1)
        header.resizeSection(1, max(response_min, min(header.sectionSize(1), room - others), room - others))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize and self.rows:
            self._size_columns()
        return super().eventFilter(watched, event)

    def figure_data(self) -> FigureData:
        """The list as a table (CSV)."""
        data = FigureData("Priority list", ["rank", "response", "node", "marginal_value", "exposure_reduction", "late"])
        for rank, p in enumerate(self.rows, 1):
            data.rows.append([rank, p.response, p.node, p.marginal_value, p.exposure_reduction, bool(p.late)])
        return data

    def export_csv(self, path) -> None:
        write_csv(self.figure_data(), path)

    def _jump(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            jump_to(self.document, None, item.data(Qt.ItemDataRole.UserRole))


__all__ = ["PriorityView"]
