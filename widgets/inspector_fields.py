"""The inspector's field helpers: parsing what is typed, a multi-line field,
and the node-local variables table (see :mod:`widgets.inspector`)."""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planning.model import expressions
from planning.model.plan import Variable
from widgets import palette
from widgets.i18n import fill, translate

MESSAGE_STYLE = "color: {BADGE_LATE};"  # a palette.styled() template


def check_expression(text: str) -> str | None:
    """Why ``text`` is not a valid expression, or None when it parses (nothing is evaluated)."""
    return expressions.check_syntax(text)


def parse_value(text: str, *, share: bool = False, empty=0.0,
                bounds: tuple[float, float] | None = None) -> tuple[object, str | None]:
    """Turn what was typed into a stored value: (value, None) or (None, message).

    Parameters
    ----------
    text : str
        A number, an expression or ``#``.
    share : bool
        Whether ``#`` (share the remainder) is allowed (branch probabilities).
    empty : object
        The value of an empty field.
    bounds : (low, high), optional
        Allowed range of a plain number.

    >>> parse_value("0.25", bounds=(0, 1)), parse_value("#", share=True)
    ((0.25, None), ('#', None))
    >>> parse_value("1.5", bounds=(0, 1))[1]
    'must be between 0 and 1'
    """
    stripped = text.strip()
    if not stripped:
        return empty, None
    if stripped == "#":
        return ("#", None) if share else (None, "'#' is only for branch probabilities")
    try:
        number = float(stripped)
    except ValueError:
        number = None
    if number is not None and math.isfinite(number):
        if bounds is not None and not bounds[0] <= number <= bounds[1]:
            return None, fill(translate("Inspector", "must be between %1 and %2"), f"{bounds[0]:g}", f"{bounds[1]:g}")
        return number, None
    message = check_expression(stripped)
    return (None, message) if message else (stripped, None)


def stored_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.15g}"
    return str(value)


class PlainTextField(QPlainTextEdit):
    """A multi-line field that reports ``editingFinished`` when it loses focus after a change.

    Tab and Shift+Tab move focus like in every other field (a tab character
    would trap a keyboard user); Ctrl+Tab types a literal tab.
    """

    editingFinished = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.insertPlainText("\t")
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.editingFinished.emit()

    def is_modified(self) -> bool:
        return self.document().isModified()

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.document().setModified(False)


class VariablesTable(QWidget):
    """Node-local variables as a name/value table; every edit sends the whole list."""

    edited = Signal(list)  # list[Variable]

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._variables: list[Variable] = []
        self._loading = False
        self.table = QTableWidget(0, 2, self)
        self.setFocusProxy(self.table)  # the form label's buddy leads into the table
        self.table.setAccessibleName(self.tr("Variables"))
        self.table.setAccessibleDescription(self.tr("Named values that probabilities and payoffs can use"))
        self.table.setHorizontalHeaderLabels(["name", "value"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table: no keyboard trap
        row_height = self.fontMetrics().height() + 8
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setFixedHeight(row_height * 2 + self.table.horizontalHeader().sizeHint().height() + 4)
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setToolTip(translate("VariablesTable", "add a variable for this subtree"))
        self.remove_button = QToolButton(self)
        self.remove_button.setText("−")
        self.remove_button.setToolTip(translate("VariablesTable", "remove the selected variable"))
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.message = QLabel(self)
        palette.styled(self.message, MESSAGE_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def set_variables(self, variables: list[Variable]) -> None:
        """Show ``variables`` (kept as given; edits send modified copies)."""
        self._variables = list(variables)
        self._loading = True
        try:
            self.table.setRowCount(len(variables))
            for row, variable in enumerate(variables):
                self.table.setItem(row, 0, QTableWidgetItem(variable.name))
                self.table.setItem(row, 1, QTableWidgetItem(stored_text(variable.value)))
        finally:
            self._loading = False

    def _copies(self) -> list[Variable]:
        return [Variable(v.name, v.value, v.range, v.description, dict(v.extra)) for v in self._variables]

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or not 0 <= item.row() < len(self._variables):
            return
        text = item.text().strip()
        variables = self._copies()
        variable = variables[item.row()]
        if item.column() == 0:
            others = {v.name for i, v in enumerate(variables) if i != item.row()}
            error = None if text.isidentifier() else fill(translate("VariablesTable", "%1 is not a name (letters, digits, _)"),
                                                          repr(text))
            error = error or (fill(translate("VariablesTable", "%1 is defined twice"), repr(text)) if text in others else None)
            value = text
        else:
            value, error = parse_value(text, empty=None)
            error = error or ("a value is needed" if value is None else None)
        if error:
            self.message.setText(error)
            self.message.show()
            self.set_variables(self._variables)  # back to the stored entry
            return
        self.message.hide()
        if item.column() == 0:
            variable.name = value
        else:
            variable.value = value
        self.edited.emit(variables)

    def _add(self) -> None:
        variables = self._copies()
        names = {v.name for v in variables}
        number = len(variables) + 1
        while f"v{number}" in names:
            number += 1
        variables.append(Variable(f"v{number}", 0.0))
        self.edited.emit(variables)

    def _remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentRow()
        if 0 <= row < len(self._variables):
            variables = self._copies()
            del variables[row]
            self.edited.emit(variables)
