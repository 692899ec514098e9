"""How each merge conflict can be settled through the Document (no Qt here).

:func:`conflict_row` reads one entry of ``plan.extra["merge_conflicts"]``
(see :mod:`planning.sharing.merge`) and says how to set a value for it (ours,
theirs, or one the planner types, read by :func:`typed_value`) or, for a
subtree deleted on one side and changed on the other, how to take the
deletion. :class:`widgets.merge_dialog.MergeDialog` shows the rows.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from planning.model.edits import NODE_FIELDS, PLAN_FIELDS, RESPONSE_FIELDS
from planning.model.plan import Node, Plan, Response, Variable

_ITEM_FIELD = re.compile(r"(responses|variables)\[(.+)\]\.(\w+)\Z")
_TRACK_TITLE = re.compile(r"tracks\[(.+)\]\.title\Z")


def _default(cls: type, name: str) -> Any:
    """The dataclass default of a field: what a value left out of the file means."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
    return None


@dataclass
class ConflictRow:
    """One entry of ``extra["merge_conflicts"]`` and how to take theirs, if it is one value."""

    entry: dict
    node: str | None
    field: str
    resolve: Callable[[Any], None] | None = None  # sets the value through the Document
    delete: Callable[[], None] | None = None       # takes a deletion (deleted-vs-changed)

    @property
    def resolvable(self) -> bool:
        return self.resolve is not None


def typed_value(text: str, like: list[Any]) -> Any:
    """What the planner typed, as the kind of value the two sides hold.

    Numbers stay numbers ("0.65" -> 0.65) where a side holds a number; lists
    and objects are read as JSON; anything else is the text itself (a
    probability may also be an expression, e.g. "1 - p_ok").
    """
    text = text.strip()
    if any(isinstance(v, (list, dict)) for v in like):
        try:
            return json.loads(text)
        except ValueError:
            return text
    if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in like):
        try:
            number = float(text.replace(",", ".")) if text else None
        except ValueError:
            return text
        if number is not None and number.is_integer() and all(
                isinstance(v, int) for v in like if isinstance(v, (int, float))):
            return int(number)
        return number
    if text == "" and any(v is None for v in like):
        return None
    return text


def _variable_setter(variables: list[Variable], name: str, attr: str,
                     store: Callable[[list[Variable]], None]) -> Callable[[Any], None] | None:
    if attr not in ("value", "range", "description") or not any(v.name == name for v in variables):
        return None

    def resolve(value: Any) -> None:
        changed = copy.deepcopy(variables)
        variable = next(v for v in changed if v.name == name)
        if value is None:
            value = _default(Variable, attr)
        elif attr == "range":
            value = tuple(value)
        setattr(variable, attr, value)
        store(changed)
    return resolve


def conflict_row(document, entry: dict) -> ConflictRow:
    """How the conflict ``entry`` can be settled in ``document``'s plan.

    A conflict over one field of a node, response, variable, track title or
    the plan, recorded without a message, is resolvable: ``resolve(value)``
    sets that field through the Document. Anything else (structure,
    validation errors, fields unknown to Branchwise) is for review only.
    """
    plan = document.plan
    node_id = entry.get("node")
    field = str(entry.get("field", ""))
    row = ConflictRow(entry, node_id, field)
    if field == "node" and "deleted" in (entry.get("ours"), entry.get("theirs")) \
            and node_id in plan.nodes and not any(t.root == node_id for t in plan.tracks):
        # One side deleted this subtree, the other changed it: the deletion can be taken.
        row.delete = lambda n=node_id: document.remove_subtree(n)
    if entry.get("message"):
        return row
    item = _ITEM_FIELD.match(field)
    if node_id is not None:
        node = plan.nodes.get(node_id)
        if node is None:
            return row
        if field in NODE_FIELDS and field != "variables":
            def resolve(value, n=node_id, f=field):
                document.set_node_field(n, f, _default(Node, f) if value is None else value)
            row.resolve = resolve
        elif item and item.group(1) == "responses" and item.group(3) in RESPONSE_FIELDS:
            response_id, attr = item.group(2), item.group(3)
            if any(r.id == response_id for r in node.responses):
                def resolve(value, n=node_id, r=response_id, f=attr):
                    document.set_response_field(n, r, f, _default(Response, f) if value is None else value)
                row.resolve = resolve
        elif item and item.group(1) == "variables":
            row.resolve = _variable_setter(
                node.variables, item.group(2), item.group(3),
                lambda changed, n=node_id: document.set_node_field(n, "variables", changed))
        return row
    track = _TRACK_TITLE.match(field)
    if field in PLAN_FIELDS and field != "variables":
        row.resolve = lambda value, f=field: document.set_plan_field(
            f, _default(Plan, f) if value is None else value)
    elif item and item.group(1) == "variables":
        row.resolve = _variable_setter(plan.variables, item.group(2), item.group(3),
                                       lambda changed: document.set_plan_field("variables", changed))
    elif track and any(t.id == track.group(1) for t in plan.tracks):
        row.resolve = lambda value, t=track.group(1): document.rename_track(t, value or "")
    return row
