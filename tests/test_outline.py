"""The outline: the current track as a tree, selection sync, drag-and-drop moves.

``FakeDocument`` (also used by test_inspector and test_problems_summary) is a
small stand-in for app.document.Document with the same signals and edit
methods, so these widgets are tested on their own; tests marked with the real
document run when app/document.py is present (undo included).
"""
from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QItemSelectionModel, QObject, Qt, Signal

from conftest import SHARED
from planning.model import edits
from planning.model.edits import Change
from planning.model.errors import PlanError
from planning.engine.evaluate import evaluate_track
from planning.model.plan import Node, Plan, Response, Track, Variable
from planning.model.validate import validate_plan
from widgets.tree_model import (
    BADGE_ROLE, COL_EV, COL_LABEL, COL_PROBABILITY, COL_READINESS, NODE_MIME_TYPE, PlanTreeModel,
)



class FakeDocument(QObject):
    """What the widgets need of app.document.Document, applied straight to a Plan."""

    changed = Signal(object)
    planReplaced = Signal()
    selectionChanged = Signal(str)
    currentTrackChanged = Signal(str)
    cleanChanged = Signal(bool)
    evaluated = Signal(object)

    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan
        self.current_track_id = plan.tracks[0].id
        self.selected_id: str | None = None
        self.result = None
        self.problems: list = []
        self.calls: list[tuple] = []  # every edit method called, in order
        self._evaluate()

    def _evaluate(self) -> None:
        self.problems = list(validate_plan(self.plan))
        try:
            self.result = evaluate_track(self.plan, self.current_track_id)
        except PlanError as error:
            self.result = None
            if not self.problems:
                self.problems = [error.problem()]
        self.evaluated.emit(self.result)

    # selection and tracks
    def select(self, node_id):
        self.calls.append(("select", node_id))
        if node_id != self.selected_id:
            self.selected_id = node_id
            self.selectionChanged.emit(node_id or "")

    def set_current_track(self, track_id):
        self.calls.append(("set_current_track", track_id))
        if track_id != self.current_track_id:
            self.current_track_id = track_id
            self.currentTrackChanged.emit(track_id)
            self._evaluate()

    def begin_macro(self, text):
        self.calls.append(("begin_macro", text))

    def end_macro(self):
        self.calls.append(("end_macro",))

    # edits: applied with planning.model.edits, as the real document does (no undo stack)
    def _apply(self, edit) -> None:
        self.changed.emit(edit.change)
        self._evaluate()

    def set_node_field(self, node_id, field, value):
        self.calls.append(("set_node_field", node_id, field, value))
        self._apply(edits.set_node_field(self.plan, node_id, field, value))

    def move_subtree(self, node_id, new_parent_id, index):
        self.calls.append(("move_subtree", node_id, new_parent_id, index))
        self._apply(edits.move_subtree(self.plan, node_id, new_parent_id, index))

    def add_response(self, node_id):
        self.calls.append(("add_response", node_id))
        edit = edits.add_response(self.plan, node_id)
        self._apply(edit)
        return edit.created_id

    def remove_response(self, node_id, response_id):
        self.calls.append(("remove_response", node_id, response_id))
        self._apply(edits.remove_response(self.plan, node_id, response_id))

    def move_response(self, node_id, response_id, index):
        self.calls.append(("move_response", node_id, response_id, index))
        self._apply(edits.move_response(self.plan, node_id, response_id, index))

    def set_response_field(self, node_id, response_id, field, value):
        self.calls.append(("set_response_field", node_id, response_id, field, value))
        self._apply(edits.set_response_field(self.plan, node_id, response_id, field, value))

    def edits(self, name: str) -> list[tuple]:
        return [c for c in self.calls if c[0] == name]


def sample_plan() -> Plan:
    """A two-track plan: a decision, a chance node with two branches, a fallback."""
    nodes = {
        "d1": Node("d1", "decision", "Launch in spring?", children=["c1", "t3"]),
        "c1": Node("c1", "chance", "Launch", payoff=-40, children=["t1", "t2"]),
        "t1": Node("t1", label="Adoption on target", probability="p_ok", path="success", payoff=200,
                   warning_days=30, responses=[Response("r1", "Scale support team", "Ops", readiness=2,
                                                         lead_time_days=14, effect=15, cost=5)]),
        "t2": Node("t2", label="Adoption stalls", probability="#", path="failure", payoff=-60,
                   warning_days=7, responses=[Response("r2", "Price cut playbook", "Sales", readiness=1,
                                                        lead_time_days=90, effect=30, cost=10)]),
        "t3": Node("t3", label="Wait a year", payoff=20, path="neutral"),
        "x1": Node("x1", "chance", "Other track", children=["x2", "x3"]),
        "x2": Node("x2", label="yes", probability=0.5, path="success", payoff=1),
        "x3": Node("x3", label="no", probability=0.5, path="failure"),
    }
    return Plan(title="Sample", value_unit="k$", variables=[Variable("p_ok", 0.7)],
                tracks=[Track("launch", "Launch", "d1"), Track("other", "Other", "x1")], nodes=nodes)


@pytest.fixture
def fake():
    return FakeDocument(sample_plan())


def real_document(path: Path = SHARED / "examples" / "minimal.bwplan"):
    """The application's Document (app/document.py) on a plan file."""
    from app.document import Document
    from planning.files.planfile import load_plan

    return Document(load_plan(path))


def ids_in_order(model: PlanTreeModel) -> list[tuple[str, str | None]]:
    """(id, parent id) of every row, depth first, through the Qt model API only."""
    out = []
    stack = [model.index(r, 0) for r in reversed(range(model.rowCount()))]
    while stack:
        index = stack.pop()
        parent = model.parent(index)
        out.append((model.node_id(index), model.node_id(parent)))
        stack.extend(model.index(r, 0, index) for r in reversed(range(model.rowCount(index))))
    return out


# -- the model ------------------------------------------------------------------
def test_model_shows_the_current_track_in_order(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    model = view.tree_model
    assert ids_in_order(model) == [("d1", None), ("c1", "d1"), ("t1", "c1"), ("t2", "c1"), ("t3", "d1")]
    t1 = model.index_of("t1", COL_LABEL)
    assert t1.data() == "Adoption on target"
    assert model.index_of("t1", COL_PROBABILITY).data() == "0.7"
    assert model.index_of("t1", COL_PROBABILITY).data(Qt.ItemDataRole.ToolTipRole) == "probability as written: p_ok"
    assert model.index_of("t2", COL_PROBABILITY).data() == "0.3"
    assert model.index_of("t2", COL_PROBABILITY).data(Qt.ItemDataRole.FontRole).italic()
    assert model.index_of("c1", COL_PROBABILITY).data() == ""  # not a branch
    # EV of the launch: -40 + 0.7*(200 + 0.5*15) + 0.3*(-60 + 0) (r2 is late: 90 d > 7 d)
    expected_c1 = -40 + 0.7 * (200 + 0.5 * 15) + 0.3 * -60
    assert float(model.index_of("c1", COL_EV).data()) == pytest.approx(expected_c1, abs=0.05)
    assert model.index_of("t1", COL_READINESS).data() == "50%"
    assert model.index_of("t2", COL_READINESS).data() == "0%"
    assert model.index_of("t2", COL_READINESS).data(BADGE_ROLE) == "late"
    assert model.index_of("t1", COL_READINESS).data(BADGE_ROLE) == "partial"
    assert model.index_of("c1", COL_READINESS).data(BADGE_ROLE) is None
    assert "late: Price cut playbook: 90 d lead time vs 7 d warning" in model.index_of("t2", COL_READINESS).data(
        Qt.ItemDataRole.ToolTipRole)
    # the other track is shown when it becomes current
    fake.set_current_track("other")
    assert ids_in_order(model) == [("x1", None), ("x2", "x1"), ("x3", "x1")]


def test_model_parent_and_index_agree_on_a_deep_and_wide_plan(qtbot):
    # a 20,000-deep chain plus a 5,000-wide fan: every index's parent is right
    nodes = {"root": Node("root", "decision", children=["fan", "chain0"])}
    nodes["fan"] = Node("fan", "decision", children=[f"f{i}" for i in range(5000)])
    for i in range(5000):
        nodes[f"f{i}"] = Node(f"f{i}")
    depth = 20000
    for i in range(depth):
        nodes[f"chain{i}"] = Node(f"chain{i}", "decision", children=[f"chain{i + 1}"] if i + 1 < depth else [])
    nodes[f"chain{depth - 1}"].kind = "terminal"
    plan = Plan(tracks=[Track("t", root="root")], nodes=nodes)
    model = PlanTreeModel(FakeDocument(plan))
    fan = model.index_of("fan")
    last = model.index(4999, 0, fan)
    assert model.node_id(last) == "f4999"
    assert model.parent(last) == fan
    deepest = model.index_of(f"chain{depth - 1}")
    assert model.ancestors(f"chain{depth - 1}")[-1] == "root"
    assert len(model.ancestors(f"chain{depth - 1}")) == depth
    assert model.node_id(model.parent(deepest)) == f"chain{depth - 2}"


# -- selection sync ----------------------------------------------------------------
def test_selecting_a_row_selects_the_node_in_the_document(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    index = view.tree_model.index_of("t2")
    view.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    assert fake.selected_id == "t2"
    assert fake.edits("select") == [("select", "t2")]


def test_document_selection_selects_and_reveals_the_row(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    view.collapseAll()
    assert not view.isExpanded(view.tree_model.index_of("c1"))
    fake.select("t2")
    assert view.selected_node_id() == "t2"
    assert view.isExpanded(view.tree_model.index_of("c1"))
    assert view.isExpanded(view.tree_model.index_of("d1"))
    # the view does not echo the selection back as a second select call
    assert fake.edits("select") == [("select", "t2")]
    fake.select(None)
    assert view.selected_node_id() is None


def test_field_edit_repaints_only_that_row(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.tree_model.dataChanged) as blocker:
        fake.set_node_field("t3", "label", "Wait two years")
    top_left, bottom_right = blocker.args[0], blocker.args[1]
    assert view.tree_model.node_id(top_left) == "t3" and top_left.row() == bottom_right.row()
    assert view.tree_model.index_of("t3").data() == "Wait two years"


# -- drag and drop ---------------------------------------------------------------
def _drop(model: PlanTreeModel, node_id: str, parent_id: str, row: int) -> bool:
    data = model.mimeData([model.index_of(node_id)])
    parent = model.index_of(parent_id)
    allowed = model.canDropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)
    done = model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)
    assert allowed == done
    return done


def test_drop_moves_a_subtree_and_keeps_expansion_and_selection(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    model = view.tree_model
    assert model.mimeTypes() == [NODE_MIME_TYPE]
    fake.select("t1")
    expanded_before = view.expanded_ids()
    # move the fallback under the chance node, between its two branches
    assert _drop(model, "t3", "c1", 1)
    assert fake.edits("move_subtree") == [("move_subtree", "t3", "c1", 1)]
    assert fake.plan.nodes["c1"].children == ["t1", "t3", "t2"]
    assert ids_in_order(model)[2:5] == [("t1", "c1"), ("t3", "c1"), ("t2", "c1")]
    assert view.expanded_ids() == expanded_before
    assert view.selected_node_id() == "t1"
    # within the same parent, Qt's drop row counts the moving node: row 3 = last
    assert _drop(model, "t1", "c1", 3)
    assert fake.plan.nodes["c1"].children == ["t3", "t2", "t1"]
    # dropped on the node itself (row -1): appended
    assert _drop(model, "t3", "d1", -1)
    assert fake.plan.nodes["d1"].children == ["c1", "t3"]


def test_drop_refuses_own_subtree_terminals_root_and_no_ops(qtbot, fake):
    model = PlanTreeModel(fake)
    before = copy.deepcopy(fake.plan.nodes)
    assert not _drop(model, "c1", "c1", 0)        # onto itself
    fake.plan.nodes["t1"].kind = "chance"          # make a node below c1 droppable
    assert not _drop(model, "c1", "t1", 0)         # into its own subtree
    fake.plan.nodes["t1"].kind = "terminal"
    assert not _drop(model, "t3", "t1", 0)         # a terminal has no children
    assert not _drop(model, "d1", "c1", 0)         # the root stays the root
    assert not _drop(model, "t1", "c1", 0)         # already there
    assert not _drop(model, "t1", "c1", 1)         # still the same place
    assert fake.edits("move_subtree") == []
    assert fake.plan.nodes == before


def test_a_node_added_elsewhere_is_inserted_as_one_row(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    fake.select("t1")
    resets = []
    view.tree_model.modelReset.connect(lambda: resets.append(1))
    fake.plan.nodes["t4"] = Node("t4", label="New", payoff=5)
    fake.plan.nodes["d1"].children.insert(1, "t4")
    with qtbot.waitSignal(view.tree_model.rowsInserted) as blocker:
        fake.changed.emit(Change("structure", "launch", ("d1", "t4")))
    parent, first, last = blocker.args
    assert view.tree_model.node_id(parent) == "d1" and (first, last) == (1, 1)
    assert resets == []  # no reset: expansion, selection and scrolling stay
    assert ids_in_order(view.tree_model) == [("d1", None), ("c1", "d1"), ("t1", "c1"), ("t2", "c1"),
                                             ("t4", "d1"), ("t3", "d1")]
    assert view.selected_node_id() == "t1" and view.isExpanded(view.tree_model.index_of("c1"))


def test_a_move_from_elsewhere_moves_the_row(qtbot, fake):
    """Issue 11: a moved subtree is one ``rowsMoved`` (was a reset): expansion stays."""
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    view.expand(view.tree_model.index_of("c1"))
    resets = []
    view.tree_model.modelReset.connect(lambda: resets.append(1))
    fake.plan.nodes["d1"].children.remove("t3")
    fake.plan.nodes["c1"].children.append("t3")
    with qtbot.waitSignal(view.tree_model.rowsMoved) as blocker:
        fake.changed.emit(Change("structure", "launch", ("d1", "c1", "t3")))
    source, first, last, target, row = blocker.args
    assert view.tree_model.node_id(source) == "d1" and view.tree_model.node_id(target) == "c1"
    assert (first, last, row) == (1, 1, 2)
    assert resets == [] and view.isExpanded(view.tree_model.index_of("c1"))
    assert ids_in_order(view.tree_model) == [("d1", None), ("c1", "d1"), ("t1", "c1"), ("t2", "c1"),
                                             ("t3", "c1")]


def test_add_delete_undo_redo_update_rows_with_the_real_document(qtbot):
    from widgets.outline import Outline

    document = real_document()
    view = Outline(document)
    qtbot.addWidget(view)
    model = view.tree_model
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    original = ids_in_order(model)
    new = document.add_child("t1", label="Follow-up")  # a terminal becomes a chance node
    assert (new, "t1") in ids_in_order(model)
    document.remove_subtree("c1")  # a whole subtree goes
    assert ids_in_order(model) == [("d1", None), ("t3", "d1")]
    document.undo_stack.undo()  # and comes back, with the added node inside
    assert (new, "t1") in ids_in_order(model) and ("t2", "c1") in ids_in_order(model)
    document.undo_stack.undo()
    assert ids_in_order(model) == original
    document.undo_stack.redo()
    document.undo_stack.redo()
    assert ids_in_order(model) == [("d1", None), ("t3", "d1")]
    assert resets == []
    # the model answers like a freshly built one
    fresh = PlanTreeModel(document)
    assert ids_in_order(fresh) == ids_in_order(model)


# -- with the real document ----------------------------------------------------
def test_drag_move_is_one_undo_step_with_the_real_document(qtbot):
    from widgets.outline import Outline

    document = real_document()
    view = Outline(document)
    qtbot.addWidget(view)
    model = view.tree_model
    assert _drop(model, "t3", "c1", 1)
    assert document.plan.nodes["c1"].children == ["t1", "t3", "t2"]
    assert ("t3", "c1") in ids_in_order(model)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.plan.nodes["c1"].children == ["t1", "t2"]
    assert document.plan.nodes["d1"].children == ["c1", "t3"]
    assert ids_in_order(model) == [("d1", None), ("c1", "d1"), ("t1", "c1"), ("t2", "c1"), ("t3", "d1")]
    view.selectionModel().setCurrentIndex(
        model.index_of("t2"), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    assert document.selected_id == "t2"
    assert math.isfinite(float(model.index_of("d1", COL_EV).data().replace(",", "")))


def test_each_track_keeps_its_expansion(qtbot, fake):
    from widgets.outline import Outline

    view = Outline(fake)
    qtbot.addWidget(view)
    view.collapse(view.tree_model.index_of("c1"))
    assert view.expanded_ids() == {"d1"}
    fake.set_current_track("other")
    assert view.expanded_ids() == {"x1"}          # a new track opens afresh
    fake.set_current_track("launch")
    assert view.expanded_ids() == {"d1"}          # and the first comes back as it was
    assert not view.isExpanded(view.tree_model.index_of("c1"))


def test_outline_follows_a_new_plan_and_track_switches_of_the_real_document(qtbot):
    from widgets.outline import Outline

    document = real_document()
    view = Outline(document)
    qtbot.addWidget(view)
    document.select("t1")
    assert view.selected_node_id() == "t1"
    document.new()
    root = document.plan.tracks[0].root
    assert view.tree_model.root_id == root
    assert ids_in_order(view.tree_model)[0] == (root, None)
    assert view.selected_node_id() is None
    assert all(view.tree_model.contains(node_id) for node_id in view.expanded_ids())
    new_track = document.add_track("Second")
    assert document.current_track_id == new_track
    assert view.tree_model.root_id == document.plan.track(new_track).root
    document.undo_stack.undo()
    assert view.tree_model.root_id == root


# -- property: any drop either is refused or moves exactly as Qt's drop row says --------

def _random_plan(parent_choices: list[int]) -> Plan:
    """A decision tree where node i+1 hangs under node parent_choices[i] % (i+1)."""
    nodes = {"n0": Node("n0", "decision")}
    for i, choice in enumerate(parent_choices):
        parent = nodes[f"n{choice % (i + 1)}"]
        parent.kind = "decision"
        nodes[f"n{i + 1}"] = Node(f"n{i + 1}", "terminal")
        parent.children.append(f"n{i + 1}")
    return Plan(tracks=[Track("t", root="n0")], nodes=nodes)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=12), st.integers(0, 1000), st.integers(0, 1000),
       st.integers(-1, 6))
def test_drop_is_refused_or_lands_where_qt_says(qapp, parent_choices, moved_pick, target_pick, row):
    plan = _random_plan(parent_choices)
    fake = FakeDocument(plan)
    model = PlanTreeModel(fake)
    ids = list(plan.nodes)
    moved, target = ids[moved_pick % len(ids)], ids[target_pick % len(ids)]
    old_parent = plan.parents().get(moved)
    old_children = list(plan.nodes[target].children)
    subtree = set(plan.subtree_ids(moved))
    done = _drop(model, moved, target, row)
    if not done:
        assert (old_parent is None or target in subtree or plan.nodes[target].kind == "terminal"
                or (old_parent == target and old_children.index(moved) in (row, row - 1))
                or (old_parent == target and row == -1 and old_children[-1] == moved)
                or (old_parent == target and row > len(old_children) and old_children[-1] == moved))
        return
    # Qt's row counts the current children (the moved node included): recompute by hand
    expected = [c for c in old_children]
    insert_at = len(expected) if row < 0 or row > len(expected) else row
    expected.insert(insert_at, "MOVED")
    expected = [c for c in expected if c != moved]
    expected[expected.index("MOVED")] = moved
    assert plan.nodes[target].children == expected
    # the model shows the plan exactly
    reference = []
    stack = [("n0", None)]
    while stack:
        node_id, parent_id = stack.pop()
        reference.append((node_id, parent_id))
        stack.extend((c, node_id) for c in reversed(plan.nodes[node_id].children))
    assert ids_in_order(model) == reference
