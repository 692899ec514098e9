"""Row signals for structural edits of the outline model (a mixin of PlanTreeModel).

A structural ``Change`` names the parents whose children changed. One node
added or removed under one parent becomes ``rowsInserted`` / ``rowsRemoved``,
a moved subtree ``rowsMoved``: views keep their expansion, selection and
scroll position, and nothing walks the whole track. Anything else makes the
model reset (``_update_rows`` returns False).
"""
from __future__ import annotations


class RowUpdates:
    """Needs ``_document``, ``_built_for``, ``_children_of``, ``_row_of``,
    ``_parent_of``, ``index_of`` and ``node_changed`` of PlanTreeModel."""

    def _update_rows(self, node_ids) -> bool:
        """Apply a one-row insertion, removal or move as row signals.

        A new node (or an undone deletion) becomes ``rowsInserted``, a
        deletion ``rowsRemoved``, a moved subtree ``rowsMoved``. Anything
        else (several nodes, a broken tree) returns False: the caller resets.
        """
        nodes = self._document.plan.nodes
        if self._built_for[0] != id(self._document.plan):
            return False
        changed = []
        for node_id in dict.fromkeys(node_ids):
            if node_id not in self._children_of or node_id not in nodes:
                continue  # not a shown parent: the inserted or removed node itself
            old = self._children_of[node_id]
            new = [c for c in nodes[node_id].children if c in nodes]
            if new != old:
                changed.append((node_id, old, new))
        if len(changed) == 2 or (len(changed) == 1 and len(changed[0][1]) == len(changed[0][2])):
            return self._move_row(changed)
        if len(changed) != 1:
            return False
        parent_id, old, new = changed[0]
        if len(new) == len(old) + 1:
            row = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), len(old))
            if new[:row] + new[row + 1:] != old or new[row] in self._row_of:
                return False
            return self._insert_row(parent_id, row, new)
        if len(new) == len(old) - 1:
            row = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), len(new))
            if old[:row] + old[row + 1:] != new:
                return False
            self._remove_row(parent_id, row, new)
            return True
        return False

    def _move_row(self, changed: list) -> bool:
        """A subtree moved (under the same or another shown parent): ``rowsMoved``."""
        if len(changed) == 1:
            parent_id, old, new = changed[0]
            if sorted(old) != sorted(new):
                return False
            # the one node whose removal makes both lists agree
            moved = next((c for c in old if [x for x in old if x != c] == [x for x in new if x != c]), None)
            if moved is None:
                return False
            source, target = (parent_id, old, [x for x in old if x != moved]), (parent_id, old, new)
        else:
            (a, a_old, a_new), (b, b_old, b_new) = changed
            if len(a_new) == len(a_old) - 1 and len(b_new) == len(b_old) + 1:
                source, target = changed
            elif len(b_new) == len(b_old) - 1 and len(a_new) == len(a_old) + 1:
                target, source = changed
            else:
                return False
            lost = [c for c in source[1] if c not in source[2]]
            if len(lost) != 1 or [c for c in source[1] if c != lost[0]] != source[2]:
                return False
            moved = lost[0]
            if [c for c in target[2] if c != moved] != target[1] or moved not in target[2]:
                return False
        source_id, target_id = source[0], target[0]
        row = self._children_of[source_id].index(moved)
        to = target[2].index(moved)
        if source_id == target_id and to > row:
            to += 1  # Qt counts the destination before the row leaves
        if not self.beginMoveRows(self.index_of(source_id), row, row, self.index_of(target_id), to):
            return False
        source_kids = [c for c in self._children_of[source_id] if c != moved]
        self._children_of[source_id] = source_kids
        for k, child in enumerate(source_kids):
            self._row_of[child] = k
        target_kids = list(target[2])
        self._children_of[target_id] = target_kids
        for k, child in enumerate(target_kids):
            self._row_of[child] = k
        self._parent_of[moved] = target_id
        self.endMoveRows()
        self.node_changed(source_id)
        self.node_changed(target_id)  # a terminal parent became a chance node: new icon
        self.node_changed(moved)  # its probability may now be shown ("#")
        return True

    def _insert_row(self, parent_id: str, row: int, kids: list[str]) -> bool:
        nodes = self._document.plan.nodes
        added = kids[row]
        # the inserted subtree (an undone deletion brings a whole one back)
        subtree: dict[str, list[str]] = {}
        stack = [added]
        while stack:
            node_id = stack.pop()
            grand = []
            for child in nodes[node_id].children:
                if child in nodes and child not in subtree and child not in self._row_of and child != added:
                    grand.append(child)
            subtree[node_id] = grand
            stack.extend(grand)
        self.beginInsertRows(self.index_of(parent_id), row, row)
        self._children_of[parent_id] = kids
        for k in range(row, len(kids)):
            self._row_of[kids[k]] = k
        self._parent_of[added] = parent_id
        for node_id, grand in subtree.items():
            self._children_of[node_id] = grand
            for k, child in enumerate(grand):
                self._parent_of[child] = node_id
                self._row_of[child] = k
        self.endInsertRows()
        self.node_changed(parent_id)  # a terminal parent became a chance node: new icon
        return True

    def _remove_row(self, parent_id: str, row: int, kids: list[str]) -> None:
        removed = self._children_of[parent_id][row]
        self.beginRemoveRows(self.index_of(parent_id), row, row)
        stack = [removed]
        while stack:
            node_id = stack.pop()
            stack.extend(self._children_of.pop(node_id, ()))
            self._parent_of.pop(node_id, None)
            self._row_of.pop(node_id, None)
        self._children_of[parent_id] = kids
        for k in range(row, len(kids)):
            self._row_of[kids[k]] = k
        self.endRemoveRows()
        self.node_changed(parent_id)
