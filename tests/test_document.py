"""The Document: undoable edits, dirty flag, files and live evaluation."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED
from app.document import Document
from planning.model.edits import Change
from planning.files.planfile import dumps_plan, load_plan

MINIMAL = SHARED / "examples" / "minimal.bwplan"


@pytest.fixture
def doc(qtbot):
    document = Document()
    document.open(MINIMAL)
    return document


def test_open_gives_a_clean_document_with_the_first_track_evaluated(doc):
    assert doc.path == MINIMAL and not doc.is_modified()
    assert doc.current_track_id == "launch"
    assert doc.result is not None and doc.problems == []
    # d1 picks c1: -40 + 0.7*(200 + 0.5*15) + 0.3*(-60 + 0.25*30) versus 20
    assert doc.result.ev == pytest.approx(-40 + 0.7 * 207.5 + 0.3 * -52.5)


def test_edits_undo_redo_restore_the_exact_plan_and_drive_the_dirty_flag(doc, qtbot):
    original = dumps_plan(doc.plan)
    changes: list[Change] = []
    doc.changed.connect(changes.append)
    new = doc.add_child("t3", label="Renegotiate")
    doc.set_node_field(new, "payoff", "35")
    doc.remove_subtree("t2")
    assert doc.is_modified() and doc.undo_stack.count() == 3
    assert changes[0].kind == "structure" and new in changes[0].node_ids
    edited = dumps_plan(doc.plan)
    for _ in range(3):
        doc.undo_stack.undo()
    assert dumps_plan(doc.plan) == original and not doc.is_modified()
    for _ in range(3):
        doc.undo_stack.redo()
    assert dumps_plan(doc.plan) == edited and doc.is_modified()


def test_typing_a_label_is_one_undo_step(doc):
    for text in ("L", "La", "Lau", "Launch now"):
        doc.set_node_field("c1", "label", text)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.plan.nodes["c1"].label == "Launch"


def test_a_macro_is_one_undo_step_and_evaluates_once(doc, qtbot):
    original = dumps_plan(doc.plan)
    results = []
    doc.evaluated.connect(results.append)
    doc.begin_macro("Two options")
    doc.add_child("d1", label="A")
    doc.add_child("d1", label="B")
    doc.end_macro()
    assert doc.undo_stack.count() == 1 and len(results) == 1
    doc.undo_stack.undo()
    assert dumps_plan(doc.plan) == original


def test_selection_falls_back_when_the_selected_node_goes(doc):
    doc.select("t1")
    doc.remove_subtree("c1")
    assert doc.selected_id == "d1"


def test_invalid_plan_gives_no_result_but_problems(doc):
    doc.set_node_field("t2", "probability", 0.9)  # 0.7 + 0.9 > 1
    assert doc.result is None
    assert any(p.node_id in ("c1", "t1", "t2") for p in doc.problems)
    doc.undo_stack.undo()
    assert doc.result is not None and doc.problems == []


def test_save_and_reopen_round_trip(doc, tmp_path):
    doc.set_plan_field("title", "Saved copy")
    target = tmp_path / "copy.bwplan"
    assert doc.save(target) == target
    assert not doc.is_modified() and doc.path == target
    again = Document()
    again.open(target)
    assert dumps_plan(again.plan) == dumps_plan(doc.plan)
    assert load_plan(target).title == "Saved copy"


def test_open_failure_keeps_the_current_plan(doc, tmp_path):
    bad = tmp_path / "bad.bwplan"
    bad.write_text("{not json", encoding="utf-8")
    before = dumps_plan(doc.plan)
    with pytest.raises(ValueError):
        doc.open(bad)
    assert dumps_plan(doc.plan) == before and doc.path == MINIMAL


def test_tracks_follow_adds_and_removals(doc):
    tid = doc.add_track("Sanctions")
    assert doc.current_track_id == tid
    doc.remove_track(tid)
    assert doc.current_track_id == "launch"
    with pytest.raises(ValueError):
        doc.remove_track("launch")  # the last track stays


def test_copy_paste_fragment_through_the_document(doc):
    text = doc.copy_fragment("c1")
    new_root = doc.paste_fragment("t3", text)
    assert doc.plan.nodes[new_root].label == "Launch"
    assert doc.plan.nodes["t3"].children == [new_root]


def test_large_plans_are_checked_in_a_worker(doc, qtbot):
    doc.large_plan_nodes = 0  # treat this plan as large
    with qtbot.waitSignal(doc.evaluated, timeout=10_000) as blocker:
        doc.set_node_field("t3", "payoff", 500)
    assert blocker.args[0] is not None
    assert blocker.args[0].ev == pytest.approx(500)  # waiting a year now wins
    assert doc.result is blocker.args[0]


def test_new_plan_is_clean_and_valid(doc):
    doc.set_node_field("t3", "payoff", 1)
    doc.new()
    assert not doc.is_modified() and doc.path is None and doc.undo_stack.count() == 0
    assert doc.plan.tracks and doc.problems == []


def test_collapsed_is_view_state(doc, qtbot):
    with qtbot.waitSignal(doc.collapsedChanged):
        doc.set_collapsed("c1", True)
    assert doc.collapsed() == {"c1"} and not doc.is_modified()
    doc.remove_subtree("c1")
    assert doc.collapsed() == set()


def test_recovered_plan_counts_as_unsaved(doc, tmp_path):
    doc.load_recovered(load_plan(MINIMAL), Path(tmp_path / "orig.bwplan"))
    assert doc.is_modified() and doc.path == tmp_path / "orig.bwplan"


def test_views_see_fresh_numbers_when_an_edit_is_announced(doc):
    seen = []
    doc.changed.connect(lambda change: seen.append((change.kind, doc.result)))
    evaluated = []
    doc.evaluated.connect(evaluated.append)
    before = doc.result
    doc.set_node_field("t3", "payoff", 500)
    # one evaluation, done before ``changed``: a view redraws once, with the new numbers
    assert len(evaluated) == 1 and evaluated[0] is doc.result is seen[0][1]
    assert doc.result is not before and doc.result.ev == pytest.approx(500)


def test_validation_of_a_valid_plan_follows_the_edit(doc, qtbot):
    from planning.model.validate import validate_plan

    doc.set_node_field("t3", "payoff", 1)
    assert doc.result is not None
    with qtbot.waitSignal(doc._validation.timeout, timeout=5_000):
        pass  # debounced, after the edit
    assert doc.problems == list(validate_plan(doc.plan))
    # a plan that stops evaluating is validated at once
    doc.set_node_field("t2", "probability", 0.9)
    assert doc.result is None and doc.problems
    # and while it has problems, every edit is
    doc.undo_stack.undo()
    assert doc.result is not None and doc.problems == []


def test_reopening_announces_the_selection_the_window_makes(doc):
    selected = []
    doc.planReplaced.connect(lambda: doc.select(doc.plan.tracks[0].root))
    doc.selectionChanged.connect(selected.append)
    doc.open(MINIMAL)
    assert doc.selected_id == doc.plan.tracks[0].root
    assert selected[-1] == doc.selected_id
