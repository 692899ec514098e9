"""Where the tree canvas puts its labels, for each orientation.

A mixin of :class:`widgets.tree_canvas.TreeCanvas`. Which labels are
candidates and the text pool are in :mod:`widgets.canvas_labels`; here each
chosen label gets its room, its number of lines and its place.

Left to right, a label sits above its edge, from the edge's knee to its
node, as tall as the gap to the node above on its level allows (so it never
covers a neighbour's edge or label). A leaf's label may run on past its
marker, lifted clear of it, over the next level where no node is in the way.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF

from widgets.canvas_labels import LABEL_BUDGET, MAX_LABEL_WIDTH, MIN_LABEL_ROOM, choose_labels, free_after_leaf
from widgets.canvas_style import KNEE, LABEL_LIFT as _LIFT, NODE_SIZE, SELECTED_SIZE, SPACING, info_text


class LabelPlacement:
    """Label placement for the canvas (``update_labels`` calls these)."""

    def _place_labels_lr(self, rect: QRectF, px: float, py: float) -> None:
        """Labels above their edges, each as tall as the gap to the node above allows.

        A label runs from its edge's knee to its node; a leaf's may run on
        to the next level (lifted clear of its marker), and further when
        nothing is there. No label covers a neighbour's edge or label.
        """
        layout, style, pool = self.layout_data, self.style_data, self.labels
        level = SPACING["lr"][1]
        run = (1 - KNEE) * level / px - NODE_SIZE / 2 - 8  # knee to the node marker
        one_line = pool.block_height(1) + 2
        # height needed above a leaf whose label runs past its marker: lifted
        # clear of it, and below the marker of the node above
        lifted = {k: pool.block_height(k) + 2 + _LIFT + NODE_SIZE / 2 for k in (1, 2, 3)}
        gaps = self._gaps / py
        if run >= MIN_LABEL_ROOM:
            eligible = gaps >= one_line
        elif level / px - 10 >= MIN_LABEL_ROOM:  # only leaves, running past their marker, have room
            eligible = (gaps >= lifted[1]) & (layout.child_count == 0) & ~layout.hidden_children
            eligible[0] = True  # the root's label goes before it
        else:
            pool.show([])
            return
        chosen = choose_labels(
            layout, self._anchor_x, self._anchor_y, (rect.left(), rect.top(), rect.right(), rect.bottom()),
            (px, py), one_line, style.on_policy, self._selected_index(), LABEL_BUDGET, eligible=eligible,
        )
        plan = self.document.plan
        selected = self._selected_index()
        entries = []
        for i in chosen:
            node = plan.nodes[layout.ids[i]]
            gap = float(gaps[i])
            lines = 3 if gap >= pool.block_height(3) + 2 else 2 if gap >= pool.block_height(2) + 2 else 1
            x, y = float(self._anchor_x[i]), float(self._anchor_y[i])
            if layout.parent[i] < 0:
                # Left of the root, clear of its selection ring, inside the view.
                room = (x - rect.left()) / px - SELECTED_SIZE / 2 - 8
                block = self._label_block(node, i, min(MAX_LABEL_WIDTH, room), 3)
                entries.append((x - (SELECTED_SIZE / 2 + 3) * px, y, (1.0, 0.5), block[0]))
                continue
            x = float(self._starts[i]) + 4 * px
            to_edge = (rect.right() - x) / px - 4
            room = run
            if not layout.child_count[i] and not layout.hidden_children[i]:
                # A leaf's label may run on past its marker (lifted) when no node
                # of the next level is in the way.
                past = max((k for k in (1, 2, 3) if k <= lines and gap >= lifted[k]), default=0)
                if past and free_after_leaf(layout, self._levels, i, lifted[past] * py,
                                            pool.block_height(3) * py):
                    lines, room = past, 2 * level / px - 10
            text, used = self._label_block(node, i, max(MIN_LABEL_ROOM, min(room, to_edge, MAX_LABEL_WIDTH)),
                                           lines)
            # wider than the run to its marker: lifted clear of it (its box must not touch the marker)
            lift = 1.5 if used <= run else _LIFT
            if i != selected and y - (lift + pool.block_height(text.count("<br>"))) * py < rect.top():
                continue  # it would be cut by the top of the view
            entries.append((x, y - lift * py, (0.0, 1.0), text))
        pool.show(entries)

    def _label_block(self, node, i: int, width: float, lines: int) -> tuple[str, float]:
        plan, style, pool = self.document.plan, self.style_data, self.labels
        info = info_text(plan, node, style, i)
        if pool.info_metrics.horizontalAdvance(info) > width:
            info = info_text(plan, node, style, i, unit=False)  # numbers matter more
        return pool.block(node.label or node.id, info, width, lines)

    def _place_labels_tb(self, rect: QRectF, px: float, py: float) -> None:
        """Labels centred on the straight run of their edges (depth downwards)."""
        layout, style, pool = self.layout_data, self.style_data, self.labels
        sibling, level = SPACING["tb"]
        line = pool.label_metrics.height()
        along_px = (1 - KNEE) * level / py - NODE_SIZE
        lines = int(max(1, min(3, (along_px - pool.block_height(0)) // line)))
        width = min(MAX_LABEL_WIDTH * 0.7, sibling / px - 8)
        if width < MIN_LABEL_ROOM or along_px < pool.block_height(lines):
            pool.show([])
            return
        chosen = choose_labels(
            layout, self._anchor_x, self._anchor_y, (rect.left(), rect.top(), rect.right(), rect.bottom()),
            (px, py), width + 8, style.on_policy, self._selected_index(), LABEL_BUDGET,
        )
        plan = self.document.plan
        entries = []
        for i in chosen:
            text = self._label_block(plan.nodes[layout.ids[i]], i, width, lines)[0]
            x, y = float(self._anchor_x[i]), float(self._anchor_y[i])
            if layout.parent[i] < 0:
                entries.append((x, y - (SELECTED_SIZE / 2 + 3) * py, (0.5, 1.0), text))
            else:
                entries.append((x, y, (0.5, 0.5), text))
        pool.show(entries)
