"""A combo box that saves one choice, not every item the arrow keys pass.

``QComboBox.activated`` fires for each Up/Down (and each wheel step) on a
closed combo: connected straight to the document, walking from "success" to
"neutral" saved every item on the way, one undo step each. ``ChoiceCombo``
emits ``chosen`` once: when an item is picked from the open list, on Enter,
or when focus leaves the combo on another item than the one last chosen.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox


class ChoiceCombo(QComboBox):
    """A QComboBox whose ``chosen(int)`` fires once per final choice."""

    chosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._stepping = False   # inside a key press or wheel step: not final yet
        self._committed = -1     # the index the owner last saved or loaded
        self.activated.connect(self._on_activated)

    def set_committed(self, index: int) -> None:
        """Show ``index`` as the stored value (no ``chosen``)."""
        self.setCurrentIndex(index)
        self._committed = self.currentIndex()

    def pending(self) -> bool:
        """True while the shown item differs from the stored one."""
        return self.currentIndex() != self._committed

    def choose(self) -> None:
        """Emit ``chosen`` for the shown item if it is not the stored one."""
        index = self.currentIndex()
        if index != self._committed:
            self._committed = index
            self.chosen.emit(index)

    def _on_activated(self, index: int) -> None:
        if not self._stepping:  # picked in the open list (mouse or keys): final
            if index != self.currentIndex():
                self.setCurrentIndex(index)
            self.choose()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.view().isVisible():
            self.choose()
            return
        self._stepping = True
        try:
            super().keyPressEvent(event)
        finally:
            self._stepping = False

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        self._stepping = True
        try:
            super().wheelEvent(event)
        finally:
            self._stepping = False

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.choose()
