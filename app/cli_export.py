"""`branchwise export FILE --format pdf|html|md|csv|png|svg|graphml|dot -o OUT`.

Text formats come from :mod:`planning.sharing.report`, :mod:`planning.files.exports` and
:mod:`planning.files.graph`. Pictures of the trees and the PDF need Qt, imported
lazily here: :class:`widgets.tree_picture.TreePicture` lays the trees out
once and paints them onto a ``QImage`` (PNG) or writes them as plain SVG;
the PDF is the HTML report laid out by ``QTextDocument`` and printed with
``QPdfWriter`` (A4), the tree pictures embedded as images; Markdown links
pictures written beside it. Qt's writers report no write errors, so every
picture and PDF is checked whole (:mod:`planning.files.whole_file`) before it may
replace a file. Without a display Qt runs on the offscreen platform.
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

from app.cli import COMMANDS, EXIT_OK, UsageError, _load, _valid_plan, _write_output
from app.output import STDOUT, whole_file_check

FORMATS = ("pdf", "html", "md", "csv", "png", "svg", "graphml", "dot")
#: Formats that need numbers (the plan must validate); the others draw structure only.
_EVALUATED = ("pdf", "html", "md", "csv")
EVALUATED_FORMATS = _EVALUATED  # public name for the GUI
_SUFFIXES = {"markdown": "md", "htm": "html", "gv": "dot", "xml": "graphml"}
#: Formats ``-o -`` may print (the others are binary).
TEXT_FORMATS = ("html", "md", "csv", "svg", "graphml", "dot")

MAX_IMAGE_SIDE = 16000   # PNG pixels; larger trees are scaled down
PDF_WIDTH, PDF_HEIGHT = 660, 860  # largest tree picture on an A4 page (document pixels)


def _ensure_qt():
    """A QGuiApplication, on the offscreen platform when there is no display."""
    if not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(["branchwise"])
    return app


# -- tree pictures (drawn by widgets.tree_picture) ----------------------------------------

def _tracks_for(plan, track: str | None) -> list[str]:
    if track is None:
        return [t.id for t in plan.tracks]
    if track not in {t.id for t in plan.tracks}:
        raise UsageError(f"no track {track!r} (tracks: {', '.join(t.id for t in plan.tracks)})")
    return [track]


def tree_image(plan, track_ids: list[str], max_width: int | None = None, max_height: int | None = None,
               pixel_ratio: float = 1.0):
    """The trees drawn onto a ``QImage`` (white background).

    ``max_width`` / ``max_height`` bound the logical size (the picture is
    scaled down to fit); ``pixel_ratio`` renders more pixels for print.
    """
    _ensure_qt()
    from PySide6.QtGui import QImage, QPainter

    from widgets.tree_picture import TreePicture

    picture = TreePicture(plan, track_ids)
    scale = 1.0
    if max_width:
        scale = min(scale, max_width / picture.width)
    if max_height:
        scale = min(scale, max_height / picture.height)
    scale *= pixel_ratio
    scale = min(scale, MAX_IMAGE_SIDE / max(picture.width, picture.height))
    image = QImage(max(1, int(picture.width * scale)), max(1, int(picture.height * scale)),
                   QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        picture.draw(painter, labels=scale * 11 >= 4)  # labels under 4 px are noise
    finally:
        painter.end()
    return image


def _write_png(plan, track_ids, path: Path, name: str | None = None) -> None:
    _save_png(tree_image(plan, track_ids), path, name)


def _save_png(image, path: Path, name: str | None = None) -> None:
    """Save a PNG and check it is whole on disk (QImage.save may miss a failed buffered write)."""
    from planning.files.whole_file import check_png, fsync_file

    if not image.save(str(path), "PNG"):
        raise OSError(f"{name or path}: could not write the PNG image (is the disk full?)")
    fsync_file(path, name)
    check_png(path, name)


def _write_svg(plan, track_ids, path: Path, name: str | None = None) -> None:
    """Plain SVG written from the same display list as the PNG (librsvg and browsers agree)."""
    _ensure_qt()
    from widgets.tree_picture import TreePicture

    TreePicture(plan, track_ids).svg().write(path, name)


def _png_data_uri(image) -> str:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return "data:image/png;base64," + base64.b64encode(bytes(data.data())).decode("ascii")


def report_images(plan, pixel_ratio: float = 1.0) -> dict[str, str]:
    """Track id -> ``data:`` URI of the tree picture (empty when Qt cannot start)."""
    try:
        return {t.id: _png_data_uri(tree_image(plan, [t.id], max_width=1400, pixel_ratio=pixel_ratio))
                for t in plan.tracks}
    except ImportError:
        return {}


def _write_pdf(plan, path: Path, name: str | None = None) -> None:
    _ensure_qt()
    from PySide6.QtCore import QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    from planning.sharing.report import build_report, render_html

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(14, 14, 14, 14), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(plan.title or "Branchwise plan")
    writer.setCreator("Branchwise")
    document = QTextDocument()
    font = QFont("DejaVu Sans")
    font.setPointSizeF(8.5)
    document.setDefaultFont(font)
    images = {}
    for number, track in enumerate(plan.tracks):
        image = tree_image(plan, [track.id], max_width=PDF_WIDTH, max_height=PDF_HEIGHT, pixel_ratio=3)
        resource = f"tree-{number}.png"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(resource), image)
        images[track.id] = resource
    report = build_report(plan)
    if report.track_map is not None:  # linked tracks: the map as a picture (rich text draws no SVG)
        _add_track_map(document, report, images)
    html = render_html(report, images, for_pdf=True)
    if "tracks-map.png" in images.values():  # its logical width, within the page
        shown = document.resource(QTextDocument.ResourceType.ImageResource, QUrl("tracks-map.png"))
        width = min(shown.width() / 3, PDF_WIDTH)
        height = shown.height() * width / shown.width()
        html = html.replace('src="tracks-map.png"', f'src="tracks-map.png" width="{int(width)}" '
                            f'height="{int(height)}"', 1)
    # Image widths in the HTML are in document pixels; give each its logical size.
    for number, track in enumerate(plan.tracks):
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(f"tree-{number}.png"))
        html = html.replace(f'src="tree-{number}.png" alt=', f'src="tree-{number}.png" '
                            f'width="{int(image.width() / 3)}" alt=', 1)
    html = html.replace(' width="640"/>', "/>")
    document.setHtml(html)
    layout = writer.pageLayout()
    page = layout.paintRectPixels(96)  # the document is laid out in 96-dpi pixels
    document.setPageSize(QSizeF(page.width(), page.height()))
    document.print_(writer)
    del writer  # closes the file; QPdfWriter reports no write error, so the file is checked below
    from planning.files.whole_file import check_pdf, fsync_file

    fsync_file(path, name)
    check_pdf(path, name)


def _add_track_map(document, report, images: dict) -> None:
    """Render the report's map of linked tracks into ``document`` as an image resource."""
    from PySide6.QtCore import QByteArray, QRectF, QUrl
    from PySide6.QtGui import QImage, QPainter, QTextDocument
    from PySide6.QtSvg import QSvgRenderer

    from planning.sharing.report import TRACK_MAP_IMAGE
    from planning.sharing.track_map import to_svg

    renderer = QSvgRenderer(QByteArray(to_svg(*report.track_map, report.value_unit).encode("utf-8")))
    size = renderer.defaultSize()
    if size.isEmpty():
        return
    image = QImage(size * 3, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("tracks-map.png"), image)
    images[TRACK_MAP_IMAGE] = "tracks-map.png"


def markdown_images(plan, target: Path) -> dict[str, str]:
    """Write each track's tree picture beside ``target`` (a .md file); track id -> relative link.

    ``brief.md`` gets ``brief-<track id>.png`` in its folder: a Markdown file
    with base64 images is hundreds of kilobytes that many viewers refuse.
    """
    import re
    import tempfile
    from urllib.parse import quote

    links: dict[str, str] = {}
    used: set[str] = set()
    for track in plan.tracks:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "_", track.id).strip("_") or "track"
        name = f"{target.stem}-{safe}.png"
        number = 2
        while name.lower() in used:
            name, number = f"{target.stem}-{safe}-{number}.png", number + 1
        used.add(name.lower())
        image = tree_image(plan, [track.id], max_width=1400)
        handle, staged = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        try:
            os.chmod(staged, 0o666 & ~_umask())  # mkstemp makes it private; a picture is not
            _save_png(image, Path(staged), str(target.parent / name))
            os.replace(staged, target.parent / name)
        except BaseException:
            Path(staged).unlink(missing_ok=True)
            raise
        links[track.id] = quote(name)
    return links


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_format(plan, fmt: str, path: Path, track: str | None = None, target: Path | None = None,
                 level: str = "nodes") -> None:
    """Write ``plan`` as ``fmt`` straight into ``path`` (what ``branchwise export`` writes).

    Parameters
    ----------
    plan : Plan
        For :data:`EVALUATED_FORMATS` the caller has checked that it validates.
    fmt : str
        One of :data:`FORMATS`.
    path : Path
    track : str, optional
        Only this track (png, svg, dot); all tracks when None.
    target : Path, optional
        The file ``path`` will become (``path`` may be a temporary file):
        Markdown writes its images beside it. ``path`` itself by default.
    level : {"nodes", "tracks"}
        dot only: every node (default) or the plan's map of tracks and their links.

    Raises
    ------
    UsageError
        Unknown format or track.
    OSError
        The file cannot be written.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")
    track_ids = _tracks_for(plan, track)
    name = str(target) if target is not None else None
    if fmt == "pdf":
        _write_pdf(plan, path, name)
    elif fmt in ("html", "md"):
        from planning.sharing.report import build_report, render_html, render_markdown

        report = build_report(plan)
        if fmt == "html":
            text = render_html(report, report_images(plan, pixel_ratio=1.0))
        else:
            beside = Path(target or path)
            # written to standard output ("-o -") there is no folder to put pictures in: outlines
            text = render_markdown(report, markdown_images(plan, beside) if str(beside) != "-" else {})
        path.write_text(text, encoding="utf-8")
    elif fmt == "csv":
        from planning.files.exports import register_csv

        path.write_bytes(register_csv(plan).encode("utf-8-sig"))  # BOM: spreadsheets read UTF-8
    elif fmt == "png":
        _write_png(plan, track_ids, path, name)
    elif fmt == "svg":
        _write_svg(plan, track_ids, path, name)
    elif fmt == "graphml":
        from planning.files.graph import write_graphml

        write_graphml(plan, path)
    elif level == "tracks":
        from planning.sharing.track_map import to_tracks_dot

        path.write_text(to_tracks_dot(plan), encoding="utf-8")
    else:
        from planning.files.exports import to_dot

        path.write_text(to_dot(plan, track), encoding="utf-8")


def export_plan(plan, fmt: str, output: str | Path, track: str | None = None, level: str = "nodes") -> None:
    """Write ``plan`` as ``fmt`` to ``output`` by the output rule (:mod:`app.output`).

    The new file is written beside ``output`` under a unique temporary name,
    checked (not empty; SVG, PDF and PNG written to their end) and only then
    renamed over it, so a failure (a full disk) leaves an existing
    ``output`` as it was. The GUI's File > Export uses this, so it writes
    exactly what the CLI does.

    Raises
    ------
    UsageError
        Unknown format or track, or nothing to draw.
    OutputError
        ``output`` breaks the output rule, or the file came out incomplete.
    OSError
        The file cannot be written.
    """
    if fmt in ("png", "svg", "pdf") and not plan.tracks:
        raise UsageError("the plan has no tracks to draw")
    from widgets import palette  # Qt-free to import

    with palette.using("light"):  # exports are documents: light even from a dark window
        _write_output(str(output), lambda tmp: write_format(plan, fmt, tmp, track, target=Path(output), level=level),
                      validate=whole_file_check(fmt), text=fmt in TEXT_FORMATS)


def cmd_export(args) -> int:
    fmt = _format_for(args.output, args.format)
    level = getattr(args, "level", "nodes")
    if level == "tracks" and fmt != "dot":
        raise UsageError("--level tracks applies to dot only")
    if fmt in _EVALUATED or level == "tracks":  # the map shows each track's figures
        plan, _ = _valid_plan(args.file)
    else:
        plan = _load(args.file)
    if args.track is not None and fmt not in ("png", "svg", "dot"):
        raise UsageError("--track applies to png, svg and dot only")
    _tracks_for(plan, args.track)  # an unknown track is a usage error before any writing
    if fmt in ("png", "svg", "pdf") and not plan.tracks:
        raise UsageError(f"{args.file}: the plan has no tracks to draw")
    if args.output == STDOUT and fmt not in TEXT_FORMATS:
        raise UsageError(f"-o -: {fmt} is not a text format; give a file name")
    if level == "tracks" and args.track is not None:
        raise UsageError("--track and --level tracks cannot be combined (the map shows every track)")
    export_plan(plan, fmt, args.output, args.track, level)
    if args.output != STDOUT:
        print(f"{args.output}: {fmt} written")
    return EXIT_OK


def _suffix_format(output: str) -> str | None:
    """The format an output's extension names (None when it names none)."""
    suffix = Path(output).suffix.lower().lstrip(".")
    suffix = _SUFFIXES.get(suffix, suffix)
    return suffix if suffix in FORMATS else None


def _format_for(output: str, given: str | None) -> str:
    """``--format``, or the output's extension; a mismatch between the two is refused."""
    named = None if output == STDOUT else _suffix_format(output)
    if given is None:
        if named is None:
            raise UsageError(f"give --format ({', '.join(FORMATS)}); "
                             f"cannot tell it from {output!r}")
        return named
    suffix = Path(output).suffix
    if output != STDOUT and suffix and named != given:
        raise UsageError(f"-o {output}: the name ends in {suffix} but --format is {given}; "
                         f"name it .{given} or leave out --format")
    return given


def register_export(sub, name: str) -> None:
    """Add ``branchwise export`` to the sub-command parser ``sub``."""
    p = sub.add_parser(name, help=COMMANDS[name][1],
                       description="Write the plan as a briefing report (pdf, html, md), an action "
                                   "register (csv), a tree picture (png, svg) or a graph (graphml, dot).")
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--format", choices=FORMATS,
                   help="the format (default: from the output's extension; a different extension is refused)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file to write, replaced only once the new one is whole; "
                        "'-' prints a text format (html, md, csv, svg, graphml, dot)")
    p.add_argument("--track", metavar="ID", help="only this track (png, svg, dot; default: every track)")
    p.add_argument("--level", choices=("nodes", "tracks"), default="nodes",
                   help="dot: every node (default), or the tracks with an arrow per link and each "
                        "track's EV and failure readiness")
    p.set_defaults(run=cmd_export)
