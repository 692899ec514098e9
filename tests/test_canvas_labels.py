"""Canvas labels in small and short views never cover another label, a node marker or an edge.

Issue 10, item 3: at 1280x720 the canvas gets about 630x500 pixels, and a
short window less height still; zooming in from the fit must keep every
drawn label clear of its neighbours.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF

from app.document import Document
from conftest import SAMPLES
from planning.files.planfile import load_plan
from widgets.canvas_style import NODE_SIZE
from widgets.tree_canvas import TreeCanvas


def clashes(canvas) -> list[tuple[str, str, str]]:
    """(what, label, other) for every label box over another label, a node marker or an edge."""
    boxes = [(item.textItem.toPlainText().split("\n")[0], item.textItem.sceneBoundingRect())
             for item in canvas.labels.items[: canvas.labels.shown]]
    found = []
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            if boxes[a][1].adjusted(1, 1, -1, -1).intersects(boxes[b][1]):
                found.append(("label", boxes[a][0], boxes[b][0]))
    layout = canvas.layout_data
    for node_id in layout.ids:
        x, y = canvas.node_screen_pos(node_id)
        if not canvas.viewport().rect().contains(int(x), int(y)):
            continue
        centre = canvas.mapToScene(int(x), int(y))
        marker = QRectF(centre.x() - NODE_SIZE / 2, centre.y() - NODE_SIZE / 2, NODE_SIZE, NODE_SIZE)
        found += [("node", text, node_id) for text, box in boxes if box.adjusted(1, 1, -1, -1).intersects(marker)]
    view = canvas.view_box
    for (ex, ey) in canvas._edge_points.values():
        for row in range(len(ex)):
            points = [view.mapViewToScene(QPointF(float(ex[row][k]), float(ey[row][k]))) for k in range(4)]
            for a, b in zip(points, points[1:]):
                for k in range(21):
                    point = a + (b - a) * (k / 20)
                    found += [("edge", text, str(row)) for text, box in boxes
                              if box.adjusted(2, 2, -2, -2).contains(point)]
    return found


@pytest.mark.parametrize("size", [(630, 500), (900, 250), (1200, 200), (500, 300)])
def test_lr_labels_in_small_views_cover_nothing(qtbot, size):
    document = Document(load_plan(SAMPLES / "peace-process.bwplan"))
    canvas = TreeCanvas(document)
    qtbot.addWidget(canvas)
    canvas.resize(*size)
    canvas.show()
    qtbot.waitExposed(canvas)
    shown = 0
    for track in document.plan.tracks:
        document.set_current_track(track.id)
        canvas.fit()
        for step in range(4):
            if step:
                canvas.zoom_in()
                canvas.update_labels()
            qtbot.wait(20)
            canvas.viewport().repaint()
            found = clashes(canvas)
            assert not found, (track.id, step, found[:5])
            shown += canvas.labels.shown
    assert shown > 50  # the views are labelled, not emptied


def test_labels_are_placed_again_when_the_canvas_shrinks(qtbot):
    """Raising a dock under the canvas makes it shorter without a new fit: no label may
    be left where it now covers another (seen on the product-launch sample at 1280x720)."""
    document = Document(load_plan(SAMPLES / "product-launch.bwplan"))
    canvas = TreeCanvas(document)
    qtbot.addWidget(canvas)
    canvas.resize(560, 520)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()
    canvas.update_labels()
    qtbot.wait(20)
    canvas.resize(560, 190)  # the analysis dock takes the lower part
    qtbot.waitUntil(lambda: not canvas._label_timer.isActive(), timeout=2000)
    qtbot.wait(200)
    canvas.viewport().repaint()
    found = [clash for clash in clashes(canvas) if clash[0] != "edge"]
    assert not found, found[:5]
