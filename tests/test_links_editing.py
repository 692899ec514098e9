"""Issue 15: removing what another track reads warns first; renames keep links (ids stay)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.main_window import MainWindow
from planning.model import edits
from planning.engine import links
from planning.files.planfile import dumps_plan
from planning.model.validate import validate_plan
from test_links import chain


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "chain.bwplan"
    path.write_text(dumps_plan(chain()), encoding="utf-8")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_file(path)
    win.show()
    qtbot.waitExposed(win)
    asked: list[str] = []
    answer = {"value": QMessageBox.StandardButton.Cancel}

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return answer["value"]
    monkeypatch.setattr(QMessageBox, "question", question)
    return win, asked, answer


def test_deleting_a_node_another_track_reaches_warns_and_cancel_keeps_it(window):
    win, asked, answer = window
    win.document.select("al")
    win.delete_selected()
    assert asked and 'reach("al") in "Bravo loses" [bl] (payoff)' in asked[0]
    assert "no longer evaluate" in asked[0]
    assert "al" in win.document.plan.nodes
    answer["value"] = QMessageBox.StandardButton.Yes
    win.document.select("al")
    win.delete_selected()
    assert "al" not in win.document.plan.nodes
    assert any("no node 'al' in any track" in p.message for p in win.document.problems)
    win.document.undo_stack.undo()  # one undoable edit
    assert "al" in win.document.plan.nodes and validate_plan(win.document.plan) == []


def test_deleting_what_nobody_reads_asks_nothing(window):
    win, asked, _ = window
    win.document.select("cw")
    win.delete_selected()
    assert asked == [] and "cw" not in win.document.plan.nodes


def test_removing_a_read_track_names_the_links_in_its_question(window):
    win, asked, _ = window
    win.document.set_current_track("b")
    win.remove_track()
    assert 'Remove the track “Bravo” and all its nodes?' in asked[0]
    assert 'p_failure("b") in "Charlie wins" [cw] (probability)' in asked[0]
    assert 'ev("b") in "Charlie waits" [cl] (payoff)' in asked[0]
    assert any(t.id == "b" for t in win.document.plan.tracks)  # cancelled


def test_renaming_a_track_or_a_node_keeps_every_link():
    plan = chain()
    edits.rename_track(plan, "a", "Alpha renamed")  # applied as it is made
    edits.set_node_field(plan, "al", "label", "Alpha falls")
    assert validate_plan(plan) == []  # links name ids, which a rename keeps
    assert links.broken_by_removal(plan, node_id="aw") == []


def test_inserting_a_link_from_the_inspector_is_picked_from_a_list(window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from widgets.link_picker import LinkPicker, choices

    win, _, _ = window
    plan = win.document.plan
    # a track may not read itself nor a track that reads it (that would close a circle)
    assert choices(plan, "aw") == []
    offered = dict(choices(plan, "cl"))
    assert offered["Track “Alpha” ends in success"] == 'p_success("a")'
    assert offered["“Bravo loses” is reached (Bravo)"] == 'reach("bl")'
    assert not any('("c")' in call for call in offered.values())

    def pick(picker: LinkPicker) -> int:
        picker.filter.setText("expected alpha")  # typed in the search box
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(LinkPicker, "exec", pick)
    win.document.select("cl")
    inspector = win.inspector
    inspector.payoff_edit.setText("10 + ")
    inspector.payoff_edit.setCursorPosition(5)
    inspector.link_actions["payoff"].trigger()
    assert plan.nodes["cl"].payoff == '10 + ev("a")'
    assert inspector.payoff_edit.text() == '10 + ev("a")'
    win.document.undo_stack.undo()  # one undoable edit
    assert plan.nodes["cl"].payoff == 'ev("b")'
