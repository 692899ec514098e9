"""Structural edits update incrementally (issue 11): the compiled arrays are spliced, the
layout re-numbered from the previous one, the outline gets row signals, and every figure
equals a from-scratch compile, layout and evaluation, through undo and redo."""
from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app import document as document_module
from planning.engine.compile import compile_track
from planning.engine.evaluate import evaluate_track
from planning.engine.layout import layout_track, relayout
from planning.engine.splice import splice_track
from planning.files.planfile import save_plan
from planning.model import edits
from planning.model.generate import random_plan
from planning.model.plan import CHANCE, DECISION, TERMINAL
from widgets.canvas_style import SPACING, base_style
from widgets.tree_model import NODE_ID_ROLE

Key = Qt.Key
Mod = Qt.KeyboardModifier


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("BRANCHWISE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRANCHWISE_STATE_DIR", str(tmp_path / "state"))


def same_compiled(spliced, full) -> None:
    for f in dataclasses.fields(full):
        if f.name == "_level_plan":
            continue
        a, b = getattr(spliced, f.name), getattr(full, f.name)
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), f.name
        elif f.name == "expression_fields":
            assert [(e.node, e.field, e.expression.text, e.scope) for e in a] == \
                   [(e.node, e.field, e.expression.text, e.scope) for e in b]
        elif f.name == "scopes":
            assert [(s.parent, s.node_id, s.variables) for s in a] == [(s.parent, s.node_id, s.variables) for s in b]
        else:
            assert a == b, f.name


def same_layout(a, b) -> None:
    assert a.ids == b.ids and a.index == b.index
    for name in ("x", "y", "parent", "depth", "child_start", "child_count", "hidden_children", "breadth"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


def random_structural_edit(plan, rng: random.Random, history: list):
    """One add, delete, move or undo on ``plan``; the edit, or None when refused.

    Deletes and moves mostly take options of decisions (the plan stays valid,
    so most edits can be spliced); now and then any node (the splice must
    then decline whenever the full compile fails).
    """
    root = plan.tracks[0].root
    options = [i for i, n in plan.nodes.items() if n.kind == DECISION for i in n.children]
    others = [i for i in plan.nodes if i != root] if rng.random() < 0.15 else options
    op = rng.choice(["add", "add", "delete", "move", "move", "undo", "undo"])
    try:
        if op == "add":
            kind = TERMINAL if rng.random() < 0.9 else DECISION
            edit = edits.add_child(plan, rng.choice(sorted(plan.nodes)), kind, "new")
        elif op == "delete" and others:
            edit = edits.remove_subtree(plan, rng.choice(others))
        elif op == "move" and others:
            edit = edits.move_subtree(plan, rng.choice(others), rng.choice(sorted(plan.nodes)), rng.randint(0, 3))
        elif op == "undo" and history:
            edit = history.pop()
            edit.undo(plan)
            return edit
        else:
            return None
    except ValueError:
        return None
    history.append(edit)
    return edit


@pytest.mark.parametrize("seed", range(25))
def test_spliced_arrays_and_layout_equal_a_full_compile_and_layout(seed):
    rng = random.Random(seed)
    plan = random_plan(rng.randint(5, 250), seed=seed)
    track, root = plan.tracks[0].id, plan.tracks[0].root
    collapsed = set(rng.sample(sorted(plan.nodes), 2)) if seed % 2 else set()
    compiled = compile_track(plan, track)
    layout = layout_track(plan, root, collapsed, "lr", 1.0, 2.0)
    history: list = []
    spliced_count = 0
    for _ in range(15):
        edit = random_structural_edit(plan, rng, history)
        if edit is None:
            continue
        collapsed &= set(plan.nodes)
        full_layout = layout_track(plan, root, collapsed, "lr", 1.0, 2.0)
        same_layout(relayout(layout, plan, edit.change.node_ids, collapsed, 1.0, 2.0), full_layout)
        layout = full_layout
        try:
            full = compile_track(plan, track)
        except Exception:  # noqa: BLE001 - the splice must then decline
            assert compiled is None or splice_track(compiled, plan, edit.change.node_ids) is None
            compiled = None
            continue
        if compiled is not None:
            spliced = splice_track(compiled, plan, edit.change.node_ids)
            if spliced is not None:
                same_compiled(spliced, full)
                spliced_count += 1
        compiled = full
    assert spliced_count, "no edit was spliced"


# -- in the window, as a user ---------------------------------------------------
@pytest.fixture(params=["at once", "in the worker"])
def window(request, qtbot, tmp_path):
    plan = random_plan(300, seed=7)
    path = tmp_path / "random.bwplan"
    save_plan(plan, path)
    win = MainWindow()
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "maybe_save", lambda: True))
    if request.param == "in the worker":
        win.document.large_plan_nodes = 0
    assert win.open_file(path)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.document.wait_for_checks()
    return win


def settle(win) -> None:
    win.document.wait_for_checks()
    win.document.wait_for_checks()
    QApplication.processEvents()


def outline_children(model, parent_index) -> list[str]:
    return [model.index(r, 0, parent_index).data(NODE_ID_ROLE) for r in range(model.rowCount(parent_index))]


def check_everything_fresh(win) -> None:
    """Numbers, layout, canvas styles and outline rows equal a from-scratch build."""
    doc, canvas = win.document, win.canvas
    plan = doc.plan
    expected = evaluate_track(plan, doc.current_track_id)
    result = doc.result
    assert result is not None and not doc.problems
    assert result.ids == expected.ids and result.ev == expected.ev and result.policy == expected.policy
    for name in ("node_ev", "node_reach", "node_probability", "node_p_failure", "node_failure_exposure",
                 "node_path"):
        assert np.array_equal(getattr(result, name), getattr(expected, name)), name
    same_compiled(result.compiled, expected.compiled)
    sibling, level = SPACING[canvas.orientation]
    root = plan.track(doc.current_track_id).root
    full = layout_track(plan, root, set(doc.collapsed()), canvas.orientation, sibling, level)
    same_layout(canvas.layout_data, full)
    fresh = base_style(plan, full)
    for name in ("kind", "is_branch", "written_edge", "badge"):
        assert np.array_equal(getattr(canvas._base_style, name), getattr(fresh, name)), name
    model = win.outline.model()
    stack = [(root, model.index_of(root))]
    while stack:
        node_id, index = stack.pop()
        kids = outline_children(model, index)
        assert kids == plan.nodes[node_id].children, node_id
        stack.extend((kid, model.index(r, 0, index)) for r, kid in enumerate(kids))


def keys(qtbot, win, key, modifier=Mod.NoModifier) -> None:
    win.canvas.setFocus()
    qtbot.keyClick(win.canvas, key, modifier)
    settle(win)


def test_add_delete_move_undo_redo_by_keys_match_a_full_recompute(window, qtbot, monkeypatch):
    win, doc = window, window.document
    full_checks = []
    real = document_module.evaluate
    monkeypatch.setattr(document_module, "evaluate", lambda *a: full_checks.append(a) or real(*a))
    rng = random.Random(3)
    chances = [i for i, n in doc.plan.nodes.items() if n.kind == CHANCE]
    decisions = [i for i, n in doc.plan.nodes.items() if n.kind == DECISION and i != "n0"]
    for parent in rng.sample(decisions, 3):
        doc.select(parent)
        before = list(doc.plan.nodes[parent].children)
        keys(qtbot, win, Key.Key_Tab)  # add a child
        added = doc.plan.nodes[parent].children[-1]
        assert added not in before
        # the outline shows the new row last under its parent, with its label
        model = win.outline.model()
        parent_index = model.index_of(parent)
        assert outline_children(model, parent_index)[-1] == added
        assert added in model.index(len(before), 0, parent_index).data()  # an unnamed node shows its id
        check_everything_fresh(win)
        keys(qtbot, win, Key.Key_Z, Mod.ControlModifier)  # undo
        assert doc.plan.nodes[parent].children == before
        check_everything_fresh(win)
        keys(qtbot, win, Key.Key_Y, Mod.ControlModifier)  # redo
        assert doc.plan.nodes[parent].children[-1] == added
        check_everything_fresh(win)
    options = [i for i, n in doc.plan.nodes.items() if n.kind == DECISION and i != "n0" for i in n.children]
    for victim in rng.sample(options, 2):
        if victim not in doc.plan.nodes:
            continue
        doc.select(victim)
        keys(qtbot, win, Key.Key_Delete)
        assert victim not in doc.plan.nodes
        check_everything_fresh(win)
        keys(qtbot, win, Key.Key_Z, Mod.ControlModifier)
        assert victim in doc.plan.nodes
        check_everything_fresh(win)
        keys(qtbot, win, Key.Key_Y, Mod.ControlModifier)
        check_everything_fresh(win)
    # a move (the outline's drag and drop calls the same method) keeps the
    # outline's expanded rows: row signals, not a reset
    moved = next(d for d in options if d in doc.plan.nodes and edits.parent_of(doc.plan, d) != "n0")
    target = next(c for c in chances if c in doc.plan.nodes and moved not in doc.plan.path_to(c))
    win.outline.expand(win.outline.model().index_of(target))
    resets = []
    win.outline.model().modelReset.connect(lambda: resets.append(1))
    doc.move_subtree(moved, target, 0)
    settle(win)
    assert not resets and win.outline.isExpanded(win.outline.model().index_of(target))
    assert outline_children(win.outline.model(), win.outline.model().index_of(target))[0] == moved
    check_everything_fresh(win)
    keys(qtbot, win, Key.Key_Z, Mod.ControlModifier)
    check_everything_fresh(win)
    keys(qtbot, win, Key.Key_Y, Mod.ControlModifier)
    check_everything_fresh(win)
    # every edit above was spliced: the document never compiled the whole track
    assert full_checks == []


def test_the_canvas_keeps_showing_the_last_numbers_while_the_worker_checks(qtbot, tmp_path):
    """Between a structural edit and its evaluation (large plans, worker) the canvas
    draws the previous figures at the nodes' new places, and none at a new node."""
    from widgets.canvas_style import _result_positions

    path = tmp_path / "random.bwplan"
    save_plan(random_plan(300, seed=11), path)
    win = MainWindow()
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "maybe_save", lambda: True))
    win.document.large_plan_nodes = 0
    assert win.open_file(path)
    win.show()
    qtbot.waitExposed(win)
    settle(win)
    doc, canvas = win.document, win.canvas
    before = doc.result
    parent = next(i for i, n in doc.plan.nodes.items() if n.kind == DECISION and i != "n0")
    doc.select(parent)
    win.canvas.setFocus()
    qtbot.keyClick(win.canvas, Key.Key_Tab)
    added = doc.plan.nodes[parent].children[-1]
    assert doc.result is before  # the worker has not answered yet
    expected = _result_positions(canvas.layout_data, before)
    assert np.array_equal(canvas.style_data.result_pos, expected)
    i = canvas.layout_data.index[added]
    assert canvas.style_data.result_pos[i] == -1 and np.isnan(canvas.style_data.ev[i])
    j = canvas.layout_data.index[parent]
    assert canvas.style_data.ev[j] == before.node_ev[before.index[parent]]
    settle(win)
    check_everything_fresh(win)
