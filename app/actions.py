"""Every command of the main window as a named QAction, made in one place.

Menus, the toolbar, tests and the keyboard-shortcut help all use the same
actions, looked up by name (the QAction's objectName is ``action_<name>``).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt

from widgets.i18n import fill, translate
from PySide6.QtGui import QAction, QKeySequence


Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """One action: name, menu text, shortcuts, tip and whether it only acts in
    the tree views (Tab, Enter and Delete must keep their meaning in forms)."""

    name: str
    text: str
    shortcuts: tuple = ()
    tip: str = ""
    tree_only: bool = False
    checkable: bool = False


MENUS: dict[str, tuple[str, ...]] = {
    "&File": ("new", "open", "open_recent", "-", "save", "save_as", "-", "plan_settings", "-",
              "close", "quit"),
    "&Edit": ("undo", "redo", "-", "cut", "copy", "paste", "delete", "-", "add_child",
              "add_sibling", "rename", "-", "kind_decision", "kind_chance", "kind_terminal", "-",
              "find"),
    "&View": ("fit", "zoom_in", "zoom_out", "-", "collapse", "expand", "orientation", "-",
              "panels"),
    # Keyboard ways into the panes and the selected node's fields (app/keyboard.py).
    "&Go": ("next_pane", "previous_pane", "to_canvas", "-", "go_label", "go_kind",
            "go_probability", "go_payoff", "go_path", "go_committed", "go_warning_days",
            "go_signposts", "go_responses", "go_notes", "go_probability_range",
            "go_payoff_range", "go_variables"),
    "&Track": ("add_track", "rename_track", "remove_track", "-", "move_track_left",
               "move_track_right"),
    "&Help": ("shortcuts", "about"),
}
TOOLBAR: tuple[str, ...] = ("new", "open", "save", "-", "undo", "redo", "-", "add_child",
                            "add_sibling", "delete", "-", "fit", "zoom_in", "zoom_out",
                            "orientation", "-", "find")

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new", QT_TRANSLATE_NOOP("Actions", "&New"), (Key.New,),
               QT_TRANSLATE_NOOP("Actions", "Start a new plan")),
    ActionSpec("open", QT_TRANSLATE_NOOP("Actions", "&Open…"), (Key.Open,),
               QT_TRANSLATE_NOOP("Actions", "Open a plan file")),
    ActionSpec("open_recent", QT_TRANSLATE_NOOP("Actions", "Open &Recent")),
    ActionSpec("save", QT_TRANSLATE_NOOP("Actions", "&Save"), (Key.Save,),
               QT_TRANSLATE_NOOP("Actions", "Save the plan")),
    ActionSpec("save_as", QT_TRANSLATE_NOOP("Actions", "Save &As…"), ("Ctrl+Shift+S",),
               QT_TRANSLATE_NOOP("Actions", "Save the plan under a new name")),
    ActionSpec("close", QT_TRANSLATE_NOOP("Actions", "&Close"), ("Ctrl+W",),
               QT_TRANSLATE_NOOP("Actions", "Close the plan")),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), ("Ctrl+Q",),
               QT_TRANSLATE_NOOP("Actions", "Quit Branchwise")),
    ActionSpec("undo", QT_TRANSLATE_NOOP("Actions", "&Undo"), ("Ctrl+Z",)),
    ActionSpec("redo", QT_TRANSLATE_NOOP("Actions", "&Redo"), ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("cut", QT_TRANSLATE_NOOP("Actions", "Cu&t"), ("Ctrl+X",),
               QT_TRANSLATE_NOOP("Actions", "Cut the selected subtree")),
    ActionSpec("copy", QT_TRANSLATE_NOOP("Actions", "&Copy"), ("Ctrl+C",),
               QT_TRANSLATE_NOOP("Actions", "Copy the selected subtree")),
    ActionSpec("paste", QT_TRANSLATE_NOOP("Actions", "&Paste"), ("Ctrl+V",),
               QT_TRANSLATE_NOOP("Actions", "Paste a subtree under the selected node")),
    ActionSpec("delete", QT_TRANSLATE_NOOP("Actions", "&Delete"), ("Delete",),
               QT_TRANSLATE_NOOP("Actions", "Delete the selected subtree"), tree_only=True),
    ActionSpec("add_child", QT_TRANSLATE_NOOP("Actions", "Add &child"), ("Tab",),
               QT_TRANSLATE_NOOP("Actions", "Add a child to the selected node"),
               tree_only=True),
    ActionSpec("add_sibling", QT_TRANSLATE_NOOP("Actions", "Add &sibling"), ("Return", "Enter"),
               QT_TRANSLATE_NOOP("Actions", "Add a sibling after the selected node"), tree_only=True),
    ActionSpec("rename", QT_TRANSLATE_NOOP("Actions", "&Rename"), ("F2",),
               QT_TRANSLATE_NOOP("Actions", "Rename the selected node")),
    ActionSpec("find", QT_TRANSLATE_NOOP("Actions", "&Find…"), ("Ctrl+F",),
               QT_TRANSLATE_NOOP("Actions", "Find nodes by label, owner or signpost")),
    ActionSpec("fit", QT_TRANSLATE_NOOP("Actions", "&Fit"), ("Ctrl+0",),
               QT_TRANSLATE_NOOP("Actions", "Fit the tree in the window")),
    ActionSpec("zoom_in", QT_TRANSLATE_NOOP("Actions", "Zoom &in"), ("Ctrl+=", "Ctrl++")),
    ActionSpec("zoom_out", QT_TRANSLATE_NOOP("Actions", "Zoom &out"), ("Ctrl+-",)),
    ActionSpec("collapse", QT_TRANSLATE_NOOP("Actions", "&Collapse"), ("Ctrl+Left",),
               QT_TRANSLATE_NOOP("Actions", "Collapse the selected node")),
    ActionSpec("expand", QT_TRANSLATE_NOOP("Actions", "&Expand"), ("Ctrl+Right",),
               QT_TRANSLATE_NOOP("Actions", "Expand the selected node")),
    ActionSpec("orientation", QT_TRANSLATE_NOOP("Actions", "&Top to bottom"), ("Ctrl+T",),
               QT_TRANSLATE_NOOP("Actions", "Draw the tree top to bottom instead of left to right"), checkable=True),
    ActionSpec("panels", QT_TRANSLATE_NOOP("Actions", "&Panels")),
    ActionSpec("add_track", QT_TRANSLATE_NOOP("Actions", "&Add track"), ("Ctrl+Shift+N",)),
    ActionSpec("rename_track", QT_TRANSLATE_NOOP("Actions", "&Rename track…"), ("Ctrl+Shift+R",)),
    ActionSpec("remove_track", QT_TRANSLATE_NOOP("Actions", "Re&move track")),
    ActionSpec("move_track_left", QT_TRANSLATE_NOOP("Actions", "Move track &left"), ("Ctrl+Shift+PgUp",)),
    ActionSpec("move_track_right", QT_TRANSLATE_NOOP("Actions", "Move track &right"), ("Ctrl+Shift+PgDown",)),
    ActionSpec("plan_settings", QT_TRANSLATE_NOOP("Actions", "Plan se&ttings…"), ("Ctrl+Shift+I",),
               QT_TRANSLATE_NOOP("Actions", "Title, description, unit and objective of the plan")),
    # One key sets the selected node's kind on the canvas (creating a node is
    # Tab or Enter, then one of these): letters only act where the tree has focus.
    ActionSpec("kind_decision", QT_TRANSLATE_NOOP("Actions", "Make a &decision"), ("D",),
               QT_TRANSLATE_NOOP("Actions", "The selected node becomes a decision"),
               tree_only=True),
    ActionSpec("kind_chance", QT_TRANSLATE_NOOP("Actions", "Make a c&hance node"), ("C",),
               QT_TRANSLATE_NOOP("Actions", "The selected node becomes a chance node"),
               tree_only=True),
    ActionSpec("kind_terminal", QT_TRANSLATE_NOOP("Actions", "Make a ter&minal"), ("T",),
               QT_TRANSLATE_NOOP("Actions", "The selected node becomes a terminal"),
               tree_only=True),
    ActionSpec("next_pane", QT_TRANSLATE_NOOP("Actions", "&Next pane"), ("F6",),
               QT_TRANSLATE_NOOP("Actions", "Canvas, outline, inspector, then the open docks")),
    ActionSpec("previous_pane", QT_TRANSLATE_NOOP("Actions", "&Previous pane"), ("Shift+F6",),
               QT_TRANSLATE_NOOP("Actions", "The pane before this one")),
    # Esc itself is caught where no field used it (app/keyboard.py), not by a
    # shortcut: a window-wide Esc would steal it from editors and popups.
    ActionSpec("to_canvas", QT_TRANSLATE_NOOP("Actions", "Back to the &canvas"), (),
               QT_TRANSLATE_NOOP("Actions", "From any panel back to the tree canvas (Esc)")),
    ActionSpec("go_label", QT_TRANSLATE_NOOP("Actions", "&Label"), ("Alt+L",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's label")),
    ActionSpec("go_kind", QT_TRANSLATE_NOOP("Actions", "&Kind"), ("Alt+K",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's kind (decision, chance, terminal)")),
    ActionSpec("go_probability", QT_TRANSLATE_NOOP("Actions", "&Probability"), ("Alt+P",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's probability (a branch of a chance node)")),
    ActionSpec("go_payoff", QT_TRANSLATE_NOOP("Actions", "Pa&yoff"), ("Alt+Y",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's payoff")),
    ActionSpec("go_path", QT_TRANSLATE_NOOP("Actions", "Pat&h (outcome)"), ("Alt+O",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's path: success, failure or neutral")),
    ActionSpec("go_committed", QT_TRANSLATE_NOOP("Actions", "&Committed option"), ("Alt+C",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's committed option (a decision)")),
    ActionSpec("go_warning_days", QT_TRANSLATE_NOOP("Actions", "&Warning days"), ("Alt+W",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's warning time in days")),
    ActionSpec("go_signposts", QT_TRANSLATE_NOOP("Actions", "&Signposts"), ("Alt+S",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's signposts")),
    ActionSpec("go_responses", QT_TRANSLATE_NOOP("Actions", "&Responses"), ("Alt+R",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's responses (adds one when there is none)")),
    ActionSpec("go_notes", QT_TRANSLATE_NOOP("Actions", "&Notes"), ("Alt+N",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's notes")),
    ActionSpec("go_probability_range", QT_TRANSLATE_NOOP("Actions", "P&robability range"), ("Alt+Shift+P",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's probability range")),
    ActionSpec("go_payoff_range", QT_TRANSLATE_NOOP("Actions", "Payo&ff range"), ("Alt+Shift+Y",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's payoff range")),
    ActionSpec("go_variables", QT_TRANSLATE_NOOP("Actions", "&Variables"), ("Alt+Shift+V",),
               QT_TRANSLATE_NOOP("Actions", "Edit the selected node's variables")),
    ActionSpec("shortcuts", QT_TRANSLATE_NOOP("Actions", "&Keyboard shortcuts"), ("F1",)),
    ActionSpec("about", QT_TRANSLATE_NOOP("Actions", "&About Branchwise")),
)


def create_actions(parent: QObject) -> dict[str, QAction]:
    """Make every action of :data:`SPECS`, owned by ``parent``, keyed by name."""
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        # The table holds the English; what the window shows is translated here.
        text, tip = translate("Actions", spec.text), translate("Actions", spec.tip) if spec.tip else ""
        action = QAction(text, parent)
        action.setObjectName(f"action_{spec.name}")
        sequences = [QKeySequence(s) for s in spec.shortcuts]
        if sequences:
            action.setShortcuts(sequences)
        if spec.tree_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if tip:
            action.setStatusTip(tip)
            shortcut = sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
            action.setToolTip(fill(translate("Actions", "%1 (%2)"), tip, shortcut) if shortcut else tip)
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    return actions
