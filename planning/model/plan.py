"""The plan as plain data: tracks of decision, chance and terminal nodes.

Nothing here knows about files, Qt or numbers beyond storing them. A plan
keeps its nodes in one flat, ordered mapping (id -> Node); each node lists
its children by id, in order. That is the shape of the file too, so ids stay
stable across edits and every walk is iterative.

Probabilities and payoffs are stored as written: a float, an expression
string (``"p_ok*0.9"``) or ``"#"`` (share the remainder). They are turned into
numbers by :mod:`planning.engine.compile`.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union

DECISION = "decision"
CHANCE = "chance"
TERMINAL = "terminal"
KINDS: tuple[str, ...] = (DECISION, CHANCE, TERMINAL)

SUCCESS = "success"
FAILURE = "failure"
NEUTRAL = "neutral"
PATHS: tuple[str, ...] = (SUCCESS, FAILURE, NEUTRAL)

MAXIMIZE = "maximize"
MINIMIZE = "minimize"
OBJECTIVES: tuple[str, ...] = (MAXIMIZE, MINIMIZE)

#: Decision rules (DESIGN "Rule"): how a chance node's value is taken.
EXPECTED = "expected"
WORST_CASE = "worst-case"
BEST_CASE = "best-case"
RULES: tuple[str, ...] = (EXPECTED, WORST_CASE, BEST_CASE)

READINESS_LEVELS: tuple[str, ...] = ("idea", "drafted", "resourced", "rehearsed", "ready")
MAX_READINESS = 4

#: A probability or payoff as written: a number, an expression, or "#".
Value = Union[float, str]


@dataclass
class Variable:
    """A named number or expression, global to the plan or local to a subtree."""

    name: str
    value: Value = 0.0
    range: tuple[float, float] | None = None
    description: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Response:
    """A prepared response to a branch: who acts, on what signal, how ready."""

    id: str
    title: str = ""
    owner: str = ""
    trigger: str = ""
    readiness: int = 0
    lead_time_days: float | None = None
    cost: float = 0.0
    effect: float = 0.0
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def r(self) -> float:
        """Readiness as a fraction: level / 4."""
        return self.readiness / MAX_READINESS

    def is_late(self, warning_days: float | None) -> bool:
        """True when the response takes longer to stand up than the warning we get."""
        return (
            warning_days is not None
            and self.lead_time_days is not None
            and self.lead_time_days > warning_days
        )


@dataclass
class Node:
    """One node of a track. ``children`` holds child ids in order."""

    id: str
    kind: str = TERMINAL
    label: str = ""
    notes: str = ""
    children: list[str] = field(default_factory=list)
    payoff: Value = 0.0
    probability: Value | None = None
    probability_range: tuple[float, float] | None = None
    payoff_range: tuple[float, float] | None = None
    path: str | None = None
    signposts: list[str] = field(default_factory=list)
    warning_days: float | None = None
    responses: list[Response] = field(default_factory=list)
    committed: str | None = None
    variables: list[Variable] = field(default_factory=list)
    #: The second criterion's payoff (only read when the plan has two criteria).
    payoff2: Value = 0.0
    payoff2_range: tuple[float, float] | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Track:
    """One parallel lane of the plan: a tree with its own root."""

    id: str
    title: str = ""
    root: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Criterion:
    """One criterion a plan is judged by: its name, sense and unit."""

    name: str = ""
    sense: str = MAXIMIZE
    unit: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Plan:
    """A whole plan: settings, global variables, tracks and the flat node table."""

    title: str = ""
    description: str = ""
    objective: str = MAXIMIZE
    value_unit: str = ""
    variables: list[Variable] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    # Decision rule and criteria (DESIGN "Decision rules, two criteria"); the
    # defaults mean what a plan without these fields always meant.
    rule: str = EXPECTED
    #: Empty: one criterion, the plan's objective and value_unit.
    criteria: list[Criterion] = field(default_factory=list)
    #: Weight of criterion 1 against criterion 2 (math.inf: criterion 1 alone).
    weight: float = 1.0
    #: [low, high] weights the league table considers; None: [0, Infinity].
    weight_range: tuple[float, float] | None = None

    # -- lookups ---------------------------------------------------------
    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError when absent)."""
        return self.nodes[node_id]

    def track(self, track_id: str | None = None) -> Track:
        """The track with this id, or the first track when ``track_id`` is None."""
        if track_id is None:
            if not self.tracks:
                raise KeyError("the plan has no tracks")
            return self.tracks[0]
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(track_id)

    def parents(self) -> dict[str, str]:
        """Map child id -> parent id over the whole plan."""
        parent: dict[str, str] = {}
        for node in self.nodes.values():
            for child in node.children:
                parent.setdefault(child, node.id)
        return parent

    def walk(self, root: str) -> Iterator[Node]:
        """Nodes of the subtree under ``root`` in depth-first pre-order, iteratively.

        Ids that do not exist are skipped; a node seen twice (a cycle or a
        shared child) is yielded once.
        """
        seen: set[str] = set()
        stack = [root]
        while stack:
            node_id = stack.pop()
            if node_id in seen or node_id not in self.nodes:
                continue
            seen.add(node_id)
            node = self.nodes[node_id]
            yield node
            stack.extend(reversed(node.children))

    def subtree_ids(self, root: str) -> list[str]:
        """Ids of the subtree under ``root``, pre-order, root first."""
        return [n.id for n in self.walk(root)]

    def track_of(self, node_id: str) -> Track | None:
        """The track whose tree holds ``node_id`` (None for orphans)."""
        parent = self.parents()
        seen: set[str] = set()
        current = node_id
        while current in parent and current not in seen:
            seen.add(current)
            current = parent[current]
        for track in self.tracks:
            if track.root == current:
                return track
        return None

    def path_to(self, node_id: str) -> list[str]:
        """Ids from the track root down to ``node_id`` inclusive."""
        parent = self.parents()
        path = [node_id]
        seen = {node_id}
        while path[-1] in parent:
            up = parent[path[-1]]
            if up in seen:
                break
            seen.add(up)
            path.append(up)
        path.reverse()
        return path

    def copy(self) -> "Plan":
        """A deep copy (edits on it never touch this plan)."""
        return copy.deepcopy(self)

    def new_id(self, prefix: str = "n") -> str:
        """A node or response id not used anywhere in the plan."""
        used = set(self.nodes)
        for node in self.nodes.values():
            used.update(r.id for r in node.responses)
        i = len(used) + 1
        while f"{prefix}{i}" in used:
            i += 1
        return f"{prefix}{i}"
