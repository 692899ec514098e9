"""Ctrl+F in the main window: a bar above the canvas that finds nodes.

A node matches when the text is in its label, a response's owner or a
signpost (case-insensitive); Enter selects the next match across all tracks,
switching track when the match is on another one.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from widgets.i18n import fill, translate

if TYPE_CHECKING:  # pragma: no cover - typing only
    from app.main_window import MainWindow


class FindBar(QWidget):
    """Ctrl+F: find nodes by label, response owner or signpost; Enter jumps to the next."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("find_bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        label = QLabel(self.tr("&Find:"), self)
        layout.addWidget(label)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("find_edit")
        label.setBuddy(self.edit)
        self.edit.setAccessibleName(self.tr("Find nodes"))
        self.edit.setAccessibleDescription(self.tr("Finds nodes by label, response owner or signpost; "
                                                   "Enter selects the next match"))
        self.edit.setPlaceholderText(translate("FindBar", "label, owner or signpost — Enter for the next match"))
        self.edit.setClearButtonEnabled(True)
        self.edit.returnPressed.connect(self.find_next)
        self.edit.textChanged.connect(lambda _t: self.status.setText(""))
        layout.addWidget(self.edit, 1)
        self.status = QLabel("", self)
        self.status.setAccessibleName(self.tr("Find result"))
        layout.addWidget(self.status)
        close = QToolButton(self)
        close.setText("✕")
        close.setAccessibleName(self.tr("Close the find bar"))
        close.setToolTip(self.tr("Close the find bar (Esc)"))
        close.setAutoRaise(True)
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.window_.canvas.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        else:
            super().keyPressEvent(event)

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(track id, node id) of every match, tracks in order, nodes in pre-order."""
        needle = text.casefold().strip()
        if not needle:
            return []
        plan = self.window_.document.plan
        found = []
        for track in plan.tracks:
            for node in plan.walk(track.root):
                if (needle in node.label.casefold()
                        or any(needle in r.owner.casefold() for r in node.responses)
                        or any(needle in s.casefold() for s in node.signposts)):
                    found.append((track.id, node.id))
        return found

    def find_next(self) -> str | None:
        """Select the match after the selected node (wrapping); its id, or None."""
        document = self.window_.document
        found = self.matches(self.edit.text())
        if not found:
            self.status.setText(translate("FindBar", "no match"))
            return None
        ids = [node_id for _, node_id in found]
        position = ids.index(document.selected_id) + 1 if document.selected_id in ids else 0
        track_id, node_id = found[position % len(found)]
        document.set_current_track(track_id)
        document.select(node_id)
        self.status.setText(fill(translate("FindBar", "%1 of %2"), position % len(found) + 1, len(found)))
        return node_id
