"""Dialogs for shared plans: what changed (compare) and settling merge conflicts.

:class:`CompareDialog` lists the changes between the open plan and another
file by node id and field; double-clicking a row selects the node.

:class:`MergeDialog` lists the conflicts a three-way merge left in
``plan.extra["merge_conflicts"]`` (see :mod:`planning.sharing.merge`) side by side:
base, ours (the value the plan holds now) and theirs, the sides named by
branch or commit when git gave them (``plan.extra["merge_sides"]``). Each
row gets a choice: ours, theirs, or a value the planner types (a
compromise); a subtree deleted on one side and changed on the other can be
kept as changed or deleted after all. Apply makes the choices through the
Document's edit methods and drops the settled entries from the list, all as
one undo step. Other structural conflicts (children added on both sides) can
only be accepted as merged or left for later.

Widgets never edit the plan themselves, and the plan's ``extra`` has no
Document method: the caller passes ``set_conflicts``, an undoable way to
store the remaining list (app/sharing.py gives one).
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from planning.sharing.diff import ADDED, REMOVED, REORDERED, Change
from planning.sharing.merge import CONFLICTS_KEY, SIDES_KEY
from planning.model.plan import Plan
from widgets import palette
from widgets.conflict_rows import ConflictRow, conflict_row, typed_value
from widgets.i18n import fill, translate

__all__ = ["CompareDialog", "ConflictRow", "MergeDialog", "conflict_row", "field_text", "shown",
           "typed_value"]

OURS, THEIRS, LATER = "ours", "theirs", "later"
#: A value the planner types; the deletion of a deleted-vs-changed subtree.
OWN, DELETION = "own", "deletion"
REBASE_NOTE = ("During a rebase the sides swap: \u201cours\u201d is the upstream you are "
               "rebasing onto and \u201ctheirs\u201d is your own commit being replayed on top of it.")
#: Longest value shown in a cell (the tooltip holds the whole value).
CELL_CHARS = 120


# -- showing values ----------------------------------------------------------------
def _inert(text: str) -> str:
    """Text with control and bidi characters made visible (they could reorder a row)."""
    out = []
    for char in text:
        if char == "\n":
            out.append(" \u23ce ")
        elif not char.isprintable():
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def shown(value: Any, limit: int = CELL_CHARS) -> str:
    """A value from a plan file as one line of text for a table cell."""
    if value is None:
        return "(none)"
    if isinstance(value, str):
        text = _inert(value)
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        text = _inert(json.dumps(value, ensure_ascii=False, default=str))
    elif isinstance(value, int):
        text = str(value)
    else:
        text = f"{value:.12g}"  # 1234567.5 stays itself; 0.1 + 0.2 shows as 0.3
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _node_label(plan: Plan, node_id: str | None) -> str:
    if node_id is None:
        return "(plan)"
    node = plan.nodes.get(node_id)
    if node is None or not node.label:
        return node_id
    return f"{shown(node.label, 60)}  ({node_id})"


_PLACE = re.compile(r"(responses|variables|tracks)\[(.+)\](?:\.(\w+))?\Z")


def field_text(field: str) -> str:
    """A conflict's field for people: ``responses[r1].owner`` reads ``response r1: owner``."""
    match = _PLACE.match(field)
    if not match:
        return shown(field, 60)
    what, name, attr = match.group(1)[:-1], shown(match.group(2), 40), match.group(3)
    return f"{what} {name}: {attr}" if attr else f"{what} {name}"


def select_node(document, node_id: str | None) -> bool:
    """Show ``node_id``: switch to its track and select it. False when it is not in the plan."""
    plan = document.plan
    if not node_id or node_id not in plan.nodes:
        return False
    track = plan.track_of(node_id)
    if track is not None and track.id != document.current_track_id:
        document.set_current_track(track.id)
    document.select(node_id)
    return True


# -- compare -----------------------------------------------------------------------
class ChangesModel(QAbstractTableModel):
    """The changes of :func:`planning.sharing.diff.diff_plans` as a table (lazy: any number of rows)."""

    HEADERS = ("Change", "Node", "Label", "Field", "This plan", "Other file")
    THIS, OTHER = 4, 5

    def __init__(self, changes: list[Change], plan: Plan, parent=None):
        super().__init__(parent)
        self.changes = changes
        self.plan = plan

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def node_of(self, row: int) -> str | None:
        """The node a change row is about (the owner of a response or local variable)."""
        change = self.changes[row]
        if change.scope == "node":
            return change.id
        return change.node

    def _field(self, change: Change) -> str:
        scope, name = change.scope, shown(change.id, 40)
        if change.op == REORDERED:
            return f"{change.field or scope.split()[-1]} (order)"
        if scope in ("plan", "node"):
            return change.field or "node"
        what = {"node variable": "variable"}.get(scope, scope)
        return f"{what} {name}: {change.field}" if change.field else f"{what} {name}"

    def cell(self, row: int, column: int) -> str:
        change = self.changes[row]
        node_id = self.node_of(row)
        if column == 0:
            return change.op
        if column == 1:
            return "(plan)" if node_id is None else shown(node_id, 60)
        if column == 2:
            if node_id is None:
                return ""
            node = self.plan.nodes.get(node_id)
            return shown(change.label or (node.label if node is not None else ""), 80)
        if column == 3:
            return self._field(change)
        # diff_plans(this plan, other file): "added" exists only in the other file
        value = change.old if column == self.THIS else change.new
        if change.field is None and change.op in (ADDED, REMOVED):
            if value is None:
                return "\u2014"
            if change.scope == "node":  # the label is in its own column: say where it hangs
                return f"under {shown(change.node, 60)}" if change.node else "a root"
            name = value.get("title") or value.get("value") if isinstance(value, dict) else None
            return "present" + (f": {shown(name, 60)}" if name is not None else "")
        return shown(value)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() in (self.THIS, self.OTHER):
                change = self.changes[index.row()]
                return shown(change.old if index.column() == self.THIS else change.new, 2000)
            return self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            op = self.changes[index.row()].op
            return palette.qcolor({ADDED: palette.ADDED_TEXT, REMOVED: palette.REMOVED_TEXT}.get(op, palette.TEXT))
        return None


class CompareDialog(QDialog):
    """The changes between the open plan and another file; double-click shows the node.

    Parameters
    ----------
    document : Document
    changes : list of planning.sharing.diff.Change
        ``diff_plans(document.plan, other)``: "old" is this plan, "new" the other file.
    other_name : str
        The other file's name, for the title and the column header.
    parent : QWidget, optional
    """

    def __init__(self, document, changes: list[Change], other_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("compare_dialog")
        self.setWindowTitle(fill(translate("CompareDialog", "Compare with %1"), other_name))
        layout = QVBoxLayout(self)
        count = len(changes)
        if not count:
            summary = fill(translate("CompareDialog", "This plan and %1 are the same."), other_name)
        elif count == 1:
            summary = fill(translate("CompareDialog", "1 change from this plan to %1. "
                                                      "Double-click a row to select its node."), other_name)
        else:
            summary = fill(translate("CompareDialog", "%1 changes from this plan to %2. "
                                                      "Double-click a row to select its node."), count, other_name)
        self.summary = QLabel(summary, self)
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = ChangesModel(changes, document.plan, self)
        self.model.HEADERS = ChangesModel.HEADERS[:-1] + (shown(other_name, 40),)
        self.table = QTableView(self)
        self.table.setObjectName("changes_table")
        self.table.setAccessibleName(self.tr("Differences"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate((72, 80, 200, 200, 240)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.show_row(index.row()))
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(translate("CompareDialog", "Close"), self)
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(1100, 480)

    def rows(self) -> list[tuple[str, ...]]:
        """Every row as the text shown (for tests and copying)."""
        return [tuple(self.model.cell(r, c) for c in range(self.model.columnCount()))
                for r in range(self.model.rowCount())]

    def show_row(self, row: int) -> bool:
        """Select the node of change ``row`` in the editor (False if it is not in this plan)."""
        if not 0 <= row < self.model.rowCount():
            return False
        return select_node(self.document, self.model.node_of(row))


# -- merge conflicts ------------------------------------------------------------------
class MergeDialog(QDialog):
    """The merge conflicts of the open plan, side by side, with a choice per row.

    Parameters
    ----------
    document : Document
    set_conflicts : callable
        ``set_conflicts(entries)`` stores the conflicts still open (an empty
        list removes the field) as an undoable edit of the plan.
    notes : list of str, optional
        Automatic decisions of the merge (renamed ids), shown above the table.
    parent : QWidget, optional
    """

    HEADERS = ("Node", "Label", "Field", "Base", "Ours (now)", "Theirs", "Keep")
    BASE, OURS_COLUMN, THEIRS_COLUMN, CHOICE = 3, 4, 5, 6

    def sides(self) -> dict:
        """``{"ours", "theirs", "rebase"}``: how the merge named its sides."""
        sides = self.document.plan.extra.get(SIDES_KEY)
        sides = sides if isinstance(sides, dict) else {}
        return {"ours": _inert(str(sides.get("ours") or "")),
                "theirs": _inert(str(sides.get("theirs") or "")),
                "rebase": bool(sides.get("rebase"))}

    def headers(self) -> tuple[str, ...]:
        """Column titles, ours and theirs named by branch or commit when known."""
        sides = self.sides()
        # The name on a second line: the column stays as wide as its values need.
        ours = f"Ours (now):\n{shown(sides['ours'], 40)}" if sides["ours"] not in ("", "ours") \
            else "Ours (now)"
        theirs = f"Theirs:\n{shown(sides['theirs'], 40)}" if sides["theirs"] not in ("", "theirs") \
            else "Theirs"
        return self.HEADERS[:4] + (ours, theirs) + self.HEADERS[6:]

    def __init__(self, document, set_conflicts: Callable[[list[dict]], None],
                 notes: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.set_conflicts = set_conflicts
        self.setObjectName("merge_dialog")
        self.setWindowTitle(translate("MergeDialog", "Merge conflicts"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("merge_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.notes = QLabel("\n".join(f"\u2022 {_inert(n)}" for n in notes or []), self)
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        self.rebase_note = QLabel(REBASE_NOTE, self)
        self.rebase_note.setObjectName("rebase_note")
        self.rebase_note.setWordWrap(True)
        layout.addWidget(self.rebase_note)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setObjectName("conflict_table")
        self.table.setAccessibleName(self.tr("Merge conflicts"))
        self.table.setAccessibleDescription(self.tr("One row per conflict: what differs, ours, theirs, "
                                                    "and which to keep"))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Conflicts are few: wrap whole values (up to CELL_CHARS) over a few lines.
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate((70, 150, 120, 150, 150, 150, 200)):
            header.resizeSection(column, width)
        for column in (self.BASE, self.OURS_COLUMN, self.THEIRS_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(
            lambda row, _column: select_node(self.document, self.rows[row].node))
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.all_ours = QPushButton(translate("MergeDialog", "Take all &ours"), self)
        self.all_ours.setObjectName("take_all_ours")
        self.all_ours.clicked.connect(lambda: self.take_all(OURS))
        self.all_theirs = QPushButton(translate("MergeDialog", "Take all &theirs"), self)
        self.all_theirs.setObjectName("take_all_theirs")
        self.all_theirs.clicked.connect(lambda: self.take_all(THEIRS))
        buttons.addWidget(self.all_ours)
        buttons.addWidget(self.all_theirs)
        buttons.addStretch(1)
        self.apply_button = QPushButton(translate("MergeDialog", "&Apply"), self)
        self.apply_button.setObjectName("apply_button")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        cancel = QPushButton(translate("MergeDialog", "Cancel"), self)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.rows: list[ConflictRow] = []
        self.combos: list[QComboBox] = []
        self.editors: list[QLineEdit | None] = []
        self.reload()
        self.resize(1200, 480)

    # -- filling -------------------------------------------------------------
    def reload(self) -> None:
        """Read the conflicts the plan holds now."""
        entries = self.document.plan.extra.get(CONFLICTS_KEY) or []
        self.rows = [conflict_row(self.document, e) for e in entries if isinstance(e, dict)]
        self.combos, self.editors = [], []
        self.table.setHorizontalHeaderLabels(self.headers())
        sides = self.sides()
        self.rebase_note.setVisible(sides["rebase"])
        self.table.clearSpans()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            self._fill_row(r, row)
        self.table.resizeRowsToContents()
        for r in range(len(self.rows)):  # breathing room above and below wrapped text
            self.table.setRowHeight(r, self.table.rowHeight(r) + 8)
        count = len(self.rows)
        values = sum(row.resolvable for row in self.rows)
        deletions = sum(row.delete is not None for row in self.rows)
        review = count - values - deletions
        ours = fill(translate("MergeDialog", "ours (%1)"), sides["ours"]) if sides["ours"] not in ("", "ours") \
            else translate("MergeDialog", "ours")
        parts = [translate("MergeDialog", "1 conflict.") if count == 1
                 else fill(translate("MergeDialog", "%1 conflicts."), count)]
        if values:
            parts.append(fill(translate("MergeDialog", "Where both sides changed a value (%1), the plan holds %2 "
                                                       "for now: keep ours, take theirs or type your own value."),
                              values, ours))
        if deletions:
            parts.append(fill(translate("MergeDialog", "Where one side deleted a subtree the other changed (%1), "
                                                       "the plan keeps the changed subtree: keep it or take the "
                                                       "deletion."), deletions))
        if review:
            parts.append(translate("MergeDialog", "1 other (see the note): accept the merge there or leave it "
                                                  "for later.") if review == 1
                         else fill(translate("MergeDialog", "%1 others (see the note): accept the merge there or "
                                                            "leave it for later."), review))
        parts.append(translate("MergeDialog", "Apply makes all the choices as one undo step."))
        text = " ".join(parts)
        self.summary.setText(text)
        self.apply_button.setEnabled(bool(count))

    def _item(self, text: str, tip: str = "") -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setToolTip(tip or text)
        return item

    def _fill_row(self, r: int, row: ConflictRow) -> None:
        entry = row.entry
        node = self.document.plan.nodes.get(row.node) if row.node else None
        self.table.setItem(r, 0, self._item(shown(row.node, 60) if row.node else "(plan)"))
        self.table.setItem(r, 1, self._item(shown(node.label, 80) if node is not None else ""))
        self.table.setItem(r, 2, self._item(field_text(row.field), row.field))
        message = entry.get("message")
        if message:
            detail = "\n".join(f"{side}: {shown(entry.get(side), 400)}"
                               for side in ("base", "ours", "theirs"))
            note = self._item(f"\u26a0 {_inert(str(message))}", f"{message}\n\n{detail}")
            font = QFont(note.font())
            font.setItalic(True)
            note.setFont(font)
            self.table.setItem(r, self.BASE, note)
            self.table.setSpan(r, self.BASE, 1, 3)
        else:
            for column, side in ((self.BASE, "base"), (self.OURS_COLUMN, "ours"),
                                 (self.THEIRS_COLUMN, "theirs")):
                self.table.setItem(r, column, self._item(shown(entry.get(side)),
                                                         shown(entry.get(side), 2000)))
        combo = QComboBox()
        combo.setObjectName(f"choice_{r}")
        editor = None
        if row.resolvable:
            combo.addItem(translate("MergeDialog", "Ours"), OURS)
            combo.addItem(translate("MergeDialog", "Theirs"), THEIRS)
            combo.addItem(translate("MergeDialog", "Own value\u2026"), OWN)
            editor = QLineEdit()
            editor.setObjectName(f"own_value_{r}")
            editor.setAccessibleName(self.tr("Own value for %1").replace("%1", field_text(row.field)))
            editor.setPlaceholderText(translate("MergeDialog", "type the value to keep"))
            editor.setToolTip(translate("MergeDialog", "A value of your own (a compromise), set when you Apply"))
            theirs = entry.get("theirs")
            editor.setText("" if theirs is None else shown(theirs, 2000) if not isinstance(theirs, str)
                           else theirs)
            editor.hide()
            editor.textEdited.connect(lambda _t, r=r: self.choose(r, OWN))
        elif row.delete is not None:
            combo.addItem(translate("MergeDialog", "Keep the changed subtree"), OURS)
            combo.addItem(translate("MergeDialog", "Take the deletion"), DELETION)
        else:
            combo.addItem(translate("MergeDialog", "Accept merge"), OURS)
        combo.addItem(translate("MergeDialog", "Decide later"), LATER)
        combo.currentIndexChanged.connect(lambda _i, r=r: self._highlight(r))
        holder = QWidget(self.table)  # keeps the combo its own height in a tall row
        box = QVBoxLayout(holder)
        box.setContentsMargins(2, 0, 2, 0)
        box.addWidget(combo, 0, Qt.AlignmentFlag.AlignVCenter)
        if editor is not None:
            editor.setParent(holder)
            box.addWidget(editor, 0, Qt.AlignmentFlag.AlignVCenter)
        self.table.setCellWidget(r, self.CHOICE, holder)
        self.combos.append(combo)
        self.editors.append(editor)
        self._highlight(r)

    def _highlight(self, r: int) -> None:
        choice = self.choice(r)
        editor = self.editors[r] if r < len(self.editors) else None
        if editor is not None:
            editor.setVisible(choice == OWN)
            if choice == OWN:
                holder = self.table.cellWidget(r, self.CHOICE)
                needed = holder.sizeHint().height() + 8 if holder is not None else 0
                if self.table.rowHeight(r) < needed:  # room for the combo and the editor
                    self.table.setRowHeight(r, needed)
            if choice == OWN and not editor.hasFocus():
                editor.setFocus()  # type at once; the proposed text is replaced
                editor.selectAll()
        if self.rows[r].entry.get("message"):
            return
        for column, side in ((self.OURS_COLUMN, OURS), (self.THEIRS_COLUMN, THEIRS)):
            item = self.table.item(r, column)
            if item is not None:
                # the side a row will keep: a tint of the scheme's "added" green
                item.setBackground(palette.qcolor(palette.CHOSEN_BACKGROUND) if choice == side
                                   else QColor(0, 0, 0, 0))
                font = QFont(item.font())
                font.setBold(choice == side)
                item.setFont(font)

    # -- choosing ------------------------------------------------------------
    def choice(self, r: int) -> str:
        """``ours``, ``theirs``, ``own``, ``deletion`` or ``later`` for row ``r``."""
        return self.combos[r].currentData()

    def own_value(self, r: int, text: str) -> bool:
        """Row ``r`` keeps the value ``text`` (typed by the planner); False if not a value row."""
        if self.editors[r] is None:
            return False
        self.editors[r].setText(text)
        return self.choose(r, OWN)

    def choose(self, r: int, side: str) -> bool:
        """Set row ``r`` to ``side``; False when that side cannot be taken there."""
        index = self.combos[r].findData(side)
        if index < 0:
            return False
        self.combos[r].setCurrentIndex(index)
        return True

    def take_all(self, side: str) -> None:
        """Every row that can take ``side`` takes it (review-only rows keep their choice)."""
        for r in range(len(self.rows)):
            if side == OURS or self.rows[r].resolvable:
                self.choose(r, side)

    # -- applying --------------------------------------------------------------
    def apply(self) -> bool:
        """Make the choices as one undo step; False (and nothing changed) on a refused value."""
        document = self.document
        settled = [r for r in range(len(self.rows)) if self.choice(r) != LATER]
        if not settled:
            self.accept()
            return True
        stack = document.undo_stack
        before = stack.index()
        failed = None
        document.begin_macro("Resolve merge conflicts")
        try:
            for r in settled:
                row, choice = self.rows[r], self.choice(r)
                try:
                    if choice == THEIRS and row.resolve is not None:
                        row.resolve(row.entry.get("theirs"))
                    elif choice == OWN and row.resolve is not None:
                        row.resolve(typed_value(self.editors[r].text(),
                                                [row.entry.get(k) for k in ("base", "ours", "theirs")]))
                    elif choice == DELETION and row.delete is not None:
                        row.delete()
                except (ValueError, KeyError, TypeError) as exc:
                    failed = f"{_node_label(document.plan, row.node)}: {row.field}: {exc}"
                    break
            if failed is None:
                done = [self.rows[r].entry for r in settled]
                current = document.plan.extra.get(CONFLICTS_KEY) or []
                self.set_conflicts([e for e in current if e not in done])
        finally:
            document.end_macro()
        if failed is not None:
            if stack.index() > before:
                stack.undo()
                # An obsolete command is not kept, but pushing it drops the
                # redo entry: the half-made step is gone for good.
                dropped = QUndoCommand("")
                dropped.setObsolete(True)
                stack.push(dropped)
            QMessageBox.warning(self, translate("MergeDialog", "Cannot apply that choice"), fill(translate("MergeDialog", "%1\n\nNothing was changed."), failed))
            return False
        self.accept()
        return True
