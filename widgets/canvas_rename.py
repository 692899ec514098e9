"""The in-place label editor of the tree canvas."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit


class RenameEdit(QLineEdit):
    """In-place label editor: Enter commits, Esc cancels, leaving commits."""

    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._done = False
        self.setAccessibleName(self.tr("Node label"))
        self.setAccessibleDescription(self.tr("Enter keeps the new label, Esc cancels"))
        self.returnPressed.connect(self._commit)

    def begin(self, text: str) -> None:
        self._done = False
        self.setText(text)
        self.selectAll()
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _commit(self) -> None:
        if not self._done:
            self._done = True
            self.hide()
            self.committed.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if not self._done:
                self._done = True
                self.hide()
                self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.isVisible():
            self._commit()
