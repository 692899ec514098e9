"""`branchwise gallery OUT_DIR [FILE ...]`: render everything a person sees, to look at.

One run draws, offscreen, for each plan (the two samples, the files given and
a generated 10k-node plan):

* the window at 1600x1000 and 1280x720 with the Problems dock and then each
  analysis dock raised at its default size;
* the inspector on a branch that has prepared responses;
* the presenter's audience and console views, from the window (F5) and from
  `branchwise present --screenshot`;
* every plot kind as PNG and as SVG, the SVG rasterised by librsvg
  (`rsvg-convert`, what most viewers use) beside the PNG;
* every export: the tree as PNG and SVG, the PDF report's pages rasterised
  by poppler (`pdftoppm`), the HTML and Markdown reports and the CSV register;
* for the first plan, the window with each dock and the presenter in the dark
  scheme, and at 200% (dark) and 150% scale (app/gallery_themes.py);

plus the welcome page, and an ``index.html`` contact sheet that shows them
all with captions. Plots and exports go through the same command-line entry
points a user runs, so the gallery shows what they write.

Why: every visible defect we shipped passed the tests. Looking at the pictures
after a visible change is part of the work; this makes it one command.
"""
from __future__ import annotations

import contextlib
import html
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from importlib import resources
from io import StringIO
from pathlib import Path

from app import gallery_themes
from app.gallery_capture import Section, Shot, close, dock_shots, new_window, presenting, save, settle

WINDOW_SIZES = ((1600, 1000), (1280, 720))
PLOT_KINDS = ("histogram", "risk", "tornado", "spider", "sweep", "policy-map", "readiness", "voi", "league")
EXPORTS = ("png", "svg", "pdf", "html", "md", "csv")
LARGE_NODES = 10_000
MARKER = "<!-- branchwise gallery -->"
MAX_RASTER = 4000  # px, the longer side of a huge SVG drawn for the contact sheet
MAX_PDF_PAGES = 8


class GalleryError(Exception):
    """The gallery cannot be written where asked (exit 2)."""


# -- helpers -------------------------------------------------------------------

def _run_cli(argv: list[str]) -> tuple[int, str]:
    """Run a `branchwise` sub-command in this process; (exit code, what it printed)."""
    from app import cli

    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return code, (out.getvalue() + err.getvalue()).strip()


def rasterise_svg(svg: Path, png: Path, width: int | None = None) -> str:
    """Draw ``svg`` to ``png`` with librsvg; return the renderer's name.

    Falls back to QtSvg (and says so) where `rsvg-convert` is not installed,
    so the gallery still shows something; QtSvg is more forgiving than the
    viewers our users have, which is why librsvg comes first.
    """
    tool = shutil.which("rsvg-convert")
    if tool:
        command = [tool, str(svg), "-o", str(png), "--background-color", "white"]
        if width:
            command[2:2] = ["-w", str(width)]
        done = subprocess.run(command, capture_output=True, timeout=120)
        if done.returncode != 0 and b"larger than" in done.stderr:
            # librsvg draws at most 32767 px a side: a huge tree is shown shrunk to fit.
            command[2:2] = ["-w", str(MAX_RASTER), "-h", str(MAX_RASTER), "--keep-aspect-ratio"]
            done = subprocess.run(command, capture_output=True, timeout=120)
            if done.returncode == 0:
                return f"librsvg, shrunk to fit {MAX_RASTER} px"
        if done.returncode != 0:
            raise OSError(done.stderr.decode("utf-8", "replace").strip() or f"rsvg-convert failed on {svg}")
        return "librsvg"
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    size = renderer.defaultSize()
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.save(str(png), "PNG")
    return "QtSvg (rsvg-convert is not installed)"


def rasterise_pdf(pdf: Path, stem: Path, dpi: int = 60, pages: int = MAX_PDF_PAGES) -> list[Path]:
    """The first ``pages`` pages of ``pdf`` as ``stem-N.png`` with poppler's pdftoppm; [] without it."""
    tool = shutil.which("pdftoppm")
    if not tool:
        return []
    subprocess.run([tool, "-r", str(dpi), "-l", str(pages), "-png", str(pdf), str(stem)], check=True,
                   capture_output=True, timeout=120)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))


def _pdf_pages(pdf: Path) -> int | None:
    """How many pages poppler's pdfinfo counts, or None."""
    tool = shutil.which("pdfinfo")
    if not tool:
        return None
    done = subprocess.run([tool, str(pdf)], capture_output=True, text=True, timeout=60)
    for line in done.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in keep.split("-") if part)[:40] or "plan"


# -- the window --------------------------------------------------------------------

def _window_shots(window, section: Section, folder: Path, prefix: str, large: bool) -> None:
    from PySide6.QtCore import Qt

    # Every dock tabbed under the canvas, in the order the window adds them.
    docks = [name for name, dock in window.docks.items()
             if window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea]
    for width, height in WINDOW_SIZES:
        window.resize(width, height)
        window.show()
        settle(50)
        window.document.wait_for_checks()
        for title, file in dock_shots(window, docks,
                                      lambda name: folder / f"{prefix}-window-{width}x{height}-{name}.png"):
            section.shots.append(Shot(f"Window {width}x{height}, {title} raised", file.name))


def _node_with_responses(plan) -> str | None:
    track_ids = {t.id for t in plan.tracks}
    for node in plan.nodes.values():
        owner = plan.track_of(node.id)
        if node.responses and owner is not None and owner.id in track_ids:
            return node.id
    return None


def _inspector_shots(window, section: Section, folder: Path, prefix: str) -> None:
    plan = window.document.plan
    node_id = _node_with_responses(plan)
    if node_id is None:
        section.problems.append("no branch with a prepared response to show in the inspector")
        return
    owner = plan.track_of(node_id)
    window.resize(*WINDOW_SIZES[0])
    window.document.set_current_track(owner.id)
    window.document.select(node_id)
    settle(150)
    label = plan.nodes[node_id].label or node_id
    file = folder / f"{prefix}-inspector.png"
    save(window.docks["inspector"], file)
    section.shots.append(Shot(f"Inspector on “{label}” (a branch with responses)", file.name))
    file = folder / f"{prefix}-window-selected.png"
    save(window, file)
    section.shots.append(Shot(f"Window 1600x1000 with “{label}” selected", file.name))
    _response_editing_shot(window, section, folder, prefix, label)


def _response_editing_shot(window, section: Section, folder: Path, prefix: str, label: str) -> None:
    """The inspector while a planner types a response's owner (Alt+R, Tab, typing)."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    table = getattr(window.inspector, "responses", None)
    if table is None or not hasattr(table, "edit_cell"):
        section.problems.append("the inspector has no responses table to edit")
        return
    window.activateWindow()
    table.edit_cell(0, 1)
    settle(60)
    editor = QApplication.focusWidget()
    if not isinstance(editor, QLineEdit):
        section.problems.append("opening a response's owner cell gave no text editor")
        return
    editor.selectAll()
    editor.insert("Crisis cell, duty officer")
    settle(60)
    file = folder / f"{prefix}-inspector-editing-response.png"
    save(window.docks["inspector"], file)
    section.shots.append(Shot(f"Inspector on “{label}”, typing a response's owner", file.name))
    editor.undo() if editor.isUndoAvailable() else None
    table.table.closePersistentEditor(table.table.currentItem())
    window.canvas.setFocus()


def _presenter_shots(window, section: Section, folder: Path, prefix: str) -> None:
    with presenting(window) as (presenter, track):
        if presenter is None:
            section.problems.append("the presenter refused to start on this plan")
            return
        file = folder / f"{prefix}-presenter-window-audience.png"
        save(presenter, file)
        section.shots.append(Shot(f"Presenter from the window (F5), audience view at the root of “{track.title}”",
                                  file.name))
        presenter.go_next()
        settle(100)
        file = folder / f"{prefix}-presenter-window-step.png"
        save(presenter, file)
        section.shots.append(Shot("Presenter after one step (→)", file.name))
        presenter.toggle_console()
        settle(150)
        file = folder / f"{prefix}-presenter-window-console.png"
        save(presenter, file)
        section.shots.append(Shot("Presenter console view (T)", file.name))


def _present_cli_shots(path: Path, plan, section: Section, folder: Path, prefix: str) -> None:
    track = plan.track()
    root = plan.nodes[track.root]
    at = [track.root]
    if root.children:
        at.append(root.children[0])
    runs = [(node, False) for node in at] + [(track.root, True)]
    for node, console in runs:
        view = "console" if console else "audience"
        file = folder / f"{prefix}-present-{view}-{_slug(node)}.png"
        file.unlink(missing_ok=True)
        argv = ["present", str(path), "--at", node, "--screenshot", str(file), "--size", "1280x720"]
        if console:
            argv.append("--console")
        code, text = _run_cli(argv)
        label = plan.nodes[node].label or node
        caption = f"`branchwise present --screenshot` ({view}) at “{label}”"
        if code != 0 or not file.exists():
            section.problems.append(f"{caption}: exit {code}: {text}")
            continue
        section.shots.append(Shot(caption, file.name))


def _plot_shots(path: Path, section: Section, folder: Path, prefix: str, criteria: int = 1) -> None:
    for kind in PLOT_KINDS:
        if kind == "league" and criteria < 2:
            section.notes.append("plot --kind league not drawn: the plan weighs one criterion")
            continue
        for suffix in ("png", "svg"):
            file = folder / f"{prefix}-plot-{kind}.{suffix}"
            file.unlink(missing_ok=True)
            code, text = _run_cli(["plot", str(path), "--kind", kind, "--iterations", "4000", "-o", str(file)])
            caption = f"plot --kind {kind} ({suffix.upper()})"
            if code == 1 and suffix == "png":
                # The plan cannot give this plot (a policy map needs two ranged
                # parameters): say so on the sheet, it is not a defect.
                section.notes.append(f"plot --kind {kind} not drawn: {text.rpartition(': ')[2]}")
                break
            if code != 0 or not file.exists():
                section.problems.append(f"{caption}: exit {code}: {text}")
                continue
            if suffix == "png":
                section.shots.append(Shot(caption, file.name))
                continue
            raster = file.with_name(file.stem + "-svg.png")
            try:
                renderer = rasterise_svg(file, raster)
            except (OSError, subprocess.SubprocessError) as exc:
                section.problems.append(f"{caption}: the SVG cannot be drawn: {exc}")
                continue
            section.shots.append(Shot(f"{caption} drawn by {renderer}", raster.name, note=file.name))


def _export_shots(path: Path, section: Section, folder: Path, prefix: str) -> None:
    for fmt in EXPORTS:
        file = folder / f"{prefix}-export.{fmt}"
        file.unlink(missing_ok=True)
        code, text = _run_cli(["export", str(path), "--format", fmt, "-o", str(file)])
        caption = f"export --format {fmt}"
        if code != 0 or not file.exists():
            section.problems.append(f"{caption}: exit {code}: {text}")
            continue
        if fmt == "png":
            section.shots.append(Shot(caption, file.name))
        elif fmt == "svg":
            raster = file.with_name(file.stem + "-svg.png")
            try:
                renderer = rasterise_svg(file, raster)
                section.shots.append(Shot(f"{caption} drawn by {renderer}", raster.name, note=file.name))
            except (OSError, subprocess.SubprocessError) as exc:
                section.problems.append(f"{caption}: the SVG cannot be drawn: {exc}")
        elif fmt == "pdf":
            pages = rasterise_pdf(file, folder / f"{prefix}-export-pdf")
            if not pages:
                section.shots.append(Shot(f"{caption} (pdftoppm is not installed: open it)", file.name,
                                          is_image=False))
            total = _pdf_pages(file)
            for number, page in enumerate(pages, 1):
                section.shots.append(Shot(f"{caption}, page {number} of {total or '?'} (poppler)", page.name,
                                          note=file.name))
        else:
            section.shots.append(Shot(f"{caption}: open it", file.name, is_image=False))


@contextlib.contextmanager
def _private_settings(scratch: Path):
    """Settings and state in ``scratch`` while the gallery runs: the pictures never show
    this machine's recent files, and opening the plans leaves the person's list alone."""
    saved = {key: os.environ.get(key) for key in ("BRANCHWISE_CONFIG_DIR", "BRANCHWISE_STATE_DIR")}
    os.environ["BRANCHWISE_CONFIG_DIR"] = str(scratch / "config")
    os.environ["BRANCHWISE_STATE_DIR"] = str(scratch / "state")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _welcome_shot(section: Section, folder: Path, plans: list[Path]) -> None:
    from app.settings import add_recent_file
    from app.welcome import install_welcome

    for path in reversed(plans):  # the plans the gallery shows, first one on top
        add_recent_file(path)
    window = new_window()
    install_welcome(window, show=True)
    try:
        for width, height in WINDOW_SIZES:
            window.resize(width, height)
            window.show()
            settle(120)
            file = folder / f"welcome-{width}x{height}.png"
            save(window, file)
            section.shots.append(Shot(f"Welcome page, {width}x{height}", file.name))
    finally:
        close(window)


# -- the whole gallery ------------------------------------------------------------------

def sample_paths() -> list[Path]:
    folder = resources.files("resources").joinpath("samples")
    return [Path(str(folder.joinpath(name))) for name in ("peace-process.bwplan", "product-launch.bwplan")]


def _large_plan(folder: Path, nodes: int) -> Path:
    from planning.model.generate import random_plan
    from planning.files.planfile import save_plan

    # Seed 1 (the benchmarks' plan): its best policy runs through chance nodes, so the
    # outcome and sensitivity docks have a spread to show (seed 7 ended on one leaf).
    plan = random_plan(nodes, seed=1)
    plan.title = f"Generated plan, {len(plan.nodes):,} nodes"
    path = folder / f"generated-{nodes // 1000}k.bwplan"
    save_plan(plan, path)
    return path


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise GalleryError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        index = out_dir / "index.html"
        if not (index.is_file() and MARKER in index.read_text("utf-8", errors="replace")[:2000]):
            raise GalleryError(f"{out_dir}: folder is not empty and holds no earlier gallery; "
                               "give a new or empty folder")
        for child in out_dir.iterdir():  # an earlier gallery of ours: start afresh
            if child.is_file():
                child.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)


def build_gallery(out_dir: str | Path, files: list[str | Path] | None = None, *, large: int = LARGE_NODES,
                  samples: bool = True, log=print) -> Path:
    """Render every view, plot and export into ``out_dir``; return its ``index.html``.

    Parameters
    ----------
    out_dir
        A new or empty folder, or one holding an earlier gallery (replaced).
    files
        Plans to show besides the two samples.
    large
        Nodes in the generated plan (0: none).
    samples
        Show the two sample plans.
    """
    out = Path(out_dir)
    _prepare(out)
    started = time.perf_counter()
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    from app.gui import _application
    from app.theme import theme

    _application()
    theme().preview("light")  # the sheet's main pictures are light whatever the desktop; dark ones follow
    plans = [*(sample_paths() if samples else []), *(Path(f) for f in files or [])]
    with tempfile.TemporaryDirectory(prefix="branchwise-gallery-") as scratch, _private_settings(Path(scratch)):
        sections: list[Section] = []
        general = Section("Start")
        _welcome_shot(general, out, plans)
        gallery_themes.dark_welcome_shot(general, out)
        sections.append(general)
        if large:
            plans.append(_large_plan(Path(scratch), large))
        for k, path in enumerate(plans):
            sections.append(_plan_section(path, out, is_large=large > 0 and path.parent == Path(scratch), log=log,
                                          themed=k == 0))
    theme().preview(None)
    index = out / "index.html"
    index.write_text(_contact_sheet(sections, time.perf_counter() - started), encoding="utf-8")
    return index


def _plan_section(path: Path, out: Path, is_large: bool, log, themed: bool = False) -> Section:
    from planning.files.planfile import load_plan

    t0 = time.perf_counter()
    plan = load_plan(path)
    title = plan.title or path.stem
    prefix = _slug(path.stem)
    section = Section(f"{title} ({len(plan.nodes):,} nodes, {len(plan.tracks)} track"
                      f"{'s' if len(plan.tracks) != 1 else ''})")
    window = new_window(path)
    try:
        if is_large:
            outcome = window.analysis_views.get("outcome") if hasattr(window, "analysis_views") else None
            if outcome is not None:
                outcome.iterations.setValue(2000)  # a generated plan's picture, not its statistics
        _window_shots(window, section, out, prefix, is_large)
        _inspector_shots(window, section, out, prefix)
        _presenter_shots(window, section, out, prefix)
        if themed:  # the first plan only: dark, and 150% / 200% scale (app/gallery_themes.py)
            gallery_themes.dark_shots(window, section, out, prefix)
        elif len(plan.criteria) == 2 and not is_large:  # the League table the first plan leaves empty
            gallery_themes.dark_shots(window, section, out, prefix, docks=("league",), with_presenter=False)
    finally:
        close(window)
    if themed:
        gallery_themes.scaled_shots(path, section, out, prefix)
    _present_cli_shots(path, plan, section, out, prefix)
    if not is_large:
        _plot_shots(path, section, out, prefix, len(plan.criteria))
    _export_shots(path, section, out, prefix)
    log(f"{title}: {len(section.shots)} pictures in {time.perf_counter() - t0:.1f} s"
        + (f", {len(section.problems)} problems" if section.problems else ""))
    return section


def _contact_sheet(sections: list[Section], seconds: float) -> str:
    parts = [f"""<!DOCTYPE html>
{MARKER}
<html lang="en"><head><meta charset="utf-8"><title>Branchwise gallery</title>
<style>
body {{ font-family: sans-serif; margin: 24px; color: #1d2430; background: #f4f5f7; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 18px; margin-top: 36px; border-bottom: 1px solid #ccd; }}
.grid {{ display: flex; flex-wrap: wrap; gap: 16px; }}
figure {{ margin: 0; background: #fff; border: 1px solid #ccd; padding: 8px; max-width: 820px; }}
figure img {{ max-width: 800px; max-height: 560px; display: block; border: 1px solid #eee; }}
figcaption {{ font-size: 13px; margin-top: 6px; }}
.problems {{ color: #a01010; }}
</style></head><body>
<h1>Branchwise gallery</h1>
<p>Everything a person sees, rendered offscreen in {seconds:.0f} s. Look at every picture: overlapping
labels, clipped panels, empty areas and unreadable colours are bugs. SVGs are shown as librsvg draws them.</p>
"""]
    for section in sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.problems:
            parts.append('<ul class="problems">' + "".join(f"<li>{html.escape(p)}</li>" for p in section.problems)
                         + "</ul>")
        if section.notes:
            parts.append('<ul class="notes">' + "".join(f"<li>{html.escape(n)}</li>" for n in section.notes)
                         + "</ul>")
        parts.append('<div class="grid">')
        for shot in section.shots:
            link = html.escape(shot.note or shot.path)
            caption = html.escape(shot.caption)
            if shot.is_image:
                parts.append(f'<figure><a href="{link}"><img src="{html.escape(shot.path)}" alt="{caption}"></a>'
                             f"<figcaption>{caption}</figcaption></figure>")
            else:
                parts.append(f'<figure><figcaption><a href="{link}">{html.escape(shot.path)}</a> — {caption}'
                             "</figcaption></figure>")
        parts.append("</div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def register_gallery(sub, name: str) -> None:
    """Add the ``gallery`` sub-command to the `branchwise` parser."""
    from app.cli import COMMANDS

    p = sub.add_parser(name, help=COMMANDS[name][1],
                       description="Render every window view (at 1600x1000 and 1280x720, each analysis dock "
                                   "raised), the presenter, every plot as PNG and as SVG drawn by librsvg, and "
                                   "every export, for the two samples, the plans given and a generated plan, "
                                   "into OUT_DIR with an index.html contact sheet. Then look at every picture.")
    p.add_argument("out_dir", metavar="OUT_DIR",
                   help="a new or empty folder, or one holding an earlier gallery (its files are replaced)")
    p.add_argument("files", nargs="*", metavar="FILE", help="plans to show besides the two samples")
    p.add_argument("--large", type=int, default=LARGE_NODES, metavar="N",
                   help="nodes in the generated plan; 0 for none")
    p.set_defaults(run=cmd_gallery)


def cmd_gallery(args) -> int:
    """Run `branchwise gallery`; usage problems raise :class:`app.cli.UsageError` (exit 2)."""
    from app.cli import UsageError

    if not (0 <= args.large <= 200_000):
        raise UsageError("--large must be between 0 and 200,000", "branchwise gallery")
    for file in args.files:
        if not Path(file).is_file():
            raise UsageError(f"{file}: no such file", "branchwise gallery")
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        index = build_gallery(args.out_dir, args.files, large=args.large)
    except GalleryError as exc:
        raise UsageError(str(exc), "branchwise gallery") from None
    print(f"{index}: open it in a browser and look at every picture")
    return 0
