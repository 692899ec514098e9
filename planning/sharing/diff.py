"""What changed between two plans, by node id and field.

Plans are compared as they are written (:func:`planning.files.planfile.plan_to_dict`):
plan-level fields, variables by name, tracks by id, nodes by id and, inside a
node, responses by id and local variables by name. A field left out of the
file has its default; both are shown as ``null`` / ``(none)``. A change of
order only (children, responses, tracks, variables) is reported as
``reordered``.

Everything printed for a terminal goes through :func:`show`, which quotes
text as JSON and escapes control and formatting characters, so a label with
terminal escape sequences or bidi overrides prints as inert text.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from planning.model.plan import Plan
from planning.files.planfile import plan_to_dict

ADDED, REMOVED, CHANGED, REORDERED = "added", "removed", "changed", "reordered"
_PLAN_SKIP = ("format", "version", "variables", "tracks", "nodes")
_NODE_LISTS = {"responses": "id", "variables": "name"}


@dataclass(frozen=True)
class Change:
    """One difference between plan A and plan B.

    ``scope`` is ``plan``, ``variable``, ``track``, ``node``, ``response`` or
    ``node variable``; ``id`` names the thing (variable name, track, node or
    response id; None for plan fields); ``node`` is the node a response or
    local variable belongs to; ``field`` is None when the whole thing was
    added or removed. ``old`` / ``new`` are values as written in the file.
    """

    op: str
    scope: str
    id: str | None
    field: str | None = None
    old: Any = None
    new: Any = None
    node: str | None = None
    label: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def _safe_char(char: str) -> str:
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\u{ord(char):04x}"
    return char


def show(value: Any, limit: int = 80) -> str:
    """A value as inert, one-line text for a terminal (JSON-quoted, shortened)."""
    if value is None:
        return "(none)"
    text = _inert_json(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        # Shorten the text itself, so the quotes stay closed: "Meeting date se…"
        keep = len(value)
        while keep > 0 and len(text) > limit:
            keep -= max(1, len(text) - limit)
            text = _inert_json(value[:max(keep, 0)] + "\u2026")
        return text
    return text[: limit - 3] + "..."


def _inert_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    return "".join(_safe_char(c) if not c.isprintable() else c for c in text)


_SIMPLE_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,64}\Z")


def name(value: Any) -> str:
    """An id or name for a terminal: bare when it is plain, else quoted like :func:`show`."""
    if isinstance(value, str) and _SIMPLE_NAME.match(value):
        return value
    return show(value, 60)


def _keyed(items: list, key: str) -> dict:
    return {item.get(key): item for item in items if isinstance(item, dict)}


def _fields(old: dict, new: dict, skip=("id",)) -> list[str]:
    keys = list(old)
    keys += [k for k in new if k not in old]
    return [k for k in keys if k not in skip]


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, *args, **kwargs) -> None:
        self.changes.append(Change(*args, **kwargs))

    def keyed_list(self, old: list, new: list, key: str, scope: str, node: str | None = None,
                   label: str = "") -> None:
        """Items matched by ``key``: added, removed, changed field by field, reordered."""
        a, b = _keyed(old, key), _keyed(new, key)
        for name, item in b.items():
            if name not in a:
                self.add(ADDED, scope, name, None, None, item, node, label)
        for name, item in a.items():
            if name not in b:
                self.add(REMOVED, scope, name, None, item, None, node, label)
        for name, item in b.items():
            if name in a:
                for field in _fields(a[name], item, skip=(key,)):
                    if a[name].get(field) != item.get(field):
                        self.add(CHANGED, scope, name, field, a[name].get(field), item.get(field),
                                 node, label)
        common_a = [k for k in a if k in b]
        common_b = [k for k in b if k in a]
        if common_a != common_b:
            self.add(REORDERED, scope + "s", node, None, common_a, common_b, node, label)

    def node(self, old: dict, new: dict) -> None:
        node_id = new["id"]
        label = new.get("label", "") or old.get("label", "")
        for field in _fields(old, new):
            before, after = old.get(field), new.get(field)
            if before == after:
                continue
            if field in _NODE_LISTS and isinstance(before or [], list) and isinstance(after or [], list):
                scope = "response" if field == "responses" else "node variable"
                self.keyed_list(before or [], after or [], _NODE_LISTS[field], scope, node_id, label)
            elif field == "children" and sorted(map(str, before or [])) == sorted(map(str, after or [])):
                self.add(REORDERED, "node", node_id, field, before, after, None, label)
            else:
                self.add(CHANGED, "node", node_id, field, before, after, None, label)


def diff_dicts(a: dict, b: dict) -> list[Change]:
    """The changes from plan dict ``a`` to plan dict ``b`` (as :func:`plan_to_dict` gives)."""
    differ = _Differ()
    for field in _fields(a, b, skip=_PLAN_SKIP):
        if a.get(field) != b.get(field):
            differ.add(CHANGED, "plan", None, field, a.get(field), b.get(field))
    differ.keyed_list(a.get("variables", []), b.get("variables", []), "name", "variable")
    differ.keyed_list(a.get("tracks", []), b.get("tracks", []), "id", "track")
    nodes_a = _keyed(a.get("nodes", []), "id")
    nodes_b = _keyed(b.get("nodes", []), "id")
    parent_a = {c: n["id"] for n in nodes_a.values() for c in n.get("children", [])}
    parent_b = {c: n["id"] for n in nodes_b.values() for c in n.get("children", [])}
    for node_id, node in nodes_b.items():
        if node_id not in nodes_a:
            differ.add(ADDED, "node", node_id, None, None, node, parent_b.get(node_id),
                       node.get("label", ""))
    for node_id, node in nodes_a.items():
        if node_id not in nodes_b:
            differ.add(REMOVED, "node", node_id, None, node, None, parent_a.get(node_id),
                       node.get("label", ""))
    for node_id, node in nodes_b.items():
        if node_id in nodes_a and nodes_a[node_id] != node:
            differ.node(nodes_a[node_id], node)
    return differ.changes


def diff_plans(a: Plan, b: Plan) -> list[Change]:
    """The changes that turn plan ``a`` into plan ``b``.

    Parameters
    ----------
    a, b : Plan

    Returns
    -------
    list of Change
        Plan fields first, then variables, tracks, added, removed and changed
        nodes (in ``b``'s order); empty when the plans are the same.
    """
    return diff_dicts(plan_to_dict(a), plan_to_dict(b))


#: Longest label shown where a change is (the whole label is in ``--json``).
LABEL_CHARS = 80


def _where(change: Change) -> str:
    label = f" ({show(change.label, LABEL_CHARS)})" if change.label else ""
    if change.scope == "plan":
        return "plan"
    if change.scope in ("variable", "track"):
        return f"{change.scope} {name(change.id)}"
    if change.scope in ("variables", "tracks"):
        return change.scope
    if change.scope == "node":
        return f"node {name(change.id)}{label}"
    owner = f"node {name(change.node)}{label}"
    if change.scope in ("responses", "node variables"):
        return owner
    return f"{owner}: {change.scope} {name(change.id)}"


def _list_change(old: list, new: list) -> str:
    old, new = old or [], new or []
    gone = [x for x in old if x not in new]
    came = [x for x in new if x not in old]
    parts = [f"+{show(x, 40)}" for x in came] + [f"-{show(x, 40)}" for x in gone]
    return " ".join(parts) if parts else f"{show(old)} -> {show(new)}"


def _added_fields(node: Any) -> str:
    """The fields of an added node, one indented line each (what it is, not just where)."""
    if not isinstance(node, dict):
        return ""
    lines = []
    for field, value in node.items():
        if field in ("id", "label", "children") or value in (None, [], {}, ""):
            continue
        if field in _NODE_LISTS and isinstance(value, list):
            key = _NODE_LISTS[field]
            for item in value:
                if isinstance(item, dict):
                    rest = {k: v for k, v in item.items() if k != key}
                    lines.append(f"    {field[:-1] if field.endswith('s') else field} "
                                 f"{name(item.get(key))}: {show(rest, 200)}")
            continue
        lines.append(f"    {field}: {show(value, 200)}")
    if node.get("children"):
        lines.append(f"    children: {show(node['children'], 200)}")
    return "".join("\n" + line for line in lines)


def format_change(change: Change) -> str:
    """One change as one line of text, e.g. ``node "c1" ("Launch"): probability: 0.6 -> 0.7``."""
    where = _where(change)
    if change.op == ADDED:
        if change.scope == "node":
            under = f" under {name(change.node)}" if change.node else ""
            return f"+ {where} added{under}" + _added_fields(change.new)
        title = change.new.get("title") if isinstance(change.new, dict) else None
        return f"+ {where} added" + (f": {show(title, 50)}" if title else "")
    if change.op == REMOVED:
        if change.scope == "node":
            under = f" from {name(change.node)}" if change.node else ""
            return f"- {where} removed{under}"
        title = change.old.get("title") if isinstance(change.old, dict) else None
        return f"- {where} removed" + (f": {show(title, 50)}" if title else "")
    if change.op == REORDERED:
        field = change.field or change.scope
        return f"~ {where}: {field} reordered: {show(change.old)} -> {show(change.new)}"
    if change.field in ("children", "signposts") and isinstance(change.old or [], list) \
            and isinstance(change.new or [], list):
        return f"~ {where}: {change.field}: {_list_change(change.old, change.new)}"
    return f"~ {where}: {change.field}: {show(change.old)} -> {show(change.new)}"


def format_changes(changes: list[Change], name_a: str = "a", name_b: str = "b") -> str:
    """The changes as text for a terminal: a header and one line per change."""
    if not changes:
        return f"{name(name_a)} and {name(name_b)}: no differences\n"
    lines = [f"--- {name(name_a)}", f"+++ {name(name_b)}"]
    lines += [format_change(c) for c in changes]
    count = len(changes)
    lines.append(f"{count} change{'s' if count != 1 else ''}")
    return "\n".join(lines) + "\n"


_WORDS = {"label": "label", "probability": "probability", "value": "value", "kind": "kind",
          "signposts": "signposts", "warning_days": "warning days", "lead_time_days": "lead time",
          "readiness": "readiness", "owner": "owner", "title": "title", "cost": "cost",
          "committed": "committed choice", "notes": "notes", "range": "range"}


def _quoted(text: Any, limit: int = 40) -> str:
    value = show(str(text), 100_000)[1:-1]  # escaped like show(), without its JSON quotes
    if len(value) > limit:
        value = value[: limit - 1] + "\u2026"
    return f"\u201c{value}\u201d"


def _thing(change: Change) -> str:
    """The node a change is about, by its label when it has one."""
    node_id = change.node if change.scope != "node" else change.id
    return _quoted(change.label) if change.label else f"node {name(node_id)}"


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return _quoted(value, 30)
    return show(value, 30)


def summarise(changes: list[Change], limit: int = 8, plan: Plan | None = None) -> list[str]:
    """The changes in words a planner reads, one line each, at most ``limit`` lines.

    ``Added “Talks collapse” under node ir_c1``, ``“Summit”: probability 0.6 → 0.7``,
    ``“Summit”: new response “Call allies”``. A children list that changed only
    because nodes were added or removed is not repeated. ``plan`` (the newer
    one) names parents by their labels.
    """
    def parent(node_id: str | None) -> str:
        node = plan.nodes.get(node_id) if plan is not None and node_id else None
        return _quoted(node.label) if node is not None and node.label else f"node {name(node_id)}"

    removed = {c.id for c in changes if c.scope == "node" and c.op == REMOVED}
    lines: list[str] = []
    for change in changes:
        if change.op == REMOVED and change.scope == "node" and change.node in removed:
            continue  # inside a removed subtree: "and what was under it"
        field = _WORDS.get(change.field or "", (change.field or "").replace("_", " "))
        if change.scope == "node":
            if change.op == ADDED:
                under = f" under {parent(change.node)}" if change.node else ""
                lines.append(f"Added {_thing(change)}{under}")
            elif change.op == REMOVED:
                lines.append(f"Removed {_thing(change)} and what was under it")
            elif change.field == "children" and change.op == CHANGED:
                continue  # said by the added / removed lines
            elif change.op == REORDERED:
                lines.append(f"{_thing(change)}: options reordered")
            else:
                lines.append(f"{_thing(change)}: {field} {_value(change.old)} \u2192 {_value(change.new)}")
        elif change.scope == "response":
            title = (change.new or change.old or {}).get("title") if change.field is None else None
            if change.op == ADDED:
                lines.append(f"{_thing(change)}: new response {_quoted(title or change.id)}")
            elif change.op == REMOVED:
                lines.append(f"{_thing(change)}: response {_quoted(title or change.id)} removed")
            else:
                lines.append(f"{_thing(change)}: response {name(change.id)}: {field} "
                             f"{_value(change.old)} \u2192 {_value(change.new)}")
        elif change.scope in ("variable", "track"):
            what = "Variable" if change.scope == "variable" else "Track"
            if change.op in (ADDED, REMOVED):
                lines.append(f"{what} {name(change.id)} {change.op}")
            else:
                lines.append(f"{what} {name(change.id)}: {field} {_value(change.old)} \u2192 "
                             f"{_value(change.new)}")
        elif change.scope == "plan":
            lines.append(f"Plan {field}: {_value(change.old)} \u2192 {_value(change.new)}")
        else:
            lines.append(format_change(change)[2:])
    if len(lines) > limit:
        rest = len(lines) - (limit - 1)
        lines = lines[: limit - 1] + [f"\u2026 and {rest} more change{'s' if rest != 1 else ''}"]
    return lines


def textconv(plan: Plan) -> str:
    """The plan as sorted, one-field-per-line text: what ``git diff`` should compare.

    Each line names its place (``node c1: probability: 0.6``), so an ordinary
    line diff of two such texts reads like :func:`format_changes`.
    """
    data = plan_to_dict(plan)
    lines = []
    for field in _fields(data, {}, skip=_PLAN_SKIP):
        lines.append(f"plan: {field}: {show(data[field], 10_000)}")
    for variable in data.get("variables", []):
        lines.append(f"variable {name(variable.get('name'))}: {show(variable, 10_000)}")
    for track in data.get("tracks", []):
        lines.append(f"track {name(track.get('id'))}: {show(track, 10_000)}")
    for node in data.get("nodes", []):
        where = f"node {name(node['id'])}"
        for field, value in node.items():
            if field == "id":
                continue
            if field in _NODE_LISTS and isinstance(value, list):
                for item in value:
                    key = item.get(_NODE_LISTS[field]) if isinstance(item, dict) else None
                    lines.append(f"{where}: {field} {name(key)}: {show(item, 10_000)}")
            else:
                lines.append(f"{where}: {field}: {show(value, 10_000)}")
    return "\n".join(lines) + "\n"
