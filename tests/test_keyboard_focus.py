"""Issue 16, done-when: Tab and Shift+Tab never trap the keyboard.

Every widget of the window, its docks and its dialogs that takes focus from
the keyboard gives it up on Tab and on Shift+Tab; walking the whole focus
ring with Tab (and with Shift+Tab) comes back to where it started. The two
tree views are the documented exception: there Tab adds a child, and F6,
Shift+F6 and Esc are the ways out, which the walk uses.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

from conftest import SHARED
from gui_windows import focus, open_window
from app.help import show_shortcuts
from app.plan_settings import edit_plan_settings

Key = Qt.Key
Mod = Qt.KeyboardModifier


@pytest.fixture
def window(qtbot, tmp_path):
    win = open_window(qtbot, SHARED / "examples" / "minimal.bwplan", tmp_path)
    win.document.select("t1")  # a branch with a response and a signpost: every row shows
    return win


def owner(widget: QWidget | None, candidates: list[QWidget]) -> QWidget | None:
    """The candidate that is or holds ``widget`` (an open cell editor belongs to its table)."""
    while widget is not None:
        if widget in candidates:
            return widget
        widget = widget.parentWidget()
    return None


def still_on(widget: QWidget) -> bool:
    """True while the keyboard is on ``widget`` (or in a cell editor of it)."""
    current = focus()
    return current is widget or (isinstance(widget, QAbstractItemView) and widget.isAncestorOf(current))


def focusable(top: QWidget) -> list[QWidget]:
    """Widgets in ``top``'s window that Tab can reach now."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.window() is top.window() and widget.isVisible() and widget.isEnabled() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            found.append(widget)
    return found


def tree_views(win) -> list[QWidget]:
    return [win.canvas, win.outline]


def leave_by_keys(qtbot, win, widget: QWidget, backwards: bool) -> None:
    """Tab (Shift+Tab) from a widget; F6 (Shift+F6) from a tree view."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focus() is widget or widget.isAncestorOf(focus()))
    if widget in tree_views(win):
        key = Key.Key_F6
    else:
        key = Key.Key_Backtab if backwards else Key.Key_Tab
    qtbot.keyClick(focus(), key, Mod.ShiftModifier if backwards else Mod.NoModifier)


def bottom_docks(win):
    return [d for d in win.docks.values()
            if win.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]


@pytest.mark.parametrize("backwards", [False, True], ids=["Tab", "Shift+Tab"])
def test_no_widget_of_the_window_or_its_docks_keeps_the_keyboard(window, qtbot, backwards):
    win = window
    checked, trapped = 0, []
    for dock in bottom_docks(win):      # each bottom dock on top in turn: all their widgets
        dock.show()
        dock.raise_()
        qtbot.waitUntil(lambda: dock.widget().isVisible())
        widgets = focusable(win)
        for widget in widgets:
            leave_by_keys(qtbot, win, widget, backwards)
            if still_on(widget):
                trapped.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                               f"{owner(widget, list(win.docks.values())) or 'the window'}")
            checked += 1
    assert checked > 40
    assert trapped == [], "\n".join(trapped)


def walk_ring(qtbot, win, start: QWidget, backwards: bool, limit: int) -> list[QWidget]:
    """Tab (Shift+Tab, F6 on tree views) from ``start`` until it comes back; the widgets met."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    met = []
    for _ in range(limit):
        candidates = focusable(win)  # a run's Cancel button shows while it runs
        current = owner(focus(), candidates)
        assert current is not None, f"focus left the window's widgets: {focus()}"
        met.append(current)
        leave_by_keys(qtbot, win, current, backwards)
        if owner(focus(), candidates) is start:
            return met
    raise AssertionError(f"Tab did not come back to {start} in {limit} presses: {met[-10:]}")


@pytest.mark.parametrize("backwards", [False, True], ids=["Tab", "Shift+Tab"])
def test_tab_walks_the_whole_window_and_comes_back(window, qtbot, backwards):
    win = window
    start = win.inspector.label_edit
    met = walk_ring(qtbot, win, start, backwards, limit=len(focusable(win)) + 10)
    names = {w for w in met}
    assert win.canvas in names and win.outline in names
    assert win.inspector.responses.table in names and win.inspector.signposts_edit in names
    assert win.inspector.notes_edit in names


@pytest.mark.parametrize("open_dialog", ["plan settings", "shortcuts"])
def test_dialogs_have_no_trap_either(window, qtbot, open_dialog):
    win = window
    dialog = edit_plan_settings(win) if open_dialog == "plan settings" else show_shortcuts(win)
    qtbot.waitUntil(lambda: focus() is not None and focus().window() is dialog)
    widgets = focusable(dialog)
    assert len(widgets) >= 2
    for backwards in (False, True):
        for widget in widgets:
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            qtbot.keyClick(focus(), Key.Key_Backtab if backwards else Key.Key_Tab,
                           Mod.ShiftModifier if backwards else Mod.NoModifier)
            assert not still_on(widget), widget
        # and the ring comes round
        widgets[0].setFocus()
        seen = set()
        for _ in range(len(widgets) + 2):
            qtbot.keyClick(focus(), Key.Key_Tab)
            seen.add(owner(focus(), widgets))
            if owner(focus(), widgets) is widgets[0]:
                break
        assert owner(focus(), widgets) is widgets[0]
    dialog.close()


def test_the_find_bar_lets_tab_out_and_esc_back(window, qtbot):
    win = window
    win.actions["find"].trigger()
    qtbot.waitUntil(lambda: focus() is win.find_bar.edit)
    qtbot.keyClick(focus(), Key.Key_Tab)
    assert focus() is not win.find_bar.edit
    win.find_bar.edit.setFocus()
    qtbot.keyClick(focus(), Key.Key_Escape)
    assert focus() is win.canvas
