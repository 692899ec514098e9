"""Item model over the current track's tree, for the outline view.

The model wraps the plain plan; it copies nothing but the shape of the tree.
Each index carries a small integer (``internalId``) that names a node id in
an id table, so an index never holds a Python object that could die under
it. ``parent()`` and ``index()`` are O(1): the parent, the row and the child
list of every node of the track are cached in one iterative pass, redone only
when the structure changes (``changed`` of kind "structure", "tracks",
"reset", a new plan or another current track). Field edits ("node",
"responses") only repaint their own rows; a new evaluation repaints the
computed columns.

Drag and drop moves a subtree through ``document.move_subtree`` (one undo
step); a node cannot be dropped into its own subtree, on a terminal, or
where it already is.
"""
from __future__ import annotations

import json
import math

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap, QPolygonF

from planning.model.errors import PlanError
from planning.engine import readiness
from planning.model.plan import CHANCE, DECISION, NEUTRAL, TERMINAL, Node
from widgets.tree_model_rows import RowUpdates
from widgets import palette
from widgets.i18n import fill, number, significant, translate

#: Columns of the model, in order.
COLUMNS: tuple[str, ...] = ("label", "kind", "path", "probability", "EV", "readiness")
COL_LABEL, COL_KIND, COL_PATH, COL_PROBABILITY, COL_EV, COL_READINESS = range(len(COLUMNS))

#: MIME type of a dragged node (a JSON list of node ids).
NODE_MIME_TYPE = "application/x-branchwise-node-ids"

#: Role that returns the node id of an index.
NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role that returns a branch's readiness badge (none, late, partial, ready; None off branches).
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2


def path_colour(path: str | None, text: bool = False) -> QColor:
    """Colour of a success / failure / neutral path from :mod:`widgets.palette`.

    ``text=True`` gives the darker variant that reads as text on white.
    """
    table = palette.PATH_TEXT_COLORS if text else palette.PATH_COLORS
    return palette.qcolor(table.get(path or NEUTRAL, palette.NEUTRAL))


def format_number(value: float | None) -> str:
    """A figure for a narrow column: thousands separators, ~3 significant digits, in the locale.

    >>> format_number(1234.5), format_number(12.345), format_number(0.0123), format_number(None)
    ('1,234', '12.3', '0.0123', '—')
    """
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0:
        return "0"  # never "-0"
    magnitude = abs(value)
    if magnitude >= 100:
        return number(value, 0)
    if magnitude >= 10:
        return number(value, 1, trim=True)
    return significant(value, 3)


def format_percent(value: float | None) -> str:
    """A fraction as a whole percentage ("—" when unknown)."""
    if value is None or not math.isfinite(value):
        return "—"
    return number(value * 100, 0) + "%"


def format_stored(value) -> str:
    """A probability or payoff as written: number, expression or '#'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return str(value)


_ICON_CACHE: dict[tuple, QIcon] = {}


#: Size of the row icons (a path stripe, then the kind's shape).
ICON_WIDTH, ICON_HEIGHT = 22, 14


def kind_icon(kind: str, path: str | None) -> QIcon:
    """Row icon: a stripe in the path colour (when ``path``), then the kind's shape.

    Shapes and colours are the canvas's: a blue square for a decision, an
    orange circle for a chance node, a grey triangle for a terminal.
    """
    ratio = _pixel_ratio()
    key = (kind, path, ratio)
    icon = _ICON_CACHE.get(key)
    if icon is not None:
        return icon
    pixmap = QPixmap(ICON_WIDTH * ratio, ICON_HEIGHT * ratio)  # sharp at 150% and 200% scale
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if path:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(path_colour(path)))
        painter.drawRoundedRect(1, 1, 4, ICON_HEIGHT - 2, 1.5, 1.5)
    fill = palette.qcolor(palette.KIND_COLORS.get(kind, palette.TERMINAL))
    painter.setBrush(QBrush(fill))
    painter.setPen(palette.qcolor(palette.NODE_OUTLINE))
    left, side = 8.5, ICON_HEIGHT - 4.0
    if kind == DECISION:
        painter.drawRect(QRectF(left, 2, side, side))
    elif kind == CHANCE:
        painter.drawEllipse(QRectF(left, 2, side, side))
    else:
        painter.drawPolygon(QPolygonF([QPointF(left, 2), QPointF(left + side, ICON_HEIGHT / 2),
                                       QPointF(left, ICON_HEIGHT - 2)]))
    painter.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[key] = icon
    return icon


def _pixel_ratio() -> int:
    """Device pixels per logical pixel of the screen (whole, at least 1): icons drawn that fine."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    return max(1, math.ceil(app.devicePixelRatio())) if app is not None else 1


def clear_icon_cache() -> None:
    """Forget the drawn row icons (their colours are the palette's: the scheme changed)."""
    _ICON_CACHE.clear()


def badge_icon(badge: str) -> QIcon:
    """A dot in the readiness badge colour (none, late, partial, ready)."""
    ratio = _pixel_ratio()
    key = ("badge", badge, ratio)
    icon = _ICON_CACHE.get(key)
    if icon is None:
        pixmap = QPixmap(10 * ratio, 10 * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(palette.qcolor(palette.BADGE_COLORS.get(badge, palette.BADGE_NONE))))
        painter.drawEllipse(QRectF(1, 1, 8, 8))
        painter.end()
        icon = _ICON_CACHE[key] = QIcon(pixmap)
    return icon


class PlanTreeModel(RowUpdates, QAbstractItemModel):
    """The current track of ``document`` as a tree; one row per node.

    Parameters
    ----------
    document : Document
        The open document (see ARCHITECTURE.md); only read and asked to edit.
    parent : QObject, optional
    """

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        # id table: node id <-> small integer carried by each index
        self._serial_of: dict[str, int] = {}
        self._id_of: list[str] = []
        # shape of the current track, cached per structure change
        self._root_id: str | None = None
        self._parent_of: dict[str, str] = {}
        self._row_of: dict[str, int] = {}
        self._children_of: dict[str, list[str]] = {}
        self._built_for: tuple[int, str | None] = (0, None)  # (id of the plan, track id)
        self._skip_reset = False  # a new plan was just walked: its "reset" change is no news
        self._rebuild()
        document.changed.connect(self._on_changed)
        document.planReplaced.connect(self._on_plan_replaced)
        document.currentTrackChanged.connect(self._on_track_changed)
        document.evaluated.connect(self._on_evaluated)

    # -- cache -------------------------------------------------------------
    def _serial(self, node_id: str) -> int:
        serial = self._serial_of.get(node_id)
        if serial is None:
            serial = len(self._id_of)
            self._id_of.append(node_id)
            self._serial_of[node_id] = serial
        return serial

    def _rebuild(self) -> None:
        """Walk the current track once (iteratively) and cache parent, row and children."""
        plan = self._document.plan
        self._parent_of = {}
        self._row_of = {}
        self._children_of = {}
        self._root_id = None
        track_id = getattr(self._document, "current_track_id", None) or None
        self._built_for = (id(plan), track_id)
        try:
            track = plan.track(track_id)
        except KeyError:
            return
        nodes = plan.nodes
        if track.root not in nodes:
            return
        self._root_id = track.root
        self._row_of[track.root] = 0
        seen = {track.root}
        stack = [track.root]
        while stack:
            node_id = stack.pop()
            # A malformed plan (dangling or repeated child) must not break the
            # view: such children are left out of the tree shown.
            kids = []
            for child in nodes[node_id].children:
                if child in nodes and child not in seen:
                    seen.add(child)
                    self._parent_of[child] = node_id
                    self._row_of[child] = len(kids)
                    kids.append(child)
            self._children_of[node_id] = kids
            stack.extend(kids)

    def reset(self, *_args) -> None:
        """Rebuild from the document (new plan, new track, or a structure edit)."""
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _on_plan_replaced(self) -> None:
        # The "reset" change that follows a new plan needs no second walk.
        self._skip_reset = True
        self.beginResetModel()
        self._serial_of.clear()  # no index survives a reset: the id table may restart
        self._id_of.clear()
        self._rebuild()
        self.endResetModel()

    def _on_track_changed(self, *_args) -> None:
        built = (id(self._document.plan), getattr(self._document, "current_track_id", None) or None)
        if built != self._built_for:
            self.reset()

    @property
    def track_id(self) -> str | None:
        """The track this model shows (as of its last rebuild)."""
        return self._built_for[1]

    # -- document signals ---------------------------------------------------
    def _on_changed(self, change) -> None:
        kind = getattr(change, "kind", "reset")
        skip, self._skip_reset = self._skip_reset, False
        if kind == "reset" and skip and self._built_for == (
                id(self._document.plan), getattr(self._document, "current_track_id", None) or None):
            return
        track_id = getattr(change, "track_id", None)
        current = getattr(self._document, "current_track_id", None)
        if kind in ("structure", "tracks", "reset"):
            if kind == "structure" and track_id and current and track_id != current:
                return
            if kind == "structure" and self._update_rows(getattr(change, "node_ids", ()) or ()):
                return
            self.reset()
        elif kind in ("node", "responses"):
            for node_id in getattr(change, "node_ids", ()) or ():
                self.node_changed(node_id)

    def _on_evaluated(self, _result=None) -> None:
        # The computed columns of every row may have moved. A range of indexes
        # makes views repaint their whole viewport (O(visible rows)), which is
        # what we want; naming every row would be O(n) per evaluation.
        if self._root_id is None:
            return
        self.dataChanged.emit(
            self.index(0, COL_LABEL), self.index(0, COL_READINESS),
        )

    def node_changed(self, node_id: str) -> None:
        """Tell views that the row of ``node_id`` changed (no-op when not in the track)."""
        if node_id not in self._row_of:
            return
        self.dataChanged.emit(self.index_of(node_id, 0), self.index_of(node_id, len(COLUMNS) - 1))

    # -- lookups ------------------------------------------------------------
    @property
    def root_id(self) -> str | None:
        """Id of the current track's root (None when the track is empty)."""
        return self._root_id

    def node_id(self, index: QModelIndex) -> str | None:
        """Node id of an index (None for the invalid index)."""
        if not index.isValid():
            return None
        return self._id_of[index.internalId()]

    def index_of(self, node_id: str, column: int = 0) -> QModelIndex:
        """Index of a node of the current track (invalid when it is not in it)."""
        row = self._row_of.get(node_id)
        if row is None:
            return QModelIndex()
        return self.createIndex(row, column, self._serial(node_id))

    def parent_id(self, node_id: str) -> str | None:
        """Parent of a node in the current track (None for the root or unknown ids)."""
        return self._parent_of.get(node_id)

    def children_ids(self, node_id: str) -> list[str]:
        """Children of a node as shown (a copy)."""
        return list(self._children_of.get(node_id, ()))

    def contains(self, node_id: str) -> bool:
        """True when ``node_id`` is in the current track."""
        return node_id in self._row_of

    def ancestors(self, node_id: str) -> list[str]:
        """Ids from the parent of ``node_id`` up to the root (O(depth))."""
        out = []
        current = self._parent_of.get(node_id)
        while current is not None:
            out.append(current)
            current = self._parent_of.get(current)
        return out

    def is_in_subtree(self, node_id: str, root_id: str) -> bool:
        """True when ``node_id`` is ``root_id`` or lies below it."""
        current: str | None = node_id
        while current is not None:
            if current == root_id:
                return True
            current = self._parent_of.get(current)
        return False

    # -- QAbstractItemModel -------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if parent.isValid():
            kids = self._children_of.get(self._id_of[parent.internalId()], ())
        else:
            kids = (self._root_id,) if self._root_id is not None else ()
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, column, self._serial(kids[row]))

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent_id = self._parent_of.get(self._id_of[index.internalId()])
        if parent_id is None:
            return QModelIndex()
        return self.createIndex(self._row_of[parent_id], 0, self._serial(parent_id))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return 1 if self._root_id is not None else 0
        if parent.column() > 0:
            return 0
        return len(self._children_of.get(self._id_of[parent.internalId()], ()))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return {"label": translate("PlanTreeModel", "label"), "kind": translate("PlanTreeModel", "kind"),
                        "path": translate("PlanTreeModel", "path"), "probability": translate("PlanTreeModel", "p"),
                        "EV": translate("PlanTreeModel", "EV"), "readiness": translate("PlanTreeModel", "ready"),
                        }.get(COLUMNS[section], COLUMNS[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return {
                    "probability": translate("PlanTreeModel",
                                             "branch probability (italic: computed from an expression or '#')"),
                    "EV": translate("PlanTreeModel", "expected value of the subtree, its own payoff included"),
                    "readiness": translate("PlanTreeModel",
                                           "branch readiness: best response readiness (late ones count 0); "
                                           "dot: grey none, red late, amber partial, green ready"),
                    "path": translate("PlanTreeModel", "success, failure or neutral path (inherited in italics)"),
                }.get(COLUMNS[section], COLUMNS[section])
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        node_id = self._id_of[index.internalId()]
        if node_id != self._root_id:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        node = self._document.plan.nodes.get(node_id)
        if node is not None and node.kind != TERMINAL:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def _result_index(self, node_id: str):
        """(result, position) of a node in the last evaluation of this track, or (None, -1)."""
        result = getattr(self._document, "result", None)
        if result is None:
            return None, -1
        result_track = getattr(result, "track_id", None)
        current = getattr(self._document, "current_track_id", None)
        if result_track and current and result_track != current:
            return None, -1
        position = result.index.get(node_id, -1)
        if position < 0 or position >= len(result.node_ev):
            return None, -1
        return result, position

    def _is_branch(self, node_id: str) -> bool:
        parent_id = self._parent_of.get(node_id)
        parent = self._document.plan.nodes.get(parent_id) if parent_id else None
        return parent is not None and parent.kind == CHANCE

    def _shown_path(self, node: Node) -> tuple[str | None, bool]:
        """(path, inherited): the node's own path, else the resolved one from the result."""
        if node.path:
            return node.path, False
        result, i = self._result_index(node.id)
        if result is not None:
            paths = getattr(result, "node_path", None)
            if paths is not None and i < len(paths) and paths[i]:
                return paths[i], True
        return None, True

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node_id = self._id_of[index.internalId()]
        node = self._document.plan.nodes.get(node_id)
        if node is None:
            return None
        column = index.column()
        if role == NODE_ID_ROLE:
            return node_id
        if role == BADGE_ROLE:
            return readiness.badge(node) if self._is_branch(node_id) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_READINESS and self._is_branch(node_id):
            return badge_icon(readiness.badge(node))  # the canvas's badge colours
        if role == Qt.ItemDataRole.DecorationRole and column == COL_LABEL:
            # the path stripe only where a path means something: branches and ends
            with_path = node.kind == TERMINAL or self._is_branch(node.id)
            return kind_icon(node.kind, self._shown_path(node)[0] if with_path else None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(node, column)
        if role == Qt.ItemDataRole.FontRole and (
            (column == COL_PATH and not node.path)
            or (column == COL_PROBABILITY and isinstance(node.probability, str))
        ):
            font = QFont()
            font.setItalic(True)  # inherited path, or a probability computed from an expression / '#'
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= COL_PROBABILITY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, column)
        return None

    def _display(self, node: Node, column: int) -> str:
        if column == COL_LABEL:
            return node.label or f"({node.id})"
        if column == COL_KIND:
            return node.kind
        if column == COL_PATH:
            return self._shown_path(node)[0] or ""
        if column == COL_PROBABILITY:
            if not self._is_branch(node.id):
                return ""
            # the resolved number (narrow column); the written form is in the tooltip
            result, i = self._result_index(node.id)
            if result is None:
                return format_stored(node.probability)
            return format_number(float(result.node_probability[i]))
        result, i = self._result_index(node.id)
        if result is None:
            return ""
        if column == COL_EV:
            values2 = getattr(result, "node_ev2", None)  # two criteria: both, the second after "·"
            if values2 is not None:
                return f"{format_number(float(result.node_ev[i]))} · {format_number(float(values2[i]))}"
            return format_number(float(result.node_ev[i]))
        if column == COL_READINESS:
            if not self._is_branch(node.id):
                return ""
            return format_percent(float(result.node_readiness[i]))
        return ""

    def _foreground(self, node: Node, column: int):
        if column == COL_PATH:
            path, _inherited = self._shown_path(node)
            return QBrush(path_colour(path, text=True)) if path else None
        if column == COL_READINESS and node.responses and readiness.badge(node) == readiness.LATE:
            return QBrush(palette.qcolor(palette.BADGE_LATE))
        result, i = self._result_index(node.id)
        on_policy = getattr(result, "node_on_policy", None) if result is not None else None
        if on_policy is not None and not bool(on_policy[i]):
            return QBrush(palette.qcolor(palette.TEXT_MUTED))  # options the policy does not take
        return None

    def _tooltip(self, node: Node, column: int) -> str:
        if column == COL_PROBABILITY and self._is_branch(node.id):
            return fill(translate("PlanTreeModel", "probability as written: %1"), format_stored(node.probability))
        if column == COL_READINESS:
            late = [r for r in node.responses if r.is_late(node.warning_days)]
            if late:
                return "\n".join(
                    fill(translate("PlanTreeModel", "late: %1: %2 d lead time vs %3 d warning"),
                         r.title or r.id, f"{r.lead_time_days:g}", f"{node.warning_days:g}")
                    for r in late
                )
        if column == COL_EV:
            result, i = self._result_index(node.id)
            settings = getattr(result, "settings", None) if result is not None else None
            if settings is not None and settings.two and getattr(result, "node_ev2", None) is not None:
                (n1, n2), (u1, u2) = settings.names, settings.units
                return (f"{n1}: {format_number(float(result.node_ev[i]))} {u1}\n"
                        f"{n2}: {format_number(float(result.node_ev2[i]))} {u2}").replace(" \n", "\n").rstrip()
        text = f"{node.id}: {node.label}" if node.label else node.id
        if node.notes:
            text += "\n" + node.notes
        return text

    # -- drag and drop ------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        ids: list[str] = []
        for index in indexes:
            node_id = self.node_id(index)
            if node_id is not None and node_id not in ids:
                ids.append(node_id)
        data = QMimeData()
        data.setData(NODE_MIME_TYPE, json.dumps(ids).encode("utf-8"))
        return data

    def _dragged_id(self, data: QMimeData) -> str | None:
        if data is None or not data.hasFormat(NODE_MIME_TYPE):
            return None
        try:
            ids = json.loads(bytes(data.data(NODE_MIME_TYPE)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(ids, list) or len(ids) != 1 or not isinstance(ids[0], str):
            return None
        return ids[0]

    def drop_target(self, node_id: str, new_parent_id: str | None, row: int) -> int | None:
        """Final child index for moving ``node_id`` under ``new_parent_id`` at drop ``row``.

        ``row`` is Qt's drop row: a position among the current children
        (-1 = dropped on the parent itself: append). Returns None when the move
        is refused: unknown nodes, the root, a terminal target, a target inside
        the moved subtree, or a move that changes nothing.
        """
        nodes = self._document.plan.nodes
        if node_id not in self._row_of or node_id == self._root_id:
            return None
        if new_parent_id is None or new_parent_id not in self._row_of:
            return None
        target = nodes.get(new_parent_id)
        if target is None or target.kind == TERMINAL:
            return None
        if self.is_in_subtree(new_parent_id, node_id):
            return None
        kids = self._children_of.get(new_parent_id, [])
        position = len(kids) if row < 0 or row > len(kids) else row
        if self._parent_of.get(node_id) == new_parent_id:
            current = self._row_of[node_id]
            if position > current:
                position -= 1  # the node leaves its old place first
            if position == current:
                return None
        return position

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        if action not in (Qt.DropAction.MoveAction,):
            return False
        node_id = self._dragged_id(data)
        return node_id is not None and self.drop_target(node_id, self.node_id(parent), row) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if action != Qt.DropAction.MoveAction:
            return False
        node_id = self._dragged_id(data)
        if node_id is None:
            return False
        new_parent_id = self.node_id(parent)
        position = self.drop_target(node_id, new_parent_id, row)
        if position is None:
            return False
        try:
            self._document.move_subtree(node_id, new_parent_id, position)
        except (PlanError, KeyError, ValueError):
            return False
        return True
