"""`branchwise voi`: what it is worth to know a ranged quantity before the first decision.

Headless: only :mod:`planning` is imported. The numbers are
:func:`planning.analyses.voi.value_of_information`'s (the draws of ``simulate`` for
the same seed).
"""
from __future__ import annotations

from app.cli import EXIT_OK, UsageError, _dump, _tracks, _valid_plan
from planning.analyses.voi import amount, value_unit

#: Quantities listed by name in the text output at most (the rest are summed up in one line).
TEXT_LIMIT = 8


def register_voi(sub, name: str) -> None:
    """Add the ``voi`` sub-command to the CLI's sub-parsers."""
    p = sub.add_parser(name, help="value of information: what knowing a ranged quantity first is worth",
                       description="What knowing each ranged quantity before a track's first decision is worth "
                                   "(EVPPI), and knowing all of them (EVPI), from one seeded Monte Carlo run: "
                                   "the draws of 'simulate' for the same seed.")
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--track", metavar="ID", help="one track (default: every track)")
    p.add_argument("--iterations", type=int, default=10_000, help="Monte Carlo iterations (default: 10,000)")
    p.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same numbers (default: 0)")
    p.add_argument("--json", action="store_true",
                   help='print {"tracks": [{"id", "decision", "iterations", "evpi", "evppi": [...]}]}')
    p.set_defaults(run=cmd_voi)


def describe(plan, result, unit: str = "", limit: int = TEXT_LIMIT) -> list[str]:
    """The lines a planner reads for one track's :class:`~planning.analyses.voi.VoiResult`."""
    from planning.analyses.voi import quantity_label

    def label(node_id: str) -> str:
        node = plan.nodes.get(node_id)
        return f"“{(node.label or node.id) if node else node_id}”"

    unit = f" {unit}" if unit else ""
    if result.decision is None:
        return ["  No decision in this track: there is no choice for information to change."]
    decision = label(result.decision)
    share = result.option_best.get(result.best_option, 1.0)
    lines = [f"  Decision: {decision}",
             f"  EV at stake: {amount(result.ev_now)}{unit} (deciding now: {label(result.best_option)},"
             f" best in {100 * share:.0f}% of the draws)"]
    if result.evpi <= 0:
        lines.append(f"  Knowing every ranged quantity before {decision} is worth nothing: no range can change the choice.")
        return lines
    lines.append(f"  Knowing every ranged quantity before {decision} is worth up to {amount(result.evpi, 2)}{unit} (EVPI)")
    worth = [e for e in result.evppi if e.value > 0]
    for e in worth[:limit]:
        lines.append(f"  Knowing {quantity_label(plan, e)} before {decision} is worth up to {amount(e.value, 2)}{unit}")
    if len(worth) > limit:
        lines.append(f"  ... and {len(worth) - limit} more quantities worth less than {amount(worth[limit - 1].value, 2)}{unit}")
    idle = len(result.evppi) - len(worth)
    if idle:
        lines.append(f"  {idle} other ranged {'quantity does' if idle == 1 else 'quantities do'} not change this choice alone")
    if result.noise > 0:
        lines.append(f"  (figures below about {amount(result.noise, 2)}{unit} are within the estimate's Monte Carlo noise)")
    return lines


def cmd_voi(args) -> int:
    """Run ``branchwise voi``: exit 0, 1 (invalid plan) or 2 (usage)."""
    from planning.analyses.voi import value_of_information

    if not 1 <= args.iterations <= 10_000_000:
        raise UsageError("--iterations must be between 1 and 10,000,000")
    plan, _ = _valid_plan(args.file)
    ids = _tracks(plan, args.track)
    results = [value_of_information(plan, t, iterations=args.iterations, seed=args.seed) for t in ids]
    if args.json:
        print(_dump({"title": plan.title, "iterations": args.iterations, "seed": args.seed,
                     "tracks": [r.to_json() for r in results]}))
        return EXIT_OK
    print(f"{plan.title or args.file}: value of information ({args.iterations:,} iterations, seed {args.seed})")
    for t, r in zip(ids, results):
        title = next((tr.title for tr in plan.tracks if tr.id == t), "") or t
        print(f"\n== {title}")
        if len(plan.criteria) == 2:  # two criteria: the figures are the combined value (DESIGN)
            from planning.engine.rules import settings_of

            s = settings_of(plan)
            weight = "Infinity" if s.weight == float("inf") else f"{s.weight:g}"
            print(f"  Figures are the combined value: weight {weight} x {s.names[0]} ({s.senses[0]}) "
                  f"with {s.names[1]} ({s.senses[1]})")
        for line in describe(plan, r, value_unit(plan)):
            print(line)
    return EXIT_OK


__all__ = ["cmd_voi", "describe", "register_voi"]
