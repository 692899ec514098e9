"""`branchwise plot`: draw an analysis figure headless and write PNG, SVG or CSV.

The figure is built by the same draw functions the analysis docks use, on an
offscreen Qt platform when there is no display, so a headless PNG is the
picture a planner sees in the window.
"""
from __future__ import annotations

import os
from pathlib import Path

from app.cli import COMMANDS, EXIT_OK, Invalid, UsageError, _tracks, _valid_plan, _write_output
from app.cli_analysis import _iterations, _seed, add_monte_carlo_options
from app.output import STDOUT, whole_file_check

KINDS = ("histogram", "risk", "tornado", "spider", "sweep", "policy-map", "readiness", "voi", "league")
SUFFIXES = (".png", ".svg", ".csv")


def register_plot(sub, name: str) -> None:
    """Add the ``plot`` sub-command to the CLI's sub-parsers."""
    p = sub.add_parser(name, help=COMMANDS[name][1],
                       description="Draw one analysis plot, as the analysis docks draw it, without a "
                                   "window: PNG or SVG picture, or the plotted numbers as CSV.")
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--kind", required=True, choices=KINDS, help="which plot")
    p.add_argument("--var", action="append", metavar="NAME",
                   help="parameter to sweep (sweep), or x then y (policy-map); widest tornado bars by default")
    p.add_argument("--track", metavar="ID", help="the track (default: the first; readiness: every track)")
    p.add_argument("--decision", metavar="NODE",
                   help="decision whose options the sweep and policy map show (default: the track's root decision)")
    p.add_argument("--policy", choices=("optimal", "fixed"), default="optimal",
                   help="sensitivity: re-optimise decisions, or hold today's best choices")
    add_monte_carlo_options(p)
    p.add_argument("--size", default="1000x620", metavar="WxH", help="picture size in pixels")
    p.add_argument("--format", choices=[s.lstrip(".") for s in SUFFIXES],
                   help="png, svg or csv (default: from the output's extension)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.png|OUT.svg|OUT.csv",
                   help="the file to write, replaced only once the new one is whole; "
                        "'-' prints svg or csv (with --format)")
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
    """Compute what ``args.kind`` needs and draw it into ``figure``; return its FigureData.

    Labels are fitted to ``args.size`` as the docks fit them to their size, so a
    small picture is shortened rather than crowded.
    """
    width, height = _size(args.size)
    from planning.model.errors import PlanError
    from widgets.analysis import data as analysis

    labels = {n.id: n.label or n.id for n in plan.nodes.values()}
    unit = plan.value_unit
    if len(plan.criteria) == 2 and args.kind not in ("histogram", "risk"):  # the combined value's unit
        from planning.analyses.sensitivity_criteria import value_unit
        unit = value_unit(plan)
    track = args.track
    if args.kind in ("histogram", "risk"):
        from widgets.analysis.outcome_criteria import draw_outcomes as draw_histogram  # two criteria too
        from widgets.analysis.outcome_criteria import draw_risk_of as draw_risk
        from widgets.analysis.outcome_view import risk_label_chars

        sim = analysis.simulate_chunked(plan, track, args.iterations, args.seed)
        if args.kind == "histogram":
            return draw_histogram(figure, sim, unit)
        return draw_risk(figure, sim, unit, labels, label_chars=risk_label_chars(width, False))
    if args.kind == "league":  # the League table dock's picture: policies on the two criteria
        from planning.analyses.league import league_table
        from widgets.analysis.league_view import draw_league

        if len(plan.criteria) < 2:
            raise UsageError("--kind league needs a plan with two criteria (criteria and each node's payoff2)")
        try:
            return draw_league(figure, league_table(plan, track))
        except PlanError as exc:
            raise Invalid(f"{args.file}: {exc}") from None
    if args.kind == "voi":
        from widgets.analysis.voi_view import compute_voi, draw_voi

        return draw_voi(figure, compute_voi(plan, track, args.iterations, args.seed), plan)
    if args.kind == "readiness":
        from widgets.analysis.readiness_view import draw_readiness, readiness_fit

        return draw_readiness(figure, analysis.readiness_report(plan), track, **readiness_fit(width, height, False))
    from widgets.analysis import sensitivity_view as views

    names = args.var or []
    if args.kind == "sweep" and len(names) > 1:
        raise UsageError("--kind sweep takes one --var")
    if args.kind == "policy-map" and len(names) > 2:
        raise UsageError("--kind policy-map takes at most two --var (x, then y)")
    from app.cli_analysis import _Scope
    from planning.engine.parameters import parameters

    from planning.analyses import sensitivity_criteria as two

    checked = two.analysis_plan(plan)[0] if two.is_two(plan) else plan  # two criteria: the combined value's
    scope = _Scope(checked, track)  # the checks and words of `branchwise sensitivity`
    ranged = [p.name for p in parameters(checked, scope.track_id) if p.name in scope.read]
    for name in names:
        scope.check(two.analysis_name(name) if checked is not plan else name, "--var")
        if (two.analysis_name(name) if checked is not plan else name) not in ranged:
            shown = ", ".join(two.plan_name(n) for n in ranged) or "none"
            raise UsageError(f"--var {name}: it has no range in the plan (parameters with a range: {shown})")
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
    title = bundle.track_title  # as the dock: planner words, the track's title on top
    if args.kind == "tornado":
        return views.draw_tornado(figure, bundle.tornado, unit, labels, plan, title,
                                  label_chars=views.tornado_label_chars(width))
    if args.kind == "spider":
        return views.draw_spider(figure, bundle.spider, unit, labels, order, plan, title,
                                 **views.spider_legend(width, height))
    if args.kind == "sweep":
        return views.draw_sweep(figure, bundle.sweep, bundle.sweep_decision, unit, labels, plan, title)
    return views.draw_policy_map(figure, bundle.policy_map, unit, labels, views.map_base(bundle), plan, title)


def _suffix(output: str, given: str | None) -> str:
    """The picture format as a suffix: ``--format``, or the output's extension (they must agree)."""
    named = Path(output).suffix.lower() if output != STDOUT else ""
    if given is not None:
        if named and named != f".{given}":
            raise UsageError(f"-o {output}: the name ends in {named} but --format is {given}")
        return f".{given}"
    if named not in SUFFIXES:
        if output == STDOUT:
            raise UsageError("-o -: give --format svg or --format csv")
        raise UsageError(f"{output}: the output must end in .png, .svg or .csv (or give --format)")
    return named


def cmd_plot(args) -> int:
    """Run ``branchwise plot``: exit 0, 1 (invalid plan or analysis) or 2 (usage)."""
    suffix = _suffix(args.output, args.format)
    if args.output == STDOUT and suffix == ".png":
        raise UsageError("-o -: png is not a text format; give a file name")
    size = _size(args.size)
    args.iterations, args.seed = _iterations(args.iterations), _seed(args.seed)
    plan, _ = _valid_plan(args.file)
    if args.track is not None:
        _tracks(plan, args.track)
    if args.decision is not None and (args.decision not in plan.nodes or plan.nodes[args.decision].kind != "decision"):
        raise UsageError(f"--decision {args.decision!r}: not a decision node of {args.file}")
    _application()
    from widgets import palette
    from widgets.analysis.plot_export import layout_for_export, new_figure

    with palette.using("light"):  # a plot file is a document: light even from a dark app
        figure = new_figure()
        layout_for_export(figure, size)
        data = draw(plan, args, figure)
        from widgets.analysis.fit import fit_width

        fit_width(figure, size[0])  # never wider than asked: a long title or legend is shortened, not let run out
        _write_output(args.output, lambda tmp: _export_staged(figure, data, tmp, suffix, size, args.output),
                      validate=whole_file_check(suffix), text=suffix != ".png")
    if args.output != STDOUT:
        print(f"{args.output}: {args.kind} of {args.file}")
    return EXIT_OK


def _export_staged(figure, data, tmp: Path, suffix: str, size, name: str) -> None:
    """Write to ``tmp`` in the format of the real output's suffix (the temporary name need not have it)."""
    from widgets.analysis.plot_export import export

    export(figure, data, tmp, size, fmt=suffix.lstrip("."), name=name)


__all__ = ["KINDS", "cmd_plot", "draw", "register_plot"]
