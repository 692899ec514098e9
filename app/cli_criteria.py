"""`branchwise simulate` text for a plan with two criteria.

Both criteria's spreads in their own units, the combined value labelled by
what it is measured in (criterion 1's unit at the plan's weight), and how
often each option is best on the combined value.
"""
from __future__ import annotations

from app.cli_text import number, option_best_lines, percent, stats_heading, stats_row, track_heading


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
    lines.append(stats_heading(width))
    for name, c in zip(names, crit):
        lines.append(stats_row(name, c, number, width) + (f"  ({c['unit']})" if c["unit"] else ""))
    if combined is not None:
        lines.append(stats_row("combined value", combined, number, width)
                     + f"  ({result.unit2()}, at {result.weight_words()})")
    lines.append(stats_row("failure exposure", s["exposure"], percent, width))
    ends = s["ends"]
    lines.append(f"  paths end in: success {percent(ends['success'])}, failure {percent(ends['failure'])}, "
                 f"neutral {percent(ends['neutral'])}")
    on = (f"on the combined value ({result.weight_words()})" if combined is not None
          else f"on {result.names[0] or 'criterion 1'} alone (weight Infinity)")
    return lines + option_best_lines(plan, result.policy, f"  how often each option is best {on}:")


__all__ = ["simulate_criteria_lines"]
