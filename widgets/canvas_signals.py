"""The tree canvas's answers to the Document's signals (a mixin of TreeCanvas).

A new plan or track lays out again and fits; a new evaluation redraws the
figures only; a field edit restyles the nodes it names; a structural edit
re-numbers the layout from the previous one (``rebuild(touched=...)``); a
selection made elsewhere unfolds the collapsed nodes above it.
"""
from __future__ import annotations

from widgets.canvas_style import SPACING

#: Node fields that change no colour, shape or badge, only a label's text.
_TEXT_ONLY_FIELDS = frozenset({"label", "notes", "signposts", "title", "owner", "trigger"})


class CanvasSignals:
    """Needs TreeCanvas's ``document``, ``layout_data``, ``rebuild``, ``restyle``,
    ``update_labels`` and view helpers."""

    # -- document signals ------------------------------------------------
    def _plan_replaced(self) -> None:
        self.rename_edit.hide()
        self._codes.clear()
        self.rebuild(fit=True)

    def _evaluated(self, _result) -> None:
        if self.layout_data is None or self._styled_with is self.document.result:
            return  # already drawn with these numbers (the edit's redraw saw them)
        self._draw_edges_and_nodes()  # only the figures changed: kinds and badges stay
        self.update_labels()

    def _track_changed(self, _track_id: str) -> None:
        if self._built_for != (self.document.plan, self._root_id()):
            self.rename_edit.hide()
            self.rebuild(fit=True)

    def _collapsed_changed(self, node_id: str, collapsed: bool) -> None:
        layout = self.layout_data
        if layout is None or node_id not in layout.index:
            return
        i = layout.index[node_id]
        if bool(layout.hidden_children[i]) == collapsed or (collapsed and not layout.child_count[i]):
            return  # already drawn that way
        self.rebuild(keep=(node_id, (float(layout.x[i]), float(layout.y[i]))))
        # The node keeps its place on screen; if its label (or, once smaller,
        # the whole tree) would be cut off at an edge, pan just enough.
        layout = self.layout_data
        xmin, ymin, xmax, ymax = layout.bounds()
        rect = self.view_box.viewRect()
        room = SPACING[self.orientation][1] * 0.9  # the root's label sits before it
        tree = [xmin - room, ymin, xmax, ymax] if self.orientation == "lr" else [xmin, ymin - room, xmax, ymax]
        if tree[2] - tree[0] <= rect.width() and tree[3] - tree[1] <= rect.height():
            self._pan_to_show(tree, margin=0.0)
        else:
            self.ensure_visible(node_id)
        self.update_labels()

    def _document_changed(self, change) -> None:
        kind = getattr(change, "kind", "structure")
        for node_id in getattr(change, "node_ids", ()) or ():
            self._codes.pop(node_id, None)  # its kind, path or responses may have changed
        if kind == "reset" and self._built_for == (self.document.plan, self._root_id()):
            return  # planReplaced already redrew this plan
        track = getattr(change, "track_id", None)
        plan = self.document.plan
        if track and plan is not None and plan.tracks:
            current = self.document.current_track_id or plan.tracks[0].id
            if track != current:
                return  # another track changed: nothing of ours moved
        if kind == "plan":
            self.update_labels()  # the value unit; numbers come with the evaluation
        elif kind in ("node", "responses"):
            fields = set(getattr(change, "fields", ()) or ())
            if fields and fields <= _TEXT_ONLY_FIELDS:
                self.update_labels()  # a rename: no colour or shape changes
            else:
                self.restyle(getattr(change, "node_ids", None))
        else:
            whole = self._tree_in_view()
            self.rebuild(touched=tuple(getattr(change, "node_ids", ()) or ()) if kind == "structure" else None)
            if whole:
                # A tree that was all in view stays so while it grows (up to
                # a readable level width): nodes added by Tab never push the
                # root off-screen.
                self.fit(whole=False)

    def _selection_changed(self, node_id: str) -> None:
        layout = self.layout_data
        if layout is None:
            return
        if node_id and node_id not in layout.index and node_id in self.document.plan.nodes:
            # Selected elsewhere (outline, search) inside a collapsed subtree: unfold to it.
            folded = set(self.document.collapsed())
            ancestors = [a for a in self.document.plan.path_to(node_id)[:-1] if a in folded]
            for ancestor in ancestors:
                self.document.set_collapsed(ancestor, False)
            if ancestors:
                self.rebuild()
        self._draw_selection()
        if node_id:
            self.ensure_visible(node_id)
        self.update_labels()
