"""Insert a link to another track into an expression field, picked from a list.

Planners do not type track or node ids: the inspector's probability and
payoff fields get a trailing button that opens :class:`LinkPicker`, a
searchable list of what the node's track may read (other tracks' success,
failure and expected value, and the reach of their nodes). Tracks that
already read this one are left out, since reading them would close a circle.
The chosen call (``p_success("nuclear")``) is inserted at the cursor and the
field commits as after typing: one undoable edit.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLineEdit, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget,
)

from planning.engine import links
from widgets.i18n import fill, translate
from planning.model.plan import Plan


def choices(plan: Plan, node_id: str | None) -> list[tuple[str, str]]:
    """(what a planner reads, the call inserted) for every link the node's track may make."""
    owner = links.node_tracks(plan)
    own = owner.get(node_id) if node_id else None
    barred = {own} | set(links.readers_of(plan, own)) if own else set()
    out: list[tuple[str, str]] = []
    for track in plan.tracks:
        if track.id in barred:
            continue
        title = track.title or track.id
        out += [(fill(translate("LinkPicker", "Track “%1” ends in success"), title), f'p_success("{track.id}")'),
                (fill(translate("LinkPicker", "Track “%1” ends in failure"), title), f'p_failure("{track.id}")'),
                (fill(translate("LinkPicker", "Expected value of track “%1”"), title), f'ev("{track.id}")')]
        for node in plan.walk(track.root):
            label = " ".join(node.label.split()) or node.id
            out.append((fill(translate("LinkPicker", "“%1” is reached (%2)"), label, title), f'reach("{node.id}")'))
    return out


class LinkPicker(QDialog):
    """A filterable list of the values a track may read from the others."""

    def __init__(self, plan: Plan, node_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("link_picker")
        self.setWindowTitle(self.tr("Read a value from another track"))
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("link_filter")
        self.filter.setPlaceholderText(self.tr("Type to find a track or a node"))
        self.filter.setAccessibleName(self.tr("Find a track or a node"))
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        self.list.setObjectName("link_list")
        self.list.setAccessibleName(self.tr("Values this track may read"))
        for text, call in choices(plan, node_id):
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, call)
            item.setToolTip(call)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        if self.list.count():
            self.list.setCurrentRow(0)
        self.resize(460, 420)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            shown = all(w in item.text().lower() for w in words)
            item.setHidden(not shown)
            if shown and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def chosen(self) -> str | None:
        """The call to insert, e.g. ``p_success("nuclear")`` (None when nothing is picked)."""
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)


def insert_link(edit: QLineEdit, call: str) -> None:
    """Put ``call`` at the cursor (replacing a selection, or a lone 0) and commit the field."""
    if edit.text().strip() in ("", "0", "0.0"):
        edit.setText(call)
    else:
        edit.insert(call)
    edit.editingFinished.emit()


def install_link_action(edit: QLineEdit, plan_of: Callable[[], Plan], node_of: Callable[[], str | None],
                        exec_dialog: Callable[[LinkPicker], int] | None = None) -> QAction:
    """Give ``edit`` a trailing button that inserts a link picked from a list."""
    icon = edit.style().standardIcon(QStyle.StandardPixmap.SP_FileLinkIcon)
    action = QAction(icon, edit.tr("Read a value from another track…"), edit)
    action.setObjectName(f"{edit.objectName() or 'field'}_link")
    action.setToolTip(edit.tr("Read a value from another track (its success, failure, expected value "
                              "or the chance of reaching one of its nodes)"))

    def pick() -> None:
        picker = LinkPicker(plan_of(), node_of(), edit.window())
        result = exec_dialog(picker) if exec_dialog is not None else picker.exec()
        call = picker.chosen()
        if result == QDialog.DialogCode.Accepted and call:
            insert_link(edit, call)

    action.triggered.connect(pick)
    edit.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    return action


__all__ = ["LinkPicker", "choices", "insert_link", "install_link_action"]
