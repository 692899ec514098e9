"""`branchwise league` and the rule options of `branchwise evaluate` (DESIGN "Decision rules").

``--rule``, ``--objective``, ``--senses``, ``--weight`` and ``--weight-range``
override the plan's fields for one run (:func:`planning.engine.rules.with_options`).
The league table is printed for planners: policies as "decision label ->
option label", numbers rounded, with their units; ``--json`` and ``--csv``
keep the ids and full precision.
"""
from __future__ import annotations

import csv
import io
import math

from app.cli import COMMANDS, EXIT_OK, Invalid, UsageError, _dump, _tracks, _valid_plan
from app.cli_text import number, track_heading
from planning.model.errors import PlanError
from planning.model.plan import MAXIMIZE, MINIMIZE, RULES

_SENSES = {"max": MAXIMIZE, "maximize": MAXIMIZE, "maximise": MAXIMIZE,
           "min": MINIMIZE, "minimize": MINIMIZE, "minimise": MINIMIZE}


def parse_weight(text: str, option: str = "--weight") -> float:
    """A weight: a number 0 or more, or Infinity (``inf``)."""
    if text.strip().lower() in ("infinity", "inf", "+infinity", "+inf"):
        return math.inf
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{option} must be a number 0 or more, or Infinity, not {text!r}") from None
    if not value >= 0 or math.isinf(value) and value < 0:
        raise UsageError(f"{option} must be 0 or more, or Infinity, not {text!r}")
    return value


def parse_senses(text: str) -> tuple[str, str]:
    parts = [p.strip().lower() for p in text.split(",")]
    if len(parts) != 2 or any(p not in _SENSES for p in parts):
        raise UsageError(f"--senses takes two senses like maximize,minimize, not {text!r}")
    return _SENSES[parts[0]], _SENSES[parts[1]]


def parse_weight_range(text: str) -> tuple[float, float]:
    low, sep, high = text.partition(":")
    if not sep:
        raise UsageError(f"--weight-range takes LOW:HIGH (e.g. 0:Infinity), not {text!r}")
    pair = parse_weight(low, "--weight-range"), parse_weight(high, "--weight-range")
    if pair[0] > pair[1]:
        raise UsageError(f"--weight-range: {low} is above {high}")
    return pair


def add_rule_options(p, rule: bool = True) -> None:
    """The options that override the plan's rule, criteria senses and weights."""
    if rule:
        p.add_argument("--rule", choices=RULES, help="decision rule for this run: expected "
                       "(default), worst-case or best-case (judges criterion 1 alone)")
        p.add_argument("--objective", choices=(MAXIMIZE, MINIMIZE),
                       help="maximize or minimize criterion 1 for this run (judges it alone)")
    p.add_argument("--senses", metavar="S1,S2", help="two criteria with these senses, e.g. "
                   "maximize,minimize (a plan with one criterion gets a second, payoff2)")
    p.add_argument("--weight", metavar="W", help="weight of criterion 1 against criterion 2; "
                   "Infinity ranks by criterion 1 alone")


def apply_rule_options(plan, args):
    """The plan with the command line's rule options applied (the plan itself when there are none)."""
    from planning.engine.rules import with_options

    rule = getattr(args, "rule", None)
    objective = getattr(args, "objective", None)
    senses = parse_senses(args.senses) if getattr(args, "senses", None) else None
    weight = parse_weight(args.weight) if getattr(args, "weight", None) is not None else None
    weights = getattr(args, "weight_range", None)
    weight_range = parse_weight_range(weights) if weights else None
    if rule is None and objective is None and senses is None and weight is None and weight_range is None:
        return plan
    return with_options(plan, rule=rule, objective=objective, senses=senses, weight=weight,
                        weight_range=weight_range)


def _with_unit(x: float, unit: str) -> str:
    return f"{number(x)} {unit}" if unit else number(x)


def weight_text(w: float) -> str:
    return "Infinity" if math.isinf(w) else number(w)


def _formula(s) -> str:
    """How the combined value is made, in the criteria's names: "1 x Gross margin - Engineering time"."""
    n1, n2 = s.names[0] or "criterion 1", s.names[1] or "criterion 2"
    if math.isinf(s.weight):
        return f"weight Infinity: {n1} alone"
    first = f"{'-' if s.signs[0] < 0 else ''}{weight_text(s.weight)} x {n1}"
    return f"{first} {'-' if s.signs[1] < 0 else '+'} {n2}"


def rule_lines(plan, result) -> list[str]:
    """What `branchwise evaluate` adds under a rule or with two criteria (empty otherwise)."""
    s = result.settings
    if s is None:
        return []
    if s.two:
        (n1, n2), (u1, u2) = s.names, s.units
        return [
            f"  two criteria            {n1 or 'criterion 1'} {_with_unit(result.values[0], u1)} "
            f"({s.senses[0]}), {n2 or 'criterion 2'} {_with_unit(result.values[1], u2)} ({s.senses[1]})",
            f"  combined value          {number(result.combined)}   ({_formula(s)})",
        ]
    if s.rule != "expected":
        what = {"worst-case": "the worst branch at every chance node",
                "best-case": "the best branch at every chance node"}[s.rule]
        return [f"  {s.rule + ' value':<23} {_with_unit(result.rule_value, s.units[0])}   "
                f"({what}; choices made to {s.senses[0]} it)"]
    return []


# -- league ----------------------------------------------------------------------------------

def _verdict(row, table) -> str:
    if row.dominated_by is not None:
        return f"dominated by row {row.dominated_by} (better on both)"
    if row.extended_dominated_by is not None:
        a, b = row.extended_dominated_by
        return f"extendedly dominated (a mix of rows {a} and {b} is better)"
    parts = ["efficient"]
    if row.optimal_for_weight:
        parts.append(f"best at weight {weight_text(table.weight)}")
    elif row.optimal:
        parts.append("optimal for some weight in the range")
    else:
        parts.append("optimal only outside the weight range")
    return "; ".join(parts)


def league_lines(plan, table) -> list[str]:
    """The league table as a planner reads it."""
    (n1, n2), (s1, s2), (u1, u2) = table.names, table.senses, table.units
    low, high = table.weight_range
    ratio_unit = f"{u2 or n2} per {u1 or n1}"
    lines = ["", f"== {track_heading(plan, table.track_id)}",
             f"  criteria: {n1} ({s1}{', ' + u1 if u1 else ''}) and {n2} ({s2}{', ' + u2 if u2 else ''}); "
             f"weight {weight_text(table.weight)} {ratio_unit}, range {weight_text(low)} to {weight_text(high)}",
             f"  ratio: the weight at which a row and the efficient row before it are equally good "
             f"({ratio_unit})"]
    head = ("row", n1, n2, "ratio", "verdict")
    cells = [(r.id, _with_unit(r.values[0], u1), _with_unit(r.values[1], u2),
              "" if r.icer is None else number(r.icer), _verdict(r, table)) for r in table.rows]
    widths = [max(len(str(c[k])) for c in [head] + cells) for k in range(4)]
    lines.append("  " + "  ".join(str(h).ljust(w) if k == 0 else str(h).rjust(w)
                                  for k, (h, w) in enumerate(zip(head[:4], widths))) + "  " + head[4])
    for c in cells:
        lines.append("  " + "  ".join(str(v).ljust(w) if k == 0 else str(v).rjust(w)
                                      for k, (v, w) in enumerate(zip(c[:4], widths))) + "  " + c[4])
    lines.append("  policies:")
    for r in table.rows:
        more = len(r.policies) - 1
        lines.append(f"    {r.id}. " + ("; ".join(r.labels) or "(no decision to take)")
                     + (f"   (and {more} more with the same values)" if more else ""))
    return lines


def league_csv(table) -> str:
    from planning.files.exports import csv_safe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "policy", csv_safe(table.names[0]), csv_safe(table.names[1]), "dominated_by",
                     "extended_dominated_by", "icer", "optimal", "optimal_for_weight", "equal_policies"])
    for r in table.rows:
        writer.writerow([csv_safe(r.id), csv_safe("; ".join(r.labels)), repr(r.values[0]), repr(r.values[1]),
                         csv_safe(r.dominated_by or ""),
                         csv_safe(" ".join(r.extended_dominated_by) if r.extended_dominated_by else ""),
                         "" if r.icer is None else repr(r.icer), str(r.optimal).lower(),
                         str(r.optimal_for_weight).lower(), len(r.policies)])
    return out.getvalue()


def cmd_league(args) -> int:
    """Run ``branchwise league``: exit 0, 1 (invalid plan or one criterion) or 2 (usage)."""
    from planning.analyses.league import league_table

    plan, _ = _valid_plan(args.file)
    plan = apply_rule_options(plan, args)
    ids = _tracks(plan, args.track)
    try:
        tables = [league_table(plan, t) for t in ids]
    except PlanError as exc:
        raise Invalid(f"{args.file}: {exc}") from None
    if args.json:
        print(_dump({"title": plan.title, "tracks": [t.to_json() for t in tables]}))
        return EXIT_OK
    if args.csv:
        if len(tables) > 1:
            raise UsageError("--csv writes one table: pick a track with --track")
        print(league_csv(tables[0]), end="")
        return EXIT_OK
    lines = [f"{plan.title or args.file}: league table"]
    for table in tables:
        lines += league_lines(plan, table)
    print("\n".join(lines))
    return EXIT_OK


def register_league(sub, name: str) -> None:
    p = sub.add_parser(name, help=COMMANDS[name][1], description=(
        "Every policy of a two-criteria plan with its two expected criteria: dominated and "
        "extendedly dominated rows, the ratio between efficient rows, and the rows that are "
        "best for the plan's weight and for some weight in its range."))
    p.add_argument("file", help="the .bwplan file")
    p.add_argument("--track", metavar="ID", help="only this track (default: every track)")
    add_rule_options(p, rule=False)
    p.add_argument("--weight-range", metavar="LOW:HIGH", help="weights to mark optimal rows for, "
                   "e.g. 0:Infinity")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the table as JSON, with ids")
    form.add_argument("--csv", action="store_true", help="print the table as CSV (one track)")
    p.set_defaults(run=cmd_league)


__all__ = ["add_rule_options", "apply_rule_options", "cmd_league", "league_csv", "league_lines",
           "parse_weight", "register_league", "rule_lines"]
