"""Every command of the main window as a named QAction, made in one place.

Menus, the toolbar, tests and the keyboard-shortcut help all use the same
actions, looked up by name (the QAction's objectName is ``action_<name>``).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
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
    ActionSpec("new", "&New", (Key.New,), "Start a new plan"),
    ActionSpec("open", "&Open…", (Key.Open,), "Open a plan file"),
    ActionSpec("open_recent", "Open &Recent"),
    ActionSpec("save", "&Save", (Key.Save,), "Save the plan"),
    ActionSpec("save_as", "Save &As…", ("Ctrl+Shift+S",), "Save the plan under a new name"),
    ActionSpec("close", "&Close", ("Ctrl+W",), "Close the plan"),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "Quit Branchwise"),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",)),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("cut", "Cu&t", ("Ctrl+X",), "Cut the selected subtree"),
    ActionSpec("copy", "&Copy", ("Ctrl+C",), "Copy the selected subtree"),
    ActionSpec("paste", "&Paste", ("Ctrl+V",), "Paste a subtree under the selected node"),
    ActionSpec("delete", "&Delete", ("Delete",), "Delete the selected subtree", tree_only=True),
    ActionSpec("add_child", "Add &child", ("Tab",), "Add a child to the selected node",
               tree_only=True),
    ActionSpec("add_sibling", "Add &sibling", ("Return", "Enter"),
               "Add a sibling after the selected node", tree_only=True),
    ActionSpec("rename", "&Rename", ("F2",), "Rename the selected node"),
    ActionSpec("find", "&Find…", ("Ctrl+F",), "Find nodes by label, owner or signpost"),
    ActionSpec("fit", "&Fit", ("Ctrl+0",), "Fit the tree in the window"),
    ActionSpec("zoom_in", "Zoom &in", ("Ctrl+=", "Ctrl++")),
    ActionSpec("zoom_out", "Zoom &out", ("Ctrl+-",)),
    ActionSpec("collapse", "&Collapse", ("Ctrl+Left",), "Collapse the selected node"),
    ActionSpec("expand", "&Expand", ("Ctrl+Right",), "Expand the selected node"),
    ActionSpec("orientation", "&Top to bottom", ("Ctrl+T",),
               "Draw the tree top to bottom instead of left to right", checkable=True),
    ActionSpec("panels", "&Panels"),
    ActionSpec("add_track", "&Add track", ("Ctrl+Shift+N",)),
    ActionSpec("rename_track", "&Rename track…", ("Ctrl+Shift+R",)),
    ActionSpec("remove_track", "Re&move track"),
    ActionSpec("move_track_left", "Move track &left", ("Ctrl+Shift+PgUp",)),
    ActionSpec("move_track_right", "Move track &right", ("Ctrl+Shift+PgDown",)),
    ActionSpec("plan_settings", "Plan se&ttings…", ("Ctrl+Shift+I",),
               "Title, description, unit and objective of the plan"),
    # One key sets the selected node's kind on the canvas (creating a node is
    # Tab or Enter, then one of these): letters only act where the tree has focus.
    ActionSpec("kind_decision", "Make a &decision", ("D",), "The selected node becomes a decision",
               tree_only=True),
    ActionSpec("kind_chance", "Make a c&hance node", ("C",), "The selected node becomes a chance node",
               tree_only=True),
    ActionSpec("kind_terminal", "Make a ter&minal", ("T",), "The selected node becomes a terminal",
               tree_only=True),
    ActionSpec("next_pane", "&Next pane", ("F6",), "Canvas, outline, inspector, then the open docks"),
    ActionSpec("previous_pane", "&Previous pane", ("Shift+F6",), "The pane before this one"),
    # Esc itself is caught where no field used it (app/keyboard.py), not by a
    # shortcut: a window-wide Esc would steal it from editors and popups.
    ActionSpec("to_canvas", "Back to the &canvas", (), "From any panel back to the tree canvas (Esc)"),
    *(ActionSpec(f"go_{field}", text, (keys,), f"Edit the selected node's {tip}")
      for field, text, keys, tip in (
          ("label", "&Label", "Alt+L", "label"),
          ("kind", "&Kind", "Alt+K", "kind (decision, chance, terminal)"),
          ("probability", "&Probability", "Alt+P", "probability (a branch of a chance node)"),
          ("payoff", "Pa&yoff", "Alt+Y", "payoff"),
          ("path", "Pat&h (outcome)", "Alt+O", "path: success, failure or neutral"),
          ("committed", "&Committed option", "Alt+C", "committed option (a decision)"),
          ("warning_days", "&Warning days", "Alt+W", "warning time in days"),
          ("signposts", "&Signposts", "Alt+S", "signposts"),
          ("responses", "&Responses", "Alt+R", "responses (adds one when there is none)"),
          ("notes", "&Notes", "Alt+N", "notes"),
          ("probability_range", "P&robability range", "Alt+Shift+P", "probability range"),
          ("payoff_range", "Payo&ff range", "Alt+Shift+Y", "payoff range"),
          ("variables", "&Variables", "Alt+Shift+V", "variables"),
      )),
    ActionSpec("shortcuts", "&Keyboard shortcuts", ("F1",)),
    ActionSpec("about", "&About Branchwise"),
)


def create_actions(parent: QObject) -> dict[str, QAction]:
    """Make every action of :data:`SPECS`, owned by ``parent``, keyed by name."""
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.name}")
        sequences = [QKeySequence(s) for s in spec.shortcuts]
        if sequences:
            action.setShortcuts(sequences)
        if spec.tree_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if spec.tip:
            action.setStatusTip(spec.tip)
            shortcut = sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
            action.setToolTip(f"{spec.tip} ({shortcut})" if shortcut else spec.tip)
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    return actions
