"""`branchwise evaluate`, `simulate` and `sensitivity`: the core's numbers, for planners.

Text output names nodes by label, responses by title and tracks by title
(:mod:`app.cli_text`); ``--json`` keeps the ids a program needs.
"""
from __future__ import annotations

from app.cli import COMMANDS, EXIT_OK, UsageError, _dump, _tracks, _valid_plan
from app.cli_text import (
    node_label, number, parameter_text, percent, plural, quoted, response_of, response_title, track_heading, with_id,
)
from app.cli_text import option_best_lines, stats_heading, stats_row
from planning.analyses.sensitivity import parameter_names, parameters_read_by

#: How many "prepare next" items evaluate prints per track.
PRIORITIES_SHOWN = 5
MAX_ITERATIONS = 10_000_000


def _seed(text: str) -> int:
    """``--seed``: a whole number from 0 (numpy's SeedSequence refuses negatives)."""
    try:
        seed = int(text)
    except ValueError:
        raise UsageError(f"--seed must be a whole number from 0, not {text!r}") from None
    if seed < 0:
        raise UsageError(f"--seed must be 0 or more, not {seed}")
    return seed


def _iterations(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise UsageError(f"--iterations must be a whole number, not {text!r}") from None
    if not 1 <= count <= MAX_ITERATIONS:
        raise UsageError(f"--iterations must be between 1 and {MAX_ITERATIONS:,}, not {count:,}")
    return count


def add_monte_carlo_options(p) -> None:
    """``--iterations`` and ``--seed``, the same for simulate and plot."""
    p.add_argument("--iterations", type=str, default="10000", metavar="N",
                   help="Monte Carlo iterations, 1 to 10,000,000")
    p.add_argument("--seed", type=str, default="0", metavar="SEED",
                   help="random seed, a whole number from 0; the same seed gives the same numbers")


# -- evaluate ------------------------------------------------------------------------

def _start_node(plan, node_id: str, track: str | None) -> str:
    """The track of ``--from NODE``, checked against ``--track``."""
    if node_id not in plan.nodes:
        raise UsageError(f"no node {node_id!r} in the plan")
    owner = plan.track_of(node_id)
    if owner is None:
        raise UsageError(f"node {node_id!r} is in no track")
    if track is not None and owner.id != track:
        raise UsageError(f"--from {node_id}: {quoted(plan, node_id)} is in track "
                         f"{track_heading(plan, owner.id)}, not in track {track!r}")
    return owner.id


def _evaluate_lines(plan, r, unit: str, start: str | None) -> list[str]:
    u = f" {unit}" if unit else ""
    head = f"== {track_heading(plan, r.track_id)}"
    if start is not None:
        head += f", as if {with_id(quoted(plan, start), start)} had been reached"
    lines = [
        "", head,
        f"  expected value          {number(r.ev)}{u}   (nothing prepared {number(r.ev_unprepared)}, "
        f"everything ready {number(r.ev_full)})",
        f"  value of preparedness   {number(r.value_of_preparedness)}{u}",
        f"  failure paths           {percent(r.p_failure)} likely; {percent(r.failure_exposure)} "
        f"reached unprepared (exposure); readiness {percent(r.failure_readiness)}",
        f"  success paths           {percent(r.p_success)} likely; readiness {percent(r.success_readiness)}",
    ]
    if r.policy:
        lines.append("  best choices:")
        for decision, option in r.policy.items():
            lines.append(f"    {with_id(node_label(plan, decision), decision)}")
            lines.append(f"      -> {node_label(plan, option)}")
    if r.late:
        lines.append("  late (takes longer to stand up than the warning we get):")
        for node_id, response_id in r.late:
            response = response_of(plan, node_id, response_id)
            warning = plan.nodes[node_id].warning_days
            timing = (f": {number(response.lead_time_days)} days to stand up, {number(warning)} days "
                      "of warning") if response is not None and warning is not None else ""
            lines.append(f"    {response_title(plan, node_id, response_id)}{timing}")
            lines.append(f"      for {quoted(plan, node_id)}")
    worth = [p for p in r.priorities
             if number(p.marginal_value) != "0" or percent(p.exposure_reduction) != "0.0%"]
    if worth:
        lines.append("  prepare next (what bringing each response to ready is worth):")
        for rank, p in enumerate(worth[:PRIORITIES_SHOWN], 1):
            gains = []
            if number(p.marginal_value) != "0":
                gains.append(f"{'+' if p.marginal_value > 0 else ''}{number(p.marginal_value)}{u}")
            if percent(p.exposure_reduction) != "0.0%":
                gains.append(f"exposure down {percent(p.exposure_reduction)}")
            late = ", late: cannot be ready in time" if p.late else ""
            lines.append(f"    {rank}. {response_title(plan, p.node, p.response)}  ({', '.join(gains)}{late})")
            lines.append(f"       for {quoted(plan, p.node)}")
    elif r.priorities:
        lines.append("  prepare next: nothing left that adds value or cuts exposure")
    return lines


def _linked_results(plan, args) -> tuple[list, dict[str, str]]:
    """``--given NODE ...``: every track (or ``--track``) as if each NODE had happened."""
    from planning.engine import links
    from planning.model.errors import PlanError

    if args.from_node is not None:
        raise UsageError("--given and --from cannot be combined (--given NODE already "
                         "evaluates NODE's track from NODE)")
    try:
        chosen = links.given_by_track(plan, args.given)
    except PlanError as exc:
        raise UsageError(f"--given: {exc}") from None
    return links.evaluate_linked(plan, args.given, _tracks(plan, args.track)), chosen


def _reads_lines(plan, r, unit: str) -> list[str]:
    """What a track read from the tracks it is linked to, in planner words."""
    from planning.engine import links

    reads = links.reads_in(r)
    if not reads:
        return []
    u = f" {unit}" if unit else ""
    lines = ["  reads from other tracks:"]
    for function, argument, value in reads:
        shown = f"{number(value)}{u}" if function == "ev" else percent(value)
        lines.append(f"    {links.describe_read(plan, function, argument)}: {shown}")
    return lines


def _columnar_results(args):
    """``evaluate --json`` of a plainly valid plan without options, read as columns (issue 11).

    (plan settings, results) or None: then the object path loads, validates and words
    every message (:func:`planning.engine.columnar.evaluate_file`).
    """
    if not args.json or args.from_node is not None or getattr(args, "given", None) or any(
            getattr(args, option, None) is not None
            for option in ("rule", "objective", "senses", "weight", "weight_range")):
        return None
    from planning.engine.columnar import evaluate_file

    return evaluate_file(args.file, args.track)


def cmd_evaluate(args) -> int:
    from planning.engine import links
    from planning.engine.evaluate import evaluate_track

    from app.cli_league import apply_rule_options, rule_lines

    chosen: dict[str, str] = {}
    fast = _columnar_results(args)
    if fast is not None:
        plan, results = fast
    else:
        plan, _ = _valid_plan(args.file)
        plan = apply_rule_options(plan, args)
        if args.track is not None:
            _tracks(plan, args.track)
        if getattr(args, "given", None):
            results, chosen = _linked_results(plan, args)
        elif args.from_node is not None:
            owner = _start_node(plan, args.from_node, args.track)
            results = [evaluate_track(plan, track_id=owner, root=args.from_node)]
        else:
            results = [evaluate_track(plan, t) for t in _tracks(plan, args.track)]
    if args.json:
        tracks = []
        for r in results:
            entry = {**r.to_json(nodes=args.nodes), "title": plan.track(r.track_id).title}
            if r.track_id in chosen:
                entry["given"] = chosen[r.track_id]
                entry["read_as"] = links.read_as(plan, r)
            reads = links.reads_in(r)
            if reads:
                entry["reads"] = {f'{f}("{a}")': v for f, a, v in reads}
            tracks.append(entry)
        print(_dump({"title": plan.title, "tracks": tracks}))
        return EXIT_OK
    lines = [plan.title or args.file]
    if chosen:
        lines.append("as if these had happened: " + "; ".join(
            f"{with_id(quoted(plan, node), node)} in {track_heading(plan, track)}"
            for track, node in chosen.items()))
    for r in results:
        block = _evaluate_lines(plan, r, plan.value_unit, chosen.get(r.track_id, args.from_node))
        block[3:3] = rule_lines(plan, r)  # under the expected value line
        lines += block
        if r.track_id in chosen:
            seen = links.read_as(plan, r)
            lines.append(f"  as other tracks read it: ends in success {percent(seen['p_success'])}, "
                         f"in failure {percent(seen['p_failure'])}")
        lines += _reads_lines(plan, r, plan.value_unit)
        if args.nodes:
            lines.append("  nodes (id, expected value, chance of reaching it, label):")
            for i, node_id in enumerate(r.ids):
                lines.append(f"    {node_id:<16} {number(float(r.node_ev[i])):>10}  "
                             f"{percent(float(r.node_reach[i])):>6}  {node_label(plan, node_id)}")
    print("\n".join(lines))
    return EXIT_OK


def register_evaluate(sub, name: str) -> None:
    p = sub.add_parser(name, help=COMMANDS[name][1], description="Evaluate every track (or one): "
                       "expected value, best choices, readiness, late responses and what to prepare next.")
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--track", metavar="ID", help="only this track (default: every track)")
    p.add_argument("--from", dest="from_node", metavar="NODE",
                   help="evaluate as if NODE had been reached (its track, from NODE down)")
    p.add_argument("--given", action="append", metavar="NODE",
                   help="evaluate every track as if NODE had happened: its track from NODE down, "
                        "the tracks linked to it with what they read given NODE (repeatable)")
    p.add_argument("--nodes", action="store_true", help="also list every node's expected value and reach")
    p.add_argument("--json", action="store_true", help="print the figures as JSON, with ids")
    from app.cli_league import add_rule_options

    add_rule_options(p)
    p.set_defaults(run=cmd_evaluate)


# -- simulate ------------------------------------------------------------------------

def _simulate_lines(plan, track_id: str, result, unit: str) -> list[str]:
    s = result.summary()
    u = f"  ({unit})" if unit else ""
    lines = ["", f"== {track_heading(plan, track_id)}",
             f"  expected value with every number at its base value: {number(result.base_ev)}"
             f"{' ' + unit if unit else ''}",
             stats_heading(18),
             stats_row("expected value", s["ev"], number, 18) + u,
             stats_row("one path's outcome", s["outcome"], number, 18) + u,
             stats_row("failure exposure", s["exposure"], percent, 18)]
    ends = s["ends"]
    lines.append(f"  {'paths end in':<20}success {percent(ends['success'])}, failure {percent(ends['failure'])}, "
                 f"neutral {percent(ends['neutral'])}")
    return lines + option_best_lines(plan, result, "  how often each option is best:")


def cmd_simulate(args) -> int:
    from planning.engine.montecarlo import simulate
    from planning.analyses.montecarlo_criteria import simulate_criteria

    iterations, seed = _iterations(args.iterations), _seed(args.seed)
    plan, _ = _valid_plan(args.file)
    track_ids = _tracks(plan, args.track)
    two = len(plan.criteria) == 2
    run = simulate_criteria if two else simulate  # two: both criteria and the combined value
    results = [run(plan, t, iterations=iterations, seed=seed) for t in track_ids]
    if args.json:
        print(_dump({"title": plan.title, "iterations": iterations, "seed": seed,
                     "tracks": [dict(id=t, title=plan.track(t).title, **r.to_json())
                                for t, r in zip(track_ids, results)]}))
        return EXIT_OK
    lines = [plan.title or args.file, f"{plural(iterations, 'iteration')}, seed {seed}"]
    for t, r in zip(track_ids, results):
        if two:
            from app.cli_criteria import simulate_criteria_lines
            lines += simulate_criteria_lines(plan, t, r)
        else:
            lines += _simulate_lines(plan, t, r, plan.value_unit)
    print("\n".join(lines))
    return EXIT_OK


def register_simulate(sub, name: str) -> None:
    p = sub.add_parser(name, help=COMMANDS[name][1], description="Draw every number with a range "
                       "(PERT between its low and high) and roll the tree back each time: the spread "
                       "of the expected value, of one path's outcome and of the failure exposure.")
    p.add_argument("file", help="the .bwplan file")
    add_monte_carlo_options(p)
    p.add_argument("--track", metavar="ID", help="only this track (default: every track)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON, with ids")
    p.set_defaults(run=cmd_simulate)


# -- sensitivity ---------------------------------------------------------------------

def _ranges(items: list[str] | None) -> dict[str, tuple[float, float]]:
    ranges = {}
    for item in items or []:
        name, sep, span = item.partition("=")
        low, sep2, high = span.partition(":")
        try:
            if not (sep and sep2 and name):
                raise ValueError
            low_value, high_value = float(low), float(high)
        except ValueError:
            raise UsageError(f"--range {item!r}: expected NAME=LOW:HIGH") from None
        if not low_value <= high_value:
            raise UsageError(f"--range {item!r}: LOW must not be above HIGH")
        ranges[name.strip()] = (low_value, high_value)
    return ranges


class _Scope:
    """The analysed track and which parameter names exist in it and can move it."""

    def __init__(self, plan, track: str | None):
        from planning.engine.compile import compile_track

        if not plan.tracks:
            raise UsageError("the plan has no tracks")
        self.plan = plan
        self.track_id = _tracks(plan, track)[0] if track is not None else plan.tracks[0].id
        self.chosen = track is not None
        ct = compile_track(plan, self.track_id)
        self.names = parameter_names(ct)
        self.read = parameters_read_by(ct, plan)

    def check(self, name: str, option: str) -> None:
        """A usage error unless ``name`` can move the analysed track."""
        if name in self.read:
            return
        from planning.engine.compile import compile_track

        readers = [t.id for t in self.plan.tracks if t.id != self.track_id
                   and name in parameters_read_by(compile_track(self.plan, t.id), self.plan)]
        where = f"; it moves track {', '.join(readers)} (add --track {readers[0]})" if readers else ""
        if name in self.names:
            raise UsageError(f"{option} {name}: does not affect track {self.track_id}{where}")
        if readers:
            raise UsageError(f"{option} {name}: not in track {self.track_id}{where}")
        raise UsageError(f"{option} {name}: unknown parameter (a variable, NODE.probability or NODE.payoff)")

    def heading(self) -> list[str]:
        lines = [f"Track: {track_heading(self.plan, self.track_id)}"]
        if not self.chosen and len(self.plan.tracks) > 1:
            others = ", ".join(t.id for t in self.plan.tracks)
            lines.append(f"(the first of {len(self.plan.tracks)} tracks; --track picks another: {others})")
        return lines


_POLICY_WORDS = {"optimal": "decisions re-optimised for each value",
                 "fixed": "today's best choices held fixed"}


def _tornado_lines(plan, scope: _Scope, data: dict, left_out: list[str], unit: str,
                   what: str = "expected value") -> list[str]:
    u = f" {unit}" if unit else ""
    lines = scope.heading() + [
        f"{what[0].upper()}{what[1:]} {number(data['base_ev'])}{u}; each number moved across its range alone, "
        f"{_POLICY_WORDS[data['policy']]}.", ""]
    if data["bars"]:
        lines.append(f"  {what.split(' at ')[0].split(' (')[0] + ' at low .. high':<30}{'swing':>9}   number moved (low .. high)")
    for bar in data["bars"]:
        swing = abs(bar["ev_high"] - bar["ev_low"])
        span = f"{number(bar['ev_low']):>12} .. {number(bar['ev_high']):<12}"
        lines.append(f"  {span:<30}{number(swing):>9}   {parameter_text(plan, bar['name'])} "
                     f"({number(bar['low'])} .. {number(bar['high'])})")
    if not data["bars"]:
        lines.append("  No number of this track has a range: add ranges in the plan or give --range.")
    if left_out:
        lines.append(f"Left out, as they cannot affect this track: {', '.join(left_out)}")
    return lines


def _sweep_lines(plan, scope: _Scope, data: dict, unit: str, what: str = "expected value") -> list[str]:
    u = f" {unit}" if unit else ""
    points = data["points"]
    varying = [d for d in (points[0]["best"] if points else {})
               if len({p["best"][d] for p in points}) > 1]
    lines = scope.heading() + [
        f"Sweep of {parameter_text(plan, data['variable'])} from {number(points[0]['value'])} to "
        f"{number(points[-1]['value'])}, {plural(len(points), 'step')}; {_POLICY_WORDS[data['policy']]}.", ""]
    header = f"  {'value':>12}  {what.split(' at ')[0].split(' (')[0]:>16}"
    if varying:
        header += "   best choice at " + " / ".join(quoted(plan, d) for d in varying)
    lines.append(header)
    for point in points:
        row = f"  {number(point['value']):>12}  {number(point['ev']) + u:>16}"
        if varying:
            row += "   " + " / ".join(node_label(plan, point["best"][d]) for d in varying)
        lines.append(row)
    if not varying:
        lines.append("The best choices stay the same across this range.")
    for t in data.get("thresholds", []):
        lines.append(f"At {number(t['value'], 6)} the best choice at {quoted(plan, t['decision'])} changes "
                     f"from {quoted(plan, t['from'])} to {quoted(plan, t['to'])}.")
    return lines


def _plan_names(data: dict, original: dict) -> dict:
    """Sensitivity JSON of the combined plan with the plan's quantity names (two criteria)."""
    from planning.analyses.sensitivity_criteria import plan_name

    out = dict(data)
    if "bars" in out:
        out["bars"] = [dict(b, name=plan_name(b["name"])) for b in out["bars"]]
        out["left_out"] = [plan_name(n) for n in out["left_out"]]
    if "variable" in out:
        out["variable"] = plan_name(out["variable"])
    return out


def cmd_sensitivity(args) -> int:
    from planning.analyses import sensitivity
    from planning.engine.parameters import parameters

    if args.tornado == bool(args.sweep):
        raise UsageError("give exactly one of --tornado or --sweep NAME")
    if args.steps < 2 or args.steps > 100_000:
        raise UsageError("--steps must be between 2 and 100,000")
    ranges = _ranges(args.range)
    plan, _ = _valid_plan(args.file)
    analysed, swept, what, unit = plan, args.sweep, "expected value", plan.value_unit
    if len(plan.criteria) == 2:  # the combined value, quantities in the plan's names
        from planning.analyses import sensitivity_criteria as two

        original = {n: two.analysis_name(n) for n in ranges}
        analysed, ranges = two.analysis_plan(plan, ranges, [args.sweep] if args.min is not None else [])
        swept, what, unit = two.analysis_name(args.sweep), two.value_words(plan), ""
    scope = _Scope(analysed, args.track)
    for name in ranges:
        scope.check(name, "--range")
    if args.tornado:
        result = sensitivity.tornado(analysed, scope.track_id, ranges=ranges, policy=args.policy)
        data = result.to_json()
        left_out = [b["name"] for b in data["bars"] if b["name"] not in scope.read]
        data["bars"] = [b for b in data["bars"] if b["name"] in scope.read]
        data["left_out"] = left_out
    else:
        scope.check(swept, "--sweep")
        if args.min is None or args.max is None:
            ranged = {p.name for p in parameters(analysed, scope.track_id)}
            if swept not in ranged:
                raise UsageError(f"--sweep {args.sweep}: it has no range in the plan; give --min and --max")
        result = sensitivity.sweep(analysed, swept, args.min, args.max, args.steps,
                                   track_id=scope.track_id, policy=args.policy)
        data = result.to_json()
    if analysed is not plan:
        data = _plan_names(data, original)
        data["criterion"] = what  # what base_ev and every ev are: not criterion 1's unit
    data = {"track": scope.track_id, "track_title": plan.track(scope.track_id).title, **data}
    if args.json:
        print(_dump(data))
        return EXIT_OK
    lines = (_tornado_lines(plan, scope, data, data["left_out"], unit, what) if args.tornado
             else _sweep_lines(plan, scope, data, unit, what))
    print("\n".join(lines))
    return EXIT_OK


def register_sensitivity(sub, name: str) -> None:
    p = sub.add_parser(name, help=COMMANDS[name][1], description="How the expected value of one "
                       "track moves with its uncertain numbers: a tornado (each number across its "
                       "range alone) or a sweep of one number. A number is a plan variable, "
                       "NODE.VAR, NODE.probability or NODE.payoff.")
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--track", metavar="ID", help="the track to analyse (default: the first)")
    p.add_argument("--tornado", action="store_true", help="move each number with a range across it, one at a time")
    p.add_argument("--range", action="append", metavar="NAME=LOW:HIGH",
                   help="use this range for NAME (repeatable); also gives a range to a number without one")
    p.add_argument("--sweep", metavar="NAME", help="sweep one number and show where the best choice changes")
    p.add_argument("--min", type=float, help="start of the sweep (default: the low end of NAME's range)")
    p.add_argument("--max", type=float, help="end of the sweep (default: the high end of NAME's range)")
    p.add_argument("--steps", type=int, default=11, help="values in the sweep, 2 to 100,000")
    p.add_argument("--policy", choices=("optimal", "fixed"), default="optimal",
                   help="re-optimise the decisions for each value, or hold today's best choices")
    p.add_argument("--json", action="store_true", help="print the figures as JSON, with ids")
    p.set_defaults(run=cmd_sensitivity)


__all__ = ["add_monte_carlo_options", "cmd_evaluate", "cmd_sensitivity", "cmd_simulate"]
