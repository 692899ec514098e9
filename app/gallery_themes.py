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

from app.gallery_capture import Section, Shot, close, dock_shots, new_window, presenting, save, settle

#: (scale, scheme) of the child runs: 200% in the dark scheme, 150% light.
SCALED_RUNS = (("2", "dark"), ("1.5", "light"))
DOCKS = ("problems", "outcome", "sensitivity", "readiness", "priority", "voi", "league")
SIZE = (1280, 800)  # logical pixels: a 1280x800 window at 200% is a 2560x1600 picture


def _shots(window, folder: Path, prefix: str, tag: str, caption: str, size: tuple[int, int],
           docks: tuple[str, ...] = DOCKS, with_presenter: bool = True) -> list[tuple[str, str]]:
    """The window with each dock raised, then the presenter (audience, console): (caption, file) pairs."""
    window.resize(*size)
    window.show()
    settle(60)
    window.document.wait_for_checks()
    shots = [(f"{caption}: window {size[0]}x{size[1]}, {title} raised", file.name)
             for title, file in dock_shots(window, docks, lambda name: folder / f"{prefix}-{tag}-window-{name}.png")]
    if not with_presenter:
        return shots
    with presenting(window) as (presenter, _track):
        if presenter is None:
            return shots
        for view in ("audience", "console"):
            if view == "console":
                presenter.toggle_console()
                settle(150)
            file = folder / f"{prefix}-{tag}-presenter-{view}.png"
            save(presenter, file)
            shots.append((f"{caption}: presenter, {view} view", file.name))
    return shots


def dark_shots(window, section: Section, folder: Path, prefix: str,
               docks: tuple[str, ...] = DOCKS, with_presenter: bool = True) -> None:
    """In this process: switch the open window to the dark scheme, take its pictures, switch back.

    ``docks`` and ``with_presenter`` narrow it to a second plan's own views
    (e.g. the League table of a two-criteria plan, which the first plan
    cannot fill).
    """
    from app.theme import theme

    current = theme()
    if current is None:
        return
    before = current.previewing()
    try:
        current.preview("dark")
        for caption, file in _shots(window, folder, prefix, "dark", "Dark scheme", (1600, 1000),
                                    docks=docks, with_presenter=with_presenter):
            section.shots.append(Shot(caption, file))
    finally:
        current.preview(before)


def dark_welcome_shot(section: Section, folder: Path) -> None:
    """The welcome page in the dark scheme (1280x720)."""
    from app.theme import theme
    from app.welcome import install_welcome

    current = theme()
    window = new_window()
    install_welcome(window, show=True)
    before = current.previewing()
    try:
        current.preview("dark")
        window.resize(1280, 720)
        window.show()
        settle(120)
        file = folder / "welcome-dark-1280x720.png"
        save(window, file)
        section.shots.append(Shot("Welcome page, 1280x720, dark scheme", file.name))
    finally:
        current.preview(before)
        close(window)


def scaled_shots(path: Path, section: Section, folder: Path, prefix: str) -> None:
    """In child processes: the pictures at each scale of :data:`SCALED_RUNS`."""
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
    from app.gui import _application
    from app.theme import theme

    _application()
    theme().preview(scheme)
    window = new_window(Path(path))
    try:
        tag = f"{scheme}-{round(float(scale) * 100)}"
        caption = f"{float(scale):.0%} scale, {scheme} scheme"
        for caption_text, file in _shots(window, Path(folder), prefix, tag, caption, SIZE):
            print(f"{caption_text}\t{file}")
    finally:
        close(window)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
