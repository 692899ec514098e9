"""The tree canvas as a user meets it: clicks, keys, rename, collapse, labels, colours."""
from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QObject, QPoint, QRectF, Qt, Signal

from conftest import SHARED
from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track
from widgets import palette
from widgets.canvas_labels import LABEL_BUDGET
from widgets.canvas_style import branch_badge
from widgets.tree_canvas import TreeCanvas


class FakeDocument(QObject):
    """Just the Document surface the canvas uses; records the edits asked for."""

    changed = Signal(object)
    planReplaced = Signal()
    selectionChanged = Signal(str)
    currentTrackChanged = Signal(str)
    evaluated = Signal(object)

    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan
        self.current_track_id = plan.tracks[0].id
        self.selected_id = None
        self.result = None
        self._collapsed: set[str] = set()
        self.edits: list[tuple] = []

    def collapsed(self) -> set[str]:
        return set(self._collapsed)

    def set_collapsed(self, node_id: str, collapsed: bool) -> None:
        self.edits.append(("collapse", node_id, collapsed))
        (self._collapsed.add if collapsed else self._collapsed.discard)(node_id)

    def select(self, node_id) -> None:
        if node_id != self.selected_id:
            self.selected_id = node_id or None
            self.selectionChanged.emit(node_id or "")

    def set_node_field(self, node_id: str, field: str, value) -> None:
        self.edits.append(("field", node_id, field, value))
        setattr(self.plan.nodes[node_id], field, value)
        self.changed.emit(SimpleNamespace(kind="node", track_id=self.current_track_id,
                                          node_ids=(node_id,), fields=(field,)))


def small_plan() -> Plan:
    """d -> (c -> (s success, f failure), t option); the failure branch has a late response."""
    nodes = {
        "d": Node("d", DECISION, "Start?", children=["c", "t"]),
        "c": Node("c", CHANCE, "Go", children=["s", "f", "u"]),
        "s": Node("s", TERMINAL, "Works", probability=0.5, path="success",
                  responses=[Response("r1", readiness=4)]),
        "f": Node("f", TERMINAL, "Fails", probability=0.3, path="failure", warning_days=5,
                  responses=[Response("r2", readiness=3, lead_time_days=20)]),
        "u": Node("u", TERMINAL, "Unclear", probability="#", path="neutral",
                  responses=[Response("r3", readiness=2)]),
        "t": Node("t", TERMINAL, "Wait"),
    }
    return Plan(title="small", tracks=[Track("main", "Main", "d")], nodes=nodes)


def random_plan(n: int, seed: int = 0) -> Plan:
    rng = random.Random(seed)
    nodes = {"n0": Node("n0", DECISION, "root")}
    for i in range(1, n):
        parent = nodes[f"n{rng.randrange(max(0, i - 50), i)}"]
        parent.kind = CHANCE
        nodes[f"n{i}"] = Node(f"n{i}", TERMINAL, f"node number {i}", probability="#",
                              path=rng.choice(["success", "failure", "neutral"]))
        parent.children.append(f"n{i}")
    return Plan(tracks=[Track("main", "Main", "n0")], nodes=nodes)


@pytest.fixture
def canvas_for(qtbot):
    def make(plan: Plan, document=None, size=(1000, 700)):
        document = document or FakeDocument(plan)
        canvas = TreeCanvas(document)
        qtbot.addWidget(canvas)
        canvas.resize(*size)
        canvas.show()
        qtbot.waitExposed(canvas)
        canvas.fit()
        return canvas, document
    return make


def click_node(qtbot, canvas, node_id, double=False):
    x, y = canvas.node_screen_pos(node_id)
    point = QPoint(round(x), round(y))
    if double:
        qtbot.mouseDClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    else:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)


def items_by_type(canvas):
    counts: dict[type, int] = {}
    for item in canvas.view_box.addedItems:
        counts[type(item)] = counts.get(type(item), 0) + 1
    return counts


def test_item_count_does_not_grow_with_the_tree(canvas_for):
    small, _ = canvas_for(small_plan())
    big, _ = canvas_for(random_plan(3000, seed=1))
    for canvas in (small, big):
        counts = items_by_type(canvas)
        assert counts[pg.PlotCurveItem] == 8
        assert counts[pg.ScatterPlotItem] == 4  # nodes, badges, collapse marks, selection
        assert counts.get(pg.TextItem, 0) <= LABEL_BUDGET
    # One scatter carries every node of the big tree.
    assert len(big.node_item.data) == 3000
    # Every edge is in exactly one of the edge curves (2 segments = 4 points per edge).
    total = sum(len(item.xData) for item in big.edge_items.values())
    assert total == 4 * 2999


def test_click_selects_the_node_under_the_mouse(qtbot, canvas_for):
    canvas, document = canvas_for(small_plan())
    for node_id in ("f", "c", "d"):
        click_node(qtbot, canvas, node_id)
        assert document.selected_id == node_id
    # A click far from any node leaves the selection alone.
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert document.selected_id == "d"


def test_click_hit_test_uses_the_nearest_node(canvas_for):
    canvas, _ = canvas_for(small_plan())
    x, y = canvas.node_screen_pos("s")
    assert canvas.node_at(QPoint(round(x) + 4, round(y) - 3)) == "s"
    assert canvas.node_at(QPoint(round(x) + 40, round(y))) is None


def test_arrow_keys_walk_parent_child_and_siblings(qtbot, canvas_for):
    canvas, document = canvas_for(small_plan())
    document.select("d")
    walk = [(Qt.Key.Key_Right, "c"), (Qt.Key.Key_Right, "s"), (Qt.Key.Key_Down, "f"),
            (Qt.Key.Key_Down, "u"), (Qt.Key.Key_Down, "u"), (Qt.Key.Key_Up, "f"),
            (Qt.Key.Key_Left, "c"), (Qt.Key.Key_Down, "t"), (Qt.Key.Key_Left, "d"),
            (Qt.Key.Key_Left, "d")]
    for key, expected in walk:
        qtbot.keyClick(canvas, key)
        assert document.selected_id == expected, key


def test_arrow_keys_follow_top_to_bottom_orientation(qtbot, canvas_for):
    canvas, document = canvas_for(small_plan())
    canvas.set_orientation("tb")
    document.select("d")
    for key, expected in [(Qt.Key.Key_Down, "c"), (Qt.Key.Key_Right, "t"),
                          (Qt.Key.Key_Left, "c"), (Qt.Key.Key_Down, "s"), (Qt.Key.Key_Up, "c")]:
        qtbot.keyClick(canvas, key)
        assert document.selected_id == expected
    # Depth now runs down the screen.
    ys = canvas.layout_data.y
    assert ys[canvas.layout_data.index["s"]] > ys[canvas.layout_data.index["c"]]


def test_f2_rename_commits_with_enter(qtbot, canvas_for):
    canvas, document = canvas_for(small_plan())
    document.select("f")
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_F2)
    assert canvas.rename_edit.isVisible() and canvas.rename_edit.text() == "Fails"
    qtbot.keyClicks(canvas.rename_edit, "Talks fail")
    qtbot.keyClick(canvas.rename_edit, Qt.Key.Key_Return)
    assert document.edits == [("field", "f", "label", "Talks fail")]
    assert not canvas.rename_edit.isVisible()
    # The label on the canvas follows the document's change signal.
    assert any(text.startswith("Talks fail") for text in canvas.labels.texts())


def test_rename_escape_cancels(qtbot, canvas_for):
    canvas, document = canvas_for(small_plan())
    document.select("s")
    canvas.start_rename()
    qtbot.keyClicks(canvas.rename_edit, "nope")
    qtbot.keyClick(canvas.rename_edit, Qt.Key.Key_Escape)
    assert document.edits == []
    assert not canvas.rename_edit.isVisible()
    assert document.plan.nodes["s"].label == "Works"


def test_double_click_collapses_and_expands(qtbot, canvas_for):
    canvas, document = canvas_for(small_plan())
    x_before = canvas.node_screen_pos("c")
    click_node(qtbot, canvas, "c", double=True)
    assert document.edits[-1] == ("collapse", "c", True)
    assert set(canvas.layout_data.ids) == {"d", "c", "t"}
    assert len(canvas.collapse_item.data) == 1
    # The collapsed node stays where it was on screen.
    assert np.allclose(canvas.node_screen_pos("c"), x_before, atol=1.5)
    click_node(qtbot, canvas, "c", double=True)
    assert document.edits[-1] == ("collapse", "c", False)
    assert set(canvas.layout_data.ids) == set(document.plan.nodes)
    # Space toggles the selected node too; a leaf has nothing to collapse.
    document.select("c")
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert "s" not in canvas.layout_data.index
    document.select("t")
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert document.edits[-1] == ("collapse", "c", True)


def test_labels_stay_within_budget_and_never_overlap(qtbot, canvas_for):
    canvas, document = canvas_for(random_plan(10_000, seed=3), size=(1600, 1000))
    assert canvas.visible_label_count() <= LABEL_BUDGET
    layout = canvas.layout_data
    middle = len(layout.ids) // 2
    x, y = layout.x[middle], layout.y[middle]
    views = [QRectF(x - 20, y - 12, 40, 25), QRectF(x - 40, y - 25, 80, 50),
             QRectF(x - 200, y - 125, 400, 250)]
    counts = []
    for rect in views:
        canvas.view_box.setRange(rect, padding=0)
        canvas.update_labels()
        counts.append(canvas.visible_label_count())
        assert canvas.visible_label_count() <= LABEL_BUDGET
        qtbot.wait(60)  # text items settle their transforms when painted
        canvas.viewport().repaint()
        rects = [item.textItem.sceneBoundingRect()
                 for item in canvas.labels.items[: canvas.labels.shown]]
        for a in range(len(rects)):
            for b in range(a + 1, len(rects)):
                assert not rects[a].adjusted(1, 1, -1, -1).intersects(rects[b]), (a, b)
    assert counts[0] > 10  # zoomed in, the view is full of labels


def test_failure_edges_use_the_palette_colour(canvas_for):
    canvas, document = canvas_for(small_plan())
    pen = canvas.edge_items[("failure", False)].opts["pen"]
    assert pen.color().name() == palette.FAILURE
    assert canvas.edge_items[("success", False)].opts["pen"].color().name() == palette.SUCCESS
    layout = canvas.layout_data
    f = layout.index["f"]
    xs, ys = canvas.edge_items[("failure", False)].xData, canvas.edge_items[("failure", False)].yData
    assert len(xs) == 4 and (xs[3], ys[3]) == (layout.x[f], layout.y[f])
    # The decision's options are drawn grey, not in a path colour.
    assert canvas.edge_items[("option", False)].opts["pen"].color().name() == palette.OPTION_EDGE
    assert len(canvas.edge_items[("option", False)].xData) == 8


def test_readiness_badges_match_the_responses(canvas_for):
    plan = small_plan()
    canvas, _ = canvas_for(plan)
    badges = dict(zip(canvas.badge_item.data["data"], canvas.badge_item.data["x"]))
    assert sorted(canvas.badge_item.data["data"]) == ["late", "partial", "ready"]
    assert [branch_badge(plan.nodes[i]) for i in ("s", "f", "u")] == ["ready", "late", "partial"]
    colours = {d: b.color().name() for d, b in zip(canvas.badge_item.data["data"],
                                                   canvas.badge_item.data["brush"])}
    assert colours["late"] == palette.BADGE_LATE and colours["ready"] == palette.BADGE_READY
    assert len(badges) == 3
    assert branch_badge(Node("x")) == "none"


def test_selection_is_drawn_with_a_thick_pen(canvas_for):
    canvas, document = canvas_for(small_plan())
    document.select("f")
    spot = canvas.selection_item.data[0]
    layout = canvas.layout_data
    assert (spot["x"], spot["y"]) == (layout.x[layout.index["f"]], layout.y[layout.index["f"]])
    assert canvas.selection_item.opts["pen"].widthF() >= 3


def test_fit_zoom_and_orientation(canvas_for):
    canvas, _ = canvas_for(random_plan(200, seed=2))
    canvas.fit(whole=True)
    rect = canvas.view_box.viewRect()
    xmin, ymin, xmax, ymax = canvas.layout_data.bounds()
    assert rect.left() <= xmin and rect.right() >= xmax and rect.top() <= ymin and rect.bottom() >= ymax
    width, height = rect.width(), rect.height()
    canvas.zoom_in()
    assert canvas.view_box.viewRect().width() < width
    canvas.zoom_out()
    canvas.zoom_out()
    # Zoomed out past the fit, the levels stay spread over the view: only the breadth zooms out.
    assert canvas.view_box.viewRect().height() > height
    assert canvas.view_box.viewRect().width() == pytest.approx(width)
    with pytest.raises(ValueError):
        canvas.set_orientation("sideways")


def test_selecting_inside_a_collapsed_subtree_unfolds_it(canvas_for):
    canvas, document = canvas_for(small_plan())
    document.select("c")
    canvas.toggle_collapse()
    assert "f" not in canvas.layout_data.index
    document.select("f")
    assert "f" in canvas.layout_data.index
    assert document.edits[-1] == ("collapse", "c", False)


# -- with the real Document and planning core -----------------------------------

@pytest.fixture
def real_document():
    document_module = pytest.importorskip("app.document")
    planfile = pytest.importorskip("planning.files.planfile")
    plan = planfile.load_plan(SHARED / "examples" / "minimal.bwplan")
    return document_module.Document(plan)


def test_real_document_shows_figures_and_renames(qtbot, canvas_for, real_document):
    canvas, document = canvas_for(None, document=real_document, size=(1400, 900))
    result = document.result
    assert result is not None
    texts = canvas.labels.texts()
    on_target = next(t for t in texts if t.startswith("Adoption on target"))
    ev = result.node_ev[result.index["t1"]]
    assert "p=0.7" in on_target and f"EV {ev:g}" in on_target.replace(",", "")
    # The chosen option is drawn bold: the launch edge (the policy picks c1).
    assert result.policy["d1"] == "c1"
    bold = canvas.edge_items[("option", True)]
    c1 = canvas.layout_data.index["c1"]
    assert canvas.layout_data.x[c1] in bold.xData
    # Rename through the canvas edits the plan through the document (undoable).
    document.select("t2")
    canvas.start_rename()
    canvas.rename_edit.setText("Adoption stalls badly")
    qtbot.keyClick(canvas.rename_edit, Qt.Key.Key_Return)
    assert document.plan.nodes["t2"].label == "Adoption stalls badly"
    assert any(t.startswith("Adoption stalls badly") for t in canvas.labels.texts())
    document.undo_stack.undo()
    assert any(t.startswith("Adoption stalls\n") for t in canvas.labels.texts())


def test_real_document_structure_edit_relayouts(canvas_for, real_document):
    canvas, document = canvas_for(None, document=real_document)
    before = len(canvas.layout_data.ids)
    new_id = document.add_child("d1", "terminal", "Sell the idea")
    assert new_id in canvas.layout_data.index
    assert len(canvas.layout_data.ids) == before + 1
    document.set_collapsed("c1", True)
    assert "t1" not in canvas.layout_data.index


def test_big_trees_hand_qt_only_the_edges_near_the_view(monkeypatch, canvas_for):
    import widgets.tree_canvas as tree_canvas

    monkeypatch.setattr(tree_canvas, "EDGE_CULL_MIN", 100)
    canvas, _ = canvas_for(random_plan(3000, seed=4))
    canvas.fit(whole=True)
    layout = canvas.layout_data
    drawn = sum(len(item.xData) for item in canvas.edge_items.values())
    assert drawn == 4 * 2999  # fitted: the whole tree is near the view
    middle = len(layout.ids) // 2
    x, y = layout.x[middle], layout.y[middle]
    canvas.view_box.setRange(QRectF(x - 10, y - 6, 20, 12), padding=0)
    canvas.update_labels()
    drawn = sum(len(item.xData) for item in canvas.edge_items.values())
    assert 0 < drawn < 4 * 2999
    # Every edge that touches the view is still drawn, cut to the region near the view.
    view = canvas.view_box.viewRect()
    ends = set()
    for item in canvas.edge_items.values():
        ends.update(zip(item.xData.tolist(), item.yData.tolist()))
        assert item.xData.min(initial=view.left()) >= view.left() - view.width() * 0.51
        assert item.xData.max(initial=view.right()) <= view.right() + view.width() * 0.51
    for i in range(1, len(layout.ids)):
        if view.contains(layout.x[i], layout.y[i]):
            assert (layout.x[i], layout.y[i]) in ends
    shown = set(zip(canvas.node_item.data["x"].tolist(), canvas.node_item.data["y"].tolist()))
    assert len(shown) < len(layout.ids)
    in_view = ((layout.x >= view.left()) & (layout.x <= view.right())
               & (layout.y >= view.top()) & (layout.y <= view.bottom()))
    assert in_view.sum() > 0
    assert all((layout.x[i], layout.y[i]) in shown for i in np.flatnonzero(in_view))


# -- fit, level of detail, labels that do not cover the tree -------------------------

def test_fit_spreads_a_tall_tree_over_the_view_and_labels_its_top(qtbot, canvas_for):
    from benchmarks.bench_core import random_plan as bushy_plan
    from widgets.canvas_view import MIN_LEVEL_PX

    # breadth first, 2-4 children a node: ~3,000 leaves on a dozen levels
    canvas, document = canvas_for(bushy_plan(5000), size=(1000, 700))
    layout = canvas.layout_data
    canvas.fit(whole=False)
    width = canvas.view_box.width()
    shown_x = [canvas.node_screen_pos(layout.ids[i])[0] for i in range(len(layout.ids))
               if canvas.view_box.viewRect().contains(layout.x[i], layout.y[i])]
    # not a thin strip: the drawn nodes run across most of the view, each level readable
    assert max(shown_x) - min(shown_x) > 0.6 * width
    px, _py = canvas.view_box.viewPixelSize()
    assert canvas.view_box.viewRect().top() <= layout.y.min() and canvas.view_box.viewRect().bottom() >= layout.y.max()
    assert 4.5 / px >= min(MIN_LEVEL_PX - 1, width / 14)  # levels readable, or all of them shown
    assert any(t.startswith("n0") for t in canvas.labels.texts())  # the top of the tree is labelled
    # Fit again: every level shows, still filling the view.
    canvas.fit()
    rect = canvas.view_box.viewRect()
    assert rect.left() <= layout.x.min() and rect.right() >= layout.x.max()
    assert rect.top() <= layout.y.min() and rect.bottom() >= layout.y.max()
    # Zooming in spreads the breadth first: every level stays in view.
    canvas.zoom_in()
    assert canvas.view_box.viewRect().height() < rect.height()
    assert canvas.view_box.viewRect().width() == pytest.approx(rect.width())


def test_lr_labels_never_cover_another_node_or_label(qtbot, canvas_for):
    from conftest import SAMPLES
    from app.document import Document
    from planning.files.planfile import load_plan

    document = Document(load_plan(SAMPLES / "peace-process.bwplan"))
    for size in ((1600, 1000), (900, 560)):
        canvas, _ = canvas_for(None, document=document, size=size)
        for track in document.plan.tracks:
            document.set_current_track(track.id)
            canvas.fit()
            qtbot.wait(60)
            canvas.viewport().repaint()
            layout = canvas.layout_data
            boxes = [item.textItem.sceneBoundingRect() for item in canvas.labels.items[: canvas.labels.shown]]
            assert len(boxes) >= min(len(layout.ids), 8)
            for a in range(len(boxes)):
                for b in range(a + 1, len(boxes)):
                    assert not boxes[a].adjusted(1, 1, -1, -1).intersects(boxes[b])
            for i, node_id in enumerate(layout.ids):
                x, y = canvas.node_screen_pos(node_id)
                centre = canvas.mapToScene(int(x), int(y))
                assert not any(box.adjusted(2, 2, -2, -2).contains(centre) for box in boxes), node_id


def test_zoomed_out_big_tree_draws_one_edge_per_pixel_without_antialiasing(canvas_for):
    canvas, _ = canvas_for(random_plan(12_000, seed=5), size=(800, 600))
    canvas.fit(whole=True)
    canvas.update_labels()
    drawn = sum(len(item.xData) // 4 for item in canvas.edge_items.values())
    assert drawn < 12_000 - 1
    assert not canvas.edge_items[("neutral", False)].opts["antialias"]
    layout = canvas.layout_data
    middle = len(layout.ids) // 2
    canvas.view_box.setRange(QRectF(layout.x[middle] - 5, layout.y[middle] - 3, 10, 6), padding=0)
    canvas.update_labels()
    assert canvas.edge_items[("neutral", False)].opts["antialias"]  # few edges: smooth again


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=4, max_size=4), st.floats(-10, 10), st.floats(-10, 10),
       st.floats(0.5, 20), st.floats(0.5, 20))
def test_clipped_segments_stay_on_their_line_inside_the_cut(coords, left, top, width, height):
    from widgets.canvas_cull import clip_segments

    x0, y0, x1, y1 = coords
    cut = (left, top, left + width, top + height)
    xs, ys = clip_segments(np.array([x0, x1]), np.array([y0, y1]), cut)
    samples = np.linspace(0, 1, 401)
    inside = [(x0 + t * (x1 - x0), y0 + t * (y1 - y0)) for t in samples
              if left <= x0 + t * (x1 - x0) <= left + width and top <= y0 + t * (y1 - y0) <= top + height]
    if len(xs) == 0:
        assert len(inside) <= 1  # at most a grazing point is lost
        return
    for x, y in zip(xs, ys):
        assert left - 1e-9 <= x <= left + width + 1e-9 and top - 1e-9 <= y <= top + height + 1e-9
        cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)  # on the original line
        assert abs(cross) <= 1e-6 * (1 + abs(x1 - x0) + abs(y1 - y0)) * 100
    if inside:
        lo = np.hypot(xs[0] - x0, ys[0] - y0)
        hi = np.hypot(xs[1] - x0, ys[1] - y0)
        length = np.hypot(x1 - x0, y1 - y0)
        for x, y in inside:  # every sampled point inside the cut is kept
            d = np.hypot(x - x0, y - y0)
            assert min(lo, hi) - 1e-6 * (1 + length) <= d <= max(lo, hi) + 1e-6 * (1 + length)


def test_one_per_pixel_keeps_exactly_one_row_per_pixel_position():
    from widgets.canvas_cull import one_per_pixel

    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 10, 2000), rng.uniform(0, 10, 2000)
    keep = one_per_pixel([x, y], [0.5, 0.5])
    cells = {(round(a / 0.5), round(b / 0.5)) for a, b in zip(x, y)}
    assert len(keep) == len(cells)
    assert {(round(x[k] / 0.5), round(y[k] / 0.5)) for k in keep} == cells
