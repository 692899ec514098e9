"""`branchwise plot`: draw an analysis figure headless and write PNG, SVG or CSV.

The figure is built by the same draw functions the analysis docks use, on an
offscreen Qt platform when there is no display, so a headless PNG is the
picture a planner sees in the window.
"""
from __future__ import annotations

import os
from pathlib import Path

from app.cli import EXIT_OK, Invalid, UsageError, _tracks, _valid_plan, _write_output

KINDS = ("histogram", "risk", "tornado", "spider", "sweep", "policy-map", "readiness", "voi")
SUFFIXES = (".png", ".svg", ".csv")


def register_plot(sub, name: str) -> None:
    """Add the ``plot`` sub-command to the CLI's sub-parsers."""
    p = sub.add_parser(name, help="draw an analysis plot to PNG, SVG or CSV (no window)")
    p.add_argument("file")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--var", action="append", metavar="NAME",
                   help="parameter to sweep (sweep), or x then y (policy-map); widest tornado bars by default")
    p.add_argument("--track", metavar="ID", help="the track (the first one; readiness: all tracks)")
    p.add_argument("--decision", metavar="NODE", help="decision whose options the sweep and policy map show")
    p.add_argument("--policy", choices=("optimal", "fixed"), default="optimal",
                   help="sensitivity: re-optimise decisions (default) or hold the base-case policy")
    p.add_argument("--iterations", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", default="1000x620", metavar="WxH", help="picture size in pixels")
    p.add_argument("-o", "--output", required=True, metavar="OUT.png|OUT.svg|OUT.csv")
    p.set_defaults(run=cmd_plot)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1000x620") from None
    if not (200 <= width <= 8000 and 150 <= height <= 8000):
        raise UsageError("--size: width 200..8000 and height 150..8000 pixels")
    return width, height


def _application():
    """A QApplication on the offscreen platform when there is no display."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["branchwise-plot"])


def draw(plan, args, figure):
    """Compute what ``args.kind`` needs and draw it into ``figure``; return its FigureData."""
    from planning.errors import PlanError
    from widgets.analysis import data as analysis

    labels = {n.id: n.label or n.id for n in plan.nodes.values()}
    unit = plan.value_unit
    track = args.track
    if args.kind in ("histogram", "risk"):
        from widgets.analysis.outcome_view import draw_histogram, draw_risk

        sim = analysis.simulate_chunked(plan, track, args.iterations, args.seed)
        if args.kind == "histogram":
            return draw_histogram(figure, sim, unit)
        return draw_risk(figure, sim, unit, labels)
    if args.kind == "voi":
        from widgets.analysis.voi_view import compute_voi, draw_voi

        return draw_voi(figure, compute_voi(plan, track, args.iterations, args.seed), plan)
    if args.kind == "readiness":
        from widgets.analysis.readiness_view import draw_readiness

        return draw_readiness(figure, analysis.readiness_report(plan), track)
    from widgets.analysis import sensitivity_view as views

    names = args.var or []
    if args.kind == "sweep" and len(names) > 1:
        raise UsageError("--kind sweep takes one --var")
    if args.kind == "policy-map" and len(names) > 2:
        raise UsageError("--kind policy-map takes at most two --var (x, then y)")
    from planning.sensitivity import parameters

    ranged = [p.name for p in parameters(plan, track)]
    for name in names:
        if name not in ranged:
            raise UsageError(f"--var {name!r}: not a parameter with a range in this track "
                             f"(parameters: {', '.join(ranged) or 'none'})")
    part = {"tornado": (), "spider": ("spider",), "sweep": ("sweep",), "policy-map": ("policy-map",)}[args.kind]
    try:
        bundle = analysis.compute_sensitivity(
            plan, track, policy=args.policy, sweep_var=names[0] if args.kind == "sweep" and names else None,
            map_x=names[0] if args.kind == "policy-map" and names else None,
            map_y=names[1] if args.kind == "policy-map" and len(names) > 1 else None,
            decision=args.decision, parts=part)
    except PlanError as exc:
        raise Invalid(f"{args.file}: {exc}") from None
    if args.kind in bundle.errors:
        message = bundle.errors[args.kind]
        if "unknown parameter" in message:
            raise UsageError(message)
        raise Invalid(f"{args.file}: {args.kind}: {message}")
    order = [b["name"] for b in bundle.tornado.bars]
    if args.kind == "tornado":
        return views.draw_tornado(figure, bundle.tornado, unit, labels)
    if args.kind == "spider":
        return views.draw_spider(figure, bundle.spider, unit, labels, order)
    if args.kind == "sweep":
        return views.draw_sweep(figure, bundle.sweep, bundle.sweep_decision, unit, labels)
    return views.draw_policy_map(figure, bundle.policy_map, unit, labels, views.map_base(bundle))


def cmd_plot(args) -> int:
    """Run ``branchwise plot``: exit 0, 1 (invalid plan or analysis) or 2 (usage)."""
    out = Path(args.output)
    if out.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{args.output}: the output must end in .png, .svg or .csv")
    size = _size(args.size)
    if not 1 <= args.iterations <= 10_000_000:
        raise UsageError("--iterations must be between 1 and 10,000,000")
    plan, _ = _valid_plan(args.file)
    if args.track is not None:
        _tracks(plan, args.track)
    if args.decision is not None and (args.decision not in plan.nodes or plan.nodes[args.decision].kind != "decision"):
        raise UsageError(f"--decision {args.decision!r}: not a decision node of {args.file}")
    _application()
    from widgets.analysis.plot_export import layout_for_export, new_figure

    figure = new_figure()
    layout_for_export(figure, size)
    data = draw(plan, args, figure)
    _write_output(args.output, lambda tmp: _export_staged(figure, data, tmp, out.suffix.lower(), size))
    print(f"{args.output}: {args.kind} of {args.file}")
    return EXIT_OK


def _export_staged(figure, data, tmp: Path, suffix: str, size) -> None:
    """Write to ``tmp`` through a name with the real suffix (the format is picked by it)."""
    from widgets.analysis.plot_export import export

    staged = tmp.with_name(tmp.name + suffix)
    try:
        export(figure, data, staged, size)
        staged.replace(tmp)
    finally:
        staged.unlink(missing_ok=True)


__all__ = ["KINDS", "cmd_plot", "draw", "register_plot"]
