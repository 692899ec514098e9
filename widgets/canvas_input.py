"""Mouse and keys on the tree canvas: click to select, double-click to fold,
arrows to walk the tree, F2 to rename, +/- to zoom, Home to fit.

A mixin of :class:`widgets.tree_canvas.TreeCanvas`.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent


class CanvasInput:
    """Event handlers of the canvas (it calls the Document, never the plan)."""

    def mousePressEvent(self, event) -> None:
        self._press_pos = event.position().toPoint()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        start, self._press_pos = self._press_pos, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - start).manhattanLength() > 4:
            return  # that was a pan
        node_id = self.node_at(event.position())
        if node_id is not None and node_id != self.document.selected_id:
            self.document.select(node_id)

    def mouseDoubleClickEvent(self, event) -> None:
        node_id = self.node_at(event.position())
        if node_id is None:
            super().mouseDoubleClickEvent(event)
            return
        if node_id != self.document.selected_id:
            self.document.select(node_id)
        self.toggle_collapse(node_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = _KEY_MOVES[self.orientation]
        if key in moves:
            self._walk(moves[key])
        elif key == Qt.Key.Key_F2:
            self.start_rename()
        elif key == Qt.Key.Key_Space:
            self.toggle_collapse()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_Home:
            self.fit()
        else:
            super().keyPressEvent(event)

    def _walk(self, move: str) -> None:
        layout = self.layout_data
        if layout is None or not layout.ids:
            return
        i = self._selected_index()
        if i < 0:
            self.document.select(layout.ids[0])
            return
        target = -1
        parent = int(layout.parent[i])
        if move == "parent":
            target = parent
        elif move == "child":
            if layout.hidden_children[i]:
                self.toggle_collapse(layout.ids[i])
                layout = self.layout_data
                i = layout.index[self.document.selected_id]
            if layout.child_count[i]:
                target = int(layout.child_start[i])
        elif parent >= 0:
            # Siblings are contiguous in the breadth-first numbering.
            first = int(layout.child_start[parent])
            last = first + int(layout.child_count[parent]) - 1
            target = i - 1 if move == "previous" else i + 1
            if target < first or target > last:
                target = -1
        if target >= 0:
            self.document.select(layout.ids[target])


_KEY_MOVES = {
    "lr": {Qt.Key.Key_Left: "parent", Qt.Key.Key_Right: "child",
           Qt.Key.Key_Up: "previous", Qt.Key.Key_Down: "next"},
    "tb": {Qt.Key.Key_Up: "parent", Qt.Key.Key_Down: "child",
           Qt.Key.Key_Left: "previous", Qt.Key.Key_Right: "next"},
}
