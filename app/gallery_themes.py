"""The gallery's dark and scaled pictures: the window, each dock and the presenter
in the dark scheme, and again at 150% and 200% (``QT_SCALE_FACTOR``).

A scale factor is fixed when Qt starts, so the scaled pictures come from a
child process: ``python -m app.gallery_themes PLAN OUT_DIR PREFIX SCALE SCHEME``
opens the plan, grabs what it shows and prints one ``caption<TAB>file`` line
per picture. The gallery (app/gallery.py) runs it and puts the pictures on
its contact sheet. Only the first plan of a run gets these (they take time).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: (scale, scheme) of the child runs: 200% in the dark scheme, 150% light.
SCALED_RUNS = (("2", "dark"), ("1.5", "light"))
DOCKS = ("problems", "outcome", "sensitivity", "readiness", "priority", "voi", "league")
SIZE = (1280, 800)  # logical pixels: a 1280x800 window at 200% is a 2560x1600 picture


def _shots(window, folder: Path, prefix: str, tag: str, caption: str, size: tuple[int, int],
           docks: tuple[str, ...] = DOCKS, with_presenter: bool = True) -> list[tuple[str, str]]:
    """The window with each dock raised, then the presenter (audience, console): (caption, file) pairs."""
    from PySide6.QtGui import QGuiApplication

    from app.analysis import show_dock
    from app.gallery import _save, _settle
    from app.presenter import start_presentation

    shots = []
    window.resize(*size)
    window.show()
    _settle(60)
    window.document.wait_for_checks()
    for name in docks:
        dock = window.docks.get(name)
        if dock is None:
            continue
        if name == "problems":
            dock.show()
            dock.raise_()
        else:
            show_dock(window, dock)
        _settle(30)
        window.canvas.fit()
        analysis = getattr(window, "analysis", None)
        if analysis is not None:
            analysis.wait(120_000)
        _settle(80)
        file = folder / f"{prefix}-{tag}-window-{name}.png"
        _save(window, file)
        shots.append((f"{caption}: window {size[0]}x{size[1]}, {dock.windowTitle()} raised", file.name))
    window.docks["problems"].raise_()
    if not with_presenter:
        return shots
    document = window.document
    track = document.plan.track(document.current_track_id) if document.current_track_id else document.plan.track()
    presenter = start_presentation(window, track.root, screens=[QGuiApplication.primaryScreen()],
                                   fullscreen=False, step_reveal=False)
    if presenter is None:
        return shots
    try:
        presenter.resize(1280, 720)
        _settle(150)
        for view in ("audience", "console"):
            if view == "console":
                presenter.toggle_console()
                _settle(150)
            file = folder / f"{prefix}-{tag}-presenter-{view}.png"
            _save(presenter, file)
            shots.append((f"{caption}: presenter, {view} view", file.name))
    finally:
        presenter.blockSignals(True)  # no walk recorded in the plan
        presenter.hide()
        presenter.deleteLater()
        window.presenter = None
        _settle(20)
    return shots


def dark_shots(window, section, folder: Path, prefix: str) -> None:
    """In this process: switch the open window to the dark scheme, take its pictures, switch back."""
    from app.gallery import Shot
    from app.theme import theme

    current = theme()
    if current is None:
        return
    before = current.previewing()
    try:
        current.preview("dark")
        for caption, file in _shots(window, folder, prefix, "dark", "Dark scheme", (1600, 1000)):
            section.shots.append(Shot(caption, file))
    finally:
        current.preview(before)


def dark_dock_shots(window, section, folder: Path, prefix: str, docks: tuple[str, ...]) -> None:
    """In this process: only the window with ``docks`` raised, dark (a second plan's own views,
    e.g. the League table of a two-criteria plan, which the first plan cannot fill)."""
    from app.gallery import Shot
    from app.theme import theme

    current = theme()
    if current is None:
        return
    before = current.previewing()
    try:
        current.preview("dark")
        for caption, file in _shots(window, folder, prefix, "dark", "Dark scheme", (1600, 1000),
                                    docks=docks, with_presenter=False):
            section.shots.append(Shot(caption, file))
    finally:
        current.preview(before)


def dark_welcome_shot(section, folder: Path) -> None:
    """The welcome page in the dark scheme (1280x720)."""
    from app.document import Document
    from app.gallery import Shot, _close, _save, _settle
    from app.main_window import MainWindow
    from app.theme import theme
    from app.welcome import install_welcome

    current = theme()
    document = Document()
    window = MainWindow(document, autosave_ms=24 * 3600 * 1000)
    document.setParent(window)
    window.autosaver.timer.stop()
    install_welcome(window, show=True)
    before = current.previewing()
    try:
        current.preview("dark")
        window.resize(1280, 720)
        window.show()
        _settle(120)
        file = folder / "welcome-dark-1280x720.png"
        _save(window, file)
        section.shots.append(Shot("Welcome page, 1280x720, dark scheme", file.name))
    finally:
        current.preview(before)
        _close(window)


def scaled_shots(path: Path, section, folder: Path, prefix: str) -> None:
    """In child processes: the pictures at each scale of :data:`SCALED_RUNS`."""
    from app.gallery import Shot

    for scale, scheme in SCALED_RUNS:
        with tempfile.TemporaryDirectory(prefix="branchwise-gallery-scale-") as home:
            env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen",
                       BRANCHWISE_CONFIG_DIR=str(Path(home) / "config"),
                       BRANCHWISE_STATE_DIR=str(Path(home) / "state"), PYQTGRAPH_QT_LIB="PySide6")
            root = str(Path(__file__).resolve().parents[1])  # this checkout's modules, as the parent uses
            env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
            run = subprocess.run([sys.executable, "-m", "app.gallery_themes", str(path), str(folder), prefix,
                                  scale, scheme], env=env, capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            section.problems.append(f"pictures at {float(scale):.0%} scale: exit {run.returncode}: "
                                    f"{run.stderr.strip()[-400:]}")
            continue
        for line in run.stdout.splitlines():
            caption, _tab, file = line.partition("\t")
            if file:
                section.shots.append(Shot(caption, file))


def _child(argv: list[str]) -> int:
    """The child process: PLAN OUT_DIR PREFIX SCALE SCHEME (the scale is already in the environment)."""
    path, folder, prefix, scale, scheme = argv
    from app.gallery import _close, _window_for
    from app.gui import _application
    from app.theme import theme

    _application()
    theme().preview(scheme)
    window = _window_for(Path(path))
    try:
        tag = f"{scheme}-{round(float(scale) * 100)}"
        caption = f"{float(scale):.0%} scale, {scheme} scheme"
        for caption_text, file in _shots(window, Path(folder), prefix, tag, caption, SIZE):
            print(f"{caption_text}\t{file}")
    finally:
        _close(window)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
