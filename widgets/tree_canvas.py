"""The tree canvas: one track of the plan drawn as a zoomable tidy tree.

Drawing is built for big trees: ONE scatter item holds every node, one
``connect="pairs"`` curve per edge style holds every edge of that style
(success / failure / neutral branches, decision options, each thin or bold
when on the best policy), one scatter holds the readiness badges and one the
"collapsed" marks. Only labels are individual items, and only a bounded pool
of them, re-chosen (throttled) when the view moves. Hit testing is done on
the position arrays with numpy, never by asking Qt for items.

The canvas never edits the plan: it calls the Document (select, collapse,
rename) and redraws from the Document's signals.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QKeyEvent

from planning.layout import TreeLayout, layout_track
from planning.model import Plan
from widgets import palette
from widgets.canvas_labels import (
    LABEL_BUDGET, MAX_LABEL_WIDTH, MIN_LABEL_ROOM, LabelPool, choose_labels, label_anchors,
)
from widgets.canvas_scatter import set_styled_points
from widgets.canvas_rename import RenameEdit
from widgets.canvas_style import (
    BADGES, EDGE_STYLES, KNEE, NodeStyle, badge_positions, compute_style, edge_segments, info_text,
)

#: Layout spacing per orientation: (sibling distance, level distance) in view units.
SPACING = {"lr": (1.25, 4.5), "tb": (1.0, 1.3)}
NODE_SIZE = 14
SELECTED_SIZE = 25  # a ring around the node: readable on any fill
BADGE_SIZE = 9
HIT_RADIUS_PX = 12
#: Delay before labels are re-chosen after the view moved (throttle).
LABEL_DELAY_MS = 40
ZOOM_STEP = 1.25
#: Above this many edges, only the edges near the view are handed to Qt.
EDGE_CULL_MIN = 20_000

_SYMBOLS = {"lr": ("s", "o", "t2"), "tb": ("s", "o", "t")}
_EDGE_COLORS = {
    "option": palette.OPTION_EDGE,
    "neutral": palette.NEUTRAL,
    "success": palette.SUCCESS,
    "failure": palette.FAILURE,
}
_BADGE_SYMBOLS = {"none": "o", "late": "x", "partial": "o", "ready": "o"}


class TreeCanvas(pg.GraphicsView):
    """Zoomable drawing of the current track of a Document.

    Parameters
    ----------
    document : Document
        Provides ``plan``, ``current_track_id``, ``selected_id``, ``result``,
        ``collapsed()`` and the signals ``changed``, ``planReplaced``,
        ``selectionChanged``, ``currentTrackChanged``, ``evaluated``.
    parent : QWidget, optional
    """

    def __init__(self, document, parent=None):
        super().__init__(parent, background=palette.BACKGROUND)
        self.document = document
        self.orientation = "lr"
        self.layout_data: TreeLayout | None = None
        self.style_data: NodeStyle | None = None
        self._anchor_x = np.empty(0)
        self._edge_points: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._edges_cut_to: QRectF | None = None
        self._node_points: tuple | None = None   # x, y, style codes, data, styles
        self._badge_points: tuple | None = None
        self._nodes_cut_to: QRectF | None = None
        self._marker_scale_drawn = 1.0
        self._anchor_y = np.empty(0)
        self._press_pos: QPoint | None = None

        self.view_box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.view_box.setDefaultPadding(0.0)
        self.setCentralItem(self.view_box)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAntialiasing(True)

        self.edge_items: dict[tuple[str, bool], pg.PlotCurveItem] = {}
        for bold in (False, True):
            for name in EDGE_STYLES:
                pen = pg.mkPen(palette.qcolor(_EDGE_COLORS[name]), width=3.6 if bold else 1.3)
                # Round caps make Qt's stroker ~100x slower on big paths; square
                # caps close the notch at each edge's knee and stay fast.
                pen.setCapStyle(Qt.PenCapStyle.SquareCap if bold else Qt.PenCapStyle.FlatCap)
                item = pg.PlotCurveItem(connect="pairs", pen=pen, antialias=True, skipFiniteCheck=True)
                item.setZValue(2 if bold else 1)
                self.view_box.addItem(item)
                self.edge_items[(name, bold)] = item
        self._pen_plain = pg.mkPen(palette.qcolor(palette.NODE_OUTLINE), width=1)
        self._pen_none = pg.mkPen(None)
        self._pen_selected = pg.mkPen(palette.qcolor(palette.SELECTION), width=3)
        self.node_item = pg.ScatterPlotItem(pxMode=True, pen=self._pen_plain, size=NODE_SIZE)
        self.node_item.setZValue(10)
        # The selected node is drawn again on top, bigger and with a thick
        # pen: changing the selection then never touches the big scatter.
        self.selection_item = pg.ScatterPlotItem(pxMode=True, pen=self._pen_selected,
                                                 size=SELECTED_SIZE, brush=None)
        self.selection_item.setZValue(13)
        self.badge_item = pg.ScatterPlotItem(pxMode=True)
        self.badge_item.setZValue(11)
        self.collapse_item = pg.ScatterPlotItem(pxMode=True, symbol="+", size=9,
                                                pen=pg.mkPen("w", width=2), brush=None)
        self.collapse_item.setZValue(12)
        for item in (self.node_item, self.badge_item, self.collapse_item, self.selection_item):
            self.view_box.addItem(item)
        self.labels = LabelPool(self.view_box, LABEL_BUDGET)
        self._brushes = [pg.mkBrush(palette.qcolor(c)) for c in
                         (palette.DECISION, palette.CHANCE, palette.TERMINAL)]
        self._badge_brushes = [pg.mkBrush(palette.qcolor(palette.BADGE_COLORS[b])) for b in BADGES]
        self._badge_pens = [pg.mkPen(palette.qcolor(palette.BADGE_COLORS[b]), width=2)
                            if b == "late" else pg.mkPen("w", width=1) for b in BADGES]

        self.rename_edit = RenameEdit(self.viewport())
        self.rename_edit.hide()
        self.rename_edit.committed.connect(self._commit_rename)
        self.rename_edit.cancelled.connect(self.setFocus)
        self._renaming: str | None = None

        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(LABEL_DELAY_MS)
        self._label_timer.timeout.connect(self.update_labels)
        self.view_box.sigRangeChanged.connect(self._range_changed)

        self._built_for: tuple | None = None  # (plan object, root id) last laid out
        self._connections = [
            (document.planReplaced, self._plan_replaced),
            (document.currentTrackChanged, self._track_changed),
            (document.changed, self._document_changed),
            (document.selectionChanged, self._selection_changed),
            (document.evaluated, self._evaluated),
        ]
        if hasattr(document, "collapsedChanged"):
            self._connections.append((document.collapsedChanged, self._collapsed_changed))
        for signal, slot in self._connections:
            signal.connect(slot)
        self.rebuild(fit=True)

    # -- public API ------------------------------------------------------
    def close(self) -> bool:
        """Stop listening to the document before pyqtgraph clears the scene."""
        self._label_timer.stop()
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass  # already gone with the document
        self._connections = []
        self.layout_data = self.style_data = None
        return super().close()

    def fit(self) -> None:
        """Zoom and pan so the whole visible tree fits the view."""
        layout = self.layout_data
        if layout is None or not layout.ids:
            self.view_box.setRange(QRectF(-1, -1, 2, 2), padding=0)
            return
        xmin, ymin, xmax, ymax = layout.bounds()
        sibling, level = SPACING[self.orientation]
        # Room for the root label before the root and for leaf triangles after.
        if self.orientation == "lr":
            before = level * (1 - KNEE)  # the root label is as wide as an edge's label
            rect = QRectF(xmin - before, ymin - sibling, xmax - xmin + before + 0.3 * level,
                          ymax - ymin + 2 * sibling)
        else:
            rect = QRectF(xmin - sibling, ymin - level * 0.6, xmax - xmin + 2 * sibling, ymax - ymin + level * 1.1)
        self.view_box.setRange(rect, padding=0.02)
        self.update_labels()

    def zoom_in(self) -> None:
        """Zoom in one step around the centre of the view."""
        self.view_box.scaleBy((1 / ZOOM_STEP, 1 / ZOOM_STEP))

    def zoom_out(self) -> None:
        """Zoom out one step around the centre of the view."""
        self.view_box.scaleBy((ZOOM_STEP, ZOOM_STEP))

    def set_orientation(self, orientation: str) -> None:
        """Draw depth left-to-right (``"lr"``) or top-to-bottom (``"tb"``)."""
        if orientation not in SPACING:
            raise ValueError(f"orientation must be 'lr' or 'tb', not {orientation!r}")
        if orientation != self.orientation:
            self.orientation = orientation
            self.rebuild(fit=True)

    def toggle_collapse(self, node_id: str | None = None) -> None:
        """Collapse or expand ``node_id`` (default: the selected node)."""
        node_id = node_id or self.document.selected_id
        layout = self.layout_data
        if not node_id or layout is None or node_id not in layout.index:
            return
        i = layout.index[node_id]
        if not layout.hidden_children[i] and layout.child_count[i] == 0:
            return
        self.document.set_collapsed(node_id, not bool(layout.hidden_children[i]))
        # A document without collapsedChanged (or one that did not emit): redraw here.
        self._collapsed_changed(node_id, not bool(layout.hidden_children[i]))

    def start_rename(self) -> None:
        """Edit the selected node's label in place (Enter commits, Esc cancels)."""
        node_id = self.document.selected_id
        layout = self.layout_data
        if not node_id or layout is None or node_id not in layout.index:
            return
        self.ensure_visible(node_id)
        x, y = self.node_screen_pos(node_id)
        width = 240
        height = self.rename_edit.sizeHint().height()
        self.rename_edit.setGeometry(int(x - width / 2), int(y - height - 6), width, height)
        self._renaming = node_id
        self.rename_edit.begin(self.document.plan.nodes[node_id].label)

    def node_screen_pos(self, node_id: str) -> tuple[float, float]:
        """Position of a node in widget (viewport) pixels."""
        i = self.layout_data.index[node_id]
        scene = self.view_box.mapViewToScene(QPointF(self.layout_data.x[i], self.layout_data.y[i]))
        point = self.mapFromScene(scene)
        return float(point.x()), float(point.y())

    def node_at(self, pos: QPointF | QPoint) -> str | None:
        """The node drawn nearest to a viewport position, within a few pixels."""
        layout = self.layout_data
        if layout is None or not layout.ids:
            return None
        view_point = self.view_box.mapSceneToView(self.mapToScene(QPoint(int(pos.x()), int(pos.y()))))
        px, py = self.view_box.viewPixelSize()
        if not px or not py:
            return None
        dx = (layout.x - view_point.x()) / px
        dy = (layout.y - view_point.y()) / py
        dist2 = dx * dx + dy * dy
        i = int(np.argmin(dist2))
        return layout.ids[i] if dist2[i] <= HIT_RADIUS_PX ** 2 else None

    def ensure_visible(self, node_id: str) -> None:
        """Pan (keeping the zoom) so that the node is inside the view."""
        layout = self.layout_data
        if layout is None or node_id not in layout.index:
            return
        i = layout.index[node_id]
        x, y = float(layout.x[i]), float(layout.y[i])
        rect = self.view_box.viewRect()
        margin_x, margin_y = rect.width() * 0.08, rect.height() * 0.08
        inner = rect.adjusted(margin_x, margin_y, -margin_x, -margin_y)
        if not inner.contains(QPointF(x, y)):
            rect.moveCenter(QPointF(x, y))
            self.view_box.setRange(rect, padding=0)

    def visible_label_count(self) -> int:
        """How many node labels are shown now (never more than the budget)."""
        return self.labels.shown

    # -- building --------------------------------------------------------
    def _root_id(self) -> str | None:
        plan = self.document.plan
        if plan is None or not plan.tracks:
            return None
        try:
            return plan.track(self.document.current_track_id or None).root
        except KeyError:
            return plan.tracks[0].root

    def rebuild(self, fit: bool = False, keep: tuple[str, tuple[float, float]] | None = None) -> None:
        """Lay the track out again and redraw everything.

        ``keep=(node_id, old_position)`` pans so that node stays put on screen.
        """
        root = self._root_id()
        sibling, level = SPACING[self.orientation]
        plan = self.document.plan
        if root is None:
            self.layout_data = layout_track(plan or _EMPTY_PLAN, "", orientation=self.orientation)
        else:
            self.layout_data = layout_track(
                plan, root, set(self.document.collapsed()), self.orientation, sibling, level
            )
        self._built_for = (plan, root)
        self._anchor_x, self._anchor_y = label_anchors(self.layout_data)
        self._draw_edges_and_nodes(geometry_changed=True)
        if fit:
            self.fit()
        elif keep is not None and keep[0] in self.layout_data.index:
            i = self.layout_data.index[keep[0]]
            dx = self.layout_data.x[i] - keep[1][0]
            dy = self.layout_data.y[i] - keep[1][1]
            self.view_box.setRange(self.view_box.viewRect().translated(dx, dy), padding=0)
        self.update_labels()

    def restyle(self) -> None:
        """Redraw colours, badges and labels without a new layout."""
        if self.layout_data is None:
            return
        self._draw_edges_and_nodes()
        self.update_labels()

    def _draw_edges_and_nodes(self, geometry_changed: bool = False) -> None:
        """Push the style arrays into the items, touching only what changed.

        Setting per-point brushes on a big scatter costs real time (pyqtgraph
        walks the points in Python), so a label edit or a new evaluation
        that leaves kinds, paths and badges alone redraws no item at all.
        """
        layout = self.layout_data
        result = self.document.result
        if result is not None and getattr(result, "root", None) not in (None, self._root_id()):
            result = None  # an evaluation of another track or subtree: no figures
        old = None if geometry_changed else self.style_data
        style = compute_style(self.document.plan, layout, result) if layout.ids else None
        self.style_data = style
        if style is None:
            self._edge_points = {}
            self._node_points = self._badge_points = None
            for item in self.edge_items.values():
                item.setData([], [])
            for item in (self.node_item, self.badge_item, self.collapse_item, self.selection_item):
                item.setData([], [])
            return
        if old is None or not (np.array_equal(old.edge_style, style.edge_style)
                               and np.array_equal(old.bold, style.bold)):
            self._edge_points = {}
            for (name, bold), item in self.edge_items.items():
                code = EDGE_STYLES.index(name)
                x, y = edge_segments(layout, (style.edge_style == code) & (style.bold == bold))
                self._edge_points[(name, bold)] = (x.reshape(-1, 4), y.reshape(-1, 4))
            self._edges_cut_to = None
            self._cull_edges()
        if old is None or not np.array_equal(old.kind, style.kind):
            symbols = _SYMBOLS[self.orientation]
            self._node_points = (layout.x, layout.y, style.kind.astype(np.int64), None,
                                 [(symbols[k], NODE_SIZE, self._pen_plain, self._brushes[k])
                                  for k in range(3)])
            folded = layout.hidden_children
            self.collapse_item.setData(x=layout.x[folded], y=layout.y[folded])
            self._nodes_cut_to = None
        if old is None or not np.array_equal(old.badge, style.badge):
            branch = np.flatnonzero(style.badge >= 0)
            bx, by = badge_positions(layout, branch)
            codes = style.badge[branch].astype(np.int64)
            self._badge_points = (bx, by, codes, np.array(BADGES, dtype=object)[codes],
                                  [(_BADGE_SYMBOLS[b], BADGE_SIZE, self._badge_pens[k],
                                    self._badge_brushes[k]) for k, b in enumerate(BADGES)])
            self._nodes_cut_to = None
        self._cull_points()
        self._draw_selection()

    def _cull_points(self) -> None:
        """Nodes and badges near the view, on big trees (as for the edges).

        pyqtgraph tests every point against the view on each paint; with
        100,000 nodes that alone is most of a frame.
        """
        if self._node_points is None:
            return
        big = len(self._node_points[0]) > EDGE_CULL_MIN
        rect = self.view_box.viewRect()
        scale = self._marker_scale()
        cut = self._nodes_cut_to
        if cut is not None and scale == self._marker_scale_drawn and (
                cut.isNull() or (cut.contains(rect) and rect.width() * 9 > cut.width())):
            return  # everything is drawn already, or the last cut still covers the view
        cut = rect.adjusted(-rect.width(), -rect.height(), rect.width(), rect.height()) if big else QRectF()
        self._marker_scale_drawn = scale
        for item, (x, y, codes, data, styles) in ((self.node_item, self._node_points),
                                                  (self.badge_item, self._badge_points)):
            if scale < 0.5:  # outlines would hide the fill colour of tiny markers
                styles = [(sym, size * scale, self._pen_none, brush) for sym, size, _pen, brush in styles]
            else:
                styles = [(sym, size * scale, pen, brush) for sym, size, pen, brush in styles]
            keep = None
            if item is self.badge_item and scale < 0.5:
                keep = np.zeros(len(x), dtype=bool)  # too small to tell apart: no badges
            elif big:
                keep = (x >= cut.left()) & (x <= cut.right()) & (y >= cut.top()) & (y <= cut.bottom())
            if keep is not None:
                x, y, codes = x[keep], y[keep], codes[keep]
                data = data[keep] if data is not None else None
            set_styled_points(item, x, y, codes, styles, data=data)
        self._nodes_cut_to = cut

    def _marker_scale(self) -> float:
        """Shrink the markers when zoomed out so that neighbours do not smear together."""
        px, py = self.view_box.viewPixelSize()
        unit = SPACING[self.orientation][0] / ((py if self.orientation == "lr" else px) or 1.0)
        return float(np.clip(round(unit / (NODE_SIZE * 1.5), 1), 0.2, 1.0))

    def _cull_edges(self) -> None:
        """Give the edge curves only the edges near the view, on big trees.

        Qt strokes a whole path even where it is clipped, so on a big tree a
        close view would pay for every edge. The edges kept cover the view
        and one view-size around it, so a pan shows no gap before the
        (throttled) next cut.
        """
        total = sum(len(x) for x, _y in self._edge_points.values())
        rect = self.view_box.viewRect()
        if total <= EDGE_CULL_MIN:
            if self._edges_cut_to is None:
                for key, (x, y) in self._edge_points.items():
                    self.edge_items[key].setData(x.ravel(), y.ravel())
                self._edges_cut_to = QRectF()  # everything drawn
            return
        cut = self._edges_cut_to
        if cut is not None and not cut.isNull() and cut.contains(rect) \
                and rect.width() * 9 > cut.width():
            return  # still inside the region cut last time, at a similar zoom
        cut = rect.adjusted(-rect.width(), -rect.height(), rect.width(), rect.height())
        for key, (x, y) in self._edge_points.items():
            inside = ((x.max(axis=1) >= cut.left()) & (x.min(axis=1) <= cut.right())
                      & (y.max(axis=1) >= cut.top()) & (y.min(axis=1) <= cut.bottom()))
            self.edge_items[key].setData(x[inside].ravel(), y[inside].ravel())
        self._edges_cut_to = cut

    def _draw_selection(self) -> None:
        i = self._selected_index()
        if i < 0 or self.style_data is None:
            self.selection_item.setData([], [])
            return
        kind = int(self.style_data.kind[i])
        self.selection_item.setData(
            x=[self.layout_data.x[i]], y=[self.layout_data.y[i]],
            symbol=_SYMBOLS[self.orientation][kind],
        )

    def _selected_index(self) -> int:
        selected = self.document.selected_id
        if not selected or self.layout_data is None:
            return -1
        return self.layout_data.index.get(selected, -1)

    # -- labels ----------------------------------------------------------
    def _range_changed(self, *_args) -> None:
        if not self._label_timer.isActive():
            self._label_timer.start()

    def update_labels(self) -> None:
        """Choose and place the labels for the current view (level of detail)."""
        layout, style = self.layout_data, self.style_data
        if getattr(self, "closed", False):
            return  # pyqtgraph's close() deleted the scene and its items
        if self._edge_points:
            self._cull_edges()
        self._cull_points()
        if layout is None or style is None or not layout.ids:
            self.labels.show([])
            return
        px, py = self.view_box.viewPixelSize()
        if not px or not py:
            return
        rect = self.view_box.viewRect()
        sibling, level = SPACING[self.orientation]
        # Labels wrap onto more lines where the layout leaves room for them:
        # across the levels in "lr", along the (tall) edges in "tb".
        line = self.labels.label_metrics.height()
        if self.orientation == "lr":
            across_px = sibling / py
            lines = 2 if across_px >= self.labels.block_height(2) + 6 else 1
            room = (1 - KNEE) * level / px - NODE_SIZE - 4
            width = min(room, MAX_LABEL_WIDTH)
            across = self.labels.block_height(lines) + 2
            fits = room >= MIN_LABEL_ROOM
        else:
            along_px = (1 - KNEE) * level / py - NODE_SIZE
            lines = int(max(1, min(3, (along_px - self.labels.block_height(0)) // line)))
            width = min(MAX_LABEL_WIDTH * 0.7, sibling / px - 8)
            across = width + 8
            fits = width >= MIN_LABEL_ROOM and along_px >= self.labels.block_height(lines)
        if not fits:
            self.labels.show([])
            return
        chosen = choose_labels(
            layout, self._anchor_x, self._anchor_y,
            (rect.left(), rect.top(), rect.right(), rect.bottom()),
            (px, py), across, style.on_policy, self._selected_index(), LABEL_BUDGET,
        )
        plan = self.document.plan
        entries = []
        for i in chosen:
            node = plan.nodes[layout.ids[i]]
            info = info_text(plan, node, style, i)
            if self.labels.info_metrics.horizontalAdvance(info) > width:
                info = info_text(plan, node, style, i, unit=False)  # numbers matter more
            text = self.labels.html_for(node.label or node.id, info, width, lines)
            x, y = float(self._anchor_x[i]), float(self._anchor_y[i])
            if layout.parent[i] < 0:
                # Clear of the selection ring around the root.
                if self.orientation == "lr":
                    anchor, x = (1.0, 0.5), x - (SELECTED_SIZE / 2 + 3) * px
                else:
                    anchor, y = (0.5, 1.0), y - (SELECTED_SIZE / 2 + 3) * py
            elif self.orientation == "lr":
                anchor, y = (0.5, 1.0), y - 1.5 * py
            else:
                anchor = (0.5, 0.5)
            entries.append((x, y, anchor, text))
        self.labels.show(entries)

    # -- document signals ------------------------------------------------
    def _plan_replaced(self) -> None:
        self.rename_edit.hide()
        self.rebuild(fit=True)

    def _evaluated(self, _result) -> None:
        self.restyle()

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

    def _document_changed(self, change) -> None:
        kind = getattr(change, "kind", "structure")
        if kind == "reset" and self._built_for == (self.document.plan, self._root_id()):
            return  # planReplaced already redrew this plan
        track = getattr(change, "track_id", None)
        plan = self.document.plan
        if track and plan is not None and plan.tracks:
            current = self.document.current_track_id or plan.tracks[0].id
            if track != current:
                return  # another track changed: nothing of ours moved
        if kind in ("node", "responses", "plan"):
            self.restyle()
        else:
            self.rebuild()

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

    # -- rename ------------------------------------------------------------
    def _commit_rename(self, text: str) -> None:
        node_id, self._renaming = self._renaming, None
        self.setFocus()
        if node_id and node_id in self.document.plan.nodes and text != self.document.plan.nodes[node_id].label:
            self.document.set_node_field(node_id, "label", text)

    # -- mouse and keyboard ----------------------------------------------------
    def mousePressEvent(self, event) -> None:
        self._press_pos = event.position().toPoint()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        start, self._press_pos = self._press_pos, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - start).manhattanLength() > 4:
            return  # that was a pan
        node_id = self.node_at(event.position())
        if node_id is not None and node_id != self.document.selected_id:
            self.document.select(node_id)

    def mouseDoubleClickEvent(self, event) -> None:
        node_id = self.node_at(event.position())
        if node_id is None:
            super().mouseDoubleClickEvent(event)
            return
        if node_id != self.document.selected_id:
            self.document.select(node_id)
        self.toggle_collapse(node_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = _KEY_MOVES[self.orientation]
        if key in moves:
            self._walk(moves[key])
        elif key == Qt.Key.Key_F2:
            self.start_rename()
        elif key == Qt.Key.Key_Space:
            self.toggle_collapse()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_Home:
            self.fit()
        else:
            super().keyPressEvent(event)

    def _walk(self, move: str) -> None:
        layout = self.layout_data
        if layout is None or not layout.ids:
            return
        i = self._selected_index()
        if i < 0:
            self.document.select(layout.ids[0])
            return
        target = -1
        parent = int(layout.parent[i])
        if move == "parent":
            target = parent
        elif move == "child":
            if layout.hidden_children[i]:
                self.toggle_collapse(layout.ids[i])
                layout = self.layout_data
                i = layout.index[self.document.selected_id]
            if layout.child_count[i]:
                target = int(layout.child_start[i])
        elif parent >= 0:
            # Siblings are contiguous in the breadth-first numbering.
            first = int(layout.child_start[parent])
            last = first + int(layout.child_count[parent]) - 1
            target = i - 1 if move == "previous" else i + 1
            if target < first or target > last:
                target = -1
        if target >= 0:
            self.document.select(layout.ids[target])


_KEY_MOVES = {
    "lr": {Qt.Key.Key_Left: "parent", Qt.Key.Key_Right: "child",
           Qt.Key.Key_Up: "previous", Qt.Key.Key_Down: "next"},
    "tb": {Qt.Key.Key_Up: "parent", Qt.Key.Key_Down: "child",
           Qt.Key.Key_Left: "previous", Qt.Key.Key_Right: "next"},
}


_EMPTY_PLAN = Plan()
