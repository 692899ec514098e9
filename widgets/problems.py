"""The problems panel: what is wrong or doubtful in the plan, and where.

One row per ``document.problems`` entry ("node n12: probability: siblings
sum to 1.05") with an icon per severity. Activating a row (double click,
Return) or clicking it selects the node, switching to its track first when
it lives on another one. The list follows every change of the document; the
refresh is queued to the event loop so that a burst of signals for one edit
rebuilds the list once, after the document has revalidated.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from planning.edits import track_of
from planning.errors import ERROR, WARNING

#: Role holding the node id of a problem row.
PROBLEM_NODE_ROLE = Qt.ItemDataRole.UserRole + 1

#: Rows shown at most: a broken 100k-node plan can report one problem per node.
MAX_ROWS = 2000


class ProblemsPanel(QWidget):
    """List of the document's problems; clicking one shows its node.

    Parameters
    ----------
    document : Document
        The open document (ARCHITECTURE.md, "The Document").
    parent : QWidget, optional
    """

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        self.setObjectName("problems")
        self.list = QListWidget(self)
        self.list.setObjectName("problemsList")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.list.setIconSize(QSize(16, 16))  # text-sized icons: one short row says "no problems"
        self.list.itemActivated.connect(self._go_to)
        self.list.itemClicked.connect(self._go_to)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        style = self.style()
        self._icons = {
            ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        self._info_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self._ok_icon = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        document.changed.connect(self._schedule)
        document.evaluated.connect(self._schedule)
        document.planReplaced.connect(self._schedule)
        if hasattr(document, "problemsChanged"):  # validation debounced after edits
            document.problemsChanged.connect(self._schedule)
        self.refresh()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # About two rows: the panel sits under the canvas and is mostly "No problems".
        rows = 2 * max(self.list.fontMetrics().height() + 4, 20)
        return QSize(super().sizeHint().width(), rows + 2 * self.list.frameWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(80, max(self.list.fontMetrics().height() + 8, 24))

    def _schedule(self, *_args) -> None:
        self._timer.start()

    def problems(self) -> list:
        """The problems shown (the document's, in its order)."""
        return list(getattr(self._document, "problems", None) or [])

    def refresh(self) -> None:
        """Rebuild the list from ``document.problems``."""
        problems = self.problems()
        self.list.clear()
        if not problems:
            item = QListWidgetItem(self._ok_icon, "No problems: the plan is valid.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            self.setWindowTitle("Problems")
            return
        errors = sum(1 for p in problems if p.severity == ERROR)
        for problem in problems[:MAX_ROWS]:
            item = QListWidgetItem(self._icons.get(problem.severity, self._info_icon), str(problem))
            item.setData(PROBLEM_NODE_ROLE, problem.node_id)
            item.setToolTip(f"{problem.severity}: {problem}" + ("\nclick to show the node" if problem.node_id else ""))
            self.list.addItem(item)
        if len(problems) > MAX_ROWS:
            item = QListWidgetItem(f"… and {len(problems) - MAX_ROWS} more")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        # a dock wrapping this panel can show the count in its title
        self.setWindowTitle(f"Problems ({errors} error{'s' if errors != 1 else ''}, {len(problems) - errors} other)")

    def _go_to(self, item: QListWidgetItem) -> None:
        node_id = item.data(PROBLEM_NODE_ROLE)
        document = self._document
        if not node_id or node_id not in document.plan.nodes:
            return
        track_id = track_of(document.plan, node_id)
        if track_id is not None and track_id != getattr(document, "current_track_id", None):
            document.set_current_track(track_id)
        if getattr(document, "selected_id", None) != node_id:
            document.select(node_id)
