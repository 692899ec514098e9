"""Headless sub-commands of `branchwise`.

Only :mod:`planning` is imported at module level, so these commands run on a
machine with no screen and no Qt. Exit codes: 0 ok, 1 the plan is invalid
(messages on stderr), 2 usage or file errors. A failing command writes no
output file and never overwrites an existing one.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Callable

from planning.errors import ERROR, PlanError, PlanFileError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or an unusable file: exit 2."""


class Invalid(Exception):
    """The plan is invalid: exit 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit itself
        raise UsageError(f"{self.prog}: {message}")


def _load(path: str):
    from planning.planfile import load_plan

    try:
        return load_plan(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied") from None
    except PlanFileError as exc:
        raise UsageError(str(exc)) from None
    except PlanError as exc:
        raise Invalid(f"{path}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None


def _valid_plan(path: str):
    """Load and validate; raise Invalid listing every error."""
    from planning.validate import validate_plan

    plan = _load(path)
    problems = validate_plan(plan)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise Invalid("\n".join(f"{path}: {p}" for p in errors))
    return plan, problems


def _write_output(out: str, write: Callable[[Path], None]) -> None:
    """Write through a temporary file so a failure leaves nothing behind."""
    target = Path(out)
    if not target.parent.exists():
        raise UsageError(f"{out}: directory {str(target.parent)!r} does not exist")
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        write(tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dump(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default, allow_nan=False)


def _fmt(x: float, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:,.{digits}g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# -- commands ------------------------------------------------------------

def cmd_validate(args) -> int:
    plan, problems = _valid_plan(args.file)
    for p in problems:
        print(f"{args.file}: warning: {p}", file=sys.stderr)
    print(f"{args.file}: valid ({len(plan.nodes)} nodes, {len(plan.tracks)} tracks)")
    return EXIT_OK


def _tracks(plan, track: str | None) -> list[str]:
    if track is None:
        return [t.id for t in plan.tracks]
    if track not in {t.id for t in plan.tracks}:
        raise UsageError(f"no track {track!r} (tracks: {', '.join(t.id for t in plan.tracks)})")
    return [track]


def cmd_evaluate(args) -> int:
    from planning.evaluate import evaluate_track

    plan, _ = _valid_plan(args.file)
    if args.from_node is not None:
        if args.from_node not in plan.nodes:
            raise UsageError(f"no node {args.from_node!r} in {args.file}")
        results = [evaluate_track(plan, track_id=args.track, root=args.from_node)]
    else:
        results = [evaluate_track(plan, t) for t in _tracks(plan, args.track)]
    if args.json:
        print(_dump({"title": plan.title, "tracks": [r.to_json(nodes=args.nodes) for r in results]}))
        return EXIT_OK
    unit = f" {plan.value_unit}" if plan.value_unit else ""
    print(plan.title or args.file)
    for r in results:
        title = next((t.title for t in plan.tracks if t.id == r.track_id), "") or r.track_id
        start = f" (from {r.root})" if args.from_node else ""
        print(f"\n== {title}{start}")
        print(f"  expected value          {_fmt(r.ev)}{unit}   (unprepared {_fmt(r.ev_unprepared)}, all ready {_fmt(r.ev_full)})")
        print(f"  value of preparedness   {_fmt(r.value_of_preparedness)}{unit}")
        print(f"  p(failure)              {_pct(r.p_failure)}   exposure {_pct(r.failure_exposure)}   readiness {_pct(r.failure_readiness)}")
        print(f"  p(success)              {_pct(r.p_success)}   readiness {_pct(r.success_readiness)}")
        for d, o in r.policy.items():
            print(f"  policy                  {d}: {plan.nodes[d].label or d} -> {plan.nodes[o].label or o}")
        for node_id, resp_id in r.late:
            print(f"  LATE                    {resp_id} on {node_id}")
        if r.priorities:
            print("  prepare next:")
            for p in r.priorities[:5]:
                print(f"    {p.response:<12} on {p.node:<12} +{_fmt(p.marginal_value)}{unit}  exposure -{_pct(p.exposure_reduction)}{'  (late)' if p.late else ''}")
        if args.nodes:
            print("  nodes:")
            for i, node_id in enumerate(r.ids):
                print(f"    {node_id:<16} ev {_fmt(float(r.node_ev[i])):>10}  reach {float(r.node_reach[i]):.4f}")
    return EXIT_OK


def cmd_simulate(args) -> int:
    from planning.montecarlo import simulate

    plan, _ = _valid_plan(args.file)
    if args.iterations < 1 or args.iterations > 10_000_000:
        raise UsageError("--iterations must be between 1 and 10,000,000")
    results = [simulate(plan, t, iterations=args.iterations, seed=args.seed) for t in _tracks(plan, args.track)]
    if args.json:
        print(_dump({"title": plan.title, "iterations": args.iterations, "seed": args.seed,
                     "tracks": [dict(id=t, **r.to_json()) for t, r in zip(_tracks(plan, args.track), results)]}))
        return EXIT_OK
    for t, r in zip(_tracks(plan, args.track), results):
        s = r.summary()
        print(f"== {t}: {args.iterations} iterations, seed {args.seed}")
        for key, value in s.items():
            print(f"  {key:<24} {value if not isinstance(value, float) else _fmt(value)}")
    return EXIT_OK


def _ranges(items: list[str]) -> dict[str, tuple[float, float]]:
    ranges = {}
    for item in items or []:
        name, sep, span = item.partition("=")
        low, sep2, high = span.partition(":")
        try:
            if not (sep and sep2 and name):
                raise ValueError
            ranges[name] = (float(low), float(high))
        except ValueError:
            raise UsageError(f"--range {item!r}: expected NAME=LOW:HIGH") from None
    return ranges


def cmd_sensitivity(args) -> int:
    from planning import sensitivity

    plan, _ = _valid_plan(args.file)
    if args.tornado == bool(args.sweep):
        raise UsageError("sensitivity: give exactly one of --tornado or --sweep NAME")
    try:
        if args.tornado:
            result = sensitivity.tornado(plan, args.track, ranges=_ranges(args.range), policy=args.policy)
        else:
            if args.min is None or args.max is None:
                raise UsageError("--sweep needs --min and --max")
            if args.steps < 2 or args.steps > 100_000:
                raise UsageError("--steps must be between 2 and 100,000")
            result = sensitivity.sweep(plan, args.sweep, args.min, args.max, args.steps, track_id=args.track, policy=args.policy)
    except KeyError as exc:
        raise UsageError(f"unknown parameter {exc.args[0]!r}") from None
    data = result.to_json()
    if args.json:
        print(_dump(data))
        return EXIT_OK
    if args.tornado:
        print(f"base EV {_fmt(data['base_ev'])} (policy {data['policy']})")
        for bar in data["bars"]:
            print(f"  {bar['name']:<28} {_fmt(bar['low']):>8} .. {_fmt(bar['high']):<8}  EV {_fmt(bar['ev_low']):>10} .. {_fmt(bar['ev_high'])}")
    else:
        print(f"sweep of {data['variable']} (policy {data['policy']})")
        for point in data["points"]:
            best = ", ".join(f"{d}->{o}" for d, o in point["best"].items())
            print(f"  {_fmt(point['value']):>10}  EV {_fmt(point['ev']):>10}  {best}")
        for t in data.get("thresholds", []):
            print(f"  threshold at {_fmt(t['value'], 6)}: {t['decision']} switches {t['from']} -> {t['to']}")
    return EXIT_OK


def cmd_import(args) -> int:
    from planning.importers.detect import import_any
    from planning.planfile import save_plan

    try:
        plan = import_any(args.file)
    except FileNotFoundError:
        raise UsageError(f"{args.file}: no such file") from None
    except PlanFileError as exc:
        raise UsageError(str(exc)) from None
    except PlanError as exc:
        raise Invalid(f"{args.file}: {exc}") from None
    from planning.validate import validate_plan

    errors = [p for p in validate_plan(plan) if p.severity == ERROR]
    if errors:
        raise Invalid("\n".join(f"{args.file}: {p}" for p in errors))
    _write_output(args.output, lambda tmp: save_plan(plan, tmp))
    print(f"{args.output}: {len(plan.nodes)} nodes in {len(plan.tracks)} tracks")
    return EXIT_OK


def cmd_new(args) -> int:
    from planning.planfile import save_plan
    from planning.templates import TEMPLATES, new_plan

    if args.template not in TEMPLATES:
        raise UsageError(f"unknown template {args.template!r} (templates: {', '.join(TEMPLATES)})")
    if Path(args.output).exists() and not args.force:
        raise UsageError(f"{args.output} exists; pass --force to replace it")
    plan = new_plan(args.template)
    _write_output(args.output, lambda tmp: save_plan(plan, tmp))
    print(f"{args.output}: new plan from template {args.template}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="branchwise", description="Scenario planning with contingency trees.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("validate", help="check a plan file")
    p.add_argument("file")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("evaluate", help="expected value, policy, readiness, priorities")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--nodes", action="store_true", help="include every node's EV and reach")
    p.add_argument("--track")
    p.add_argument("--from", dest="from_node", metavar="NODE", help="evaluate as if NODE had been reached")
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("simulate", help="Monte Carlo over the ranges")
    p.add_argument("file")
    p.add_argument("--iterations", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--track")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_simulate)

    p = sub.add_parser("sensitivity", help="tornado or one-way sweep")
    p.add_argument("file")
    p.add_argument("--tornado", action="store_true")
    p.add_argument("--range", action="append", metavar="NAME=LOW:HIGH")
    p.add_argument("--sweep", metavar="NAME")
    p.add_argument("--min", type=float)
    p.add_argument("--max", type=float)
    p.add_argument("--steps", type=int, default=11)
    p.add_argument("--policy", choices=("fixed", "optimal"), default="optimal")
    p.add_argument("--track")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_sensitivity)

    p = sub.add_parser("import", help="import a SilverDecisions .json, Freeplane/FreeMind .mm or text outline")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("new", help="a new plan from a template")
    p.add_argument("template")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--force", action="store_true")
    p.set_defaults(run=cmd_new)

    for name, register in _optional_commands():
        register(sub, name)
    return parser


def _optional_commands():
    """Commands whose modules other parts of the app provide (plots, sharing, presenter)."""
    import importlib

    for name, module in (("plot", "app.cli_plot"), ("export", "app.cli_export"), ("diff", "app.cli_share"),
                         ("merge", "app.cli_share"), ("present", "app.cli_present"), ("voi", "app.cli_voi")):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        register = getattr(mod, f"register_{name}", None)
        if register is not None:
            yield name, register


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return args.run(args)
    except UsageError as exc:
        print(f"branchwise: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Invalid as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except PlanError as exc:
        print(f"branchwise: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except PlanFileError as exc:
        print(f"branchwise: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"branchwise: {exc}", file=sys.stderr)
        return EXIT_USAGE
