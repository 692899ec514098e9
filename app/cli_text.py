"""Words for the command line: what planners read instead of node and response ids.

Nodes are named by their labels, responses by their titles and tracks by
their titles. An id is shown, in brackets, only where a person needs it to
type a command: a track (``--track``), a decision (``--from``) and a
sensitivity parameter (``--range`` / ``--sweep``).

Sensitivity parameters are worded by :func:`planning.analyses.sensitivity.parameter_words`
(the docks and plots use the same words) and filtered with
:func:`planning.analyses.sensitivity.parameters_read_by`.
"""
from __future__ import annotations

import math

from planning.model.plan import Plan
from planning.analyses.sensitivity import parameter_words


def number(x: float | None, digits: int = 4) -> str:
    """4 significant digits, thousands separated; never "-0" or "1e-16"; "-" for none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "infinite" if x > 0 else "-infinite"
    if abs(x) < 1e-9:  # rounding noise of a sum, shown as what it is: nothing
        return "0"
    text = f"{x:,.{digits}g}" if abs(x) < 1e6 else f"{x:,.0f}"
    return "0" if text in ("-0", "-0.0") else text


def percent(x: float | None) -> str:
    """A share as "12.3%"; never "-0.0%"."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    text = f"{100 * x:.1f}%"
    return "0.0%" if text == "-0.0%" else text


def plural(count: int, word: str, many: str | None = None) -> str:
    """``plural(1, "iteration")`` -> "1 iteration"; 2 -> "2 iterations"."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def node_label(plan: Plan, node_id: str) -> str:
    """The node's label (its id when it has none)."""
    node = plan.nodes.get(node_id)
    return (node.label.strip() if node is not None and node.label.strip() else node_id)


def quoted(plan: Plan, node_id: str) -> str:
    return f"\"{node_label(plan, node_id)}\""


def with_id(text: str, ident: str) -> str:
    """``text [ident]``; just ``text`` when it is the id already."""
    return text if text == ident else f"{text} [{ident}]"


def track_heading(plan: Plan, track_id: str) -> str:
    """``Title [track id]``: the id is what ``--track`` takes."""
    track = plan.track(track_id)
    return f"{track.title.strip() or track.id} [track {track.id}]"


def response_title(plan: Plan, node_id: str, response_id: str) -> str:
    """A response's title (its id when it has none)."""
    node = plan.nodes.get(node_id)
    for response in node.responses if node is not None else ():
        if response.id == response_id:
            return response.title.strip() or response.id
    return response_id


def response_of(plan: Plan, node_id: str, response_id: str):
    node = plan.nodes.get(node_id)
    return next((r for r in (node.responses if node else ()) if r.id == response_id), None)


def parameter_text(plan: Plan, name: str) -> str:
    """What a sensitivity parameter is, in words, with its ``--range`` name in brackets."""
    return with_id(parameter_words(plan, name), name)


# -- `branchwise simulate` tables: one layout for one criterion and for two -------------
#: How many decisions simulate lists under "how often each option is best".
DECISIONS_SHOWN = 8
_STATS = (("mean", "mean"), ("std dev", "std"), ("5%", "p5"), ("median", "p50"), ("95%", "p95"))


def stats_heading(width: int) -> str:
    """The column heads over :func:`stats_row` rows whose names take ``width`` characters."""
    return f"  {'':<{width}}" + "".join(f"{head:>11}" for head, _key in _STATS)


def stats_row(name: str, stats: dict, fmt, width: int) -> str:
    """One spread (mean, std dev, 5%, median, 95% of a simulation summary), each cell by ``fmt``."""
    return f"  {name:<{width}}" + "".join(f"{fmt(stats[key]):>11}" for _head, key in _STATS)


def option_best_lines(plan: Plan, policy, heading: str) -> list[str]:
    """``heading``, then how often each option of each decision is best (the first DECISIONS_SHOWN).

    ``policy`` has ``on_policy_decisions``, ``option_best`` (decision ->
    option -> share) and ``base_policy``; decisions on today's policy come
    first. No decision: no lines.
    """
    shown = [d for d in policy.on_policy_decisions if d in policy.option_best]
    shown += [d for d in policy.option_best if d not in shown]
    if not shown:
        return []
    lines = [heading]
    for decision in shown[:DECISIONS_SHOWN]:
        lines.append(f"    {with_id(node_label(plan, decision), decision)}")
        for option, share in policy.option_best[decision].items():
            today = "  (today's best choice)" if policy.base_policy.get(decision) == option else ""
            lines.append(f"      {percent(share):>6}  {node_label(plan, option)}{today}")
    if len(shown) > DECISIONS_SHOWN:
        lines.append(f"    ... and {plural(len(shown) - DECISIONS_SHOWN, 'more decision')} (see --json)")
    return lines


__all__ = [
    "DECISIONS_SHOWN", "node_label", "number", "option_best_lines", "parameter_text", "percent", "plural",
    "quoted", "response_title", "stats_heading", "stats_row", "track_heading", "with_id",
]
