"""Words for the command line: what planners read instead of node and response ids.

Nodes are named by their labels, responses by their titles and tracks by
their titles. An id is shown, in brackets, only where a person needs it to
type a command: a track (``--track``), a decision (``--from``) and a
sensitivity parameter (``--range`` / ``--sweep``).

:func:`parameters_read_by` says which parameters can change a compiled
track's numbers; it would sit well in :mod:`planning.sensitivity` (it only
reads the compiled track) and lives here until the core takes it.
"""
from __future__ import annotations

import math

from planning import expressions
from planning.compile import CompiledTrack
from planning.model import Plan


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
    node_id, _, field = name.rpartition(".")
    if node_id and node_id in plan.nodes:
        if field == "probability":
            return f"chance of {quoted(plan, node_id)} [{name}]"
        if field == "payoff":
            return f"value of {quoted(plan, node_id)} [{name}]"
        variable = next((v for v in plan.nodes[node_id].variables if v.name == field), None)
        about = variable.description.strip() if variable is not None else ""
        return f"{about or field} (at {quoted(plan, node_id)}) [{name}]"
    variable = next((v for v in plan.variables if v.name == name), None)
    about = variable.description.strip() if variable is not None else ""
    return f"{about} [{name}]" if about else name


def parameter_names(ct: CompiledTrack) -> set[str]:
    """Every name ``--range`` / ``--sweep`` accepts for a compiled track (with a range or not)."""
    names: set[str] = set()
    for scope in ct.scopes:
        for var in scope.variables:
            names.add(var.name if scope.node_id is None else f"{scope.node_id}.{var.name}")
    names.update(f"{ct.ids[i]}.probability" for i in range(ct.size) if ct.is_branch[i])
    names.update(f"{node_id}.payoff" for node_id in ct.ids)
    return names


def _reads(expression: expressions.Expression) -> frozenset[str]:
    """Variable names and linked-track keys (``p_success("T")``) an expression reads."""
    if not expression.links:
        return expression.names
    return expression.names | {expressions.link_key(*link) for link in expression.links}


def parameters_read_by(ct: CompiledTrack, plan: Plan | None = None) -> set[str]:
    """Parameter names that can change this track's numbers.

    Its own branch probabilities and payoffs, and the variables its
    expressions read, directly or through other variables. A plan variable
    only another track reads is not among them, unless (with ``plan``) this
    track reads that track: then what moves the read track moves it too.
    """
    used: set[str] = {f"{ct.ids[i]}.probability" for i in range(ct.size) if ct.is_branch[i]}
    used.update(f"{node_id}.payoff" for node_id in ct.ids)
    pending = [(_reads(f.expression), f.scope) for f in ct.expression_fields]
    seen: set[tuple[int, str]] = set()
    while pending:
        names, scope = pending.pop()
        for name in names:
            s = scope
            while s >= 0:  # the innermost scope that defines the name
                holder = ct.scopes[s]
                variable = next((v for v in holder.variables if v.name == name), None)
                if variable is not None:
                    break
                s = holder.parent
            if s < 0 or (s, name) in seen:
                continue
            seen.add((s, name))
            used.add(name if ct.scopes[s].node_id is None else f"{ct.scopes[s].node_id}.{name}")
            if isinstance(variable.value, str):  # the plan validated, so it parses
                pending.append((_reads(expressions.parse(variable.value)), s))
    if plan is not None:
        from planning.compile import compile_track
        from planning.links import node_tracks

        owner = None
        for key in [name for name in used if name.endswith('")') and '("' in name]:
            used.discard(key)
            function, argument = key[:-2].split('("', 1)
            if function == "reach":
                owner = node_tracks(plan) if owner is None else owner
                argument = owner.get(argument, argument)
            if any(t.id == argument for t in plan.tracks):
                used |= parameters_read_by(compile_track(plan, argument), plan)
    return used


__all__ = ["node_label", "number", "parameter_names", "parameter_text", "parameters_read_by",
           "percent", "plural", "quoted", "response_title", "track_heading", "with_id"]
