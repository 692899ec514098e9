"""Main windows for GUI tests, and key presses sent where the focus is.

:func:`open_window` is a window to drive with keys (issue 16) or to read as
assistive technology does; :func:`plan_window` one whose "save changes?"
question is always answered Discard, for tests that open, close or replace
plans freely.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.main_window import MainWindow


def open_window(qtbot, source: Path | None = None, folder: Path | None = None, *, prompts: bool = True,
                focus_canvas: bool = True, checks: bool = False) -> MainWindow:
    """A 1400x900 main window on a copy of ``source`` in ``folder`` (none: a blank plan), shown.

    Parameters
    ----------
    prompts : bool
        True: the unsaved-changes prompt works during the test (qtbot closes
        the window without it); False: it never shows.
    focus_canvas : bool
        Activate the window and wait until the keyboard is on the canvas, as
        it is when a person opens a plan.
    checks : bool
        Wait for the background checks (the Problems dock filled).
    """
    win = MainWindow()
    if prompts:
        qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "maybe_save", lambda: True))
    else:
        win.maybe_save = lambda: True
        qtbot.addWidget(win)
    if source is not None:
        target = folder / source.name
        shutil.copy(source, target)
        assert win.open_file(target)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    if checks:
        win.document.wait_for_checks()
    if focus_canvas:
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is win.canvas)
    return win


def plan_window(qtbot, monkeypatch, path: Path, size: tuple[int, int] | None = None) -> MainWindow:
    """A main window on the plan at ``path`` (not copied), shown; "save changes?" answers Discard."""
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_file(path)
    if size is not None:
        win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    return win


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """``times`` presses of a key where the keyboard focus is, as a user's would be."""
    for _ in range(times):
        target = focus()
        assert target is not None, "the keyboard focus went nowhere"
        qtbot.keyClick(target, key, modifier)
