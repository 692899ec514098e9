"""File > Import, Export, Compare with and Merge, driven from the menus as a user would."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QToolButton

from app.main_window import MainWindow
from app.sharing import EXPORTS, plan_conflicts
from planning.sharing.merge import CONFLICTS_KEY, merge_plans
from planning.files.planfile import dumps_plan, load_plan, save_plan

Button = QMessageBox.StandardButton


@pytest.fixture
def boxes(monkeypatch):
    """Every message box the code shows, recorded instead of blocking: (kind, title, text)."""
    shown = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(
            lambda parent, title, text, *a, k=kind, **kw: shown.append((k, title, text)) or Button.Ok))
    return shown


@pytest.fixture
def window(qtbot, plan_file):
    win = MainWindow()
    sharing = win.sharing  # installed by MainWindow
    try:
        assert win.open_file(plan_file)
        win.show()
        qtbot.waitExposed(win)
        yield win
    finally:
        for dialog in (sharing.merge_dialog, sharing.compare_dialog):
            if dialog is not None:
                dialog.close()
        win.document.undo_stack.setClean()  # close without an unsaved-changes prompt
        win.close()
        win.deleteLater()


def trigger(win, name):
    action = win.findChild(QAction, f"action_{name}")
    assert action is not None, name
    assert action.isEnabled(), name
    action.trigger()


def answer_open(monkeypatch, *paths):
    """QFileDialog.getOpenFileName answers these paths in turn; returns the titles asked."""
    queue, titles = [str(p) for p in paths], []

    def fake(parent, title, folder="", file_filter=""):
        titles.append(title)
        return (queue.pop(0) if queue else "", "")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    return titles


def variant(source, target, edit):
    """Save a copy of ``source`` changed by ``edit(plan)`` to ``target``."""
    plan = load_plan(source)
    edit(plan)
    save_plan(plan, target)
    return target


# -- menus ---------------------------------------------------------------------------------

def test_sharing_actions_sit_in_the_file_menu_before_close(window):
    file_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.menu() is not None and a.menu().title() == "&File")
    names = [a.objectName() for a in file_menu.actions()]
    for name in ("action_import", "action_compare", "action_merge", "action_resolve_conflicts"):
        assert names.index(name) < names.index("action_close")
    export_menu = next(a.menu() for a in file_menu.actions() if a.menu() is not None
                       and a.menu().objectName() == "menu_export")
    assert [a.objectName() for a in export_menu.actions()] == [f"action_export_{f}" for f in EXPORTS]
    assert not window.findChild(QAction, "action_resolve_conflicts").isEnabled()


# -- export --------------------------------------------------------------------------------

MAGIC = {"pdf": b"%PDF", "png": b"\x89PNG", "svg": b"<svg", "html": b"<html", "md": b"# ",
         "csv": b"Scale support team", "graphml": b"<graphml", "dot": b"digraph"}


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_export_each_format_from_the_menu_writes_the_file(window, fmt, tmp_path, monkeypatch, boxes):
    out = tmp_path / "out" / "brief"   # no suffix typed: the format's is added
    out.parent.mkdir()
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda parent, title, start="", file_filter="": asked.append((title, start, file_filter))
        or (str(out), file_filter)))
    trigger(window, f"export_{fmt}")
    written = out.with_suffix(EXPORTS[fmt][2])
    assert boxes == []
    assert written.is_file()
    data = written.read_bytes()
    assert MAGIC[fmt] in data[:4000] if fmt in ("svg", "html") else MAGIC[fmt] in data
    # the dialog starts beside the plan with the plan's name and the format's suffix
    title, start, file_filter = asked[0]
    assert start.endswith(f"minimal{EXPORTS[fmt][2]}")
    assert EXPORTS[fmt][2].lstrip(".") in file_filter


def test_export_matches_the_command_line_byte_for_byte(window, tmp_path, monkeypatch, boxes):
    from app.main import main

    gui_out, cli_out = tmp_path / "gui.csv", tmp_path / "cli.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(gui_out), "")))
    trigger(window, "export_csv")
    assert main(["export", str(window.document.path), "-o", str(cli_out)]) == 0
    assert gui_out.read_bytes() == cli_out.read_bytes()


def test_export_errors_are_message_boxes_not_tracebacks(window, tmp_path, monkeypatch, boxes):
    missing = tmp_path / "no such folder" / "brief.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(missing), "")))
    trigger(window, "export_html")
    assert [b[0] for b in boxes] == ["critical"]
    assert "does not exist" in boxes[0][2]
    assert not missing.parent.exists()
    # a report needs a valid plan: say what is wrong, write nothing, ask for no file
    boxes.clear()
    window.document.set_node_field("t1", "probability", 0.9)
    window.document.set_node_field("t2", "probability", 0.3)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda *a, **k: pytest.fail("no file dialog for an invalid plan")))
    trigger(window, "export_pdf")
    assert [b[0] for b in boxes] == ["warning"]
    assert "probabilit" in boxes[0][2]


def test_cancelled_export_writes_nothing(window, tmp_path, monkeypatch, boxes):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    trigger(window, "export_png")
    assert boxes == [] and list(tmp_path.glob("*.png")) == []


# -- import --------------------------------------------------------------------------------

OUTLINE = """\
! Launch in spring?
  ? Launch {v=-40}
    Adoption on target {p=0.7, v=200, path=success}
    Adoption stalls {v=-60, path=failure}
  Wait a year {v=20}
"""


def test_import_an_outline_opens_it_as_a_new_unsaved_plan(window, tmp_path, monkeypatch, boxes):
    source = tmp_path / "launch.txt"
    source.write_text(OUTLINE, encoding="utf-8")
    answer_open(monkeypatch, source)
    trigger(window, "import")
    doc = window.document
    assert boxes == []
    assert doc.path is None and doc.is_modified()
    labels = sorted(n.label for n in doc.plan.nodes.values())
    assert labels == ["Adoption on target", "Adoption stalls", "Launch", "Launch in spring?",
                      "Wait a year"]
    # the numbers of the outline are live: EV = max(-40 + 0.7*200 + 0.3*-60, 20) = 82
    assert doc.result is not None and doc.result.ev == pytest.approx(82.0)
    assert window.track_tabs.count() == 1


def test_import_respects_the_unsaved_changes_prompt(window, tmp_path, monkeypatch, boxes):
    source = tmp_path / "launch.md"
    source.write_text(OUTLINE, encoding="utf-8")
    window.document.set_node_field("t3", "label", "Wait two years")
    before = dumps_plan(window.document.plan)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a[1]) or Button.Cancel))
    answer_open(monkeypatch, source)
    trigger(window, "import")
    assert asked == ["Unsaved changes"]
    assert dumps_plan(window.document.plan) == before


def test_import_of_a_broken_file_says_why_and_keeps_the_plan(window, tmp_path, monkeypatch, boxes):
    source = tmp_path / "broken.json"
    source.write_text("{not json", encoding="utf-8")
    before = dumps_plan(window.document.plan)
    answer_open(monkeypatch, source)
    trigger(window, "import")
    assert [b[0] for b in boxes] == ["warning"] and "broken.json" in boxes[0][2]
    assert dumps_plan(window.document.plan) == before


# -- compare -------------------------------------------------------------------------------

def test_compare_lists_a_changed_probability_and_double_click_selects_it(
        window, plan_file, tmp_path, monkeypatch, qtbot):
    def edit(plan):
        plan.nodes["t1"].probability = 0.6
        plan.nodes["t3"].label = "Wait two years"
    other = variant(plan_file, tmp_path / "other.bwplan", edit)
    answer_open(monkeypatch, other)
    trigger(window, "compare")
    dialog = window.sharing.compare_dialog
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert ("changed", "t1", "Adoption on target", "probability", "p_ok", "0.6") in rows
    assert ("changed", "t3", "Wait two years", "label", "Wait a year", "Wait two years") in rows
    assert len(rows) == 2
    window.document.select("d1")
    row = next(i for i, r in enumerate(rows) if r[3] == "probability")
    table = dialog.table
    rect = table.visualRect(table.model().index(row, 2))
    # a real double click: Qt's item views act on a press then a double click
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.document.selected_id == "t1"


def test_compare_with_the_same_file_says_so(window, plan_file, monkeypatch):
    answer_open(monkeypatch, plan_file)
    trigger(window, "compare")
    dialog = window.sharing.compare_dialog
    assert dialog.rows() == [] and "are the same" in dialog.summary.text()


# -- merge ---------------------------------------------------------------------------------

def test_clean_merge_is_one_undo_step(window, plan_file, tmp_path, monkeypatch, boxes):
    doc = window.document
    theirs = variant(plan_file, tmp_path / "theirs.bwplan",
                     lambda plan: setattr(plan.nodes["c1"], "label", "Launch in May"))
    doc.set_node_field("t3", "payoff", 25)          # ours: another field
    before = dumps_plan(doc.plan)
    steps = doc.undo_stack.count()
    titles = answer_open(monkeypatch, plan_file, theirs)
    trigger(window, "merge")
    assert len(titles) == 2 and "BASE" in titles[0] and "THEIRS" in titles[1]
    assert boxes == [] and window.sharing.merge_dialog is None
    assert doc.plan.nodes["c1"].label == "Launch in May" and doc.plan.nodes["t3"].payoff == 25
    assert CONFLICTS_KEY not in doc.plan.extra
    assert doc.undo_stack.count() == steps + 1
    # the merged numbers are live: EV = max(-40 + 0.7*(200+7.5) + 0.3*(-60+7.5), 25) = 89.5
    assert doc.result.ev == pytest.approx(-40 + 0.7 * (200 + 0.5 * 15) + 0.3 * (-60 + 0.25 * 30))
    merged = dumps_plan(doc.plan)
    doc.undo_stack.undo()
    assert dumps_plan(doc.plan) == before
    assert doc.plan.nodes["c1"].label == "Launch"
    doc.undo_stack.redo()
    assert dumps_plan(doc.plan) == merged


def test_merge_with_nothing_new_adds_no_undo_step(window, plan_file, monkeypatch, boxes):
    steps = window.document.undo_stack.count()
    answer_open(monkeypatch, plan_file, plan_file)
    trigger(window, "merge")
    assert window.document.undo_stack.count() == steps and boxes == []


def _conflicting_merge(window, plan_file, tmp_path, monkeypatch):
    """Ours sets t1's payoff to 210 and theirs to 190; merge through the menu."""
    theirs = variant(plan_file, tmp_path / "theirs.bwplan",
                     lambda plan: setattr(plan.nodes["t1"], "payoff", 190.0))
    window.document.set_node_field("t1", "payoff", 210)
    before = dumps_plan(window.document.plan)
    answer_open(monkeypatch, plan_file, theirs)
    trigger(window, "merge")
    return before


def test_conflicting_merge_opens_the_dialog_and_theirs_applies_as_one_step(
        window, plan_file, tmp_path, monkeypatch, boxes):
    doc = window.document
    before = _conflicting_merge(window, plan_file, tmp_path, monkeypatch)
    dialog = window.sharing.merge_dialog
    assert dialog is not None and dialog.isVisible()
    assert doc.plan.nodes["t1"].payoff == 210      # ours kept until chosen
    assert window.sharing.banner.isVisible()
    assert [(r.node, r.field, r.resolvable) for r in dialog.rows] == [("t1", "payoff", True)]
    table = dialog.table
    assert [table.item(0, c).text() for c in range(6)] == [
        "t1", "Adoption on target", "payoff", "200", "210", "190"]
    conflicted = dumps_plan(doc.plan)
    steps = doc.undo_stack.count()
    assert dialog.choose(0, "theirs")
    dialog.apply_button.click()
    assert doc.plan.nodes["t1"].payoff == 190
    assert CONFLICTS_KEY not in doc.plan.extra
    assert not dialog.isVisible() and not window.sharing.banner.isVisible()
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert dumps_plan(doc.plan) == conflicted
    assert window.sharing.banner.isVisible()
    doc.undo_stack.undo()
    assert dumps_plan(doc.plan) == before


def test_take_all_and_decide_later(window, plan_file, tmp_path, monkeypatch, boxes):
    doc = window.document
    theirs = variant(plan_file, tmp_path / "theirs.bwplan", lambda plan: (
        setattr(plan.nodes["t1"], "payoff", 190.0), setattr(plan.nodes["t2"], "label", "Stalls"),
        setattr(plan.nodes["t1"].responses[0], "owner", "Support")))
    doc.set_node_field("t1", "payoff", 210)
    doc.set_node_field("t2", "label", "Adoption stalls badly")
    doc.set_response_field("t1", "r1", "owner", "Operations")
    answer_open(monkeypatch, plan_file, theirs)
    trigger(window, "merge")
    dialog = window.sharing.merge_dialog
    fields = [r.field for r in dialog.rows]
    assert sorted(fields) == ["label", "payoff", "responses[r1].owner"]
    dialog.take_all("theirs")
    assert [dialog.choice(r) for r in range(3)] == ["theirs"] * 3
    dialog.choose(fields.index("label"), "later")
    assert dialog.apply()
    assert doc.plan.nodes["t1"].payoff == 190
    assert doc.plan.nodes["t1"].responses[0].owner == "Support"
    assert doc.plan.nodes["t2"].label == "Adoption stalls badly"
    assert [c["field"] for c in plan_conflicts(doc.plan)] == ["label"]
    # the banner offers the rest; the same dialog opens from it
    banner = window.sharing.banner
    assert banner.isVisible() and "1 unresolved merge conflict:" in banner.label.text()
    banner.button.click()
    dialog = window.sharing.merge_dialog
    assert [r.field for r in dialog.rows] == ["label"]
    dialog.take_all("ours")
    assert dialog.apply()
    assert doc.plan.nodes["t2"].label == "Adoption stalls badly"
    assert plan_conflicts(doc.plan) == [] and not banner.isVisible()


def test_structural_conflicts_can_only_be_accepted(window, plan_file, tmp_path, monkeypatch, boxes):
    """A node deleted by ours and changed by theirs is kept: a note to accept, not a value to pick."""
    doc = window.document
    theirs = variant(plan_file, tmp_path / "theirs.bwplan",
                     lambda plan: setattr(plan.nodes["t3"], "payoff", 30.0))
    doc.remove_subtree("t3")
    answer_open(monkeypatch, plan_file, theirs)
    trigger(window, "merge")
    dialog = window.sharing.merge_dialog
    (row,) = dialog.rows
    assert (row.node, row.field, row.resolvable) == ("t3", "node", False)
    assert "deleted by ours" in dialog.table.item(0, 3).text()
    assert not dialog.choose(0, "theirs")
    assert dialog.apply()
    assert plan_conflicts(doc.plan) == [] and doc.plan.nodes["t3"].payoff == 30


def test_opening_a_conflicted_file_shows_the_banner(window, plan_file, tmp_path, qtbot):
    base = load_plan(plan_file)
    ours, theirs = load_plan(plan_file), load_plan(plan_file)
    ours.title, theirs.title = "Our title", "Their title"
    ours.variables[0].value, theirs.variables[0].value = 0.6, 0.8
    result = merge_plans(base, ours, theirs)
    conflicted = tmp_path / "conflicted.bwplan"
    save_plan(result.plan, conflicted)
    banner = window.sharing.banner
    assert not banner.isVisible()
    assert window.open_file(conflicted)
    assert banner.isVisible() and "2 unresolved" in banner.label.text()
    assert window.findChild(QAction, "action_resolve_conflicts").isEnabled()
    banner.button.click()
    dialog = window.sharing.merge_dialog
    assert sorted(r.field for r in dialog.rows) == ["title", "variables[p_ok].value"]
    dialog.take_all("theirs")
    assert dialog.apply()
    doc = window.document
    assert doc.plan.title == "Their title" and doc.plan.variables[0].value == 0.8
    assert doc.result.ev == pytest.approx(-40 + 0.8 * (200 + 7.5) + 0.2 * (-60 + 7.5))
    # closing the banner hides it until the next plan is opened
    doc.undo_stack.undo()
    assert banner.isVisible()
    close = banner.findChild(QToolButton)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert window.open_file(conflicted)
    assert banner.isVisible()


def test_a_refused_choice_changes_nothing_and_leaves_no_redo(window, plan_file, tmp_path, boxes):
    """Theirs for t3's payoff is fine, theirs for d1's kind (terminal, with children) is not."""
    plan = load_plan(plan_file)
    plan.extra[CONFLICTS_KEY] = [
        {"node": "t3", "field": "payoff", "base": 20, "ours": 20, "theirs": 30, "message": ""},
        {"node": "d1", "field": "kind", "base": "decision", "ours": "decision",
         "theirs": "terminal", "message": ""}]
    save_plan(plan, tmp_path / "handmade.bwplan")
    assert window.open_file(tmp_path / "handmade.bwplan")
    doc = window.document
    before = dumps_plan(doc.plan)
    dialog = window.sharing.resolve_conflicts()
    dialog.take_all("theirs")
    assert not dialog.apply()
    assert [b[0] for b in boxes] == ["warning"] and "kind" in boxes[0][2]
    assert dumps_plan(doc.plan) == before
    assert doc.undo_stack.count() == 0 and not doc.undo_stack.canRedo()
    assert dialog.isVisible()  # the user can change the choice and try again
    dialog.choose(1, "ours")
    assert dialog.apply()
    assert doc.plan.nodes["t3"].payoff == 30 and plan_conflicts(doc.plan) == []


def test_hostile_text_in_conflicts_is_shown_inert(window, plan_file, tmp_path, boxes):
    plan = load_plan(plan_file)
    hostile = "evil\u202eTXT.exe\nsecond line <b>bold</b>"
    plan.extra[CONFLICTS_KEY] = [{"node": "t3", "field": "label", "base": "Wait a year",
                                  "ours": "Wait a year", "theirs": hostile, "message": ""}]
    save_plan(plan, tmp_path / "hostile.bwplan")
    assert window.open_file(tmp_path / "hostile.bwplan")
    dialog = window.sharing.resolve_conflicts()
    shown_text = dialog.table.item(0, dialog.THEIRS_COLUMN).text()
    assert "\u202e" not in shown_text and "\n" not in shown_text and "\\u202e" in shown_text
    dialog.take_all("theirs")
    assert dialog.apply()
    assert window.document.plan.nodes["t3"].label == hostile  # the value itself is kept as written


def test_merge_with_an_unreadable_file_or_cancelled_changes_nothing(
        window, plan_file, tmp_path, monkeypatch, boxes):
    doc = window.document
    before, steps = dumps_plan(doc.plan), doc.undo_stack.count()
    broken = tmp_path / "broken.bwplan"
    broken.write_text('{"format": "branchwise-plan", "version": 1, "nodes": [', encoding="utf-8")
    answer_open(monkeypatch, plan_file, broken)
    trigger(window, "merge")
    assert [b[0] for b in boxes] == ["warning"] and "broken.bwplan" in boxes[0][2]
    answer_open(monkeypatch, plan_file)            # step 2 cancelled
    trigger(window, "merge")
    assert len(boxes) == 1
    assert dumps_plan(doc.plan) == before and doc.undo_stack.count() == steps


# -- issue 17: conflicts people can decide, by keys -----------------------------------------

def _conflicted(window, tmp_path, conflicts, sides=None):
    plan = load_plan(window.document.path)
    plan.extra[CONFLICTS_KEY] = conflicts
    if sides is not None:
        plan.extra["merge_sides"] = sides
    save_plan(plan, tmp_path / "conflicted.bwplan")
    assert window.open_file(tmp_path / "conflicted.bwplan")
    return window.sharing.resolve_conflicts()


def test_a_compromise_value_is_typed_in_the_dialog(window, tmp_path, qtbot):
    dialog = _conflicted(window, tmp_path, [
        {"node": "t3", "field": "label", "base": "Wait a year", "ours": "Wait two years",
         "theirs": "Wait six months", "message": ""},
        {"node": "t3", "field": "payoff", "base": 20, "ours": 30, "theirs": 10, "message": ""}])
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for row, typed in ((0, "Wait eighteen months"), (1, "25")):
        combo = dialog.combos[row]
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # Ours -> Theirs
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # Theirs -> Own value…
        assert combo.currentText() == "Own value\u2026"
        editor = dialog.editors[row]
        assert editor.isVisible() and editor.hasFocus()
        qtbot.keyClicks(editor, typed)  # the text is selected: typing replaces it
    qtbot.keyClick(dialog.editors[1], Qt.Key.Key_Return)  # Apply is the default button
    plan = window.document.plan
    assert plan.nodes["t3"].label == "Wait eighteen months"
    assert plan.nodes["t3"].payoff == 25 and isinstance(plan.nodes["t3"].payoff, (int, float))
    assert plan_conflicts(plan) == []
    window.document.undo_stack.undo()  # one undo step takes both back
    assert window.document.plan.nodes["t3"].label != "Wait eighteen months"


def test_deleted_versus_changed_subtree_says_what_changed_and_can_take_the_deletion(
        window, plan_file, tmp_path, monkeypatch, qtbot):
    doc = window.document
    theirs = variant(plan_file, tmp_path / "theirs.bwplan",
                     lambda plan: setattr(plan.nodes["t2"], "payoff", -80.0))
    doc.remove_subtree("c1")  # ours deletes the launch branch, theirs changed a node under it
    answer_open(monkeypatch, plan_file, theirs)
    trigger(window, "merge")
    dialog = window.sharing.merge_dialog
    # The dialog comes to the front: the keys below go to it, not to the editor behind.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    (row,) = dialog.rows
    note = dialog.table.item(0, dialog.BASE).text()
    # The row says which descendant changed and how, and what the merge did ...
    assert "deleted by ours, changed by theirs" in note
    assert "\u201cAdoption stalls\u201d: payoff -60 \u2192 -80" in note
    assert "keeps the subtree as theirs changed it" in note
    # ... and the header agrees with it.
    assert "the plan keeps the changed subtree" in dialog.summary.text()
    assert "holds ours" not in dialog.summary.text()
    assert doc.plan.nodes["t2"].payoff == -80
    combo = dialog.combos[0]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Keep the changed subtree", "Take the deletion", "Decide later"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert "c1" not in doc.plan.nodes and "t2" not in doc.plan.nodes
    assert plan_conflicts(doc.plan) == []


def test_sides_are_named_by_branch_and_a_rebase_is_explained(window, tmp_path):
    dialog = _conflicted(window, tmp_path, [
        {"node": "t3", "field": "label", "base": "Wait a year", "ours": "A", "theirs": "B",
         "message": ""}],
        sides={"ours": "upstream 1a2b3c4", "theirs": "your commit 5d6e7f8 on feature",
               "rebase": True})
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert "Ours (now):\nupstream 1a2b3c4" in headers
    assert "Theirs:\nyour commit 5d6e7f8 on feature" in headers
    assert dialog.rebase_note.isVisible()
    assert "\u201cours\u201d is the upstream" in dialog.rebase_note.text()
    assert "your own commit" in dialog.rebase_note.text()
    assert "holds ours (upstream 1a2b3c4)" in dialog.summary.text()
    dialog.take_all("theirs")
    assert dialog.apply()
    assert "merge_sides" not in window.document.plan.extra  # settled: the names go too


def test_importing_a_map_with_text_braces_says_what_was_left_as_text(window, tmp_path, boxes):
    source = tmp_path / "guide.mm"
    source.write_text('<map><node TEXT="Guide"><node TEXT="For sans-serif use \\textsf{...}"/>'
                      '<node TEXT="Talks resume {p=0.3}"/></node></map>', encoding="utf-8")
    assert window.sharing.import_file(source)
    labels = {n.label for n in window.document.plan.nodes.values()}
    assert "For sans-serif use \\textsf{...}" in labels and "Talks resume" in labels
    (kind, title, text), = boxes
    assert (kind, title) == ("information", "Imported with notes")
    assert "1 thing was not understood" in text and "braces kept as part of the label" in text
