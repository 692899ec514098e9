"""Plan-level edit operations, each undoable, used by the GUI's undo commands.

Every edit function checks its arguments, applies the edit to the plan and
returns an :class:`Edit`. An ``Edit`` is a short list of reversible primitive
operations (set an attribute, insert into a list, add or remove node
entries); ``undo`` reverts them in reverse order and ``redo`` applies them
again, so after ``undo`` the plan is exactly what it was, node order in
``plan.nodes`` included. Edits keep references to the objects they touched,
never a copy of the plan, so their cost is the size of the edit.

Finding a node's parent needs a child -> parent map. Building one is linear
in the plan, so it is built once per plan, kept up to date by the edits
here, and checked on every use (an entry is trusted only if the parent
still lists the child); a plan changed behind our back just rebuilds it.
"""
from __future__ import annotations

import copy
import math
import random
import weakref
from dataclasses import dataclass
from typing import Any

from planning.model.fields import exact, is_number, number_from_text
from planning.model.plan import (
    CHANCE, DECISION, KINDS, MAX_READINESS, OBJECTIVES, PATHS, RULES, TERMINAL,
    Criterion, Node, Plan, Response, Track, Variable,
)

STRUCTURE, NODE, RESPONSES, TRACKS, PLAN, RESET = (
    "structure", "node", "responses", "tracks", "plan", "reset")
FRAGMENT_MIME = "application/x-branchwise-fragment"

NODE_FIELDS = ("label", "kind", "payoff", "probability", "probability_range",
               "payoff_range", "path", "signposts", "warning_days", "notes",
               "committed", "variables", "payoff2", "payoff2_range")
RESPONSE_FIELDS = ("title", "owner", "trigger", "readiness", "lead_time_days",
                   "cost", "effect", "notes")
PLAN_FIELDS = ("title", "description", "objective", "value_unit", "variables",
               "rule", "criteria", "weight", "weight_range")
#: Free-text fields: consecutive edits of one of these on the same object
#: merge into one undo step (typing a label is one step, not one per key).
TEXT_FIELDS = frozenset({"label", "notes", "title", "owner", "trigger",
                         "description", "value_unit"})
#: Node fields whose value never changes a number (no re-evaluation needed).
COSMETIC_NODE_FIELDS = frozenset({"label", "notes", "signposts"})
COSMETIC_RESPONSE_FIELDS = frozenset({"title", "owner", "trigger", "notes"})


@dataclass(frozen=True)
class Change:
    """What an edit touched, so that views redraw only what they must.

    ``kind`` is one of "structure" (nodes added, removed or moved: re-layout),
    "node" (fields of ``node_ids``), "responses", "tracks", "plan" (plan-level
    fields) or "reset" (the whole plan was replaced). ``track_id`` is None
    when the edit may touch several tracks. ``fields`` names the changed
    fields where that is known.
    """

    kind: str
    track_id: str | None
    node_ids: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


# -- the child -> parent map ------------------------------------------------
_parent_maps: dict[int, tuple[weakref.ref, dict[str, str]]] = {}


def _cached_parents(plan: Plan) -> dict[str, str] | None:
    entry = _parent_maps.get(id(plan))
    if entry is not None and entry[0]() is plan:
        return entry[1]
    return None


def _build_parents(plan: Plan) -> dict[str, str]:
    mapping = plan.parents()
    key = id(plan)
    _parent_maps[key] = (weakref.ref(plan, lambda _r, k=key: _parent_maps.pop(k, None)), mapping)
    return mapping


#: Ids made here are the prefix and this many characters drawn at random, so
#: two copies of a plan (two clones, a branch and main) that each add a node
#: or response do not pick the same id: a merge then has nothing to rename.
#: 31**5 (about 28.6 million) per prefix: two copies adding 100 ids each
#: collide with a chance of about 1 in 3,000; they are still short to read.
ID_CHARS = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i to misread
ID_LENGTH = 5
_id_random = random.SystemRandom()
_id_counters: dict[int, tuple[weakref.ref, set[str]]] = {}


def _used_ids(plan: Plan) -> set[str]:
    """Every node and response id of the plan, cached per plan (ids handed
    out are added, so an id freed by an undo is not handed out again)."""
    entry = _id_counters.get(id(plan))
    if entry is None or entry[0]() is not plan:
        used = set(plan.nodes) | {r.id for n in plan.nodes.values() for r in n.responses}
        key = id(plan)
        entry = (weakref.ref(plan, lambda _r, k=key: _id_counters.pop(k, None)), used)
        _id_counters[key] = entry
    return entry[1]


def random_id(prefix: str = "n", taken: set[str] | frozenset = frozenset()) -> str:
    """``prefix`` and :data:`ID_LENGTH` random characters, not in ``taken``."""
    while True:
        candidate = prefix + "".join(_id_random.choice(ID_CHARS) for _ in range(ID_LENGTH))
        if candidate not in taken:
            return candidate


def new_id(plan: Plan, prefix: str = "n") -> str:
    """A fresh node or response id unused in the plan ("n" + 5 random
    characters, e.g. ``n7kq2m``): random rather than counted so that ids made
    independently in two copies of a plan do not collide (see
    :data:`ID_LENGTH`). O(1) amortised on large plans."""
    used = _used_ids(plan)
    while True:
        candidate = random_id(prefix, used)
        # The cache may predate ids added by other code paths: check the plan too.
        if candidate not in plan.nodes:
            used.add(candidate)
            return candidate
        used.add(candidate)


def parent_of(plan: Plan, node_id: str) -> str | None:
    """The id of the node whose children hold ``node_id`` (None for a root).

    Parameters
    ----------
    plan : Plan
    node_id : str

    Returns
    -------
    str or None
        The parent id; None for track roots and orphans.
    """
    mapping = _cached_parents(plan)
    if mapping is not None:
        parent = mapping.get(node_id)
        if parent is not None and parent in plan.nodes and node_id in plan.nodes[parent].children:
            return parent
        if parent is None and any(t.root == node_id for t in plan.tracks):
            return None
    return _build_parents(plan).get(node_id)


def track_of(plan: Plan, node_id: str) -> str | None:
    """The id of the track holding ``node_id``, walking up the parent map."""
    seen: set[str] = set()
    current = node_id
    while current not in seen:
        seen.add(current)
        up = parent_of(plan, current)
        if up is None:
            break
        current = up
    for track in plan.tracks:
        if track.root == current:
            return track.id
    return None


def _set_parent(plan: Plan, child: str, parent: str | None) -> None:
    mapping = _cached_parents(plan)
    if mapping is None:
        return
    if parent is None:
        mapping.pop(child, None)
    else:
        mapping[child] = parent


# -- primitive reversible operations -----------------------------------------
class _Op:
    def apply(self, plan: Plan) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def revert(self, plan: Plan) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class _Inverse(_Op):
    """The opposite of an operation: remove what it inserts and so on."""

    def __init__(self, op: _Op):
        self.op = op

    def apply(self, plan: Plan) -> None:
        self.op.revert(plan)

    def revert(self, plan: Plan) -> None:
        self.op.apply(plan)


class _SetAttr(_Op):
    def __init__(self, obj: Any, name: str, old: Any, new: Any):
        self.obj, self.name, self.old, self.new = obj, name, old, new

    def apply(self, plan: Plan) -> None:
        setattr(self.obj, self.name, self.new)

    def revert(self, plan: Plan) -> None:
        setattr(self.obj, self.name, self.old)


class _ListInsert(_Op):
    """Insert ``item`` at ``index`` of a list held by ``owner.name``."""

    def __init__(self, owner: Any, name: str, index: int, item: Any):
        self.owner, self.name, self.index, self.item = owner, name, index, item

    def apply(self, plan: Plan) -> None:
        getattr(self.owner, self.name).insert(self.index, self.item)

    def revert(self, plan: Plan) -> None:
        del getattr(self.owner, self.name)[self.index]


class _Link(_Op):
    """Insert ``child`` at ``index`` of the children of node ``parent``."""

    def __init__(self, parent: str, index: int, child: str):
        self.parent, self.index, self.child = parent, index, child

    def apply(self, plan: Plan) -> None:
        plan.nodes[self.parent].children.insert(self.index, self.child)
        _set_parent(plan, self.child, self.parent)

    def revert(self, plan: Plan) -> None:
        del plan.nodes[self.parent].children[self.index]
        _set_parent(plan, self.child, None)


class _AddNodes(_Op):
    """Append node entries at the end of ``plan.nodes`` (revert deletes them)."""

    def __init__(self, nodes: list[Node]):
        self.nodes = nodes

    def apply(self, plan: Plan) -> None:
        for node in self.nodes:
            plan.nodes[node.id] = node
            for child in node.children:
                _set_parent(plan, child, node.id)

    def revert(self, plan: Plan) -> None:
        for node in reversed(self.nodes):
            del plan.nodes[node.id]
            for child in node.children:
                _set_parent(plan, child, None)


class _DeleteNodes(_Op):
    """Delete node entries, remembering where each stood in ``plan.nodes``."""

    def __init__(self, plan: Plan, ids: list[str]):
        wanted = set(ids)
        # One pass over the keys finds every position; the list of removed
        # (position, node) pairs is all the memory undo needs.
        self.placed: list[tuple[int, Node]] = [
            (pos, plan.nodes[key]) for pos, key in enumerate(plan.nodes) if key in wanted]

    def apply(self, plan: Plan) -> None:
        for _, node in self.placed:
            del plan.nodes[node.id]
            for child in node.children:
                _set_parent(plan, child, None)

    def revert(self, plan: Plan) -> None:
        first = self.placed[0][0] if self.placed else 0
        if first >= len(plan.nodes):
            # They were the last entries: appending restores the order.
            for _, node in self.placed:
                plan.nodes[node.id] = node
        else:
            # Slices copy the untouched runs at C speed: O(k) Python steps.
            items = list(plan.nodes.items())
            merged: list[tuple[str, Node]] = []
            start = 0
            for pos, node in self.placed:
                need = pos - len(merged)
                merged.extend(items[start:start + need])
                start += need
                merged.append((node.id, node))
            merged.extend(items[start:])
            plan.nodes.clear()
            plan.nodes.update(merged)
        for _, node in self.placed:
            for child in node.children:
                _set_parent(plan, child, node.id)


# -- the edit object ---------------------------------------------------------
@dataclass
class Edit:
    """An applied edit: ``undo(plan)`` reverts it, ``redo(plan)`` applies it again.

    ``created_id`` is the id of the node, response or track the edit made,
    if any. ``merge_key`` is set for edits of free-text fields; two
    consecutive edits with the same key merge into one.
    """

    text: str
    change: Change
    ops: list[_Op]
    created_id: str | None = None
    merge_key: tuple | None = None

    def redo(self, plan: Plan) -> None:
        """Apply the edit (again) to ``plan``, which must be as before the edit."""
        for op in self.ops:
            op.apply(plan)

    def undo(self, plan: Plan) -> None:
        """Revert the edit; ``plan`` must be as right after the edit."""
        for op in reversed(self.ops):
            op.revert(plan)

    def merge(self, later: "Edit") -> bool:
        """Absorb the next edit of the same text field; False if it is another kind."""
        if self.merge_key is None or later.merge_key != self.merge_key:
            return False
        mine, theirs = self.ops[0], later.ops[0]
        assert isinstance(mine, _SetAttr) and isinstance(theirs, _SetAttr)
        mine.new = theirs.new
        return True

    def is_noop(self) -> bool:
        """True for a merged field edit that ended where it started."""
        return (len(self.ops) == 1 and isinstance(self.ops[0], _SetAttr)
                and self.ops[0].old == self.ops[0].new)


def _apply(edit: Edit, plan: Plan) -> Edit:
    edit.redo(plan)
    return edit


def _node(plan: Plan, node_id: str) -> Node:
    try:
        return plan.nodes[node_id]
    except KeyError:
        raise ValueError(f"no node {node_id!r}") from None


# -- typed field values ------------------------------------------------------
def _as_float(value: Any, name: str, minimum: float | None = None) -> float:
    """A finite number, read as planning.model.fields reads numbers (an int beyond
    2**53 keeps its digits, as loading keeps them)."""
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    try:
        if isinstance(value, str):
            number = number_from_text(value)
        elif type(value) is int:
            number = exact(value)
        else:
            number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name}: expected a number, got {value!r}") from None
    if not is_number(number):
        raise ValueError(f"{name}: must be finite")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name}: must be at least {minimum:g}")
    return number


def _as_optional_float(value: Any, name: str, minimum: float | None = None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _as_float(value, name, minimum)


def _as_value(value: Any, name: str, allow_none: bool) -> float | str | None:
    """A number, an expression string or "#", as written in the plan."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        return 0.0
    if isinstance(value, str):
        text = value.strip()
        try:
            return _as_float(text, name)
        except ValueError:
            return text  # an expression or "#": checked by validation
    return _as_float(value, name)


def _as_range(value: Any, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        low, high = value
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected [low, high]") from None
    low, high = _as_float(low, name), _as_float(high, name)
    if low > high:
        raise ValueError(f"{name}: low {low:g} is above high {high:g}")
    return (low, high)


def _as_text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected text, got {type(value).__name__}")
    return value


def _as_variables(value: Any, name: str) -> list[Variable]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, Variable) for v in value):
        raise ValueError(f"{name}: expected a list of Variable")
    return copy.deepcopy(list(value))


def _node_value(plan: Plan, node: Node, name: str, value: Any) -> Any:
    if name in ("label", "notes"):
        return _as_text(value, name)
    if name == "kind":
        if value not in KINDS:
            raise ValueError(f"kind: must be one of {', '.join(KINDS)}")
        if value == TERMINAL and node.children:
            raise ValueError("kind: a node with children cannot be a terminal")
        return value
    if name in ("payoff", "payoff2"):
        return _as_value(value, name, allow_none=False)
    if name == "probability":
        return _as_value(value, name, allow_none=True)
    if name in ("probability_range", "payoff_range", "payoff2_range"):
        return _as_range(value, name)
    if name == "path":
        if value in (None, ""):
            return None
        if value not in PATHS:
            raise ValueError(f"path: must be one of {', '.join(PATHS)}")
        return value
    if name == "signposts":
        if isinstance(value, str) or not all(isinstance(s, str) for s in value):
            raise ValueError("signposts: expected a list of text")
        return list(value)
    if name == "warning_days":
        return _as_optional_float(value, name, minimum=0.0)
    if name == "committed":
        if value in (None, ""):
            return None
        if value not in node.children:
            raise ValueError(f"committed: {value!r} is not an option of {node.id}")
        return value
    if name == "variables":
        return _as_variables(value, name)
    raise ValueError(f"unknown node field {name!r}")


def _response_value(name: str, value: Any) -> Any:
    if name in ("title", "owner", "trigger", "notes"):
        return _as_text(value, name)
    if name == "readiness":
        level = _as_float(value, name, minimum=0.0)
        if level != int(level) or level > MAX_READINESS:
            raise ValueError(f"readiness: must be a whole level 0..{MAX_READINESS}")
        return int(level)
    if name == "lead_time_days":
        return _as_optional_float(value, name, minimum=0.0)
    if name in ("cost", "effect"):
        return _as_float(value, name)
    raise ValueError(f"unknown response field {name!r}")


def _plan_value(name: str, value: Any) -> Any:
    if name in ("title", "description", "value_unit"):
        return _as_text(value, name)
    if name == "objective":
        if value not in OBJECTIVES:
            raise ValueError(f"objective: must be one of {', '.join(OBJECTIVES)}")
        return value
    if name == "variables":
        return _as_variables(value, name)
    if name == "rule":
        if value not in RULES:
            raise ValueError(f"rule: must be one of {', '.join(RULES)}")
        return value
    if name == "criteria":
        return _as_criteria(value)
    if name == "weight":
        weight = _as_float(value, name, minimum=0.0) if not _is_infinity(value) else math.inf
        return weight
    if name == "weight_range":
        if value is None:
            return None
        low, high = (math.inf if _is_infinity(v) else _as_float(v, name, minimum=0.0) for v in value)
        if low > high:
            raise ValueError("weight_range: low is above high")
        return (low, high)
    raise ValueError(f"unknown plan field {name!r}")


def _is_infinity(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("infinity", "inf")
    return isinstance(value, float) and value == math.inf


def _as_criteria(value: Any) -> list:
    """One or two criteria (copies), each with a name and a sense."""
    if not isinstance(value, (list, tuple)) or len(value) > 2:
        raise ValueError("criteria: expected a list of at most two criteria")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, Criterion):
            raise ValueError(f"criteria[{i}]: expected a criterion")
        if not item.name.strip():
            raise ValueError(f"criteria[{i}].name: a criterion needs a name")
        if item.sense not in OBJECTIVES:
            raise ValueError(f"criteria[{i}].sense: must be one of {', '.join(OBJECTIVES)}")
        out.append(Criterion(item.name.strip(), item.sense, item.unit.strip(), dict(item.extra)))
    return out


# -- node edits --------------------------------------------------------------
def _kind_with_children(plan: Plan, node: Node) -> str:
    """The kind ``node`` takes once it has children: a terminal turns into a
    decision at a track root and into a chance node elsewhere."""
    if node.kind != TERMINAL:
        return node.kind
    return DECISION if any(t.root == node.id for t in plan.tracks) else CHANCE


def _insert_subtree_ops(plan: Plan, parent_id: str, nodes: list[Node], index: int | None,
                        ops: list[_Op]) -> None:
    """Ops that add ``nodes`` (root first) under ``parent_id`` at ``index``.

    A terminal parent becomes a node that can have children: a decision at a
    track root, a chance node elsewhere.
    """
    parent = plan.nodes[parent_id]
    kind = _kind_with_children(plan, parent)
    if kind != parent.kind:
        ops.append(_SetAttr(parent, "kind", parent.kind, kind))
    if kind == CHANCE and nodes[0].probability is None:
        nodes[0].probability = "#"  # a fresh object: no undo needed
    position = len(parent.children) if index is None else max(0, min(index, len(parent.children)))
    ops.append(_AddNodes(nodes))
    ops.append(_Link(parent_id, position, nodes[0].id))


def add_child(plan: Plan, parent_id: str, kind: str = TERMINAL, label: str = "",
              index: int | None = None) -> Edit:
    """Add a new node under ``parent_id`` (last, or at ``index``).

    A child of a chance node gets probability "#" (shares the remainder).
    A terminal parent becomes a chance node (a decision when it is a root).

    Returns
    -------
    Edit
        ``created_id`` is the new node's id.
    """
    _node(plan, parent_id)  # raises KeyError for an unknown parent
    if kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}")
    child = Node(id=new_id(plan), kind=kind, label=_as_text(label, "label"))
    ops: list[_Op] = []
    _insert_subtree_ops(plan, parent_id, [child], index, ops)
    change = Change(STRUCTURE, track_of(plan, parent_id), (parent_id, child.id))
    return _apply(Edit("Add child", change, ops, created_id=child.id), plan)


def add_sibling(plan: Plan, node_id: str, kind: str | None = None, label: str = "") -> Edit:
    """Add a new node right after ``node_id`` under the same parent.

    ``kind`` defaults to terminal; a new branch of a chance node gets "#".
    """
    _node(plan, node_id)
    parent_id = parent_of(plan, node_id)
    if parent_id is None:
        raise ValueError(f"{node_id} is a track root: it has no siblings")
    index = plan.nodes[parent_id].children.index(node_id) + 1
    return add_child(plan, parent_id, kind or TERMINAL, label, index=index)


def remove_subtree(plan: Plan, node_id: str) -> Edit:
    """Remove ``node_id`` and everything under it (a track root cannot go)."""
    _node(plan, node_id)
    parent_id = parent_of(plan, node_id)
    if parent_id is None:
        raise ValueError(f"{node_id} is a track root: remove the track instead")
    parent = plan.nodes[parent_id]
    track_id = track_of(plan, parent_id)
    ops: list[_Op] = []
    if parent.committed == node_id:
        ops.append(_SetAttr(parent, "committed", node_id, None))
    ops.append(_Inverse(_Link(parent_id, parent.children.index(node_id), node_id)))
    ops.append(_DeleteNodes(plan, plan.subtree_ids(node_id)))
    change = Change(STRUCTURE, track_id, (parent_id, node_id))
    return _apply(Edit("Delete", change, ops), plan)


def set_node_field(plan: Plan, node_id: str, name: str, value: Any) -> Edit:
    """Set one field of a node to a checked, typed value.

    Numbers may come as text ("12.5"); other text in payoff or probability
    is kept as an expression. Raises ValueError for an unknown field or a
    bad value (e.g. kind terminal on a node that has children).
    """
    node = _node(plan, node_id)
    if name not in NODE_FIELDS:
        raise ValueError(f"unknown node field {name!r}")
    new = _node_value(plan, node, name, value)
    ops: list[_Op] = [_SetAttr(node, name, getattr(node, name), new)]
    change = Change(NODE, track_of(plan, node_id), (node_id,), (name,))
    key = ("node", node_id, name) if name in TEXT_FIELDS else None
    return _apply(Edit(f"Set {name.replace('_', ' ')}", change, ops, merge_key=key), plan)


def move_subtree(plan: Plan, node_id: str, new_parent_id: str, index: int) -> Edit:
    """Move ``node_id`` with its subtree to position ``index`` under ``new_parent_id``.

    ``index`` counts the new parent's children without the moved node.
    Moving a node into its own subtree or moving a track root is refused.
    """
    _node(plan, node_id)
    _node(plan, new_parent_id)
    old_parent_id = parent_of(plan, node_id)
    if old_parent_id is None:
        raise ValueError(f"{node_id} is a track root and cannot be moved")
    if any(n.id == new_parent_id for n in plan.walk(node_id)):
        raise ValueError(f"cannot move {node_id} into its own subtree")
    old_parent = plan.nodes[old_parent_id]
    ops: list[_Op] = []
    if old_parent.committed == node_id and old_parent_id != new_parent_id:
        ops.append(_SetAttr(old_parent, "committed", node_id, None))
    ops.append(_Inverse(_Link(old_parent_id, old_parent.children.index(node_id), node_id)))
    new_parent = plan.nodes[new_parent_id]
    new_kind = _kind_with_children(plan, new_parent)
    if new_kind != new_parent.kind:
        ops.append(_SetAttr(new_parent, "kind", new_parent.kind, new_kind))
    moved = plan.nodes[node_id]
    if new_kind == CHANCE and moved.probability is None:
        ops.append(_SetAttr(moved, "probability", None, "#"))
    remaining = len(new_parent.children) - (1 if new_parent_id == old_parent_id else 0)
    ops.append(_Link(new_parent_id, max(0, min(index, remaining)), node_id))
    old_track, new_track = track_of(plan, old_parent_id), track_of(plan, new_parent_id)
    change = Change(STRUCTURE, old_track if old_track == new_track else None,
                    (old_parent_id, new_parent_id, node_id))
    return _apply(Edit("Move", change, ops), plan)


# -- responses ---------------------------------------------------------------
def _response_index(node: Node, response_id: str) -> int:
    for i, response in enumerate(node.responses):
        if response.id == response_id:
            return i
    raise ValueError(f"node {node.id} has no response {response_id!r}")


def add_response(plan: Plan, node_id: str, title: str = "", index: int | None = None) -> Edit:
    """Add an empty response (readiness 0) to ``node_id``; ``created_id`` is its id."""
    node = _node(plan, node_id)
    response = Response(id=new_id(plan, "r"), title=_as_text(title, "title"))
    position = len(node.responses) if index is None else max(0, min(index, len(node.responses)))
    change = Change(RESPONSES, track_of(plan, node_id), (node_id,))
    ops: list[_Op] = [_ListInsert(node, "responses", position, response)]
    return _apply(Edit("Add response", change, ops, created_id=response.id), plan)


def remove_response(plan: Plan, node_id: str, response_id: str) -> Edit:
    """Remove one response of ``node_id``."""
    node = _node(plan, node_id)
    i = _response_index(node, response_id)
    change = Change(RESPONSES, track_of(plan, node_id), (node_id,))
    ops: list[_Op] = [_Inverse(_ListInsert(node, "responses", i, node.responses[i]))]
    return _apply(Edit("Remove response", change, ops), plan)


def move_response(plan: Plan, node_id: str, response_id: str, index: int) -> Edit:
    """Move a response to ``index`` in its node's list (counted without it)."""
    node = _node(plan, node_id)
    i = _response_index(node, response_id)
    response = node.responses[i]
    target = max(0, min(index, len(node.responses) - 1))
    change = Change(RESPONSES, track_of(plan, node_id), (node_id,))
    ops: list[_Op] = [_Inverse(_ListInsert(node, "responses", i, response)),
                      _ListInsert(node, "responses", target, response)]
    return _apply(Edit("Move response", change, ops), plan)


def set_response_field(plan: Plan, node_id: str, response_id: str, name: str, value: Any) -> Edit:
    """Set one field of a response (title, owner, trigger, readiness 0..4, ...)."""
    node = _node(plan, node_id)
    response = node.responses[_response_index(node, response_id)]
    if name not in RESPONSE_FIELDS:
        raise ValueError(f"unknown response field {name!r}")
    new = _response_value(name, value)
    change = Change(RESPONSES, track_of(plan, node_id), (node_id,), (name,))
    ops: list[_Op] = [_SetAttr(response, name, getattr(response, name), new)]
    key = ("response", node_id, response_id, name) if name in TEXT_FIELDS else None
    return _apply(Edit(f"Set response {name.replace('_', ' ')}", change, ops, merge_key=key), plan)


# -- clipboard fragments -----------------------------------------------------
def fragment_to_text(plan: Plan, root_id: str) -> str:
    """The subtree under ``root_id`` as fragment JSON text (for the clipboard)."""
    from planning.files.planfile import fragment_to_text as to_text

    return to_text(plan, root_id)


def fragment_from_text(text: str) -> tuple[list[Node], str]:
    """Parse fragment text: (nodes, root id). Raises ValueError if it is not one."""
    from planning.files.planfile import fragment_from_text as from_text

    return from_text(text)


def _fresh_ids(plan: Plan, prefix: str, count: int, taken: set[str]) -> list[str]:
    """``count`` fresh ids unused in the plan, made the way :func:`new_id` makes them."""
    out = []
    for _ in range(count):
        candidate = new_id(plan, prefix)
        while candidate in taken:
            candidate = new_id(plan, prefix)
        out.append(candidate)
    taken.update(out)
    return out


def paste_fragment(plan: Plan, parent_id: str, text: str, index: int | None = None) -> Edit:
    """Paste a fragment under ``parent_id`` with fresh node and response ids.

    Only nodes reachable from the fragment's root are pasted; children that
    name nodes outside the fragment are dropped. ``created_id`` is the id of
    the pasted root.
    """
    _node(plan, parent_id)
    nodes, root = fragment_from_text(text)
    by_id = {n.id: n for n in nodes}
    if root not in by_id:
        raise ValueError("fragment: its root is not among its nodes")
    order: list[Node] = []
    seen: set[str] = set()
    stack = [root]
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in by_id:
            continue
        seen.add(node_id)
        order.append(by_id[node_id])
        stack.extend(reversed(by_id[node_id].children))
    taken: set[str] = set()
    new_ids = dict(zip((n.id for n in order), _fresh_ids(plan, "n", len(order), taken)))
    response_count = sum(len(n.responses) for n in order)
    response_ids = iter(_fresh_ids(plan, "r", response_count, taken))
    fresh: list[Node] = []
    for node in order:
        clone = copy.deepcopy(node)
        clone.id = new_ids[node.id]
        clone.children = [new_ids[c] for c in node.children if c in new_ids]
        clone.committed = new_ids.get(node.committed) if node.committed else None
        for response in clone.responses:
            response.id = next(response_ids)
        fresh.append(clone)
    ops: list[_Op] = []
    _insert_subtree_ops(plan, parent_id, fresh, index, ops)
    change = Change(STRUCTURE, track_of(plan, parent_id), (parent_id, fresh[0].id))
    return _apply(Edit("Paste", change, ops, created_id=fresh[0].id), plan)


# -- tracks and plan fields --------------------------------------------------
def _track_index(plan: Plan, track_id: str) -> int:
    for i, track in enumerate(plan.tracks):
        if track.id == track_id:
            return i
    raise ValueError(f"no track {track_id!r}")


def add_track(plan: Plan, title: str, index: int | None = None) -> Edit:
    """Add a track whose tree is a single decision root named like the track."""
    title = _as_text(title, "title")
    root = Node(id=new_id(plan), kind=DECISION, label=title)
    # Random like node ids: two copies adding a track must not both make "track2".
    track = Track(id=random_id("track", {t.id for t in plan.tracks}), title=title, root=root.id)
    position = len(plan.tracks) if index is None else max(0, min(index, len(plan.tracks)))
    ops: list[_Op] = [_AddNodes([root]), _ListInsert(plan, "tracks", position, track)]
    return _apply(Edit("Add track", Change(TRACKS, track.id, (root.id,)), ops,
                       created_id=track.id), plan)


def rename_track(plan: Plan, track_id: str, title: str) -> Edit:
    """Change a track's title."""
    track = plan.tracks[_track_index(plan, track_id)]
    ops: list[_Op] = [_SetAttr(track, "title", track.title, _as_text(title, "title"))]
    return _apply(Edit("Rename track", Change(TRACKS, track_id), ops,
                       merge_key=("track", track_id, "title")), plan)


def remove_track(plan: Plan, track_id: str) -> Edit:
    """Remove a track and all the nodes of its tree."""
    i = _track_index(plan, track_id)
    track = plan.tracks[i]
    ops: list[_Op] = [_Inverse(_ListInsert(plan, "tracks", i, track))]
    if track.root in plan.nodes:
        ops.append(_DeleteNodes(plan, plan.subtree_ids(track.root)))
    return _apply(Edit("Remove track", Change(TRACKS, track_id), ops), plan)


def move_track(plan: Plan, track_id: str, index: int) -> Edit:
    """Move a track to ``index`` in the track order (counted without it)."""
    i = _track_index(plan, track_id)
    track = plan.tracks[i]
    target = max(0, min(index, len(plan.tracks) - 1))
    ops: list[_Op] = [_Inverse(_ListInsert(plan, "tracks", i, track)),
                      _ListInsert(plan, "tracks", target, track)]
    return _apply(Edit("Move track", Change(TRACKS, track_id), ops), plan)


def set_plan_field(plan: Plan, name: str, value: Any) -> Edit:
    """Set a plan-level field: title, description, objective, value_unit, variables."""
    if name not in PLAN_FIELDS:
        raise ValueError(f"unknown plan field {name!r}")
    new = _plan_value(name, value)
    ops: list[_Op] = [_SetAttr(plan, name, getattr(plan, name), new)]
    key = ("plan", name) if name in TEXT_FIELDS else None
    return _apply(Edit(f"Set plan {name.replace('_', ' ')}", Change(PLAN, None, (), (name,)),
                       ops, merge_key=key), plan)
