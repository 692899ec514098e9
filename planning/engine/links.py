"""Linked tracks: one track's results read by another's expressions (DESIGN "Linked tracks").

An expression may read ``p_success("T")``, ``p_failure("T")``, ``ev("T")``
(track T's figures) and ``reach("NODE")`` (the probability that NODE is
reached under its track's policy). The parser turns each call into a name
(:func:`planning.model.expressions.link_key`) that no variable can take; this module
works out the values and hands them to compilation as extra plan-scope
values, so the engine itself knows nothing about links:

* :func:`find_links` lists every link with the track that reads it and the
  node and field where it is written;
* :func:`link_problems` reports unknown ids, self-reads and cycles
  (``"Label" [id]: field: ...`` like every validation problem);
* :func:`scope_for` is the one hook compilation calls: the values of the
  links a track reads, from the read tracks evaluated first (in dependency
  order, networkx), conditioned on the given nodes while inside
  :func:`conditioned`;
* :func:`evaluate_linked` evaluates every track, each as if the given nodes
  had happened (``branchwise evaluate --given``, the presenter).

A link written in a plan-level variable is read by every track (the plan's
variables are resolved for every track), so a track may not read itself
through one.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planning.model import expressions
from planning.model.errors import ERROR, PlanError, Problem
from planning.model.plan import CHANCE, Plan, Variable

if TYPE_CHECKING:  # networkx is imported where a graph is built: plans without links never load it
    import networkx as nx

#: What each function reads, as the Tracks view and the DOT export label it.
READS = {"p_success": "p_success", "p_failure": "p_failure", "ev": "ev", "reach": "reach"}


@dataclass(frozen=True)
class Link:
    """One call to a link function, where it is written."""

    reader: str  # the track that reads
    node_id: str | None  # the node whose field holds it (None: a plan variable)
    field: str  # "probability", "payoff", "variables[0].value"
    function: str  # p_success, p_failure, ev, reach
    argument: str  # a track id (a node id for reach)
    read: str | None  # the track read (None when the id is unknown)

    @property
    def key(self) -> str:
        return expressions.link_key(self.function, self.argument)

    @property
    def text(self) -> str:
        return f'{self.function}("{self.argument}")'


def _links_in(value: object) -> frozenset[tuple[str, str]]:
    if not isinstance(value, str) or not expressions.is_expression(value):
        return frozenset()
    try:
        return expressions.parse(value).links
    except (expressions.ExpressionError, TypeError):
        return frozenset()  # reported by validation as what it is


def node_tracks(plan: Plan) -> dict[str, str]:
    """Node id -> id of the track whose tree holds it (iterative; cycles are skipped)."""
    owner: dict[str, str] = {}
    for track in plan.tracks:
        if track.root not in plan.nodes or track.root in owner:
            continue
        for node in plan.walk(track.root):
            owner.setdefault(node.id, track.id)
    return owner


def find_links(plan: Plan, owner: Mapping[str, str] | None = None) -> list[Link]:
    """Every link in the plan: node fields of every track, then plan variables."""
    owner = node_tracks(plan) if owner is None else owner
    track_ids = {track.id for track in plan.tracks}

    def read_of(function: str, argument: str) -> str | None:
        if function == "reach":
            return owner.get(argument)
        return argument if argument in track_ids else None

    found: list[Link] = []
    for node_id, node in plan.nodes.items():
        reader = owner.get(node_id)
        if reader is None:
            continue
        fields = [("payoff", node.payoff), ("probability", node.probability)]
        fields += [(f"variables[{i}].value", v.value) for i, v in enumerate(node.variables)]
        for name, value in fields:
            if type(value) is not str:
                continue
            for function, argument in sorted(_links_in(value)):
                found.append(Link(reader, node_id, name, function, argument,
                                  read_of(function, argument)))
    for i, variable in enumerate(plan.variables):
        for function, argument in sorted(_links_in(variable.value)):
            for track in plan.tracks:
                found.append(Link(track.id, None, f"variables[{i}].value", function, argument,
                                  read_of(function, argument)))
    return found


def dependency_graph(plan: Plan, links: Iterable[Link] | None = None) -> nx.DiGraph:
    """Tracks as nodes; an edge read -> reader per pair, with the links on it (``links``)."""
    import networkx as nx

    graph = nx.DiGraph()
    for track in plan.tracks:
        graph.add_node(track.id, title=track.title)
    for link in find_links(plan) if links is None else links:
        if link.read is None or link.read == link.reader:
            continue
        if not graph.has_edge(link.read, link.reader):
            graph.add_edge(link.read, link.reader, links=[])
        graph.edges[link.read, link.reader]["links"].append(link)
    return graph


def link_problems(plan: Plan, links: Sequence[Link] | None = None) -> list[Problem]:
    """Unknown ids, tracks that read themselves and circles of tracks, as errors."""
    links = find_links(plan) if links is None else links
    problems: list[Problem] = []
    reported: set[tuple] = set()

    def error(link: Link, message: str) -> None:
        key = (link.node_id, link.field, message)
        if key not in reported:
            reported.add(key)
            problems.append(Problem(ERROR, link.node_id, link.field, message))

    for link in links:
        if link.read is None:
            what = "node" if link.function == "reach" else "track"
            where = " in any track" if link.function == "reach" else ""
            error(link, f"{link.text}: no {what} {link.argument!r}{where}")
        elif link.read == link.reader:
            through = "" if link.node_id else " (a plan variable is read by every track)"
            error(link, f"{link.text}: track {link.reader!r} cannot read itself{through}")
    import networkx as nx

    graph = dependency_graph(plan, links)
    for cycle in sorted(nx.simple_cycles(graph), key=lambda c: (len(c), c)):
        # Each edge read -> reader; name the circle as "A reads B reads ... reads A".
        ring = list(reversed(cycle))
        start = ring.index(min(ring))
        ring = ring[start:] + ring[:start]
        shown = _circle(ring)
        for reader, read in zip(ring, ring[1:] + ring[:1]):
            for link in graph.edges[read, reader]["links"]:
                error(link, f"{link.text}: tracks read each other in a circle: {shown}")
    return problems


def _circle(ring: Sequence[str]) -> str:
    """``["a", "b"]`` (a reads b, b reads a) as "track a reads b, which reads a"."""
    return "track " + ", which reads ".join([f"{ring[0]!r} reads {ring[1 % len(ring)]!r}"]
                                           + [repr(t) for t in list(ring[2:]) + [ring[0]]][:len(ring) - 1])


def dependency_order(plan: Plan) -> list[str]:
    """Track ids, every read track before the tracks that read it (plan order otherwise).

    Raises
    ------
    PlanError
        When tracks read each other in a circle, naming where.
    """
    import networkx as nx

    graph = dependency_graph(plan)
    position = {track.id: i for i, track in enumerate(plan.tracks)}
    try:
        return list(nx.lexicographical_topological_sort(graph, key=position.__getitem__))
    except nx.NetworkXUnfeasible:
        problem = next(p for p in link_problems(plan) if "circle" in p.message)
        raise PlanError(problem.node_id, problem.field, problem.message) from None


# -- conditioning and the hook compilation calls --------------------------------------

@dataclass
class _Context:
    plan: Plan
    given: dict[str, str]  # track id -> node that happened in it
    results: dict[str, object] = field(default_factory=dict)  # track id -> TrackResult


_CONTEXT: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("links", default=None)
_EVALUATING: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("links_stack", default=())


def given_by_track(plan: Plan, given: Iterable[str]) -> dict[str, str]:
    """Track id -> the given node in it (the deepest when several lie on one path).

    Raises
    ------
    PlanError
        An unknown node, a node outside every track, or two given nodes of
        one track that cannot both happen.
    """
    owner = node_tracks(plan)
    chosen: dict[str, str] = {}
    for node_id in given:
        if node_id not in plan.nodes:
            raise PlanError(None, "given", f"no node {node_id!r} in the plan")
        track = owner.get(node_id)
        if track is None:
            raise PlanError(node_id, "given", "is not in any track")
        other = chosen.get(track)
        if other is None:
            chosen[track] = node_id
            continue
        path = plan.path_to(node_id)
        if other in path:
            chosen[track] = node_id  # deeper on the same path
        elif node_id not in plan.path_to(other):
            raise PlanError(node_id, "given", f"cannot happen together with {other!r} "
                                              f"(both in track {track!r}, on different paths)")
    return chosen


@contextlib.contextmanager
def conditioned(plan: Plan, given: Iterable[str] = ()) -> Iterator[dict[str, str]]:
    """Inside: every compilation of ``plan`` reads linked tracks as if ``given`` had happened.

    Read tracks are evaluated once per block (the plan must not change inside).
    Yields track id -> given node.
    """
    context = _Context(plan, given_by_track(plan, given))
    token = _CONTEXT.set(context)
    try:
        yield context.given
    finally:
        _CONTEXT.reset(token)


def reads_of(ids: Sequence[str], expression_fields: Iterable, scopes: Iterable
             ) -> dict[tuple[str, str], tuple[str | None, str]]:
    """Links a compiled track reads -> the node and field where each is first written.

    ``expression_fields`` and ``scopes`` are planning.engine.compile's (read by
    attribute: ``node``, ``field``, ``expression``; ``node_id``, ``variables``).
    """
    reads: dict[tuple[str, str], tuple[str | None, str]] = {}
    for f in expression_fields:
        for link in f.expression.links:
            reads.setdefault(link, (ids[f.node], f.field))
    for scope in scopes:
        for i, variable in enumerate(scope.variables):
            for link in _links_in(variable.value):
                reads.setdefault(link, (scope.node_id, f"variables[{i}].value"))
    return reads


def _result_of(plan: Plan, track_id: str):
    """The read track's result, conditioned on its given node inside :func:`conditioned`."""
    from planning.engine.evaluate import evaluate_track

    context = _CONTEXT.get()
    if context is not None and context.plan is not plan:
        context = None
    if context is not None and track_id in context.results:
        return context.results[track_id]
    root = context.given.get(track_id) if context is not None else None
    result = evaluate_track(plan, track_id, root=root)
    if context is not None:
        context.results[track_id] = result
    return result


def link_value(plan: Plan, function: str, argument: str, owner: Mapping[str, str] | None = None) -> float:
    """The value of one link (conditioned inside :func:`conditioned`).

    Raises
    ------
    PlanError
        Unknown id, or the read track cannot be evaluated.
    """
    if function == "reach":
        owner = node_tracks(plan) if owner is None else owner
        track_id = owner.get(argument)
        if track_id is None:
            raise PlanError(None, None, f'reach("{argument}"): no node {argument!r} in any track')
        result = _result_of(plan, track_id)
        if argument in result.index:
            return float(result.node_reach[result.index[argument]])
        # Outside the subtree the track was evaluated from (a given node):
        # the path down to that node happened, every other branch did not.
        return 1.0 if argument in plan.path_to(result.root) else 0.0
    if not any(track.id == argument for track in plan.tracks):
        raise PlanError(None, None, f'{function}("{argument}"): no track {argument!r}')
    return read_as(plan, _result_of(plan, argument))[function]


def read_as(plan: Plan, result) -> dict[str, float]:
    """What other tracks read of an evaluated track: ``p_success``, ``p_failure``, ``ev``.

    For a track evaluated from a node that happened, p_success (p_failure) is
    1 when the way down to that node already crossed a success (failure)
    branch; otherwise the figures are the result's own.
    """
    values = {"p_success": float(result.p_success), "p_failure": float(result.p_failure),
              "ev": float(result.ev)}
    if result.track_id is not None:
        track = next((t for t in plan.tracks if t.id == result.track_id), None)
        if track is not None and track.root != result.root:
            for function in ("p_success", "p_failure"):
                if crossed(plan, result.root, function[2:]):
                    values[function] = 1.0  # the path that happened already crossed one
    return values


def crossed(plan: Plan, node_id: str, path: str) -> bool:
    """Whether the way down to ``node_id`` (itself included) crosses a branch on ``path``.

    DESIGN counts a terminal in p_failure (p_success) when its path crosses at
    least one failure (success) branch; given that ``node_id`` happened, every
    terminal left below it does when the way down did.
    """
    way = plan.path_to(node_id)
    for parent_id, child_id in zip(way, way[1:]):
        parent, child = plan.nodes.get(parent_id), plan.nodes.get(child_id)
        if parent is not None and child is not None and parent.kind == CHANCE and child.path == path:
            return True
    return False


def scope_for(plan: Plan, track_id: str | None,
              reads: Mapping[tuple[str, str], tuple[str | None, str]]) -> list[Variable]:
    """The hook compilation calls: plan-scope values for the links track ``track_id`` reads.

    Returned as variables (named by :func:`planning.model.expressions.link_key`) to
    put before the plan's own, so that plan variables may read them too.

    Raises
    ------
    PlanError
        A track reading itself, tracks reading each other in a circle, an
        unknown id, or a read track that cannot be evaluated.
    """
    if not reads:
        return []
    owner = node_tracks(plan)
    stack = _EVALUATING.get()
    if track_id is not None:
        stack = stack + (track_id,)
    values: list[Variable] = []
    token = _EVALUATING.set(stack)
    try:
        for (function, argument), (node_id, field_name) in sorted(reads.items()):
            read = owner.get(argument) if function == "reach" else argument
            text = f'{function}("{argument}")'
            if read is not None and read in stack:
                if read == track_id:
                    raise PlanError(node_id, field_name, f"{text}: track {read!r} cannot read itself")
                ring = list(stack[stack.index(read):])
                raise PlanError(node_id, field_name, f"{text}: tracks read each other in a "
                                                     f"circle: {_circle(ring)}")
            try:
                value = link_value(plan, function, argument, owner)
            except PlanError as exc:
                if exc.node_id is not None:
                    raise  # the read track's own problem, where it is
                raise PlanError(node_id, field_name, exc.message) from None
            values.append(Variable(expressions.link_key(function, argument), value))
    finally:
        _EVALUATING.reset(token)
    return values


def evaluate_linked(plan: Plan, given: Iterable[str] = (), tracks: Iterable[str] | None = None) -> list:
    """Every track (or those listed), in plan order, as if the ``given`` nodes had happened.

    The track that holds a given node is evaluated from it (as ``--from``);
    the others read the conditioned values through their links.
    """
    with conditioned(plan, given):
        wanted = [t.id for t in plan.tracks] if tracks is None else list(tracks)
        for track_id in dependency_order(plan):
            if track_id in wanted:
                _result_of(plan, track_id)
        context = _CONTEXT.get()
        return [context.results.get(track_id) or _result_of(plan, track_id) for track_id in wanted]


def values_for_validation(plan: Plan) -> dict[str, float]:
    """Link key -> value for every link whose read track evaluates (others are left out)."""
    values: dict[str, float] = {}
    owner = node_tracks(plan)
    with conditioned(plan):
        for link in find_links(plan, owner):
            if link.key in values or link.read is None or link.read == link.reader:
                continue
            try:
                values[link.key] = link_value(plan, link.function, link.argument, owner)
            except (PlanError, RecursionError):
                continue  # the read track's own problem, or a circle, is reported as such
    return values


def reads_in(result) -> list[tuple[str, str, float]]:
    """What an evaluated track read from others: (function, argument, value), sorted."""
    compiled = getattr(result, "compiled", None)
    if compiled is None or not compiled.scopes:
        return []
    found = []
    for variable in compiled.scopes[0].variables:
        name = variable.name
        if name.endswith('")') and '("' in name:
            function, argument = name[:-2].split('("', 1)
            if function in READS:
                found.append((function, argument, float(variable.value)))
    return sorted(found)


def describe_read(plan: Plan, function: str, argument: str) -> str:
    """A link in planner words: "track Nuclear succeeds", "'Freeze verified' [n3] is reached"."""
    if function == "reach":
        node = plan.nodes.get(argument)
        label = " ".join(node.label.split()) if node is not None and node.label else ""
        return f'"{label}" [{argument}] is reached' if label else f"node {argument} is reached"
    title = next((t.title for t in plan.tracks if t.id == argument), "") or argument
    return {"p_success": f"track {title} ends in success",
            "p_failure": f"track {title} ends in failure",
            "ev": f"expected value of track {title}"}[function]


def readers_of(plan: Plan, track_id: str) -> list[str]:
    """Tracks that read ``track_id`` directly or through others, in dependency order."""
    graph = dependency_graph(plan)
    if track_id not in graph:
        return []
    import networkx as nx

    below = nx.descendants(graph, track_id)
    try:
        order = dependency_order(plan)
    except PlanError:
        order = [t.id for t in plan.tracks]
    return [t for t in order if t in below]


__all__ = [
    "Link", "conditioned", "dependency_graph", "dependency_order", "evaluate_linked",
    "find_links", "given_by_track", "link_problems", "link_value", "reads_of",
    "describe_read", "node_tracks", "read_as", "readers_of", "reads_in", "scope_for", "values_for_validation",
]


def broken_by_removal(plan: Plan, node_id: str | None = None, track_id: str | None = None) -> list[Link]:
    """Links written elsewhere that removing a subtree (or a whole track) would break.

    ``node_id``: the subtree under it goes (reach() of any node in it breaks);
    ``track_id``: the track goes (its p_success, p_failure, ev and every reach into it).
    Links written inside what goes are not counted: they go with it.
    """
    if track_id is not None:
        track = next((t for t in plan.tracks if t.id == track_id), None)
        if track is None:
            return []
        going = set(plan.subtree_ids(track.root))
    elif node_id is not None and node_id in plan.nodes:
        going = set(plan.subtree_ids(node_id))
    else:
        return []
    broken = []
    for link in find_links(plan):
        if link.node_id is not None and link.node_id in going:
            continue
        if link.node_id is None and track_id is not None and link.reader == track_id:
            continue  # a plan variable read by the track that goes
        if (link.function == "reach" and link.argument in going) or \
                (track_id is not None and link.function != "reach" and link.argument == track_id):
            broken.append(link)
    unique = {(link.node_id, link.field, link.text): link for link in broken}
    return list(unique.values())


def describe_links(plan: Plan, found: Sequence[Link], limit: int = 4) -> str:
    """Where links are written, for a warning: ``reach("n3") in "Relief" [sanc_t1] (probability)``."""
    from planning.model.errors import node_name

    parts = []
    for link in found[:limit]:
        if link.node_id is None:
            where = f"plan {link.field}"
        else:
            node = plan.nodes.get(link.node_id)
            where = f"{node_name(link.node_id, getattr(node, 'label', None))} ({link.field})"
        parts.append(f"{link.text} in {where}")
    more = len(found) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
