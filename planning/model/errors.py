"""Errors and problems, always naming the place: the node (label and id) and the field.

A place reads ``"Vetoed" [n4]: children`` when the node has a label and
``node n4: children`` when it has none, so that a planner recognises the node
and can still find it by id (``--from``, the outline's search).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from dataclasses import field as _field
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

ERROR = "error"
WARNING = "warning"

#: Labels longer than this are shortened in messages (the id stays whole).
LABEL_CHARS = 40


def node_name(node_id: str, label: str | None = None) -> str:
    """How a message names a node: ``"Vetoed" [n4]``, or ``node n4`` without a label.

    >>> node_name("n4", "Vetoed"), node_name("n4", ""), node_name("n4")
    ('"Vetoed" [n4]', 'node n4', 'node n4')
    """
    text = " ".join(label.split()) if isinstance(label, str) else ""
    if not text:
        return f"node {node_id}"
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS - 1].rstrip() + "…"
    return f'"{text}" [{node_id}]'


def _place(node_id: str | None, field: str | None, label: str | None = None) -> str:
    parts = []
    if node_id:
        parts.append(node_name(node_id, label))
    if field:
        parts.append(field)
    return ": ".join(parts)


@dataclass(frozen=True)
class Fix:
    """The obvious repair of a problem, as data: set one field of one node.

    The window applies it through its Document
    (``document.set_node_field(fix.node_id, fix.field, fix.value)``), so it
    is one undoable edit like any other.
    """

    description: str  # what a menu shows: "make it a terminal"
    node_id: str
    field: str
    value: Any  # hashable: a str, a number, a tuple or None


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a plan, where it is and what it is.

    ``label`` is the node's label when the problem was found (None when not
    known); ``fix`` the obvious repair, when there is one.
    """

    severity: str
    node_id: str | None
    field: str | None
    message: str
    # Two reports of one problem are one problem whether or not they carry the
    # label (it is for reading) or a fix: equality is place and message.
    label: str | None = _field(default=None, compare=False)
    fix: Fix | None = _field(default=None, compare=False)

    @property
    def place(self) -> str:
        """The node (label and id) and the field: ``"Vetoed" [n4]: children``."""
        return _place(self.node_id, self.field, self.label)

    def __str__(self) -> str:
        place = self.place
        return f"{place}: {self.message}" if place else self.message

    def labelled(self, nodes) -> "Problem":
        """This problem with its node's label filled in from ``nodes`` (id -> Node)."""
        if self.label is not None or not self.node_id:
            return self
        node = nodes.get(self.node_id) if hasattr(nodes, "get") else None
        label = getattr(node, "label", None)
        return replace(self, label=label) if isinstance(label, str) else self


class PlanError(ValueError):
    """The plan cannot be evaluated: names the node (label and id) and the field.

    >>> str(PlanError("n12", "probability", "siblings sum to 1.05"))
    'node n12: probability: siblings sum to 1.05'
    >>> str(PlanError("n4", "children", "chance node needs at least one branch", label="Vetoed"))
    '"Vetoed" [n4]: children: chance node needs at least one branch'
    """

    def __init__(self, node_id: str | None, field: str | None, message: str,
                 label: str | None = None, fix: Fix | None = None):
        self.node_id = node_id
        self.field = field
        self.message = message
        self.label = label
        self.fix = fix
        place = _place(node_id, field, label)
        super().__init__(f"{place}: {message}" if place else message)

    def problem(self) -> Problem:
        return Problem(ERROR, self.node_id, self.field, self.message, self.label, self.fix)

    def labelled(self, nodes) -> "PlanError":
        """This error with its node's label filled in from ``nodes`` (itself if nothing to add)."""
        if self.label is not None or not self.node_id:
            return self
        node = nodes.get(self.node_id) if hasattr(nodes, "get") else None
        label = getattr(node, "label", None)
        if not isinstance(label, str) or not label.strip():
            return self
        return PlanError(self.node_id, self.field, self.message, label, self.fix)


def names_nodes(function: _F) -> _F:
    """Decorate a function whose first argument is a Plan: its PlanErrors carry node labels."""
    @functools.wraps(function)
    def wrapper(plan, *args, **kwargs):
        try:
            return function(plan, *args, **kwargs)
        except PlanError as exc:
            labelled = exc.labelled(getattr(plan, "nodes", {}))
            if labelled is exc:
                raise
            raise labelled from None
    return wrapper  # type: ignore[return-value]


class PlanFileError(ValueError):
    """A file cannot be read as a plan at all (not JSON, too large, wrong format)."""
