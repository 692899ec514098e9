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

from planning.engine.layout import TreeLayout, layout_track, relayout
from planning.model.plan import Plan
from widgets import palette
from widgets.canvas_cull import CULL_MIN, cut_around, edge_bounds
from widgets.canvas_detail import LevelOfDetail
from widgets.canvas_access import CanvasAccess
from widgets.canvas_highlight import with_highlight
from widgets.canvas_input import CanvasInput
from widgets.canvas_labels import LABEL_BUDGET, LabelPool, gaps_before, label_anchors, label_starts, level_bounds
from widgets.canvas_placement import LabelPlacement
from widgets.canvas_rename import RenameEdit
from widgets.canvas_signals import CanvasSignals
from widgets.canvas_theme import CanvasTheme
from widgets.canvas_style import (
    BADGES, EDGE_STYLES, NODE_SIZE, SELECTED_SIZE, SPACING, BaseStyle, NodeStyle, badge_positions,
    base_style, edge_segments, result_style, spliced_base_style, update_base_style,
)
from widgets.canvas_view import depth_span, fit_rect, held_depth_range, widened_cap

BADGE_SIZE = 9
HIT_RADIUS_PX = 12
#: Delay before labels are re-chosen after the view moved (throttle).
LABEL_DELAY_MS = 40
ZOOM_STEP = 1.25
#: Above this many edges (nodes), only those near the view are handed to Qt.
EDGE_CULL_MIN = CULL_MIN

_SYMBOLS = {"lr": ("s", "o", "t2"), "tb": ("s", "o", "t")}
_BADGE_SYMBOLS = {"none": "o", "late": "x", "partial": "o", "ready": "o"}


class TreeCanvas(CanvasSignals, CanvasInput, LabelPlacement, LevelOfDetail, CanvasTheme, CanvasAccess, pg.GraphicsView):
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
        self._base_style: BaseStyle | None = None  # the number-free part of style_data
        self._codes: dict[str, tuple] = {}  # node id -> style codes, dropped when the node changes
        self._codes_plan: Plan | None = None
        self._styled_with = None  # the result style_data was computed from
        self._anchor_x = np.empty(0)
        self._edge_points: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = {}
        # What the last cut kept: None (nothing yet), "all", or (xmin, ymin, xmax, ymax);
        # at which view units per pixel; and whether no duplicate was left out.
        self._edge_bounds: dict[tuple[str, bool], tuple] = {}  # per style: each edge's box
        self._edges_cut_to = None
        self._edges_cut_at = (1.0, 1.0)
        self._edges_exact = True
        self._node_points: tuple | None = None   # x, y, style codes, data, styles
        self._badge_points: tuple | None = None
        self._nodes_cut_to = None
        self._nodes_cut_at = (1.0, 1.0)
        self._nodes_exact = True
        self._marker_scale_drawn = 1.0
        self._anchor_y = np.empty(0)
        self._starts = np.empty(0)  # knee of each node's edge along the depth axis
        self._levels = np.zeros(1, dtype=np.int64)
        self._gaps = np.empty(0)  # room above each node on its level (view units)
        self._press_pos: QPoint | None = None

        # The axes scale separately: see widgets/canvas_view.py ("the depth rule").
        self.view_box = pg.ViewBox(lockAspect=False, invertY=True, enableMenu=False)
        self._holding_depth = False
        # Depth range every level needs: set by fit(), only ever widened by
        # edits (a collapse must not zoom the view), see _hold_depth.
        self._span = (-1.0, 1.0)
        self._cap = 2.0  # most depth shown (view units): see widgets/canvas_view.py
        self._fitted: tuple | None = None  # the last fit, when it showed only the first levels
        self.view_box.setDefaultPadding(0.0)
        self.setCentralItem(self.view_box)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAntialiasing(True)

        self.edge_items: dict[tuple[str, bool], pg.PlotCurveItem] = {}
        # (smooth pen, dense pen) per item: a dense view gets plain 1-px (or
        # whole-pixel) lines, Qt's fast path, see _cull_edges. Pens and
        # brushes come from the palette (widgets/canvas_theme.py).
        self._make_pens()
        for bold in (False, True):
            for name in EDGE_STYLES:
                item = pg.PlotCurveItem(connect="pairs", pen=self._edge_pens[(name, bold)][0],
                                        antialias=True, skipFiniteCheck=True)
                item.setZValue(2 if bold else 1)
                self.view_box.addItem(item)
                self.edge_items[(name, bold)] = item
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
                                                pen=self._pen_collapse, brush=None)
        self.collapse_item.setZValue(12)
        for item in (self.node_item, self.badge_item, self.collapse_item, self.selection_item):
            self.view_box.addItem(item)
        self.labels = LabelPool(self.view_box, LABEL_BUDGET)

        self.rename_edit = RenameEdit(self.viewport())
        self.rename_edit.hide()
        self.rename_edit.committed.connect(self._commit_rename)
        self.rename_edit.cancelled.connect(self.setFocus)
        self._renaming: str | None = None

        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(LABEL_DELAY_MS)
        self._label_timer.timeout.connect(self.update_labels)
        self.view_box.sigRangeChanged.connect(self._hold_depth)
        self.view_box.sigResized.connect(self._hold_depth)
        self.view_box.sigRangeChanged.connect(self._range_changed)
        # A dock raised under the canvas shrinks it without changing the range:
        # the labels must be placed again for the new pixel size.
        self.view_box.sigResized.connect(self._range_changed)

        self._built_for: tuple | None = None  # (plan object, root id) last laid out
        self._laid_collapsed: set[str] = set()  # the collapsed set of the last layout
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
        palette.on_change(self, self.apply_theme)  # light / dark: widgets/canvas_theme.py
        self._init_access()  # name, value and selection announcements: widgets/canvas_access.py

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

    def fit(self, whole: bool | None = None) -> None:
        """Show the tree: every level across the view, all its breadth down it.

        When the levels would be too narrow to read, the first levels are
        shown (the top of the tree, labelled); fitting again at once, or
        ``whole=True``, shows every level. A tall tree fills the view
        rather than being a thin strip (see :mod:`widgets.canvas_view`).
        """
        layout = self.layout_data
        if layout is None or not layout.ids:
            self.view_box.setRange(QRectF(-1, -1, 2, 2), padding=0)
            return
        sibling, level = SPACING[self.orientation]
        width, height = self._view_pixels()
        if whole is None:
            current = self.view_box.viewRect()
            whole = self._fitted is not None and all(
                abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in
                zip((current.x(), current.y(), current.width(), current.height()), self._fitted))
        self._span = depth_span(layout, self.orientation, level)
        rect = fit_rect(layout, self.orientation, sibling, level, width, height, whole=whole)
        self._cap = rect[2] if self.orientation == "lr" else rect[3]
        self.view_box.setRange(QRectF(*rect), padding=0)
        partial = self._cap < self._span[1] - self._span[0] - 1e-9
        self._fitted = rect if partial else None  # a second fit from here shows every level
        self.update_labels()

    def _view_pixels(self) -> tuple[float, float]:
        """Size of the drawing area in pixels (a guess before the first layout)."""
        width, height = float(self.view_box.width()), float(self.view_box.height())
        if width < 2 or height < 2:
            width, height = float(max(self.width(), 2)), float(max(self.height(), 2))
        return width, height

    def _hold_depth(self, *_args) -> None:
        """Keep the depth axis showing at most, and at zoom-out exactly, every level."""
        layout = self.layout_data
        if self._holding_depth or layout is None or not layout.ids:
            return
        rect = self.view_box.viewRect()
        width, height = float(self.view_box.width()), float(self.view_box.height())
        along = rect.width() if self.orientation == "lr" else rect.height()
        self._cap = widened_cap(self._cap, along, self._span[1] - self._span[0])
        wanted = held_depth_range((rect.x(), rect.y(), rect.width(), rect.height()), self._span, self._cap,
                                  self.orientation, width, height)
        if wanted is None:
            return
        self._holding_depth = True
        try:
            if self.orientation == "lr":
                self.view_box.setXRange(*wanted, padding=0)
            else:
                self.view_box.setYRange(*wanted, padding=0)
        finally:
            self._holding_depth = False

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

    def ensure_visible(self, node_id: str, with_label: bool = True) -> None:
        """Pan (keeping the zoom) so that the node, and the edge its label sits
        on, are inside the view; as little as that takes, so the rest of the
        tree moves no further than it must (no drift while adding nodes)."""
        layout = self.layout_data
        if layout is None or node_id not in layout.index:
            return
        i = layout.index[node_id]
        x, y = float(layout.x[i]), float(layout.y[i])
        box = [x, y, x, y]
        if with_label and len(self._starts) == len(layout.ids):
            # "lr": the label runs along the edge from its knee; "tb": below the knee
            axis = 0 if self.orientation == "lr" else 1
            box[axis] = min(box[axis], float(self._starts[i]))
        self._pan_to_show(box)

    def _pan_to_show(self, box: list[float], margin: float = 0.08) -> bool:
        """Shift the view the least that brings ``[x0, y0, x1, y1]`` inside
        its inner part (``margin`` of each side left free); False when nothing had to move."""
        rect = self.view_box.viewRect()
        margin_x, margin_y = rect.width() * margin, rect.height() * margin
        inner = rect.adjusted(margin_x, margin_y, -margin_x, -margin_y)
        shift = []
        for low, high, start, end in ((box[0], box[2], inner.left(), inner.right()),
                                      (box[1], box[3], inner.top(), inner.bottom())):
            if high - low > end - start:
                shift.append(high - end)  # too big: the far end (the node) wins
            elif low < start:
                shift.append(low - start)
            elif high > end:
                shift.append(high - end)
            else:
                shift.append(0.0)
        if not any(shift):
            return False
        self.view_box.setRange(rect.translated(*shift), padding=0)
        return True

    def _tree_in_view(self) -> bool:
        """True when every node of the drawn tree is inside the view."""
        layout = self.layout_data
        if layout is None or not layout.ids:
            return False
        xmin, ymin, xmax, ymax = layout.bounds()
        rect = self.view_box.viewRect()
        return rect.left() <= xmin and xmax <= rect.right() and rect.top() <= ymin and ymax <= rect.bottom()

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

    def rebuild(self, fit: bool = False, keep: tuple[str, tuple[float, float]] | None = None,
                touched: tuple[str, ...] | None = None) -> None:
        """Lay the track out again and redraw everything.

        ``keep=(node_id, old_position)`` pans so that node stays put on screen.
        ``touched``: the node ids of a structural edit (a ``Change``'s); the
        layout is then re-numbered from the previous one (``relayout``).
        """
        root = self._root_id()
        sibling, level = SPACING[self.orientation]
        plan = self.document.plan
        collapsed = set(self.document.collapsed())
        layout = None
        old = self.layout_data
        if (touched is not None and old is not None and self._built_for == (plan, root)
                and root is not None and old.orientation == self.orientation
                and self._laid_collapsed == collapsed):
            layout = relayout(old, plan, touched, collapsed, sibling, level)
        if layout is not None:
            self.layout_data = layout
        elif root is None:
            self.layout_data = layout_track(plan or _EMPTY_PLAN, "", orientation=self.orientation)
        else:
            self.layout_data = layout_track(plan, root, collapsed, self.orientation, sibling, level)
        self._laid_collapsed = collapsed
        self._built_for = (plan, root)
        self._anchor_x, self._anchor_y = label_anchors(self.layout_data)
        self._starts = label_starts(self.layout_data)
        self._levels = level_bounds(self.layout_data)
        self._gaps = gaps_before(self.layout_data)
        if layout is not None and self._base_style is not None and self._codes_plan is plan:
            self._base_style = spliced_base_style(self._base_style, plan, layout, touched, self._codes)
        else:
            self._base_style = base_style(plan, self.layout_data, self._codes_for(plan)) \
                if self.layout_data.ids else None
        if self.layout_data.ids:
            low, high = depth_span(self.layout_data, self.orientation, level)
            self._span = (min(low, self._span[0]), max(high, self._span[1]))
        self._draw_edges_and_nodes(geometry_changed=True)
        if fit:
            self.fit()
        elif keep is not None and keep[0] in self.layout_data.index:
            i = self.layout_data.index[keep[0]]
            dx = self.layout_data.x[i] - keep[1][0]
            dy = self.layout_data.y[i] - keep[1][1]
            self.view_box.setRange(self.view_box.viewRect().translated(dx, dy), padding=0)
        self.update_labels()

    def restyle(self, node_ids=None) -> None:
        """Redraw colours, badges and labels without a new layout.

        ``node_ids`` names the only nodes whose fields changed (their kind,
        path or responses are re-read); by default every node is re-read.
        """
        layout = self.layout_data
        if layout is None:
            return
        if node_ids is None or self._base_style is None:
            self._codes.clear()
            self._base_style = base_style(self.document.plan, layout, self._codes_for(self.document.plan)) \
                if layout.ids else None
        else:
            update_base_style(self._base_style, self.document.plan, layout, node_ids)
        self._draw_edges_and_nodes()
        self.update_labels()

    def _codes_for(self, plan: Plan) -> dict:
        """The per-node style code cache, emptied when another plan object shows up."""
        if plan is not self._codes_plan:
            self._codes.clear()
            self._codes_plan = plan
        return self._codes

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
        base = self._base_style
        positions = self._carried_positions(layout, result) if geometry_changed else None
        style = result_style(base, layout, result, positions) if layout.ids and base is not None else None
        style = with_highlight(style, self.document.plan, layout, getattr(self, "highlighted_policy", None))
        self.style_data = style
        self._styled_with = result
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
                x, y = x.reshape(-1, 4), y.reshape(-1, 4)
                self._edge_points[(name, bold)] = (x, y)
                self._edge_bounds[(name, bold)] = edge_bounds(x, y)
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

    def _carried_positions(self, layout: TreeLayout, result) -> np.ndarray | None:
        """Positions in ``result`` of a re-numbered layout's nodes, from the last
        style drawn with the same result (no lookup of every id), or None."""
        previous = self.style_data
        source = layout.source
        if (source is None or result is None or previous is None or self._styled_with is not result
                or (len(source) and int(source.max()) >= len(previous.result_pos))):
            return None
        new = np.flatnonzero(source < 0)
        positions = previous.result_pos[np.maximum(source, 0)]
        index = result.index
        positions[new] = [index.get(layout.ids[i], -1) for i in new.tolist()]
        return positions

    def highlight_policy(self, policy: dict[str, str] | None) -> None:
        """Draw ``policy``'s edges bold instead of the evaluated policy's (None: back to it)."""
        policy = dict(policy) if policy else None
        if policy == getattr(self, "highlighted_policy", None) and self._styled_with is self.document.result:
            return  # drawn so already (the league view repeats it after each evaluation)
        self.highlighted_policy = policy
        if self.layout_data is not None:
            self._draw_edges_and_nodes()
            self.update_labels()

    def _new_cut(self, count: int, rect: QRectF):
        if count <= EDGE_CULL_MIN:
            return "all"
        return cut_around(rect.left(), rect.top(), rect.width(), rect.height())

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
        # Bring the view transform up to date now: otherwise the first paint
        # does it, every label re-places itself, and a second paint follows.
        self.view_box.prepareForPaint()
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
        if self.orientation == "lr":
            self._place_labels_lr(rect, px, py)
        else:
            self._place_labels_tb(rect, px, py)

    # -- rename ------------------------------------------------------------
    def _commit_rename(self, text: str) -> None:
        node_id, self._renaming = self._renaming, None
        self.setFocus()
        if node_id and node_id in self.document.plan.nodes and text != self.document.plan.nodes[node_id].label:
            self.document.set_node_field(node_id, "label", text)


_EMPTY_PLAN = Plan()
