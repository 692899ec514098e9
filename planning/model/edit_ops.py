"""The reversible primitive operations edits are made of, and the child -> parent map they keep.

An :class:`~planning.model.edits.Edit` is a short list of these operations:
set an attribute, insert into a list, link a child, add or remove node entries.
Each applies and reverts exactly, node order in ``plan.nodes`` included.

Finding a node's parent needs a child -> parent map. Building one is linear in
the plan, so it is built once per plan, kept up to date by these operations,
and checked on every use (an entry is trusted only if the parent still lists
the child); a plan changed behind our back just rebuilds it.
"""
from __future__ import annotations

import weakref
from typing import Any

from planning.model.plan import Node, Plan

__all__ = ["parent_of", "track_of"]


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
