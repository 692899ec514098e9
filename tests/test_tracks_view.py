"""Issue 15: the Tracks dock draws the plan's map and opens a track on double-click."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsRectItem

from conftest import SAMPLES
from gui_windows import plan_window
from app.analysis import show_dock
from widgets.tracks_view import box_rect

PEACE = SAMPLES / "peace-process.bwplan"


@pytest.fixture
def tracks(qtbot, tmp_path, monkeypatch):
    target = tmp_path / PEACE.name
    shutil.copy(PEACE, target)
    win = plan_window(qtbot, monkeypatch, target, (1280, 720))
    show_dock(win, win.docks["tracks"])
    view = win.analysis_views["tracks"]
    view.redraw()
    return win, view


def plain(item) -> str:
    return item.toPlainText()


def test_every_track_is_a_box_with_its_ev_and_readiness_inside_it(tracks):
    win, view = tracks
    assert [box.id for box in view.boxes] == [t.id for t in win.document.plan.tracks]
    assert plain(view.texts["sanctions"]) == ("Staged sanctions relief\n"
                                              "EV -0.625 points · failure readiness 42%")
    assert set(view.frames) == {box.id for box in view.boxes}
    for box in view.boxes:
        frame = view.frames[box.id].sceneBoundingRect()
        assert isinstance(view.frames[box.id], QGraphicsRectItem) and frame.width() > 50
        text = view.texts[box.id].sceneBoundingRect()
        assert frame.contains(text), box.id  # the words stay inside their box
    # read tracks stand left of their readers; the arrows say what is read
    x = {box.id: box.x for box in view.boxes}
    assert x["nuclear"] < x["sanctions"] and x["ties"] < x["regional"]
    assert sorted(plain(t) for t in view.arrow_texts) == ["p_success", "p_success"]


def test_double_click_on_a_track_opens_it(qtbot, tracks):
    win, view = tracks
    assert win.document.current_track_id == "ties"
    box = next(b for b in view.boxes if b.id == "sanctions")
    scene = view.view.mapViewToScene(box_rect(box).center())
    at = view.plot.mapFromScene(scene)
    left, viewport = Qt.MouseButton.LeftButton, view.plot.viewport()
    # what a mouse sends: press, release, double-click, release
    qtbot.mouseClick(viewport, left, pos=at)
    qtbot.mouseDClick(viewport, left, pos=at)
    qtbot.mouseRelease(viewport, left, pos=at)
    qtbot.waitUntil(lambda: win.document.current_track_id == "sanctions")


def test_an_edit_redraws_the_map(qtbot, tracks):
    win, view = tracks
    win.document.set_node_field("sanc_t1", "payoff", 60)
    qtbot.waitUntil(lambda: "EV 3.875 points" in plain(view.texts["sanctions"]), timeout=3000)
