"""The undo command: one QUndoCommand wraps one applied planning edit."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from planning.model.edits import Edit

if TYPE_CHECKING:  # pragma: no cover
    from app.document import Document

#: The id QUndoStack uses to offer two commands for merging. Every text-field
#: edit shares it; ``mergeWith`` then checks that field and object match.
TEXT_MERGE_ID = 0x42574544


class EditCommand(QUndoCommand):
    """Undo/redo one :class:`planning.model.edits.Edit` and tell the document.

    The edit is already applied when the command is pushed, so the first
    ``redo`` (which ``QUndoStack.push`` calls) only announces the change.
    """

    def __init__(self, document: "Document", edit: Edit):
        super().__init__(edit.text)
        self.document = document
        self.edit = edit
        self._applied = True

    def redo(self) -> None:
        if not self._applied:
            self.edit.redo(self.document.plan)
        self._applied = False
        self.document._edit_applied(self.edit.change)

    def undo(self) -> None:
        self.edit.undo(self.document.plan)
        self.document._edit_applied(self.edit.change)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return TEXT_MERGE_ID if self.edit.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, EditCommand) or not self.edit.merge(other.edit):
            return False
        # Typing a label back to what it was leaves nothing to undo.
        self.setObsolete(self.edit.is_noop())
        return True
