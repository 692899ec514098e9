"""The prepared responses of the selected branch, as an editable table.

One row per response: title, owner, readiness (idea .. ready), lead time,
effect, cost, trigger. Each cell edit is one ``document.set_response_field``
call (one undo step); add, remove, up and down call ``add_response``,
``remove_response`` and ``move_response``. A response whose lead time
exceeds the branch's warning time is late: it counts as not ready, so its
lead-time and title cells turn red and say why.

Keys: typing or F2/Enter edits a cell; Tab and Enter save it and edit the
next cell in column order (title, owner, readiness, lead time, effect,
cost, trigger, then the next row's title); Shift+Tab goes back; after the
last cell (or before the first) focus leaves the table; Esc drops the cell
being typed and leaves the table at once (``leaveRequested``). Insert adds
a response. A saved cell never moves the cursor: the table is refreshed in
place, so the next cell is always the one after the cell just saved.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planning.model.plan import READINESS_LEVELS, Node, Response
from widgets import palette
from widgets.choice_combo import ChoiceCombo
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate

#: (field, header, tooltip) per column.
RESPONSE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("title", QT_TRANSLATE_NOOP("ResponsesTable", "title"), QT_TRANSLATE_NOOP("ResponsesTable", "what we do")),
    ("owner", QT_TRANSLATE_NOOP("ResponsesTable", "owner"), QT_TRANSLATE_NOOP("ResponsesTable", "who acts")),
    ("readiness", QT_TRANSLATE_NOOP("ResponsesTable", "readiness"), QT_TRANSLATE_NOOP("ResponsesTable", "idea, drafted, resourced, rehearsed or ready")),
    ("lead_time_days", QT_TRANSLATE_NOOP("ResponsesTable", "lead d"), QT_TRANSLATE_NOOP("ResponsesTable", "days needed to carry it out once triggered")),
    ("effect", QT_TRANSLATE_NOOP("ResponsesTable", "effect"), QT_TRANSLATE_NOOP("ResponsesTable", "payoff change when carried out")),
    ("cost", QT_TRANSLATE_NOOP("ResponsesTable", "cost"), QT_TRANSLATE_NOOP("ResponsesTable", "cost of preparing it")),
    ("trigger", QT_TRANSLATE_NOOP("ResponsesTable", "trigger"), QT_TRANSLATE_NOOP("ResponsesTable", "the signal that sets it off")),
)
COL_TITLE, COL_OWNER, COL_READINESS, COL_LEAD, COL_EFFECT, COL_COST, COL_TRIGGER = range(len(RESPONSE_COLUMNS))
_NUMBER_COLUMNS = (COL_LEAD, COL_EFFECT, COL_COST)
_COLUMN_WIDTHS = {COL_TITLE: 130, COL_OWNER: 64, COL_READINESS: 82, COL_LEAD: 48, COL_EFFECT: 50,
                  COL_COST: 44, COL_TRIGGER: 130}
#: Title and owner share the visible width, down to these widths (then the table scrolls).
MIN_TITLE_WIDTH, MIN_OWNER_WIDTH = 96, 64


def late_message(response: Response, warning_days: float | None) -> str | None:
    """Why a response is late ("late: 90 d lead time vs 7 d warning"), None when it is not."""
    if not response.is_late(warning_days):
        return None
    return fill(translate("ResponsesTable", "late: %1 d lead time vs %2 d warning"),
                f"{response.lead_time_days:g}", f"{warning_days:g}")


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


_Hint = QStyledItemDelegate.EndEditHint
_KEY_STEPS = {Qt.Key.Key_Tab: +1, Qt.Key.Key_Backtab: -1, Qt.Key.Key_Return: +1, Qt.Key.Key_Enter: +1}


class CellDelegate(QStyledItemDelegate):
    """The cell editor's keys: Tab/Enter save and go on in column order, Esc leaves.

    Qt's own Tab handling asks the view for "the next item" *after* the save
    has refreshed the table; here the cell is remembered first, so a value
    can never land in another column.
    """

    def __init__(self, owner: "ResponsesTable", parent=None) -> None:
        super().__init__(parent)
        self._owner = owner

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._owner is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                key = Qt.Key.Key_Backtab
            popup = isinstance(editor, QComboBox) and editor.view().isVisible()
            if key in _KEY_STEPS and not popup:
                cell = self._owner.current_cell()
                editor.blockSignals(True)  # closed here: no late "chosen" when it loses focus
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, _Hint.NoHint)
                self._owner.step_from(cell, _KEY_STEPS[key])
                return True
            if key == Qt.Key.Key_Escape and not popup:
                editor.blockSignals(True)
                self.closeEditor.emit(editor, _Hint.RevertModelCache)
                self._owner.leaveRequested.emit()
                return True
        return super().eventFilter(editor, event)


class ReadinessDelegate(CellDelegate):
    """Edits the readiness column with a combo of the five level names.

    Arrow keys and digits step through the levels without saving; the level
    is saved once, when one is picked from the list or the cell is left.
    """

    def __init__(self, owner: "ResponsesTable | None" = None, parent=None) -> None:
        super().__init__(owner, parent)

    def createEditor(self, parent, option, index):
        combo = ChoiceCombo(parent)
        combo.addItems([f"{level} {name}" for level, name in enumerate(READINESS_LEVELS)])
        # a level picked from the open list is final: save it and close the editor
        combo.chosen.connect(lambda _i, c=combo: (self.commitData.emit(c), self.closeEditor.emit(c)))
        return combo

    def setEditorData(self, editor, index):
        level = index.data(Qt.ItemDataRole.UserRole)
        editor.set_committed(int(level) if level is not None else 0)

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentIndex(), Qt.ItemDataRole.UserRole)


class ResponsesTable(QWidget):
    """Responses of the selected node (or of the node given to :meth:`set_node`).

    Parameters
    ----------
    document : Document
        The open document (ARCHITECTURE.md, "The Document").
    parent : QWidget, optional
    follow_selection : bool
        True: show the document's selected node; False: the owner calls set_node.
    fit_height : bool
        True: the table is as tall as its rows (for a scrolling form).
    """

    #: Esc in the table: the keyboard wants out (the window sends it to the canvas).
    leaveRequested = Signal()

    def __init__(self, document, parent=None, follow_selection: bool = True, fit_height: bool = False) -> None:
        super().__init__(parent)
        self._document = document
        self._fit_height = fit_height
        self._node_id: str | None = None
        self._loading = False
        self._response_ids: list[str] = []

        self.table = QTableWidget(0, len(RESPONSE_COLUMNS), self)
        self.table.setObjectName("responsesTable")
        self.table.setAccessibleName(self.tr("Responses"))
        self.table.setAccessibleDescription(self.tr("Prepared responses of the selected node: "
                                                    "title, owner, readiness, lead time, cost, effect"))
        for column, (_field, header, tip) in enumerate(RESPONSE_COLUMNS):
            item = QTableWidgetItem(translate("ResponsesTable", header))
            item.setToolTip(translate("ResponsesTable", tip))
            self.table.setHorizontalHeaderItem(column, item)
            self.table.setColumnWidth(column, _COLUMN_WIDTHS[column])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # In a narrow inspector the title and owner wrap rather than end in "…".
        self.table.setWordWrap(True)
        self.table.viewport().installEventFilter(self)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # Tab leaves the table unless a cell is being edited (then the
        # delegate walks the cells and leaves after the last one).
        self.table.setTabKeyNavigation(False)
        self.table.setItemDelegate(CellDelegate(self, self.table))
        self.table.setItemDelegateForColumn(COL_READINESS, ReadinessDelegate(self, self.table))
        self.table.installEventFilter(self)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        style = self.style()
        self.add_button = self._button("Add", "add a response", style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder))
        self.remove_button = self._button("Remove", "remove the selected response", style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon))
        self.up_button = self._button("Up", "move the selected response up", style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
        self.down_button = self._button("Down", "move the selected response down", style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        self.add_button.clicked.connect(self.add_response)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        self.message = QLabel(self)
        self.message.setObjectName("responsesMessage")
        palette.styled(self.message, "color: {BADGE_LATE};")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        document.changed.connect(self._on_changed)
        document.planReplaced.connect(self.reload)
        if follow_selection:
            document.selectionChanged.connect(self.set_node)
            self.set_node(getattr(document, "selected_id", None))
        else:
            self.set_node(None)

    def _button(self, text: str, tip: str, icon) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setIcon(icon)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        return button

    # -- public -----------------------------------------------------------
    @property
    def node_id(self) -> str | None:
        """The node whose responses are shown."""
        return self._node_id

    def node(self) -> Node | None:
        """The node shown, if it still exists."""
        return self._document.plan.nodes.get(self._node_id) if self._node_id else None

    def set_node(self, node_id: str | None) -> None:
        """Show the responses of ``node_id`` (None or "" for none)."""
        self._node_id = node_id or None
        self.reload()

    def selected_row(self) -> int:
        """Row of the selected response, -1 for none."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_row(self, row: int) -> None:
        """Select one response row (ignored when out of range)."""
        if 0 <= row < self.table.rowCount():
            self.table.selectRow(row)

    def add_response(self) -> str | None:
        """Add an empty response to the node, select it, and start editing its title."""
        if self.node() is None:
            return None
        response_id = self._document.add_response(self._node_id)
        if response_id in self._response_ids:
            row = self._response_ids.index(response_id)
            self.select_row(row)
            self.table.editItem(self.table.item(row, COL_TITLE))
        return response_id

    def current_cell(self) -> tuple[int, int]:
        """(row, column) of the table's cursor, (-1, -1) for none."""
        index = self.table.currentIndex()
        return (index.row(), index.column()) if index.isValid() else (-1, -1)

    def edit_cell(self, row: int, column: int) -> None:
        """Move the cursor to a cell and open its editor."""
        if 0 <= row < self.table.rowCount() and 0 <= column < self.table.columnCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.setCurrentCell(row, column)
            self.table.editItem(self.table.item(row, column))

    def step_from(self, cell: tuple[int, int], step: int) -> None:
        """After saving ``cell``: edit the cell ``step`` places on in reading
        order, or leave the table past its first or last cell."""
        columns = self.table.columnCount()
        row, column = cell
        position = row * columns + column + step
        if row < 0 or not 0 <= position < self.table.rowCount() * columns:
            self.leave(forward=step > 0)
            return
        self.edit_cell(*divmod(position, columns))

    def leave(self, forward: bool = True) -> None:
        """Give focus to the next (or previous) widget outside the table."""
        widget = self.table
        for _ in range(500):  # the focus chain is a ring: stop after one turn
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is None or widget is self.table:
                break
            if self.table.isAncestorOf(widget) or not widget.isVisible() or not widget.isEnabled():
                continue
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return
        self.table.clearFocus()

    def focus_first(self) -> None:
        """Keyboard into the responses: the first title (a new response when there is none)."""
        if self.node() is None:
            return
        if not self._response_ids:
            self.add_response()
            return
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.table.setCurrentCell(0, COL_TITLE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The table's own keys while no cell is being edited: Insert adds,
        Enter edits the current cell, Esc leaves; and the columns follow the viewport's width."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._size_columns()
        if watched is self.table and event.type() == QEvent.Type.KeyPress \
                and self.table.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key == Qt.Key.Key_Insert:
                self.add_response()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentIndex().isValid():
                self.edit_cell(*self.current_cell())
                return True
            if key == Qt.Key.Key_Escape:
                self.leaveRequested.emit()
                return True
        return super().eventFilter(watched, event)

    def remove_selected(self) -> None:
        """Remove the selected response."""
        row = self.selected_row()
        if self.node() is None or row < 0:
            return
        self._document.remove_response(self._node_id, self._response_ids[row])
        self.select_row(min(row, self.table.rowCount() - 1))

    def move_selected(self, step: int) -> None:
        """Move the selected response up (step -1) or down (+1), keeping it selected."""
        row = self.selected_row()
        target = row + step
        if self.node() is None or row < 0 or not 0 <= target < len(self._response_ids):
            return
        response_id = self._response_ids[row]
        self._document.move_response(self._node_id, response_id, target)
        if response_id in self._response_ids:
            self.select_row(self._response_ids.index(response_id))

    # -- document -> table ------------------------------------------------
    def _on_changed(self, change) -> None:
        kind = getattr(change, "kind", "reset")
        if kind in ("structure", "tracks", "reset", "plan") or self._node_id in (getattr(change, "node_ids", ()) or ()):
            self.reload()

    def reload(self, *_args) -> None:
        """Rebuild the rows from the document, keeping the selected response."""
        node = self.node()
        if node is None:
            self._node_id = None
        selected = self.selected_row()
        selected_id = self._response_ids[selected] if 0 <= selected < len(self._response_ids) else None
        cursor_column = self.current_cell()[1]
        responses = node.responses if node is not None else []
        self._loading = True
        try:
            self.table.setRowCount(len(responses))
            self._response_ids = [r.id for r in responses]
            for row, response in enumerate(responses):
                self._fill_row(row, response, node.warning_days)
        finally:
            self._loading = False
        if selected_id in self._response_ids:
            # Back to the same cell, not the row's first column: a Tab after
            # a saved cell must go on from where it was.
            row = self._response_ids.index(selected_id)
            if cursor_column >= 0:
                self.table.setCurrentCell(row, cursor_column)
            else:
                self.select_row(row)
        late = [late_message(r, node.warning_days) for r in responses] if node is not None else []
        late_count = sum(1 for m in late if m)
        text = ""
        if late_count == 1:
            text = fill(translate("ResponsesTable", "1 late response: its lead time exceeds the %1 d warning; "
                                                    "it counts as not ready."), f"{node.warning_days:g}")
        elif late_count:
            text = fill(translate("ResponsesTable", "%1 late responses: lead times exceed the %2 d warning; "
                                                    "they count as not ready."), late_count, f"{node.warning_days:g}")
        self.message.setText(text)
        self.message.setVisible(bool(late_count))
        self.setEnabled(node is not None)
        self._update_buttons()
        self._size_columns()

    def _size_columns(self) -> None:
        """Fit the columns to the table's width: short columns to their header and
        contents (never "lea…"), title and owner share what is left of the
        visible width (wrapping), the rest of the columns scroll in from the right."""
        table = self.table
        header = table.horizontalHeader()
        widths = {}
        for column in (COL_READINESS, COL_LEAD, COL_EFFECT, COL_COST):
            content = table.sizeHintForColumn(column) if table.rowCount() else 0
            widths[column] = max(_COLUMN_WIDTHS[column], header.sectionSizeHint(column), content)
        room = table.viewport().width() - widths[COL_READINESS] - widths[COL_LEAD]
        widths[COL_TITLE] = max(MIN_TITLE_WIDTH, int(room * 0.55))
        widths[COL_OWNER] = max(MIN_OWNER_WIDTH, room - widths[COL_TITLE])
        for column, width in widths.items():
            if table.columnWidth(column) != width:
                table.setColumnWidth(column, width)
        table.resizeRowsToContents()
        if self._fit_height:
            self._fit_to_rows()

    def _fit_to_rows(self) -> None:
        """Make the table as tall as its rows (2 to 8), so an inspector does not scroll twice."""
        table = self.table
        shown = min(table.rowCount(), 8)
        rows_height = sum(table.rowHeight(row) for row in range(shown))
        rows_height += max(0, 2 - shown) * table.verticalHeader().defaultSectionSize()
        height = (table.horizontalHeader().height() + rows_height
                  + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth())
        if table.height() != height:
            table.setFixedHeight(height)

    def _fill_row(self, row: int, response: Response, warning_days: float | None) -> None:
        late = late_message(response, warning_days)
        for column, (field, _header, _tip) in enumerate(RESPONSE_COLUMNS):
            value = getattr(response, field)
            item = QTableWidgetItem()
            if column == COL_READINESS:
                level = max(0, min(int(value), len(READINESS_LEVELS) - 1))
                item.setData(Qt.ItemDataRole.UserRole, level)
                item.setText(f"{level} {READINESS_LEVELS[level]}")
            elif column in _NUMBER_COLUMNS:
                item.setText(_number_text(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setText(str(value))
                item.setToolTip(str(value))
            if late and column in (COL_TITLE, COL_LEAD):
                item.setBackground(QBrush(palette.qcolor(palette.BADGE_LATE, alpha=60)))
                item.setToolTip(late)
                if column == COL_TITLE:
                    item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            self.table.setItem(row, column, item)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        has_node = self.node() is not None
        self.add_button.setEnabled(has_node)
        self.remove_button.setEnabled(has_node and row >= 0)
        self.up_button.setEnabled(has_node and row > 0)
        self.down_button.setEnabled(has_node and 0 <= row < len(self._response_ids) - 1)

    # -- table -> document ------------------------------------------------
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or self.node() is None:
            return
        row, column = item.row(), item.column()
        if not 0 <= row < len(self._response_ids):
            return
        response_id = self._response_ids[row]
        response = next((r for r in self.node().responses if r.id == response_id), None)
        if response is None:
            return
        field = RESPONSE_COLUMNS[column][0]
        ok, value = self._parse_cell(item, column)
        if not ok:
            self.reload()  # put back the stored value, then say why
            self.message.setText(value)
            self.message.show()
            return
        if value == getattr(response, field):
            return
        try:
            self._document.set_response_field(self._node_id, response_id, field, value)
        except ValueError as error:  # refused by the document: show why, keep the stored value
            self.reload()
            self.message.setText(str(error))
            self.message.show()

    @staticmethod
    def _parse_cell(item: QTableWidgetItem, column: int) -> tuple[bool, object]:
        """(True, value) for a valid cell, else (False, message)."""
        if column == COL_READINESS:
            level = item.data(Qt.ItemDataRole.UserRole)
            return True, max(0, min(int(level or 0), len(READINESS_LEVELS) - 1))
        text = item.text().strip()
        if column not in _NUMBER_COLUMNS:
            return True, text
        name = translate("ResponsesTable", RESPONSE_COLUMNS[column][1])
        if text == "" and column == COL_LEAD:
            return True, None
        try:
            number = float(text.replace(",", "")) if text else 0.0
        except ValueError:
            return False, fill(translate("ResponsesTable", "%1: not a number: %2"), name, repr(text))
        if not math.isfinite(number):
            return False, fill(translate("ResponsesTable", "%1: not a finite number: %2"), name, repr(text))
        if column in (COL_LEAD, COL_COST) and number < 0:
            return False, fill(translate("ResponsesTable", "%1: must not be negative"), name)
        return True, number

    def index_of(self, row: int, column: int) -> QModelIndex:
        """Model index of a cell (for tests and keyboard navigation)."""
        return self.table.model().index(row, column)
