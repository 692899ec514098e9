"""The window's default layout as a person sees it at 1600x1000 and 1280x720 (issue 10, #4 and #5).

Raised analysis docks show their plot at a usable height and no wider than
the dock; the track tabs show their titles; Fit fills the canvas; the
outline's labels and the inspector's responses table can be read.
"""
from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTabBar

from conftest import SAMPLES
from gui_windows import plan_window
from app.analysis import plot_widget
from app.main_window import MainWindow
from widgets.responses_table import ResponsesTable

PEACE = SAMPLES / "peace-process.bwplan"
SIZES = [(1600, 1000), (1280, 720)]


def open_window(qtbot, monkeypatch, size, path=PEACE) -> MainWindow:
    win = plan_window(qtbot, monkeypatch, path, size)
    qtbot.wait(50)  # the default dock sizes are set once the window is laid out
    return win


@pytest.fixture
def windows(qtbot, monkeypatch):
    made = []

    def make(size, path=PEACE):
        win = open_window(qtbot, monkeypatch, size, path)
        made.append(win)
        return win

    yield make
    for win in made:
        win.document.undo_stack.setClean()
        win.analysis.shutdown()
        win.close()


def click_dock_tab(qtbot, win, title: str) -> None:
    """Raise a tabbed dock the way a user does: click its tab under the canvas."""
    for bar in win.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.tabText(i) == title and bar.isVisible():
                qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
                return
    raise AssertionError(f"no tab {title!r}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name, title", [("outcome", "Outcomes"), ("sensitivity", "Sensitivity"),
                                         ("readiness", "Readiness"), ("priority", "Priorities")])
def test_a_raised_analysis_dock_shows_its_plot_at_a_usable_height(qtbot, windows, size, name, title):
    win = windows(size)
    dock = win.docks[name]
    click_dock_tab(qtbot, win, title)
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    view = dock.widget()
    qtbot.waitUntil(lambda: plot_widget(view).height() >= 0.35 * win.height(), timeout=5000)
    win.analysis.wait()
    qtbot.wait(50)
    # the canvas keeps room too
    assert win.canvas.height() >= 0.2 * win.height()
    plot = plot_widget(view)
    assert plot.height() >= 0.35 * win.height()
    if isinstance(plot, pg.GraphicsLayoutWidget):
        # what is drawn fits the dock: no plot or legend runs past its right edge
        assert plot.ci.geometry().width() <= plot.width() + 1
        for item in plot.ci.items:
            assert item.geometry().right() <= plot.width() + 1, type(item).__name__
            if isinstance(item, pg.PlotItem):
                assert item.vb.height() >= 40  # bars have room to be seen


@pytest.mark.parametrize("size", SIZES)
def test_track_tabs_show_their_titles(windows, size):
    win = windows(size)
    tabs = win.track_tabs
    metrics = QFontMetrics(tabs.font())
    assert tabs.count() == 6
    for i in range(tabs.count()):
        title = win.document.plan.tracks[i].title
        # the tab is wide enough for the whole title, or its first 24 characters then "…"
        readable = title if len(title) <= 24 else title[:24] + "…"
        assert tabs.tabRect(i).width() >= metrics.horizontalAdvance(readable), title
        assert title in tabs.tabToolTip(i)
    # Six long titles do not fit at 1280: the bar scrolls instead of cutting them to "Stage…".
    assert tabs.usesScrollButtons()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("track", ["ties", "nuclear", "sanctions"])
def test_fit_spreads_the_tree_over_the_canvas(windows, size, track):
    win = windows(size)
    win.document.set_current_track(track)
    win.canvas.fit()
    canvas = win.canvas
    layout = canvas.layout_data
    ys = [canvas.node_screen_pos(node_id)[1] for node_id in layout.ids]
    xs = [canvas.node_screen_pos(node_id)[0] for node_id in layout.ids]
    height, width = canvas.view_box.height(), canvas.view_box.width()
    # the tree's nodes run down most of the canvas, not a third of it
    assert max(ys) - min(ys) >= 0.55 * height
    assert max(xs) - min(xs) >= 0.45 * width
    assert min(ys) >= 0 and max(ys) <= height


def visible_label_chars(outline, index) -> int:
    """How many characters of the label the outline draws before "…"."""
    rect = outline.visualRect(index)
    room = rect.width() - outline.iconSize().width() - 10
    text = index.data()
    shown = QFontMetrics(outline.font()).elidedText(text, Qt.TextElideMode.ElideRight, room)
    return len(shown.rstrip("…"))


def test_outline_labels_are_readable_at_1280x720(windows):
    win = windows((1280, 720))
    win.document.set_current_track("nuclear")
    outline = win.outline
    outline.expandAll()
    model = outline.model()
    checked = 0
    stack = [(model.index(0, 0), 0)]
    while stack:
        index, depth = stack.pop()
        if not index.isValid():
            continue
        if depth <= 3 and len(index.data()) >= 16:
            assert visible_label_chars(outline, index) >= 13, index.data()
            checked += 1
        for row in range(model.rowCount(index)):
            stack.append((model.index(row, 0, index), depth + 1))
    assert checked >= 5
    # the readiness column shows "100%" whole
    header = outline.header()
    ready = next(c for c in range(header.count()) if model.headerData(c, Qt.Orientation.Horizontal) == "ready")
    metrics = QFontMetrics(outline.font())
    assert outline.columnWidth(ready) >= metrics.horizontalAdvance("100%") + metrics.height()


def test_responses_table_is_readable_at_1280x720(qtbot, windows):
    win = windows((1280, 720))
    win.document.set_current_track("nuclear")
    win.document.select("nuc_d2")   # two responses, one late
    qtbot.wait(50)
    table = win.inspector.findChild(ResponsesTable).table
    header = table.horizontalHeader()
    viewport = table.viewport().width()
    metrics = QFontMetrics(table.font())
    # title, owner, readiness and lead time are all in view, headers whole ("lead d", not "lea…")
    right = 0
    for column in range(4):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert header.sectionSize(column) >= header.sectionSizeHint(column) - 1, column
    assert right <= viewport + 1
    # long titles and owners wrap onto more lines instead of ending in "…"
    for row in range(table.rowCount()):
        for column in (0, 1):
            item = table.item(row, column)
            rect = table.visualRect(table.model().index(row, column))
            needed = metrics.boundingRect(rect.adjusted(0, 0, -30, 0), Qt.TextFlag.TextWordWrap, item.text())
            assert rect.height() >= min(needed.height(), 3 * metrics.height()), item.text()
    title = table.item(0, 0).text()
    assert table.columnWidth(0) >= 90 and len(title) > 20
    assert table.mapTo(win, QPoint(right, 0)).x() <= win.width()


@pytest.mark.parametrize("size", SIZES)
def test_dock_tabs_show_whole_titles(qtbot, windows, size):
    win = windows(size)
    # a planner widens the outline: less room under the canvas than the tabs need
    win.resizeDocks([win.docks["outline"]], [size[0] // 3], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    bars = [bar for bar in win.findChildren(QTabBar) if bar.parent() is win and bar.count() > 1]
    assert bars, "the bottom docks are tabbed together"
    titles = set()
    for bar in bars:
        metrics = QFontMetrics(bar.font())
        for i in range(bar.count()):
            text = bar.tabText(i)
            titles.add(text)
            assert "\u2026" not in text
            # the tab keeps the width its whole title needs: not squeezed and elided
            assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width() >= metrics.horizontalAdvance(text), text
        assert bar.elideMode() == Qt.TextElideMode.ElideNone
    assert {"Problems", "Outcomes", "Priorities", "Value of information"} <= titles
