"""The problems panel: what is wrong or doubtful in the plan, and where.

One row per ``document.problems`` entry (``"Vetoed" [n4]: children: chance
node needs at least one branch``: the node's current label, its id in
brackets) with an icon per severity. Activating a row (double click,
Return) or clicking it selects the node, switching to its track first when
it lives on another one. A problem with an obvious repair (``Problem.fix``)
offers it in the row's context menu and on the Fix button under the list;
the repair is one undoable edit made through the document. The list follows
every change of the document; the refresh is queued to the event loop so
that a burst of signals for one edit rebuilds the list once, after the
document has revalidated.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout, QListWidget, QListWidgetItem, QMenu, QPushButton, QStyle, QVBoxLayout, QWidget,
)

from planning.model.edits import track_of
from planning.model.errors import ERROR, WARNING, Fix, Problem
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate

#: Role holding the node id of a problem row.
PROBLEM_NODE_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role holding the row's :class:`planning.model.errors.Fix` (None when there is none).
PROBLEM_FIX_ROLE = Qt.ItemDataRole.UserRole + 2

#: Rows shown at most: a broken 100k-node plan can report one problem per node.
MAX_ROWS = 2000
#: A problem's severity as its tooltip says it (read through translate() when used).
SEVERITY = {"error": QT_TRANSLATE_NOOP("ProblemsPanel", "error"),
            "warning": QT_TRANSLATE_NOOP("ProblemsPanel", "warning")}


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
        self.list.setAccessibleName(self.tr("Problems"))
        self.list.setAccessibleDescription(self.tr("Problems of the plan; Enter selects the node, "
                                                   "the Fix button applies the offered fix"))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.list.setIconSize(QSize(16, 16))  # text-sized icons: one short row says "no problems"
        self.list.itemActivated.connect(self._go_to)
        self.list.itemClicked.connect(self._go_to)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.currentItemChanged.connect(self._update_fix_button)
        self.fix_button = QPushButton(translate("ProblemsPanel", "Fix"), self)
        self.fix_button.setObjectName("problemsFix")
        self.fix_button.clicked.connect(lambda: self.apply_fix(self.list.currentItem()))
        self.fix_button.hide()  # shown while the current row has a fix
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
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
        """The problems shown (the document's, in its order), named by current labels."""
        problems = list(getattr(self._document, "problems", None) or [])
        nodes = getattr(getattr(self._document, "plan", None), "nodes", {}) or {}
        return [_with_label(p, nodes) for p in problems]

    def refresh(self) -> None:
        """Rebuild the list from ``document.problems``."""
        problems = self.problems()
        self.list.clear()
        if not problems:
            item = QListWidgetItem(self._ok_icon, "No problems: the plan is valid.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            self.setWindowTitle(translate("ProblemsPanel", "Problems"))
            return
        errors = sum(1 for p in problems if p.severity == ERROR)
        for problem in problems[:MAX_ROWS]:
            item = QListWidgetItem(self._icons.get(problem.severity, self._info_icon), str(problem))
            item.setData(PROBLEM_NODE_ROLE, problem.node_id)
            fix = getattr(problem, "fix", None)
            item.setData(PROBLEM_FIX_ROLE, fix)
            tip = fill(translate("ProblemsPanel", "%1: %2"), translate("ProblemsPanel", SEVERITY.get(problem.severity,
                                                                                                problem.severity)),
                       problem)
            if problem.node_id:
                tip += "\n" + translate("ProblemsPanel", "click to show the node")
            if fix is not None:
                tip += "\n" + fill(translate("ProblemsPanel", "right-click or Fix: %1"), fix.description)
            item.setToolTip(tip)
            self.list.addItem(item)
        if len(problems) > MAX_ROWS:
            item = QListWidgetItem(f"… and {len(problems) - MAX_ROWS} more")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        # a dock wrapping this panel can show the count in its title
        title = translate("ProblemsPanel", "Problems (1 error, %2 other)") if errors == 1 else \
            translate("ProblemsPanel", "Problems (%1 errors, %2 other)")
        self.setWindowTitle(fill(title, errors, len(problems) - errors))

    def fix_of(self, item: QListWidgetItem | None) -> Fix | None:
        """The repair a row offers, if any."""
        return item.data(PROBLEM_FIX_ROLE) if item is not None else None

    def apply_fix(self, item: QListWidgetItem | None) -> bool:
        """Make the row's repair through the document (one undo step); False if none."""
        fix = self.fix_of(item)
        if fix is None or fix.node_id not in self._document.plan.nodes:
            return False
        self._document.set_node_field(fix.node_id, fix.field, fix.value)
        return True

    def _update_fix_button(self, item: QListWidgetItem | None, _previous=None) -> None:
        fix = self.fix_of(item)
        self.fix_button.setVisible(fix is not None)
        if fix is not None:
            self.fix_button.setText(fill(translate("ProblemsPanel", "Fix: %1"), fix.description))

    def _context_menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        fix = self.fix_of(item)
        if fix is None:
            return
        menu = QMenu(self)
        action = menu.addAction(fill(translate("ProblemsPanel", "Fix: %1"), fix.description))
        action.triggered.connect(lambda: self.apply_fix(item))
        menu.popup(self.list.viewport().mapToGlobal(position))

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


def _with_label(problem: Problem, nodes) -> Problem:
    """The problem named by its node's current label (a rename updates the row at once)."""
    node = nodes.get(problem.node_id) if problem.node_id else None
    label = getattr(node, "label", None)
    if not isinstance(label, str) or label == problem.label:
        return problem
    return replace(problem, label=label)
