"""Keyboard-first editing in the main window.

:func:`install_keyboard` gives a :class:`app.main_window.MainWindow`:

* pane keys: F6 / Shift+F6 cycle canvas, outline, inspector and the open
  docks; Esc from any panel (where no field used it) goes back to the canvas;
* field keys (the Go menu, ``go_<field>`` actions): one key puts the cursor
  in a field of the selected node (Alt+P probability, Alt+Y payoff, ...);
* D / C / T on the canvas set the selected node's kind;
* Undo / Redo that always act on the plan (Ctrl+Z inside an inspector field
  or a responses / variables cell first saves what was typed, so undo takes
  that typing back), then select
  and reveal the node they changed and say what they did in the status bar
  ("Undo: probability of Vetoed");
* focus on the canvas when the window first shows.

Every key is an action of :mod:`app.actions` or a row of :data:`CONTEXT_KEYS`;
Help > Keyboard shortcuts lists both (app/help.py), so the list cannot drift
from what the keys do.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QDockWidget, QLineEdit, QPlainTextEdit, QStyledItemDelegate, QWidget,
)

from app.commands import EditCommand
from planning.model import edits
from planning.model.edits import Edit, track_of
from widgets.inspector import FIELDS
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate

K = Qt.Key

#: Keys that are not menu actions: (where, what, keys). Help lists them with the actions.
CONTEXT_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Panes", "Back to the canvas from any panel", "Esc"),
    ("Panes", "Next / previous pane (canvas, outline, inspector, docks)", "F6, Shift+F6"),
    ("Canvas", "Select parent / first child (left to right)", "Left, Right"),
    ("Canvas", "Select previous / next sibling (left to right)", "Up, Down"),
    ("Canvas", "Walk the tree drawn top to bottom", "Up, Down, Left, Right"),
    ("Canvas", "Add a child (a terminal parent becomes a chance node)", "Tab"),
    ("Canvas", "Add a sibling after the selected node", "Enter"),
    ("Canvas", "Make the selected node a decision / chance node / terminal", "D, C, T"),
    ("Canvas", "Rename in place (Enter saves, Esc cancels)", "F2"),
    ("Canvas", "Collapse or expand the selected node", "Space"),
    ("Canvas", "Zoom in / out", "+, -"),
    ("Canvas", "Fit the tree (twice: every level)", "Home"),
    ("Outline", "Move the selection", "Up, Down"),
    ("Outline", "Collapse / expand a row", "Left, Right"),
    ("Outline", "Jump to a label by typing its start", "letters"),
    ("Outline", "Add child / sibling, delete", "Tab, Enter, Del"),
    ("Inspector", "Next / previous field (leaves Signposts and Notes too)", "Tab, Shift+Tab"),
    ("Inspector", "Save the field", "Enter, or leave it"),
    ("Inspector", "A tab character in Signposts or Notes", "Ctrl+Tab"),
    ("Inspector", "Choose in a list: step without saving, save on Enter or leaving", "Up, Down"),
    ("Inspector", "Take back the last plan edit (typing in the field counts as one)", "Ctrl+Z"),
    ("Responses", "Edit the cell", "F2, Enter, or type"),
    ("Responses", "Save the cell and edit the next (title, owner, readiness, lead, effect, cost, "
                  "trigger); past the last cell focus leaves the table", "Tab, Enter"),
    ("Responses", "Save the cell and edit the previous one", "Shift+Tab"),
    ("Responses", "Readiness level while editing it", "0-4, Up, Down"),
    ("Responses", "Drop the cell being typed and leave the table", "Esc"),
    ("Responses", "Add a response", "Insert"),
    ("Responses", "Take back the last plan edit (typing in the cell counts as one)", "Ctrl+Z"),
    ("Presenter", "Next: reveal the next branch, then step into it",
     "Right, Down, PgDown, Space, Enter"),
    ("Presenter", "Previous: hide the last branch, then go back", "Left, Up, PgUp"),
    ("Presenter", "Take branch or option 1-9", "1-9"),
    ("Presenter", "Back one step", "Backspace"),
    ("Presenter", "Leave the walk (Esc in the notes leaves the notes)", "Esc"),
    ("Presenter", "Audience view / console on one screen", "T"),
    ("Presenter", "Type a note", "N"),
    ("Presenter", "Reveal one at a time or all at once / reveal all", "R, A"),
    ("Presenter", "Export the walk log as Markdown", "Ctrl+E"),
    ("Dialogs", "Next / previous field; the filter narrows the shortcut list", "Tab, Shift+Tab"),
    ("Dialogs", "OK / Cancel", "Enter, Esc"),
)

_FIELD_NAMES = dict(FIELDS)
_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def describe_edit(edit: Edit, plan) -> str:
    """What an edit did, in words a planner reads: "probability of Vetoed"."""
    change = edit.change

    def label(node_id: str | None) -> str:
        node = plan.nodes.get(node_id) if node_id else None
        return (node.label or node.id) if node is not None else (node_id or "?")

    fields = [f.replace("_", " ") for f in change.fields]
    if change.kind == edits.NODE and fields and change.node_ids:
        return f"{', '.join(fields)} of {label(change.node_ids[0])}"
    if change.kind == edits.RESPONSES and change.node_ids:
        what = f"response {', '.join(fields)}" if fields else edit.text.lower()
        return f"{what} on {label(change.node_ids[0])}"
    if change.kind == edits.STRUCTURE and change.node_ids:
        return f"{edit.text.lower()} under {label(change.node_ids[0])}"
    if change.kind == edits.PLAN and fields:
        return f"plan {', '.join(fields)}"
    return edit.text


def command_edits(command: QUndoCommand | None) -> list[Edit]:
    """The planning edits of an undo command (a macro's children, in order)."""
    if command is None:
        return []
    if isinstance(command, EditCommand):
        return [command.edit]
    found: list[Edit] = []
    for i in range(command.childCount()):
        found.extend(command_edits(command.child(i)))
    return found


#: A node's kind in the Tab note (read through translate() when used).
_KIND_WORDS = {"decision": QT_TRANSLATE_NOOP("KeyboardNavigator", "decision"),
               "chance": QT_TRANSLATE_NOOP("KeyboardNavigator", "chance"),
               "terminal": QT_TRANSLATE_NOOP("KeyboardNavigator", "terminal")}


def added_child_note(kind_before: str, kind_after: str, parent_label: str) -> str:
    """The status line after Tab: says when the parent changed kind."""
    if kind_before == kind_after:
        return fill(translate("KeyboardNavigator", "Added a child under %1 (D, C, T on the canvas set its kind)"),
                    parent_label)
    before, after = (translate("KeyboardNavigator", _KIND_WORDS.get(k, k)) for k in (kind_before, kind_after))
    if kind_after == "chance":
        return fill(translate("KeyboardNavigator", "%1 was a %2 and is now a %3 node: its new branch shares the "
                              "remaining probability (#). Ctrl+Z undoes; D, C, T set a kind"),
                    parent_label, before, after)
    return fill(translate("KeyboardNavigator", "%1 was a %2 and is now a %3 node: Ctrl+Z undoes; D, C, T set a kind"),
                parent_label, before, after)


class KeyboardNavigator(QObject):
    """The keyboard behaviour of one main window (see the module docstring)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._shown = False
        actions = window.actions
        for name, handler in (
                ("next_pane", lambda: self.cycle_pane(+1)),
                ("previous_pane", lambda: self.cycle_pane(-1)),
                ("to_canvas", self.to_canvas),
                ("undo", lambda: self.undo_redo(redo=False)),
                ("redo", lambda: self.undo_redo(redo=True)),
                ("kind_decision", lambda: self.set_kind("decision")),
                ("kind_chance", lambda: self.set_kind("chance")),
                ("kind_terminal", lambda: self.set_kind("terminal")),
                *((f"go_{field}", lambda f=field: self.go_field(f)) for field, _ in FIELDS)):
            action = actions.get(name)
            if action is None:
                continue
            try:
                action.triggered.disconnect()  # the window's plain undo/redo
            except (RuntimeError, TypeError):
                pass
            action.triggered.connect(lambda _checked=False, h=handler: h())
        actions["to_canvas"].setText(actions["to_canvas"].text() + "\tEsc")
        # Letters act on the canvas only: the outline keeps type-to-search.
        window.canvas.addActions([actions[n] for n in ("kind_decision", "kind_chance", "kind_terminal")])
        for dock in window.docks.values():
            dock.installEventFilter(self)
        window.centralWidget().installEventFilter(self)
        window.installEventFilter(self)
        window.document.planReplaced.connect(lambda: QTimer.singleShot(0, self._focus_lost))
        # A table that moves its cursor on Tab keeps the keyboard forever:
        # in every table of the window Tab leaves (arrows move the cursor).
        for view in window.findChildren(QAbstractItemView):
            view.setTabKeyNavigation(False)
        inspector = window.inspector
        inspector.responses.leaveRequested.connect(self.to_canvas)
        for field in inspector.findChildren(QLineEdit) + inspector.findChildren(QPlainTextEdit):
            field.installEventFilter(self)
        # A table's cell editor is made when a cell is edited, as a child of the
        # viewport: watch the viewports so each editor gets the undo keys too.
        for view in self.cell_tables():
            view.viewport().installEventFilter(self)

    # -- panes -------------------------------------------------------------
    def panes(self) -> list[tuple[str, QWidget]]:
        """(title, widget) of the canvas and every dock now on screen, in F6 order."""
        found = [("Canvas", self.window.canvas)]
        for dock in self.window.docks.values():
            widget = dock.widget()
            if widget is not None and dock.isVisible() and widget.isVisible():
                found.append((dock.windowTitle(), widget))
        return found

    def current_pane(self) -> int:
        """Index in :meth:`panes` of the pane holding the keyboard focus, -1 for none."""
        focus = QApplication.focusWidget()
        for i, (_title, widget) in enumerate(self.panes()):
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return i
        return -1

    def _editing(self) -> bool:
        """False while the window shows no plan editor (the welcome page)."""
        return self.window.canvas.isVisible()

    def cycle_pane(self, step: int) -> None:
        """F6 / Shift+F6: the next (previous) pane gets the keyboard."""
        if not self._editing():
            return
        panes = self.panes()
        current = self.current_pane()
        index = 0 if current < 0 and step > 0 else (current + step) % len(panes)
        title, widget = panes[index]
        self.focus_pane(widget)
        self.window.message(fill(translate("KeyboardNavigator", "%1 — F6: next pane, Shift+F6: previous, Esc: canvas"), title))

    def focus_pane(self, widget: QWidget) -> None:
        """Give the keyboard to a pane: its first field (the inspector: the label)."""
        if widget is self.window.inspector and self.window.inspector.node() is not None:
            self.window.inspector.focus_field("label")
            return
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        candidate = widget
        for _ in range(1000):  # the focus chain is a ring through the whole window
            candidate = candidate.nextInFocusChain()
            if candidate is None or candidate is widget:
                break
            if widget.isAncestorOf(candidate) and candidate.isVisible() and candidate.isEnabled() \
                    and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
                candidate.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_lost(self) -> None:
        """After a new plan (a template, a file): the canvas, if focus went nowhere."""
        try:
            current = QApplication.focusWidget()
            if current is None or not current.isVisible():
                self._canvas_unless_elsewhere()
        except RuntimeError:  # the window went before the timer fired
            pass

    def _canvas_unless_elsewhere(self) -> None:
        """A deferred move to the canvas: not while another window (a dialog
        opened meanwhile) has the keyboard, or its Return would reach our
        window's shortcuts."""
        active = QApplication.activeWindow()
        if active is not None and active is not self.window:
            return
        self.to_canvas()

    def to_canvas(self) -> None:
        """Esc: the keyboard back on the canvas (a field left this way is saved)."""
        try:
            canvas = self.window.canvas
            if canvas.isVisible():
                canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        except RuntimeError:  # called by a timer after the window went
            pass

    # -- fields ------------------------------------------------------------
    def go_field(self, field: str) -> None:
        """Alt+letter: the cursor into a field of the selected node."""
        window = self.window
        if not self._editing():
            return
        dock = window.docks.get("inspector")
        if dock is not None and not dock.isVisible():
            dock.show()
        if dock is not None:
            dock.raise_()
        node = window.selected_or_root()
        if node is not None and window.document.selected_id != node:
            window.document.select(node)
        reason = window.inspector.focus_field(field)
        if reason:
            window.message(f"{_FIELD_NAMES.get(field, field)}: {reason}")

    def set_kind(self, kind: str) -> None:
        """D / C / T on the canvas: the selected node's kind, said in the status bar."""
        document = self.window.document
        node_id = document.selected_id
        node = document.plan.nodes.get(node_id) if node_id else None
        if node is None:
            return
        name = node.label or node.id
        if node.kind == kind:
            self.window.message(fill(translate("KeyboardNavigator", "%1 is already a %2"), name, kind))
            return
        before = node.kind
        try:
            document.set_node_field(node_id, "kind", kind)
        except ValueError as exc:
            self.window.message(fill(translate("KeyboardNavigator", "%1 stays a %2: %3"), name, before, exc))
            return
        self.window.message(fill(translate("KeyboardNavigator", "%1 is now a %2 (was a %3)"), name, kind, before))

    # -- undo --------------------------------------------------------------
    def cell_tables(self) -> list[QAbstractItemView]:
        """The inspector's editable tables (responses, variables)."""
        inspector = self.window.inspector
        return [inspector.responses.table, inspector.variables_table.table]

    def commit_cell_editor(self) -> bool:
        """Save and close a table cell being typed in, as leaving it would. Whether there was one."""
        focused = QApplication.focusWidget()
        for view in self.cell_tables():
            if focused is None or focused.parentWidget() is not view.viewport() \
                    or view.state() != QAbstractItemView.State.EditingState:
                continue
            delegate = view.itemDelegateForIndex(view.currentIndex())
            focused.blockSignals(True)  # closed here: no second save when it loses focus
            delegate.commitData.emit(focused)
            delegate.closeEditor.emit(focused, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return False

    def undo_redo(self, redo: bool) -> str | None:
        """Undo (Redo) one plan edit; select and reveal its node; say it. The message, or None."""
        window = self.window
        if not redo:
            # typing in a field or a table cell is taken back as one step
            self.commit_cell_editor()
            window.inspector.commit_pending()
        stack = window.document.undo_stack
        if not (stack.canRedo() if redo else stack.canUndo()):
            window.message(fill(translate("KeyboardNavigator", "Nothing to %1"), 'redo' if redo else 'undo'))
            return None
        command = stack.command(stack.index() if redo else stack.index() - 1)
        found = command_edits(command)
        if len(found) != 1:  # a macro (plan settings, a recorded walk): its own name
            text = command.text() if command is not None else ""
        elif redo:
            text = ""  # described once redone: the node under its new label
        else:  # described before: "label of Vetoed" names what the planner sees go
            text = describe_edit(found[0], window.document.plan)
        stack.redo() if redo else stack.undo()
        if not text and found:
            text = describe_edit(found[0], window.document.plan)
        message = f"{'Redo' if redo else 'Undo'}: {text}"
        self._reveal(found, redo)
        window.message(message)
        return message

    def _reveal(self, found: list[Edit], redo: bool) -> None:
        """Select and show the node an undone (redone) edit touched."""
        document = self.window.document
        plan = document.plan
        for edit in reversed(found) if redo else found:
            ids = [n for n in edit.change.node_ids if n in plan.nodes]
            if not ids:
                continue
            target = ids[-1] if edit.change.kind == edits.STRUCTURE else ids[0]
            track = track_of(plan, target)
            if track and track != document.current_track_id:
                document.set_current_track(track)
            document.select(target)
            self.window.canvas.ensure_visible(target)
            self.window.outline.show_node(target)
            return

    # -- events ------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.ChildPolished and isinstance(event.child(), (QLineEdit, QPlainTextEdit)) \
                and any(watched is view.viewport() for view in self.cell_tables()):
            event.child().installEventFilter(self)  # a cell editor: Ctrl+Z undoes the plan
            return False
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                and isinstance(watched, (QLineEdit, QPlainTextEdit)):
            if not (isinstance(event, QKeyEvent) and any(event.matches(k) for k in _UNDO_KEYS)):
                return False
            if kind == QEvent.Type.KeyPress:
                # The Undo action is disabled while the plan has nothing to
                # undo yet (only typing in this field): undo here all the same.
                self.undo_redo(redo=event.matches(QKeySequence.StandardKey.Redo))
            return True  # an unaccepted override: Ctrl+Z goes to the plan's Undo, not the field's
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == K.Key_Escape and not event.modifiers() \
                and (isinstance(watched, QDockWidget) or watched is self.window.centralWidget()):
            self.to_canvas()  # reached the panel: nothing inside used the Esc
            return True
        if kind == QEvent.Type.Show and watched is self.window and not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._canvas_unless_elsewhere)  # start on the canvas, not the track tabs
        return False


def install_keyboard(window) -> KeyboardNavigator:
    """Give ``window`` its keyboard behaviour; the navigator is ``window.keyboard``."""
    navigator = KeyboardNavigator(window)
    window.keyboard = navigator
    return navigator
