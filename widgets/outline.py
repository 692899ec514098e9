"""The outline: the current track as an indented list, synced with the selection.

Selecting a row calls ``document.select``; a selection made elsewhere (the
canvas, the problems panel) selects, reveals and scrolls to the row here.
Rows can be dragged onto another decision or chance node to move a subtree
(see :class:`widgets.tree_model.PlanTreeModel`).

The expansion state is kept as a set of node ids, updated from the view's
own expanded/collapsed signals, so that a model reset after a structure edit
restores it in O(expanded) instead of scanning the tree.
"""
from __future__ import annotations

from collections import deque

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QStyle, QTreeView

from widgets import palette
from widgets.tree_model import clear_icon_cache
from widgets.tree_model import (
    COL_EV,
    COL_KIND,
    COL_LABEL,
    COL_PATH,
    COL_PROBABILITY,
    COL_READINESS,
    COLUMNS,
    ICON_HEIGHT,
    ICON_WIDTH,
    PlanTreeModel,
)

#: Rows opened when a plan or track is first shown: enough to see the
#: shape of the tree without expanding a 100,000-node plan.
INITIAL_VISIBLE_ROWS = 200

#: Column widths (pixels) that fit a 320-420 px dock; the label takes the rest.
_COLUMN_WIDTHS = {COL_KIND: 64, COL_PATH: 62, COL_PROBABILITY: 42, COL_EV: 48, COL_READINESS: 56}


class Outline(QTreeView):
    """Tree view of the current track, selection synced with the document.

    Parameters
    ----------
    document : Document
        The open document (ARCHITECTURE.md, "The Document").
    parent : QWidget, optional
    """

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        self._syncing = False  # True while the view follows the document
        self._expanded: set[str] = set()
        self._expanded_by_track: dict[str, set[str]] = {}  # other tracks' expansion, kept for coming back
        self._track_id = getattr(document, "current_track_id", None) or None
        self._tree_model = PlanTreeModel(document, self)
        self.setModel(self._tree_model)
        palette.on_change(self, self._retheme)  # row icons and text colours come from the palette
        self.setObjectName("outline")
        self.setAccessibleName(self.tr("Outline"))
        self.setAccessibleDescription(self.tr("The nodes of the current track as a tree, with kind, path, "
                                              "probability, EV and readiness columns"))
        self.setUniformRowHeights(True)  # O(1) row geometry on big trees
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setIndentation(12)
        self.setIconSize(QSize(ICON_WIDTH, ICON_HEIGHT))

        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        for column, width in self._column_widths().items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        # kind and path are shown by the row icon (shape and colour); the
        # header's context menu brings the columns back.
        self.setColumnHidden(COL_KIND, True)
        self.setColumnHidden(COL_PATH, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

        self.expanded.connect(self._on_expanded)
        self.collapsed.connect(self._on_collapsed)
        self._tree_model.modelReset.connect(self._after_reset)
        self.selectionModel().selectionChanged.connect(self._on_view_selection)
        document.selectionChanged.connect(self.show_node)
        document.planReplaced.connect(self._on_plan_replaced)
        document.currentTrackChanged.connect(self._on_track_changed)
        if hasattr(document, "collapsedChanged"):
            document.collapsedChanged.connect(self.mirror_collapse)
        if hasattr(document, "evaluated"):
            document.evaluated.connect(self._fit_ev_column)
        self._expand_initial()
        self.show_node(getattr(document, "selected_id", None) or "")

    def _column_widths(self) -> dict[int, int]:
        """Number columns just wide enough for their widest usual text, so the label keeps the rest.

        Measured in the view's font ("0.585", "-32.5", a readiness dot and
        "100%"); never narrower than the defaults for a 320-420 px dock.
        """
        metrics = self.fontMetrics()
        pad = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 8
        widths = dict(_COLUMN_WIDTHS)
        widths[COL_PROBABILITY] = max(metrics.horizontalAdvance("0.585") + pad, metrics.horizontalAdvance("p") + pad)
        widths[COL_EV] = metrics.horizontalAdvance("-32.5") + pad
        # the readiness dot (an icon the size of the text) before "100%"
        widths[COL_READINESS] = metrics.horizontalAdvance("100%") + metrics.height() + pad
        return widths

    def _fit_ev_column(self, result) -> None:
        """Two criteria show "EV · criterion 2" in the EV column: widen it for both, and back."""
        two = getattr(result, "node_ev2", None) is not None
        if two == getattr(self, "_ev_two", False):
            return
        self._ev_two = two
        base = self._column_widths()[COL_EV]
        extra = self.fontMetrics().horizontalAdvance(" · -32.5") if two else 0
        self.setColumnWidth(COL_EV, base + extra)

    # -- public -----------------------------------------------------------
    @property
    def tree_model(self) -> PlanTreeModel:
        """The item model this view shows."""
        return self._tree_model

    def selected_node_id(self) -> str | None:
        """Id of the selected row (None when nothing is selected)."""
        rows = self.selectionModel().selectedRows(0)
        return self._tree_model.node_id(rows[0]) if rows else None

    def expanded_ids(self) -> set[str]:
        """Ids of the expanded nodes (a copy)."""
        return set(self._expanded)

    def show_node(self, node_id: str | None) -> None:
        """Select, reveal and scroll to ``node_id`` without echoing it to the document."""
        model = self._tree_model
        self._syncing = True
        try:
            if not node_id or not model.contains(node_id):
                self.selectionModel().clearSelection()
                return
            for ancestor in reversed(model.ancestors(node_id)):
                self.setExpanded(model.index_of(ancestor), True)
            index = model.index_of(node_id)
            if self.selected_node_id() != node_id:
                self.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
            self.scrollTo(index)
        finally:
            self._syncing = False

    def mirror_collapse(self, node_id: str, collapsed: bool) -> None:
        """A node collapsed (expanded) on the canvas is collapsed (expanded) here too."""
        model = self._tree_model
        if node_id and model.contains(node_id):
            self.setExpanded(model.index_of(node_id), not collapsed)

    # -- view -> document -------------------------------------------------
    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        node_id = self.selected_node_id()
        if node_id is None or node_id == getattr(self._document, "selected_id", None):
            return
        self._document.select(node_id)

    # -- expansion state --------------------------------------------------
    def _on_expanded(self, index: QModelIndex) -> None:
        node_id = self._tree_model.node_id(index)
        if node_id is not None:
            self._expanded.add(node_id)

    def _on_collapsed(self, index: QModelIndex) -> None:
        self._expanded.discard(self._tree_model.node_id(index))

    def _on_plan_replaced(self) -> None:
        # a new plan: open it afresh (the model, connected first, has reset already)
        self._expanded_by_track.clear()
        self.collapseAll()  # also what a reset restored from the old plan's ids
        self._expanded.clear()
        self._track_id = self._tree_model.track_id
        self._expand_initial()
        self.show_node(getattr(self._document, "selected_id", None) or "")

    def _on_track_changed(self, *_args) -> None:
        if self._tree_model.track_id == self._track_id:
            return
        if self._track_id is not None:
            self._expanded_by_track[self._track_id] = self._expanded
        self._track_id = self._tree_model.track_id
        self._expanded = set()
        remembered = self._expanded_by_track.pop(self._track_id, None) if self._track_id else None
        if remembered:
            self._restore(remembered)
        else:
            self._expand_initial()
        self.show_node(getattr(self._document, "selected_id", None) or "")

    def _after_reset(self) -> None:
        if self._tree_model.track_id != self._track_id:
            return  # another track: _on_track_changed restores its own state
        remembered, self._expanded = self._expanded, set()
        self._restore(remembered)
        self.show_node(getattr(self._document, "selected_id", None) or "")

    def _restore(self, expanded_ids: set[str]) -> None:
        """Expand the remembered nodes that are still in the tree (O(len(expanded_ids)))."""
        model = self._tree_model
        for node_id in expanded_ids:
            if model.contains(node_id):
                self.setExpanded(model.index_of(node_id), True)

    def _expand_initial(self) -> None:
        """Open nodes breadth-first until about INITIAL_VISIBLE_ROWS rows show."""
        model = self._tree_model
        root = model.root_id
        if root is None:
            return
        visible = 1
        queue = deque([root])
        while queue and visible < INITIAL_VISIBLE_ROWS:
            node_id = queue.popleft()
            kids = model.children_ids(node_id)
            if not kids:
                continue
            self.setExpanded(model.index_of(node_id), True)
            visible += len(kids)
            queue.extend(kids)

    # -- header -----------------------------------------------------------
    def _retheme(self) -> None:
        clear_icon_cache()
        self.viewport().update()

    def _header_menu(self, position) -> None:
        menu = QMenu(self)
        for column, name in enumerate(COLUMNS):
            if column == COL_LABEL:
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self.setColumnHidden(c, not shown))
        menu.exec(self.header().mapToGlobal(position))
