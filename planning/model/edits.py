"""Plan-level edit operations, each undoable, used by the GUI's undo commands.

Every edit function checks its arguments, applies the edit to the plan and
returns an :class:`Edit`. An ``Edit`` is a short list of reversible primitive
operations (set an attribute, insert into a list, add or remove node
entries); ``undo`` reverts them in reverse order and ``redo`` applies them
again, so after ``undo`` the plan is exactly what it was, node order in
``plan.nodes`` included. Edits keep references to the objects they touched,
never a copy of the plan, so their cost is the size of the edit.

The operations and the child -> parent map they keep are in
:mod:`planning.model.edit_ops`; the values an edit sets are checked and typed
by :mod:`planning.model.field_values`, from the field table the file reader
shares (:mod:`planning.model.fields`).
"""
from __future__ import annotations

import copy
import random
import weakref
from dataclasses import dataclass
from typing import Any

# The primitive operations and the parent map live in edit_ops; parent_of and
# track_of are part of this module's API too.
from planning.model.edit_ops import (  # noqa: F401
    _AddNodes, _DeleteNodes, _Inverse, _Link, _ListInsert, _Op, _SetAttr, parent_of, track_of,
)
from planning.model.field_values import as_text as _as_text
from planning.model.field_values import node_value as _node_value
from planning.model.field_values import plan_value as _plan_value
from planning.model.field_values import response_value as _response_value
from planning.model.plan import CHANCE, DECISION, KINDS, TERMINAL, Node, Plan, Response, Track

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
