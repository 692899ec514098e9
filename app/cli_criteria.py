"""`branchwise simulate` text for a plan with two criteria.

Both criteria's spreads in their own units, the combined value labelled by
what it is measured in (criterion 1's unit at the plan's weight), and how
often each option is best on the combined value.
"""
from __future__ import annotations

from app.cli_text import node_label, number, percent, plural, track_heading, with_id

#: How many decisions are listed under "how often each option is best".
DECISIONS_SHOWN = 8
_HEADS = ("mean", "std dev", "5%", "median", "95%")


def _row(name: str, stats: dict, fmt, width: int) -> str:
    return f"  {name:<{width}}" + "".join(f"{fmt(stats[key]):>11}" for key in ("mean", "std", "p5", "p50", "p95"))


def simulate_criteria_lines(plan, track_id: str, result) -> list[str]:
    """The planner's view of :class:`planning.analyses.montecarlo_criteria.CriteriaSimulation`."""
    s = result.summary()
    crit = s["criteria"]
    names = [f"{c['criterion'] or f'criterion {i + 1}'} ({c['sense']})" for i, c in enumerate(crit)]
    combined = s.get("combined")
    width = max(len(n) for n in names + ["failure exposure", "combined value"]) + 2
    base = ", ".join(f"{c['criterion'] or f'criterion {i + 1}'} {number(c['base'])}"
                     f"{' ' + c['unit'] if c['unit'] else ''}" for i, c in enumerate(crit))
    lines = ["", f"== {track_heading(plan, track_id)}", f"  with every number at its base value: {base}"]
    if combined is not None:
        lines.append(f"  {result.combined_label()}: {number(combined['base'])} at the base values")
    lines += [
             f"  {'':<{width}}" + "".join(f"{h:>11}" for h in _HEADS)]
    for name, c in zip(names, crit):
        lines.append(_row(name, c, number, width) + (f"  ({c['unit']})" if c["unit"] else ""))
    if combined is not None:
        lines.append(_row("combined value", combined, number, width)
                     + f"  ({result.unit2()}, at {result.weight_words()})")
    lines.append(_row("failure exposure", s["exposure"], percent, width))
    ends = s["ends"]
    lines.append(f"  paths end in: success {percent(ends['success'])}, failure {percent(ends['failure'])}, "
                 f"neutral {percent(ends['neutral'])}")
    policy = result.policy
    shown = [d for d in policy.on_policy_decisions if d in policy.option_best]
    shown += [d for d in policy.option_best if d not in shown]
    if shown:
        on = (f"on the combined value ({result.weight_words()})" if combined is not None
              else f"on {result.names[0] or 'criterion 1'} alone (weight Infinity)")
        lines.append(f"  how often each option is best {on}:")
        for decision in shown[:DECISIONS_SHOWN]:
            lines.append(f"    {with_id(node_label(plan, decision), decision)}")
            for option, share in policy.option_best[decision].items():
                today = "  (today's best choice)" if policy.base_policy.get(decision) == option else ""
                lines.append(f"      {percent(share):>6}  {node_label(plan, option)}{today}")
        if len(shown) > DECISIONS_SHOWN:
            lines.append(f"    ... and {plural(len(shown) - DECISIONS_SHOWN, 'more decision')} (see --json)")
    return lines


__all__ = ["simulate_criteria_lines"]
