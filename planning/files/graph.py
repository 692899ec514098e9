"""A plan as a networkx graph, and GraphML export.

Every node of the plan becomes a graph node (orphans included, with track
``""``), every parent -> child link an edge with its position among the
siblings. Probabilities and payoffs are given resolved to numbers where the
track compiles (expressions and ``"#"`` evaluated), as written otherwise;
the text of an expression is kept in ``payoff_expr`` / ``probability_expr``.
"""
from __future__ import annotations

import math
import os
import re

import networkx as nx

from planning.model.errors import PlanError
from planning.model.plan import NEUTRAL, Plan

#: Characters XML 1.0 cannot hold at all (not even escaped): GraphML is XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot represent replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _as_float(value) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return math.nan


def _resolved(plan: Plan, track_id: str):
    """(ids -> index, probability, payoff, path names) of a compiled track, or None."""
    from planning.engine.compile import PATH_NAMES, compile_track

    try:
        ct = compile_track(plan, track_id)
    except (PlanError, KeyError, ValueError, ArithmeticError):
        return None
    return ct.index, ct.probability, ct.payoff, [PATH_NAMES[int(code)] for code in ct.path]


def to_networkx(plan: Plan) -> nx.DiGraph:
    """The plan as a directed graph: parent -> child edges over all tracks.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    networkx.DiGraph
        Graph attributes ``title``, ``objective``, ``value_unit``. Node
        attributes ``kind``, ``label``, ``payoff`` (float), ``probability``
        (float; 1 for nodes that are not branches, NaN when unresolvable),
        ``path`` (resolved: success, failure or neutral), ``track`` (track
        id, ``""`` for orphans) and, where written as expressions,
        ``payoff_expr`` / ``probability_expr``. Edge attribute ``order``
        (0-based position among the siblings).
    """
    graph = nx.DiGraph(title=plan.title, objective=plan.objective, value_unit=plan.value_unit)
    track_of: dict[str, str] = {}
    resolved: dict[str, tuple] = {}
    for track in plan.tracks:
        for node in plan.walk(track.root):
            track_of.setdefault(node.id, track.id)
        compiled = _resolved(plan, track.id)
        if compiled is not None:
            resolved[track.id] = compiled
    for node in plan.nodes.values():
        track_id = track_of.get(node.id, "")
        attrs = {"kind": node.kind, "label": node.label, "track": track_id}
        compiled = resolved.get(track_id)
        if compiled is not None and node.id in compiled[0]:
            i = compiled[0][node.id]
            attrs["probability"] = float(compiled[1][i])
            attrs["payoff"] = float(compiled[2][i])
            attrs["path"] = compiled[3][i]
        else:
            attrs["probability"] = 1.0 if node.probability is None else _as_float(node.probability)
            attrs["payoff"] = _as_float(node.payoff)
            attrs["path"] = node.path or NEUTRAL
        if isinstance(node.payoff, str):
            attrs["payoff_expr"] = node.payoff
        if isinstance(node.probability, str):
            attrs["probability_expr"] = node.probability
        graph.add_node(node.id, **attrs)
    for node in plan.nodes.values():
        for order, child in enumerate(node.children):
            if child in plan.nodes:
                graph.add_edge(node.id, child, order=order)
    return graph


def write_graphml(plan: Plan, path: str | os.PathLike) -> None:
    """Write :func:`to_networkx` of the plan as GraphML (UTF-8 XML).

    Text is escaped by the XML writer; characters XML cannot hold at all
    (control characters) are replaced by U+FFFD so the file always parses.
    """
    graph = to_networkx(plan)
    clean = nx.relabel_nodes(graph, {n: xml_safe(n) for n in graph.nodes}, copy=True)
    for _, attrs in clean.nodes(data=True):
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = xml_safe(value)
    for key, value in list(clean.graph.items()):
        if isinstance(value, str):
            clean.graph[key] = xml_safe(value)
    nx.write_graphml(clean, os.fspath(path), encoding="utf-8")
