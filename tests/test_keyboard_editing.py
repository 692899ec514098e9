"""Issue 16, item by item: the main window driven with keys where the focus is."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit

from conftest import SHARED
from gui_windows import focus, open_window, press
from app import file_dialogs
from app.actions import SPECS
from app.help import shortcut_rows
from app.keyboard import CONTEXT_KEYS
from app.main_window import MainWindow
from app.plan_settings import PlanSettingsDialog
from widgets.inspector import FIELDS
from widgets.responses_table import COL_EFFECT, COL_LEAD, COL_OWNER, COL_READINESS, COL_TITLE

Key = Qt.Key
Mod = Qt.KeyboardModifier
MINIMAL = SHARED / "examples" / "minimal.bwplan"


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, MINIMAL, tmp_path)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focus(), text)


def on_canvas(qtbot, win, node_id: str) -> None:
    win.document.select(node_id)
    win.canvas.setFocus()
    qtbot.waitUntil(lambda: focus() is win.canvas)


def status(win) -> str:
    return win.statusBar().currentMessage()


# -- 1. panes and fields ---------------------------------------------------------
def test_f6_cycles_the_panes_and_esc_comes_back_to_the_canvas(window, qtbot):
    win = window
    titles = [title for title, _ in win.keyboard.panes()]
    assert titles[:4] == ["Canvas", "Outline", "Inspector", "Problems"]
    visited = []
    for _ in range(len(titles)):
        press(qtbot, Key.Key_F6)
        visited.append(win.keyboard.panes()[win.keyboard.current_pane()][0])
        assert visited[-1] in status(win)
    assert visited == titles[1:] + ["Canvas"]
    press(qtbot, Key.Key_F6, Mod.ShiftModifier)            # backwards: the last dock
    assert visited[-2] == win.keyboard.panes()[win.keyboard.current_pane()][0]
    for _title, pane in win.keyboard.panes()[1:]:          # Esc from every panel
        win.keyboard.focus_pane(pane)
        assert pane is focus() or pane.isAncestorOf(focus())
        press(qtbot, Key.Key_Escape)
        assert focus() is win.canvas


@pytest.mark.parametrize("field,label", FIELDS)
def test_every_field_of_the_selected_node_is_one_key_from_the_canvas(window, qtbot, field, label):
    win = window
    node = "d1" if field == "committed" else "t2"     # a branch has every other field
    on_canvas(qtbot, win, node)
    spec = next(s for s in SPECS if s.name == f"go_{field}")
    sequence = win.actions[f"go_{field}"].shortcut()
    assert sequence.toString() == spec.shortcuts[0]
    combo = sequence[0]
    qtbot.keyClick(focus(), combo.key(), combo.keyboardModifiers())  # one key press
    widget = win.inspector.field_widget(field)
    assert focus() is widget or widget.isAncestorOf(focus()), field
    press(qtbot, Key.Key_Escape)                                     # and one back
    assert focus() is win.canvas


def test_a_field_a_node_does_not_have_is_explained(window, qtbot):
    on_canvas(qtbot, window, "t3")                      # an option, not a branch
    press(qtbot, Key.Key_P, Mod.AltModifier)
    assert "Probability: only a branch of a chance node has a probability" in status(window)
    assert focus() is window.canvas


# -- 2. Tab leaves signposts and notes ----------------------------------------------
@pytest.mark.parametrize("name", ["signposts_edit", "notes_edit"])
def test_tab_leaves_signposts_and_notes_and_ctrl_tab_types_a_tab(window, qtbot, name):
    field = getattr(window.inspector, name)
    on_canvas(qtbot, window, "t1")
    field.setFocus()
    qtbot.waitUntil(lambda: focus() is field)
    type_text(qtbot, "a")
    press(qtbot, Key.Key_Tab, Mod.ControlModifier)
    type_text(qtbot, "b")
    assert "a\tb" in field.toPlainText()
    press(qtbot, Key.Key_Tab)
    assert focus() is not field and "\t\t" not in field.toPlainText()
    field.setFocus()
    press(qtbot, Key.Key_Tab, Mod.ShiftModifier)
    assert focus() is not field


# -- 3. the responses table -------------------------------------------------------
def test_tab_through_a_response_writes_each_column_and_leaves_the_table(window, qtbot):
    win = window
    on_canvas(qtbot, win, "t3")                          # no responses yet
    press(qtbot, Key.Key_R, Mod.AltModifier)            # adds one, edits its title
    response_id = win.document.plan.nodes["t3"].responses[0].id
    for text, key in (("Hire", Key.Key_Tab), ("Ops", Key.Key_Return), ("2", Key.Key_Tab),
                      ("30", Key.Key_Return), ("-4", Key.Key_Tab)):   # Tab and Enter alike
        type_text(qtbot, text)
        press(qtbot, key)
    [response] = win.document.plan.nodes["t3"].responses
    assert (response.id, response.title, response.owner, response.readiness, response.lead_time_days,
            response.effect) == (response_id, "Hire", "Ops", 2, 30, -4)
    table = win.inspector.responses
    assert table.table.item(0, COL_OWNER).text() == "Ops"     # nothing landed in the wrong cell
    assert table.table.item(0, COL_LEAD).text() == "30" and table.table.item(0, COL_EFFECT).text() == "-4"
    type_text(qtbot, "5")                                # cost
    press(qtbot, Key.Key_Tab)
    type_text(qtbot, "x")                                # trigger: the last cell
    press(qtbot, Key.Key_Tab)
    assert not table.table.isAncestorOf(focus()) and focus() is not table.table
    assert win.document.plan.nodes["t3"].responses[0].trigger == "x"
    # back in: Shift+Tab from outside enters; Tab without an editor leaves again
    table.table.setFocus()
    table.table.setCurrentCell(0, COL_TITLE)
    press(qtbot, Key.Key_Tab)
    assert focus() is not table.table
    # Esc while typing drops the cell and leaves the table at once
    table.edit_cell(0, COL_OWNER)
    type_text(qtbot, "Nobody")
    press(qtbot, Key.Key_Escape)
    assert focus() is win.canvas
    assert win.document.plan.nodes["t3"].responses[0].owner == "Ops"


def test_shift_tab_in_the_responses_goes_back_a_cell(window, qtbot):
    win = window
    on_canvas(qtbot, win, "t1")
    table = win.inspector.responses
    table.edit_cell(0, COL_LEAD)
    press(qtbot, Key.Key_Tab, Mod.ShiftModifier)
    assert table.current_cell() == (0, COL_READINESS)
    press(qtbot, Key.Key_Tab, Mod.ShiftModifier)
    assert table.current_cell() == (0, COL_OWNER)


# -- 4. combos save once ------------------------------------------------------------
def test_arrow_keys_in_a_combo_make_one_undo_step_with_the_final_choice(window, qtbot):
    win = window
    doc = win.document
    on_canvas(qtbot, win, "t3")                          # path neutral
    saved = []
    doc.changed.connect(lambda change: saved.append(doc.plan.nodes["t3"].path)
                        if "path" in change.fields else None)
    steps = doc.undo_stack.count()
    press(qtbot, Key.Key_O, Mod.AltModifier)
    press(qtbot, Key.Key_Up, times=2)                    # neutral -> failure -> success
    assert doc.plan.nodes["t3"].path == "neutral" and saved == []   # nothing saved yet
    press(qtbot, Key.Key_Escape)
    assert saved == ["success"] and doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert doc.plan.nodes["t3"].path == "neutral"


# -- 5. undo from a field, revealed and said ----------------------------------------
def test_ctrl_z_in_a_field_undoes_the_plan_and_says_what(window, qtbot):
    win = window
    doc = win.document
    on_canvas(qtbot, win, "t2")
    press(qtbot, Key.Key_L, Mod.AltModifier)
    type_text(qtbot, "Vetoed")
    press(qtbot, Key.Key_Return)
    press(qtbot, Key.Key_P, Mod.AltModifier)
    type_text(qtbot, "0.3")
    press(qtbot, Key.Key_Return)
    assert doc.plan.nodes["t2"].probability == 0.3
    on_canvas(qtbot, win, "t3")                          # elsewhere now
    press(qtbot, Key.Key_Y, Mod.AltModifier)
    press(qtbot, Key.Key_Z, Mod.ControlModifier)         # inside the payoff field
    assert doc.plan.nodes["t2"].probability == "#"       # the plan's undo won
    assert status(win) == "Undo: probability of Vetoed"
    assert doc.selected_id == "t2"                       # selected and revealed
    assert win.outline.selected_node_id() == "t2"
    x, y = win.canvas.node_screen_pos("t2")
    assert win.canvas.viewport().rect().contains(int(x), int(y))
    press(qtbot, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert doc.plan.nodes["t2"].probability == 0.3 and status(win) == "Redo: probability of Vetoed"


def test_ctrl_z_takes_back_what_was_typed_in_the_field(window, qtbot):
    win = window
    on_canvas(qtbot, win, "t3")
    press(qtbot, Key.Key_Y, Mod.AltModifier)
    type_text(qtbot, "99")                               # typed, not yet saved
    press(qtbot, Key.Key_Z, Mod.ControlModifier)
    assert win.document.plan.nodes["t3"].payoff == 20
    assert win.inspector.payoff_edit.text() == "20"
    assert status(win) == "Undo: payoff of Wait a year"


# -- 6. kinds ------------------------------------------------------------------------
def test_tab_under_a_terminal_says_it_became_a_chance_node(window, qtbot):
    on_canvas(qtbot, window, "t3")
    press(qtbot, Key.Key_Tab)
    assert window.document.plan.nodes["t3"].kind == "chance"
    assert "Wait a year was a terminal and is now a chance node" in status(window)
    assert "(#)" in status(window)


def test_d_c_t_choose_the_kind_of_a_new_node(window, qtbot):
    win = window
    doc = win.document
    on_canvas(qtbot, win, "c1")
    press(qtbot, Key.Key_Tab)                            # a new branch, being named
    type_text(qtbot, "Delay")                            # letters go into the name ...
    press(qtbot, Key.Key_Return)
    new = doc.selected_id
    assert doc.plan.nodes[new].label == "Delay" and doc.plan.nodes[new].kind == "terminal"
    press(qtbot, Key.Key_D)                              # ... and set the kind on the canvas
    assert doc.plan.nodes[new].kind == "decision"
    assert status(win) == "Delay is now a decision (was a terminal)"
    press(qtbot, Key.Key_C)
    assert doc.plan.nodes[new].kind == "chance"
    press(qtbot, Key.Key_T)
    assert doc.plan.nodes[new].kind == "terminal"
    on_canvas(qtbot, win, "c1")
    press(qtbot, Key.Key_T)                              # a node with branches stays
    assert doc.plan.nodes["c1"].kind == "chance" and "Launch stays a chance" in status(win)


# -- 8. focus, drift, collapse -----------------------------------------------------
def test_focus_starts_on_the_canvas(window):
    assert focus() is window.canvas


def test_adding_nodes_keeps_the_tree_and_the_new_node_in_view(window, qtbot):
    win = window
    canvas = win.canvas
    root = win.document.plan.tracks[0].root
    on_canvas(qtbot, win, "t3")
    for name in "abcd":
        press(qtbot, Key.Key_Tab)
        type_text(qtbot, name)
        press(qtbot, Key.Key_Return)
        for node in (root, win.document.selected_id):
            x, y = canvas.node_screen_pos(node)
            assert canvas.viewport().rect().contains(int(x), int(y)), (name, node)


def test_collapse_keeps_the_node_and_its_label_in_view_and_the_outline_follows(window, qtbot):
    win = window
    on_canvas(qtbot, win, "c1")
    index = win.outline.tree_model.index_of("c1")
    assert win.outline.isExpanded(index)
    canvas = win.canvas
    canvas.zoom_in()
    canvas.zoom_in()                                     # c1 near the left edge of a close view
    rect = canvas.view_box.viewRect()
    x = float(canvas.layout_data.x[canvas.layout_data.index["c1"]])
    canvas.view_box.setRange(rect.translated(x - rect.left() - rect.width() * 0.03, 0), padding=0)
    press(qtbot, Key.Key_Left, Mod.ControlModifier)     # View > Collapse
    assert not win.outline.isExpanded(index)
    x, y = canvas.node_screen_pos("c1")
    assert canvas.viewport().rect().contains(int(x), int(y))
    canvas.update_labels()
    shown = canvas.labels.texts()
    assert any(text.startswith("Launch") for text in shown), shown   # its label is drawn
    label = canvas.labels.items[[t.startswith("Launch") for t in shown].index(True)]
    box = canvas.mapFromScene(label.textItem.sceneBoundingRect()).boundingRect()
    assert canvas.viewport().rect().contains(box)                       # and inside the view
    press(qtbot, Key.Key_Right, Mod.ControlModifier)
    assert win.outline.isExpanded(index)


# -- 9. plan settings ----------------------------------------------------------------
def test_plan_settings_set_title_unit_objective_as_one_undo_step(window, qtbot):
    win = window
    doc = win.document
    plan = doc.plan
    before = (plan.title, plan.description, plan.value_unit, plan.objective)
    press(qtbot, Key.Key_I, Mod.ControlModifier | Mod.ShiftModifier)
    dialog = win.findChild(PlanSettingsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: focus() is dialog.title_edit)
    dialog.title_edit.selectAll()
    type_text(qtbot, "Spring launch")
    press(qtbot, Key.Key_Tab)
    assert focus() is dialog.description_edit
    dialog.description_edit.selectAll()
    type_text(qtbot, "Go or wait")
    press(qtbot, Key.Key_Tab)                            # Tab leaves the description
    assert focus() is dialog.unit_edit
    dialog.unit_edit.selectAll()
    type_text(qtbot, "EUR k")
    press(qtbot, Key.Key_Tab)
    press(qtbot, Key.Key_Down)                           # minimize
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    plan = doc.plan
    assert (plan.title, plan.description, plan.value_unit, plan.objective) == \
        ("Spring launch", "Go or wait", "EUR k", "minimize")
    assert "Plan settings: title, description, unit, objective changed" in status(win)
    qtbot.waitUntil(lambda: focus() is win.canvas)      # back where it was
    press(qtbot, Key.Key_Z, Mod.ControlModifier)         # one step takes it all back
    assert (plan.title, plan.description, plan.value_unit, plan.objective) == before
    assert status(win) == "Undo: Plan settings"


# -- 10. file dialogs ----------------------------------------------------------------
def test_save_as_starts_in_the_last_folder_with_a_name_from_the_title(window, qtbot, tmp_path, monkeypatch):
    win = window
    asked = []
    folder = tmp_path / "plans"
    folder.mkdir()

    def fake_save(parent, caption, start, filters):
        asked.append(start)
        win.inspector.label_edit.setFocus()  # a dialog takes the focus away
        return str(folder / "saved"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    win.document.new()
    win.document.set_plan_field("title", "Peace talks: round 2")
    win.canvas.setFocus()
    qtbot.waitUntil(lambda: focus() is win.canvas)
    assert win.save_as()
    assert Path(asked[0]).name == "Peace talks round 2.bwplan"
    assert (folder / "saved.bwplan").exists()
    assert focus() is win.canvas                          # focus came back
    win.document.new()
    assert win.save_as()
    assert Path(asked[1]).parent == folder                 # the folder last used


def test_open_starts_in_the_documents_folder_without_history(window, monkeypatch, tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_dialogs.platformdirs, "user_documents_dir", lambda: str(documents))
    window.document.new()
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda parent, caption, start, filters: (asked.append(start), ("", ""))[1])
    file_dialogs.settings.settings().remove(file_dialogs.LAST_FOLDER_KEY)
    assert not window.open_file()
    assert Path(asked[0]) == documents


# -- 11. every key in the help ------------------------------------------------------
def test_help_lists_every_key_and_finds_them(window, qtbot):
    rows = shortcut_rows(window)
    for row in CONTEXT_KEYS:
        assert row in rows
    keys = {key for _, _, keys in rows for key in keys.split(", ")}
    assert {"F6", "Shift+F6", "Esc", "Alt+P", "Alt+Y", "Alt+O", "Alt+R", "D", "C", "T", "F2", "Space",
            "Ctrl+Tab", "Insert", "Backspace", "Ctrl+Shift+I"} <= keys
    places = {group for group, _, _ in rows}
    assert {"Go", "Canvas", "Outline", "Inspector", "Responses", "Presenter", "Panes"} <= places
    press(qtbot, Key.Key_F1)
    dialog = [d for d in window.findChildren(QDialog, "shortcuts_dialog") if d.isVisible()][0]
    qtbot.keyClicks(dialog.filter, "pane")
    found = dialog.visible_rows()
    assert ("Go", "Next pane", "F6") in found
    assert all("pane" in " ".join(row).lower() for row in found)
    dialog.close()


def test_the_canvas_and_presenter_keys_in_the_help_are_the_keys_they_use(window):
    from widgets.canvas_input import _KEY_MOVES
    from widgets.presenter.presenter import NEXT_KEYS, PREVIOUS_KEYS
    from PySide6.QtGui import QKeySequence

    text = " ".join(keys for _, _, keys in shortcut_rows(window))
    names = {QKeySequence(key).toString() for moves in _KEY_MOVES.values() for key in moves}
    names |= {QKeySequence(key).toString() for key in NEXT_KEYS | PREVIOUS_KEYS}
    names = {{"Return": "Enter", "PgDown": "PgDown"}.get(n, n) for n in names}
    for name in names:
        assert name in text, name


def test_a_template_from_the_welcome_page_leaves_the_keyboard_on_the_canvas(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    from app.document import Document
    from app.welcome import install_welcome

    win = MainWindow(Document())
    win.document.setParent(win)
    qtbot.addWidget(win)
    install_welcome(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    button = win.welcome.page.template_buttons["blank"]
    button.setFocus()
    qtbot.waitUntil(lambda: focus() is button)
    qtbot.keyClick(button, Key.Key_Space)                # chosen with the keyboard
    qtbot.waitUntil(lambda: win.canvas.isVisible())
    qtbot.waitUntil(lambda: focus() is win.canvas)
    press(qtbot, Key.Key_Tab)                            # and Tab adds an option at once
    assert len(win.document.plan.nodes) == 4


def test_no_two_commands_share_a_key(window):
    from PySide6.QtGui import QAction

    owners: dict[str, str] = {}
    clashes = []
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString()
            if key and owners.setdefault(key, action.objectName()) != action.objectName():
                clashes.append((key, owners[key], action.objectName()))
    assert clashes == []
    mnemonics = {t.text().replace("&&", "").split("&")[1][:1].upper()
                 for t in window.menuBar().actions() if "&" in t.text()}
    field_letters = {window.actions[f"go_{f}"].shortcut().toString()[-1] for f, _ in FIELDS
                     if window.actions[f"go_{f}"].shortcut().toString().startswith("Alt+")
                     and "Shift" not in window.actions[f"go_{f}"].shortcut().toString()}
    assert not mnemonics & field_letters   # Alt+letter never fights a menu's Alt+letter


def test_readiness_arrows_in_the_responses_save_once_on_tab(window, qtbot):
    win = window
    doc = win.document
    on_canvas(qtbot, win, "t1")
    level = doc.plan.nodes["t1"].responses[0].readiness
    table = win.inspector.responses
    table.edit_cell(0, COL_READINESS)
    steps = doc.undo_stack.count()
    press(qtbot, Key.Key_Down, times=2)
    assert doc.plan.nodes["t1"].responses[0].readiness == level and doc.undo_stack.count() == steps
    press(qtbot, Key.Key_Tab)
    assert doc.plan.nodes["t1"].responses[0].readiness == min(level + 2, 4)
    assert doc.undo_stack.count() == steps + 1
    assert table.current_cell() == (0, COL_LEAD)         # and on to the next column


# -- issue 16 item 5 / issue 10: Ctrl+Z in a table cell acts on the plan ---------------
def test_ctrl_z_in_a_response_cell_takes_back_the_typing_as_a_plan_step(window, qtbot):
    win = window
    doc = win.document
    on_canvas(qtbot, win, "t1")
    table = win.inspector.responses
    owner = doc.plan.nodes["t1"].responses[0].owner
    table.edit_cell(0, COL_OWNER)
    focus().selectAll()
    type_text(qtbot, "Someone else")                     # typed, not yet saved
    steps = doc.undo_stack.count()
    press(qtbot, Key.Key_Z, Mod.ControlModifier)
    assert doc.plan.nodes["t1"].responses[0].owner == owner      # the plan is as before
    assert table.table.state() != table.table.State.EditingState  # the editor is closed
    assert table.table.item(0, COL_OWNER).text() == owner          # and the cell reads the plan
    assert doc.undo_stack.count() == steps + 1 and doc.undo_stack.canRedo()  # the typing was one step
    assert status(win).startswith("Undo: ")
    press(qtbot, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert doc.plan.nodes["t1"].responses[0].owner == "Someone else"


def test_ctrl_z_in_a_variables_cell_takes_back_the_typing_as_a_plan_step(window, qtbot):
    win = window
    doc = win.document
    on_canvas(qtbot, win, "t3")
    variables = win.inspector.variables_table
    variables.add_button.click()                         # one plan step: a new variable
    [variable] = doc.plan.nodes["t3"].variables
    name, value = variable.name, variable.value
    view = variables.table
    view.setFocus()
    view.setCurrentCell(0, 1)
    view.editItem(view.item(0, 1))
    qtbot.waitUntil(lambda: isinstance(focus(), QLineEdit) and focus().parentWidget() is view.viewport())
    focus().selectAll()
    type_text(qtbot, "42")
    press(qtbot, Key.Key_Z, Mod.ControlModifier)
    assert [(v.name, v.value) for v in doc.plan.nodes["t3"].variables] == [(name, value)]
    assert view.item(0, 1).text() != "42" and view.state() != view.State.EditingState
    press(qtbot, Key.Key_Z, Mod.ControlModifier)         # the next Ctrl+Z takes back the variable
    assert doc.plan.nodes["t3"].variables == []
