"""`branchwise export FILE --format pdf|html|md|csv|png|svg|graphml|dot -o OUT`.

Text formats come from :mod:`planning.report`, :mod:`planning.exports` and
:mod:`planning.graph`. Pictures of the trees and the PDF need Qt, imported
lazily here: the tree is drawn with ``QPainter`` straight from
:func:`planning.layout.layout_track` (onto a ``QImage`` for PNG, a
``QSvgGenerator`` for SVG), and the PDF is the HTML report laid out by
``QTextDocument`` and printed with ``QPdfWriter`` (A4), the tree pictures
embedded as images. Without a display Qt runs on the offscreen platform.
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

# Tree picture geometry, in pixels at scale 1.
LEVEL = 210          # distance between depths; a label gets LEVEL - 40
SIBLING = 40         # distance between neighbouring nodes
MARKER = 12          # node symbol size
MARGIN = 16
FAN = 26             # horizontal run of the diagonal from a parent's stem to a child
MAX_LEAF_LABEL = 420  # a leaf's label may run past the next level (there is none)
TRACK_HEADER = 34
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


# -- tree pictures ------------------------------------------------------------------------

class TreePicture:
    """The trees of some tracks laid out for drawing, stacked top to bottom."""

    def __init__(self, plan, track_ids: list[str]):
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QFontMetricsF

        from planning.evaluate import evaluate_track
        from planning.layout import layout_track

        self.plan = plan
        self.parts = []  # (track, layout, result or None, top offset, label texts)
        self.label_font = _font(11)
        metrics = QFontMetricsF(self.label_font)
        top = MARGIN
        width = 0.0
        for track_id in track_ids:
            track = plan.track(track_id)
            layout = layout_track(plan, track.root)
            try:
                result = evaluate_track(plan, track.id)
            except Exception:  # an invalid plan still draws: structure only
                result = None
            texts = []
            for i, node_id in enumerate(layout.ids):
                node = plan.nodes[node_id]
                room = LEVEL - 44 if layout.child_count[i] else MAX_LEAF_LABEL
                text = metrics.elidedText(node.label or node.id, Qt.TextElideMode.ElideRight, room)
                texts.append(text)
                right = MARGIN + MARKER * 2 + float(layout.x[i]) * LEVEL + metrics.horizontalAdvance(text)
                width = max(width, right)
            self.parts.append((track, layout, result, top, texts))
            ymax = float(layout.y.max()) if len(layout) else 0.0
            top += TRACK_HEADER + ymax * SIBLING + SIBLING + MARGIN
        self.width = int(width + MARGIN)
        self.height = int(top)

    def draw(self, painter, labels: bool = True) -> None:
        """Draw at scale 1 onto ``painter`` (already scaled by the caller)."""
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QBrush, QPainterPath, QPen, QPolygonF

        from widgets import palette

        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.setRenderHint(painter.RenderHint.TextAntialiasing, True)
        painter.fillRect(QRectF(0, 0, self.width, self.height), palette.qcolor(palette.BACKGROUND))
        title_font, label_font, small_font = _font(15), self.label_font, _font(9)
        title_font.setBold(True)
        for track, layout, result, top, texts in self.parts:
            painter.setFont(title_font)
            painter.setPen(palette.qcolor(palette.TEXT))
            painter.drawText(QPointF(MARGIN, top + 16), track.title or track.id)
            origin_y = top + TRACK_HEADER
            xs = [MARGIN + MARKER + float(x) * LEVEL for x in layout.x]
            ys = [origin_y + float(y) * SIBLING for y in layout.y]
            kinds = [self.plan.nodes[i].kind for i in layout.ids]
            chosen = set(result.policy.values()) if result is not None else set()
            # edges first, so the symbols sit on top: a grey stem out of each
            # parent, then a short diagonal and a straight run into each child
            stem = QPen(palette.qcolor(palette.OPTION_EDGE), 1.5)
            for i in range(len(layout.ids)):
                if layout.child_count[i]:
                    first = int(layout.child_start[i])
                    fan = xs[first] - FAN - 14
                    painter.setPen(stem)
                    painter.drawLine(QPointF(xs[i] + MARKER / 2, ys[i]), QPointF(fan, ys[i]))
            for i, node_id in enumerate(layout.ids):
                p = int(layout.parent[i])
                if p < 0:
                    continue
                node = self.plan.nodes[node_id]
                if kinds[p] == "chance":
                    path = result.node_path[result.index[node_id]] if result is not None else (node.path or "neutral")
                    pen = QPen(palette.qcolor(palette.PATH_COLORS.get(path, palette.NEUTRAL)), 2)
                else:
                    pen = QPen(palette.qcolor(palette.OPTION_EDGE), 2.5 if node_id in chosen else 1.2)
                    if result is not None and node_id not in chosen:
                        pen.setStyle(Qt.PenStyle.DashLine)
                line = QPainterPath(QPointF(xs[i] - FAN - 14, ys[p]))
                line.lineTo(xs[i] - 14, ys[i])
                line.lineTo(xs[i] - MARKER / 2, ys[i])
                painter.strokePath(line, pen)
            for i, node_id in enumerate(layout.ids):
                node = self.plan.nodes[node_id]
                x, y, h = xs[i], ys[i], MARKER / 2
                painter.setPen(QPen(palette.qcolor(palette.NODE_OUTLINE), 1))
                painter.setBrush(QBrush(palette.qcolor(palette.KIND_COLORS.get(node.kind, palette.TERMINAL))))
                if node.kind == "decision":
                    painter.drawRect(QRectF(x - h, y - h, MARKER, MARKER))
                elif node.kind == "chance":
                    painter.drawEllipse(QPointF(x, y), h, h)
                else:
                    painter.drawPolygon(QPolygonF([QPointF(x - h, y - h), QPointF(x + h, y),
                                                   QPointF(x - h, y + h)]))
                if not labels:
                    continue
                painter.setFont(label_font)
                painter.setPen(palette.qcolor(palette.TEXT))
                painter.drawText(QPointF(x + h + 3, y - 5), texts[i])
                info = self._info(node, result, layout, i)
                if info:
                    painter.setFont(small_font)
                    painter.setPen(palette.qcolor(palette.TEXT_MUTED))
                    painter.drawText(QPointF(x + h + 3, y + 11), info)

    def _info(self, node, result, layout, i) -> str:
        """The small line under a node: probability of a branch, EV or path value."""
        from planning.report import number

        parts = []
        p = int(layout.parent[i])
        if p >= 0 and self.plan.nodes[layout.ids[p]].kind == "chance":
            if result is not None:
                parts.append(f"p {number(float(result.node_probability[result.index[node.id]]), 3)}")
            elif node.probability is not None:
                parts.append(f"p {str(node.probability)[:20]}")
        if result is not None and node.id in result.index:
            parts.append(f"EV {number(float(result.node_ev[result.index[node.id]]))}")
        return " \u00b7 ".join(parts)


def _font(pixels: int):
    from PySide6.QtGui import QFont

    font = QFont("DejaVu Sans")
    font.setPixelSize(pixels)
    return font


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


def _write_png(plan, track_ids, path: Path) -> None:
    image = tree_image(plan, track_ids)
    if not image.save(str(path), "PNG"):
        raise OSError(f"{path}: could not write the PNG image")


def _write_svg(plan, track_ids, path: Path) -> None:
    _ensure_qt()
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    picture = TreePicture(plan, track_ids)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(picture.width, picture.height))
    generator.setViewBox(QRect(0, 0, picture.width, picture.height))
    generator.setTitle(plan.title or "Branchwise plan")
    painter = QPainter(generator)
    try:
        picture.draw(painter)
    finally:
        painter.end()


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


def _write_pdf(plan, path: Path) -> None:
    _ensure_qt()
    from PySide6.QtCore import QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    from planning.report import build_report, render_html

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
        name = f"tree-{number}.png"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        images[track.id] = name
    html = render_html(build_report(plan), images, for_pdf=True)
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


def write_format(plan, fmt: str, path: Path, track: str | None = None) -> None:
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
    if fmt == "pdf":
        _write_pdf(plan, path)
    elif fmt in ("html", "md"):
        from planning.report import build_report, render_html, render_markdown

        report = build_report(plan)
        images = report_images(plan, pixel_ratio=1.0)
        text = render_html(report, images) if fmt == "html" else render_markdown(report, images)
        path.write_text(text, encoding="utf-8")
    elif fmt == "csv":
        from planning.exports import register_csv

        path.write_bytes(register_csv(plan).encode("utf-8-sig"))  # BOM: spreadsheets read UTF-8
    elif fmt == "png":
        _write_png(plan, track_ids, path)
    elif fmt == "svg":
        _write_svg(plan, track_ids, path)
    elif fmt == "graphml":
        from planning.graph import write_graphml

        write_graphml(plan, path)
    else:
        from planning.exports import to_dot

        path.write_text(to_dot(plan, track), encoding="utf-8")


def export_plan(plan, fmt: str, output: str | Path, track: str | None = None) -> None:
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
    _write_output(str(output), lambda tmp: write_format(plan, fmt, tmp, track),
                  validate=whole_file_check(fmt), text=fmt in TEXT_FORMATS)


def cmd_export(args) -> int:
    fmt = _format_for(args.output, args.format)
    if fmt in _EVALUATED:
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
    export_plan(plan, fmt, args.output, args.track)
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
    p.set_defaults(run=cmd_export)
