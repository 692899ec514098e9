"""How the gallery takes a picture of a live window: one way, for every gallery run.

`branchwise gallery` (app/gallery.py) and its dark and scaled pictures
(app/gallery_themes.py, partly in a child process) open windows, raise docks
and start the presenter the same way; this module is that way, so a picture
taken at 200% in the dark scheme shows the same window state as the light one
beside it on the contact sheet.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Shot:
    """One picture (or linked file) on the contact sheet."""

    caption: str
    path: str  # relative to the gallery folder
    note: str = ""
    is_image: bool = True


@dataclass
class Section:
    title: str
    shots: list[Shot] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def settle(ms: int = 120) -> None:
    """Let Qt lay out and paint: events now, then ``ms`` of event loop, then events again."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    QCoreApplication.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def save(widget_or_image, path: Path) -> None:
    """Write a widget's picture (or a QImage) to ``path`` as PNG."""
    image = widget_or_image.grab() if hasattr(widget_or_image, "grab") else widget_or_image
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")


def new_window(path: Path | None = None):
    """A main window on the plan at ``path`` (none: an empty document); autosave off.

    The plan is opened before the window is built, as the application does
    when a file is given on the command line.
    """
    from app.document import Document
    from app.main_window import MainWindow

    document = Document()
    if path is not None:
        document.open(str(path))
    window = MainWindow(document, autosave_ms=24 * 3600 * 1000)
    document.setParent(window)
    window.autosaver.timer.stop()
    return window


def close(window) -> None:
    """Stop the window's analysis and autosave and let it go, leaving no unsaved-changes prompt."""
    analysis = getattr(window, "analysis", None)
    if analysis is not None:
        analysis.shutdown()
    window.autosaver.timer.stop()
    window.document.undo_stack.setClean()
    window.hide()
    window.deleteLater()
    settle(20)


def dock_shots(window, names: list[str] | tuple[str, ...],
               file_for: Callable[[str], Path]) -> list[tuple[str, Path]]:
    """Raise each dock of ``names`` in turn and save the window: (dock title, file) pairs.

    The window must already be shown at the size wanted. Each picture waits
    for the analysis the raised dock starts, so it shows results, not a
    "computing" state; names the window has no dock for are passed over. The
    Problems dock is raised again at the end, as a new window shows it.
    """
    from app.analysis import show_dock

    shots = []
    for name in names:
        dock = window.docks.get(name)
        if dock is None:
            continue
        if name == "problems":
            dock.show()
            dock.raise_()
        else:
            show_dock(window, dock)
        settle(30)
        window.canvas.fit()
        analysis = getattr(window, "analysis", None)
        if analysis is not None:
            analysis.wait(120_000)
        settle(80)
        file = file_for(name)
        save(window, file)
        shots.append((dock.windowTitle(), file))
    window.docks["problems"].raise_()
    return shots


@contextmanager
def presenting(window) -> Iterator[tuple[Any, Any]]:
    """The presenter started from ``window`` (as F5 does) at the current track's root, 1280x720.

    Yields ``(presenter, track)``; the presenter is None when it refuses to
    start on the plan. On leaving, the presenter is closed without recording
    its walk in the plan (a gallery run must not change the plan).
    """
    from PySide6.QtGui import QGuiApplication

    from app.presenter import start_presentation

    document = window.document
    plan = document.plan
    track = plan.track(document.current_track_id) if document.current_track_id else plan.track()
    presenter = start_presentation(window, track.root, screens=[QGuiApplication.primaryScreen()],
                                   fullscreen=False, step_reveal=False)
    if presenter is None:
        yield None, track
        return
    try:
        presenter.resize(1280, 720)
        settle(150)
        yield presenter, track
    finally:
        presenter.blockSignals(True)  # a gallery run records no walk in the plan
        presenter.hide()
        presenter.deleteLater()
        window.presenter = None
        settle(20)
