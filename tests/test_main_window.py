"""The main window as a user drives it: keys, menus, files, prompts, autosave."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from conftest import SAMPLES, SHARED
from gui_windows import press
from app import autosave, recovery, settings
from app.actions import MENUS, SPECS
from app.main_window import MainWindow
from planning.files.planfile import dumps_plan, load_plan

MINIMAL = SHARED / "examples" / "minimal.bwplan"
Button = QMessageBox.StandardButton


def new_window(qtbot, **kwargs) -> MainWindow:
    """A main window that qtbot closes after the test without a modal prompt."""
    win = MainWindow(**kwargs)

    def no_prompt(widget):
        widget.maybe_save = lambda: True

    qtbot.addWidget(win, before_close_func=no_prompt)
    return win


@pytest.fixture
def window(qtbot, plan_file):
    win = new_window(qtbot)
    assert win.open_file(plan_file)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def focus_tree(qtbot, win, node_id):
    win.document.select(node_id)
    win.canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.canvas)


def test_every_menu_action_exists_with_its_shortcut(window):
    for names in MENUS.values():
        for name in names:
            if name != "-":
                assert window.findChild(QAction, f"action_{name}") is not None, name
    expected = {"add_child": "Tab", "add_sibling": "Return", "rename": "F2", "delete": "Del",
                "cut": "Ctrl+X", "copy": "Ctrl+C", "paste": "Ctrl+V", "undo": "Ctrl+Z",
                "redo": "Ctrl+Shift+Z", "find": "Ctrl+F", "save": "Ctrl+S", "open": "Ctrl+O"}
    for name, keys in expected.items():
        shortcuts = window.findChild(QAction, f"action_{name}").shortcuts()
        assert QKeySequence(keys) in shortcuts, name
    assert len({s.name for s in SPECS}) == len(SPECS)


def test_tab_enter_delete_with_undo_and_redo_by_keys(window, qtbot):
    doc = window.document
    original = dumps_plan(doc.plan)
    focus_tree(qtbot, window, "c1")
    press(qtbot, Qt.Key.Key_Tab)                       # add a child, rename starts
    child = doc.selected_id
    assert doc.plan.nodes["c1"].children[-1] == child
    for ch in "Exit":
        press(qtbot, ch)
    press(qtbot, Qt.Key.Key_Return)                    # commits the rename, adds nothing
    assert doc.plan.nodes[child].label == "Exit"
    assert len(doc.plan.nodes["c1"].children) == 3
    focus_tree(qtbot, window, "t1")
    press(qtbot, Qt.Key.Key_Return)                    # a sibling after t1
    sibling = doc.selected_id
    assert doc.plan.nodes["c1"].children[:2] == ["t1", sibling]
    press(qtbot, Qt.Key.Key_Escape)                    # leave its label empty
    focus_tree(qtbot, window, "t3")
    press(qtbot, Qt.Key.Key_Delete)
    assert "t3" not in doc.plan.nodes and window.windowTitle().startswith("minimal.bwplan*")
    edited = dumps_plan(doc.plan)
    steps = doc.undo_stack.count()
    for _ in range(steps):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dumps_plan(doc.plan) == original and not doc.is_modified()
    assert window.windowTitle() == "minimal.bwplan — Branchwise"
    for _ in range(steps):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
              | Qt.KeyboardModifier.ShiftModifier)
    assert dumps_plan(doc.plan) == edited


def test_tab_in_the_inspector_does_not_add_nodes(window, qtbot):
    before = len(window.document.plan.nodes)
    window.find_bar.open_bar()  # any text field outside the tree views
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.find_bar.edit)
    press(qtbot, Qt.Key.Key_Tab)
    assert len(window.document.plan.nodes) == before


def test_rename_with_f2_falls_back_to_a_dialog(window, qtbot, monkeypatch):
    monkeypatch.setattr(window, "canvas", window.outline)  # a canvas without start_rename
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Go big", True))
    focus_tree(qtbot, window, "t1")
    press(qtbot, Qt.Key.Key_F2)
    assert window.document.plan.nodes["t1"].label == "Go big"


def test_copy_paste_cut_by_keys_and_undo(window, qtbot):
    doc = window.document
    original = dumps_plan(doc.plan)
    focus_tree(qtbot, window, "c1")
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QApplication.clipboard().mimeData()
    assert mime.hasFormat("application/x-branchwise-fragment") and '"root"' in mime.text()
    focus_tree(qtbot, window, "t3")
    press(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    pasted = doc.selected_id
    assert doc.plan.nodes["t3"].children == [pasted]
    assert [doc.plan.nodes[c].label for c in doc.plan.nodes[pasted].children] == \
        ["Adoption on target", "Adoption stalls"]
    focus_tree(qtbot, window, pasted)
    press(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert pasted not in doc.plan.nodes
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert dumps_plan(doc.plan) == original


def test_find_jumps_to_matches_by_label_owner_and_signpost(window, qtbot):
    window.actions["find"].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.find_bar.edit)
    qtbot.keyClicks(window.find_bar.edit, "sales")  # the owner of t2's response
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.document.selected_id == "t2"
    window.find_bar.edit.setText("pre-orders")      # t1's signpost
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.document.selected_id == "t1"
    window.find_bar.edit.setText("adoption")        # two labels: Enter cycles
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    first = window.document.selected_id
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert {first, window.document.selected_id} == {"t1", "t2"}


def test_unsaved_changes_prompt_cancel_discard_save(window, qtbot, monkeypatch, plan_file):
    doc = window.document
    doc.set_node_field("t3", "payoff", 99)
    asked = []

    def answer(button):
        def question(*args, **kwargs):
            asked.append(args[2])
            return button
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(Button.Cancel))
    assert not window.new_plan() and doc.plan.nodes["t3"].payoff == 99
    window.close()
    assert window.isVisible() and "unsaved changes" in asked[-1]
    monkeypatch.setattr(QMessageBox, "question", answer(Button.Save))
    assert window.new_plan()
    assert load_plan(plan_file).nodes["t3"].payoff == 99 and not doc.is_modified()
    doc.set_node_field("d1", "label", "Changed")
    monkeypatch.setattr(QMessageBox, "question", answer(Button.Discard))
    window.close()
    assert not window.isVisible()


def test_save_as_and_open_round_trip_and_recent_files(window, tmp_path, monkeypatch):
    doc = window.document
    doc.add_track("Sanctions")
    target = tmp_path / "out" / "renamed"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.save_as()
    saved = target.with_suffix(".bwplan")
    assert doc.path == saved and not doc.is_modified()
    assert window.windowTitle() == "renamed.bwplan — Branchwise"
    text = dumps_plan(doc.plan)
    window.new_plan()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    assert window.open_file()
    assert dumps_plan(window.document.plan) == text
    assert window.track_tabs.count() == 2 and window.track_tabs.tabText(1) == "Sanctions"
    assert settings.recent_files()[0] == saved.resolve()


def test_open_failure_shows_a_message_and_keeps_the_plan(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.bwplan"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    before = dumps_plan(window.document.plan)
    assert not window.open_file(bad)
    assert shown and dumps_plan(window.document.plan) == before


def test_track_tabs_follow_the_plan(window, qtbot, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Sanctions", True))
    window.actions["add_track"].trigger()
    assert window.track_tabs.count() == 2 and window.track_tabs.currentIndex() == 1
    window.actions["move_track_left"].trigger()
    assert window.track_tabs.tabText(0) == "Sanctions"
    window.track_tabs.setCurrentIndex(1)
    assert window.document.current_track_id == "launch"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.track_tabs.count() == 1


def test_autosave_writes_recovers_and_a_clean_close_removes_it(qtbot, plan_file, monkeypatch):
    first = new_window(qtbot, autosave_ms=3_600_000)
    first.open_file(plan_file)
    assert not first.autosaver.autosave_now()  # nothing unsaved, nothing written
    first.document.set_node_field("t3", "label", "Wait two years")
    assert first.autosaver.autosave_now()
    copy_file, sidecar = first.autosaver.files()
    assert load_plan(copy_file).nodes["t3"].label == "Wait two years"
    assert json.loads(sidecar.read_text())["original_path"] == str(plan_file.resolve())
    first.autosaver.timer.stop()  # "crash": the window goes without closing

    second = new_window(qtbot)
    offers = []
    monkeypatch.setattr(recovery, "ask",
                        lambda parent, r: offers.append(recovery.describe(r)[0]) or recovery.RECOVER)
    assert second.offer_recovery()
    assert "minimal.bwplan" in offers[0] and "“Wait two years”" in offers[0]
    assert second.document.plan.nodes["t3"].label == "Wait two years"
    assert second.document.is_modified() and second.document.path == plan_file.resolve()
    assert autosave.pending_recoveries()  # still protected until saved or closed
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Button.Discard)
    second.close()
    assert autosave.pending_recoveries() == []


def test_declining_recovery_keeps_the_autosave_and_discard_deletes_it(qtbot, monkeypatch):
    """Issue 17: "No" keeps it for File > Recover…; only Discard deletes it."""
    win = new_window(qtbot)
    win.document.set_node_field(win.selected_or_root(), "label", "Lost work")
    win.autosaver.autosave_now()
    monkeypatch.setattr(recovery, "ask", lambda *a: recovery.KEEP)
    again = new_window(qtbot)
    assert not again.offer_recovery() and len(autosave.pending_recoveries()) == 1
    assert autosave.pending_recoveries()[0].seen  # not asked again at every start
    assert not again.offer_recovery()
    monkeypatch.setattr(recovery, "ask", lambda *a: recovery.DISCARD)
    for kept in autosave.pending_recoveries():
        recovery.offer(again, again.document, again.autosaver, [kept])
    assert autosave.pending_recoveries() == []
    win.document.undo_stack.setClean()


def test_screenshot_command_writes_a_png(tmp_path, qtbot):
    from app.main import main

    sample = SAMPLES / "peace-process.bwplan"
    source = sample if sample.exists() else MINIMAL
    out = tmp_path / "shot.png"
    assert main([str(source), "--screenshot", str(out), "--size", "900x600"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    assert main([str(tmp_path / "missing.bwplan"), "--screenshot", str(out)]) == 2
