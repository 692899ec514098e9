"""`branchwise present FILE`: the presenter's audience view rendered headless, or the walk log.

* ``--screenshot OUT.png [--size WxH] [--at NODE] [--track ID] [--console]``
  draws what the room would see at NODE (all branches revealed) off screen
  and exits;
* ``--log-md OUT.md`` writes every walk recorded in the plan as Markdown.

Qt is imported only when a picture is asked for.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from app.cli import COMMANDS, EXIT_OK, UsageError, _valid_plan, _write_output
from app.output import STDOUT, parse_size, whole_file_check


def _size(text: str) -> tuple[int, int]:
    """The one screenshot size rule, shared with the window's ``--screenshot``."""
    return parse_size(text)


def _start(plan, at: str | None, track: str | None) -> tuple[str, str]:
    """(track id, start node) from --at and --track, checked against the plan."""
    tracks = {t.id: t for t in plan.tracks}
    if track is not None and track not in tracks:
        raise UsageError(f"no track {track!r} (tracks: {', '.join(tracks)})")
    if at is None:
        chosen = tracks[track] if track is not None else plan.track()
        return chosen.id, chosen.root
    if at not in plan.nodes:
        raise UsageError(f"no node {at!r} in the plan")
    owner = plan.track_of(at)
    if owner is None:
        raise UsageError(f"node {at!r} is in no track")
    if track is not None and owner.id != track:
        raise UsageError(f"node {at!r} is in track {owner.id!r}, not {track!r}")
    return owner.id, at


def _render(plan, track_id: str, node: str, size: tuple[int, int], console: bool):
    """The audience view (or the whole console) at ``node`` as a QImage of ``size``."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "branchwise"])
    from planning.sharing.slide import build_slide
    from planning.sharing.walk import Walk
    from widgets.presenter.audience_view import AudienceView
    from widgets.presenter.console_view import ConsoleView

    walk = Walk(plan, node, track_id, step_reveal=False)
    slide = build_slide(walk)
    if not console:
        view = AudienceView()
        view.set_slide(slide)
        return view.render_image(*size)
    view = ConsoleView()
    target = walk.default_child()
    next_text = f"Step into: {plan.nodes[target].label or target}" if target else "End of this path"
    view.show_slide(slide, next_text, "", plan.nodes[node].notes)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.resize(*size)
    view.show()  # lays out and delivers the resize that sizes the fonts
    app.processEvents()
    view.layout().activate()
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    view.render(image)
    view.hide()
    return image


def cmd_present(args) -> int:
    plan, _ = _valid_plan(args.file)
    if not args.screenshot and not args.log_md:
        raise UsageError("give --screenshot OUT.png (and/or --log-md OUT.md); "
                         "the live presenter is F5 in the editor")
    if args.log_md:
        from planning.sharing.walk import walks
        from planning.sharing.walk_log import history_to_markdown

        text = history_to_markdown(plan)
        _write_output(args.log_md, lambda tmp: tmp.write_text(text, encoding="utf-8"), text=True)
        if args.log_md != STDOUT:
            print(f"{args.log_md}: {len(walks(plan))} walks")
    if args.screenshot:
        size = _size(args.size)
        track_id, node = _start(plan, args.at, args.track)
        image = _render(plan, track_id, node, size, args.console)

        def save(tmp: Path) -> None:
            if not image.save(str(tmp), "PNG"):
                raise UsageError(f"{args.screenshot}: cannot write a PNG there")

        _write_output(args.screenshot, save, validate=whole_file_check(".png"))
        label = plan.nodes[node].label.strip() or node
        print(f"{args.screenshot}: {size[0]}x{size[1]} at \"{label}\" [{node}]")
    return EXIT_OK


def register_present(sub, name: str) -> None:
    """Add the ``present`` sub-command to the `branchwise` parser."""
    p = sub.add_parser(name, help=COMMANDS[name][1], description="Render what the room would see "
                       "at a node (or the presenter's console) to a PNG without a window, or write "
                       "every recorded walk as Markdown. The live presenter is F5 in the editor.")
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--at", metavar="NODE", help="the node on screen (default: the track root)")
    p.add_argument("--track", metavar="ID", help="the track (default: that of --at, else the first)")
    p.add_argument("--screenshot", metavar="OUT.png", help="write the audience view to a PNG and exit")
    p.add_argument("--size", metavar="WxH", default="1920x1080", help="picture size, 320x180 to 10000x10000 (default: 1920x1080)")
    p.add_argument("--console", action="store_true", help="draw the presenter's console instead")
    p.add_argument("--log-md", metavar="OUT.md", help="write every recorded walk as Markdown ('-' prints it)")
    p.set_defaults(run=cmd_present)
