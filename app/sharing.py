"""Sharing plans from the main window: export, import, compare and merge.

:func:`install_sharing` adds to the File menu

* **Import…**: a SilverDecisions file, a Freeplane/FreeMind mind map or a
  text outline (:func:`planning.files.importers.detect.import_any`), opened as a
  new, unsaved plan after the usual unsaved-changes prompt;
* **Export ▸**: the briefing report (PDF, HTML, Markdown), the action
  register (CSV), tree pictures (PNG, SVG) and graphs (GraphML, DOT), written
  by the same code as ``branchwise export`` (:func:`app.cli_export.export_plan`);
* **Compare with…**: the changes between the open plan and another file, by
  node id and field (:class:`widgets.merge_dialog.CompareDialog`);
* **Merge…**: a three-way merge (:func:`planning.sharing.merge.merge_plans`) of a
  BASE and THEIRS file into the open plan as OURS, applied as one undo step;
  conflicts open :class:`widgets.merge_dialog.MergeDialog`;
* **Resolve merge conflicts…**, also offered by a banner above the tree
  whenever the plan holds ``extra["merge_conflicts"]``.

A merge replaces the plan's contents, and a settled conflict edits the
plan's ``extra``; the Document has no method for either, so both are built
here as :class:`planning.model.edits.Edit` objects and pushed as ordinary
:class:`app.commands.EditCommand` undo steps.
"""
from __future__ import annotations

import dataclasses
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication, QBoxLayout, QFileDialog, QFrame, QHBoxLayout, QLabel, QMenu, QMessageBox,
    QPushButton, QToolButton, QWidget,
)

from app.commands import EditCommand
from widgets import palette
from planning.model.edits import PLAN, TRACKS, Change, Edit
from planning.sharing.merge import CONFLICTS_KEY, SIDES_KEY, MergeResult
from planning.model.plan import Plan
from widgets.merge_dialog import CompareDialog, MergeDialog
from widgets.i18n import fill, translate

log = logging.getLogger(__name__)

PLAN_FILTER = "Branchwise plans (*.bwplan);;All files (*)"
IMPORT_FILTER = ("Plans from other tools (*.json *.mm *.txt *.md *.markdown *.outline);;"
                 "SilverDecisions (*.json);;Freeplane / FreeMind mind maps (*.mm);;"
                 "Text outlines (*.txt *.md *.markdown *.outline);;All files (*)")

#: Export format -> (menu text, file-dialog filter, suffix), in menu order.
EXPORTS: dict[str, tuple[str, str, str]] = {
    "pdf": ("Briefing report &PDF…", "PDF documents (*.pdf)", ".pdf"),
    "html": ("Briefing report &HTML…", "Web pages (*.html *.htm)", ".html"),
    "md": ("Briefing report &Markdown…", "Markdown (*.md)", ".md"),
    "csv": ("Action register &CSV…", "CSV spreadsheets (*.csv)", ".csv"),
    "png": ("Tree picture P&NG…", "PNG images (*.png)", ".png"),
    "svg": ("Tree picture &SVG…", "SVG images (*.svg)", ".svg"),
    "graphml": ("&GraphML…", "GraphML graphs (*.graphml)", ".graphml"),
    "dot": ("Graphviz &DOT…", "Graphviz DOT (*.dot *.gv)", ".dot"),
}


# -- undoable edits the Document has no method for -----------------------------------
class _SetAttributes:
    """A reversible operation (see planning.model.edits): set attributes of one object."""

    def __init__(self, target: Any, values: dict[str, Any]):
        self.target = target
        self.new = values
        self.old = {name: getattr(target, name) for name in values}

    def apply(self, plan: Plan) -> None:
        for name, value in self.new.items():
            setattr(self.target, name, value)

    def revert(self, plan: Plan) -> None:
        for name, value in self.old.items():
            setattr(self.target, name, value)


def _push(document, text: str, change: Change, target: Any, values: dict[str, Any]) -> None:
    edit = Edit(text, change, [_SetAttributes(target, values)])
    edit.redo(document.plan)
    document.undo_stack.push(EditCommand(document, edit))  # the command expects it applied


def replace_plan_contents(document, plan: Plan, text: str) -> None:
    """Make the open plan hold ``plan``'s contents, as one undo step.

    The Document keeps its plan object (views and undo steps hold it); its
    fields take ``plan``'s, and undo puts the old ones back exactly.

    Parameters
    ----------
    document : app.document.Document
    plan : Plan
        Its objects are taken over, not copied: do not use it afterwards.
    text : str
        The undo step's name ("Merge theirs.bwplan").
    """
    values = {f.name: getattr(plan, f.name) for f in dataclasses.fields(Plan)}
    # "tracks" with no track id: every view rebuilds and the track tabs are
    # redone. ("reset" would be skipped by views that think the plan object
    # they drew, being the same object, is unchanged.)
    _push(document, text, Change(TRACKS, None), document.plan, values)


def set_plan_extra(document, key: str, value: Any) -> None:
    """Set ``plan.extra[key]`` (None or an empty list removes it), as one undo step."""
    extra = dict(document.plan.extra)
    if value is None or value == []:
        extra.pop(key, None)
    else:
        extra[key] = value
    if extra == document.plan.extra:
        return
    _push(document, f"Set {key.replace('_', ' ')}", Change(PLAN, None, (), (key,)),
          document.plan, {"extra": extra})


@contextmanager
def _busy():
    """A wait cursor while a long read, merge or export runs."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def plan_conflicts(plan: Plan) -> list[dict]:
    """The unresolved merge conflicts a plan holds (empty when there are none)."""
    entries = plan.extra.get(CONFLICTS_KEY)
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


# -- the banner -----------------------------------------------------------------------
class ConflictBanner(QFrame):
    """A strip above the tree while the plan holds merge conflicts."""

    def __init__(self, document, resolve, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.dismissed = False
        self.setObjectName("merge_conflicts_banner")
        palette.styled(self, "#merge_conflicts_banner {{ background: {WARNING_BACKGROUND}; "
                             "border-bottom: 1px solid {WARNING_BORDER}; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel(self)
        palette.styled(self.label, "color: {TEXT};")
        layout.addWidget(self.label, 1)
        self.button = QPushButton(translate("ConflictBanner", "Resolve conflicts…"), self)
        self.button.setObjectName("resolve_conflicts_button")
        self.button.clicked.connect(lambda: resolve())
        layout.addWidget(self.button)
        close = QToolButton(self)
        close.setText("\u2715")
        close.setAutoRaise(True)
        close.setToolTip(translate("ConflictBanner", "Hide until the next plan is opened"))
        close.clicked.connect(self.dismiss)
        layout.addWidget(close)
        document.planReplaced.connect(self._plan_replaced)
        document.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def _plan_replaced(self) -> None:
        self.dismissed = False
        self.refresh()

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()

    def refresh(self) -> None:
        count = len(plan_conflicts(self.document.plan))
        # one whole sentence per number: a translation may word the plural differently
        text = translate("ConflictBanner", "⚠ This plan holds 1 unresolved merge conflict: ours is kept until you "
                                           "choose.") if count == 1 else \
            translate("ConflictBanner", "⚠ This plan holds %1 unresolved merge conflicts: ours is kept at each "
                                        "until you choose.")
        self.label.setText(fill(text, count))
        self.setVisible(bool(count) and not self.dismissed)


# -- the commands ---------------------------------------------------------------------
class Sharing(QObject):
    """File > Import, Export, Compare and Merge for one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.actions: dict[str, QAction] = {}
        self.compare_dialog: CompareDialog | None = None
        self.merge_dialog: MergeDialog | None = None
        self.banner = ConflictBanner(self.document, self.resolve_conflicts, window)
        self.document.planReplaced.connect(self._close_merge_dialog)
        self.document.changed.connect(lambda _change: self._update_resolve_action())

    # -- helpers -----------------------------------------------------------------
    def _start_folder(self) -> str:
        path = self.document.path
        return str(path.parent) if path is not None else ""

    def _ask_open(self, title: str, file_filter: str = PLAN_FILTER) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.window, title, self._start_folder(), file_filter)
        return path or None

    def _message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def _update_resolve_action(self) -> None:
        action = self.actions.get("resolve_conflicts")
        if action is not None:
            action.setEnabled(bool(plan_conflicts(self.document.plan)))

    # -- export -------------------------------------------------------------------
    def export(self, fmt: str, path: str | Path | None = None) -> Path | None:
        """File > Export: write the open plan as ``fmt``; errors go to a message box.

        Returns
        -------
        Path or None
            The file written; None when cancelled or refused.
        """
        from app.cli_export import EVALUATED_FORMATS, export_plan
        from planning.model.errors import ERROR
        from planning.model.validate import validate_plan

        text, file_filter, suffix = EXPORTS[fmt]
        title = f"Export {text.replace('&', '').rstrip('…')}"
        plan = self.document.plan
        if fmt in EVALUATED_FORMATS:
            errors = [p for p in validate_plan(plan) if p.severity == ERROR]
            if errors:
                listed = "\n".join(f"\u2022 {p}" for p in errors[:12])
                more = f"\n… and {len(errors) - 12} more" if len(errors) > 12 else ""
                QMessageBox.warning(self.window, title, fill(translate("Sharing", "This export needs the numbers of a valid plan; fix these first (see the Problems panel):\n\n%1%2"), listed, more))
                return None
        if path is None:
            stem = self.document.path.stem if self.document.path else self.document.display_name()
            stem = "".join("-" if c in '/\\:*?"<>|' else c for c in stem)  # a title is no file name
            start = Path(self._start_folder() or Path.home()) / f"{stem}{suffix}"
            chosen, _ = QFileDialog.getSaveFileName(self.window, title, str(start), file_filter)
            if not chosen:
                return None
            path = chosen
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(suffix)
        try:
            with _busy():
                export_plan(plan, fmt, path)
        except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
            log.warning("export to %s failed", path, exc_info=True)
            QMessageBox.critical(self.window, title, fill(translate("Sharing", "Could not write %1:\n%2"), path, exc))
            return None
        self._message(fill(translate("Sharing", "Exported %1"), path))
        return path

    # -- import -------------------------------------------------------------------
    import_warnings: list[str] = []

    def import_file(self, path: str | Path | None = None) -> bool:
        """File > Import: open a file from another tool as a new, unsaved plan."""
        from planning.files.importers.detect import import_any

        if not self.window.maybe_save():
            return False
        if path is None:
            path = self._ask_open("Import a plan", IMPORT_FILTER)
            if path is None:
                return False
        import warnings

        try:
            with _busy(), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                plan = import_any(path)
        except (OSError, ValueError) as exc:  # PlanFileError and PlanError are ValueErrors
            QMessageBox.warning(self.window, translate("Sharing", "Cannot import"), f"{path}:\n{exc}")
            return False
        self.import_warnings = [str(w.message) for w in caught]
        if not plan.title:
            plan.title = Path(path).stem
        self.window.autosaver.remove()
        # An imported plan has no file of its own yet: untitled and unsaved.
        self.document.load_recovered(plan, None)
        self._message(fill(translate("Sharing", "Imported %1 (%2 nodes): save it to keep it as a Branchwise plan"), Path(path).name, len(plan.nodes)))
        if self.import_warnings:  # what the import did not understand, and what it did instead
            count = len(self.import_warnings)
            shown_lines = self.import_warnings[:12]
            more = fill(translate("Sharing", "\n\u2026 and %1 more"), count - 12) if count > 12 else ""
            # Whole sentences for one and for many: a translation cannot follow an appended "s".
            said = (fill(translate("Sharing", "%1 was imported; 1 thing was not understood and left as text or out:"),
                         Path(path).name) if count == 1 else
                    fill(translate("Sharing", "%1 was imported; %2 things were not understood and left as text or out:"),
                         Path(path).name, count))
            QMessageBox.information(
                self.window, translate("Sharing", "Imported with notes"),
                said + "\n\n" + "\n".join(shown_lines) + more)
        return True

    # -- compare ------------------------------------------------------------------
    def compare_with(self, path: str | Path | None = None) -> CompareDialog | None:
        """File > Compare with: list what differs between the open plan and ``path``."""
        from planning.sharing.diff import diff_plans
        from planning.files.planfile import load_plan

        if path is None:
            path = self._ask_open("Compare with")
            if path is None:
                return None
        try:
            with _busy():
                changes = diff_plans(self.document.plan, load_plan(path))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, translate("Sharing", "Cannot compare"), f"{path}:\n{exc}")
            return None
        if self.compare_dialog is not None:
            self.compare_dialog.close()
        self.compare_dialog = CompareDialog(self.document, changes, Path(path).name, self.window)
        self.compare_dialog.show()
        self.compare_dialog.raise_()
        self.compare_dialog.activateWindow()
        return self.compare_dialog

    # -- merge --------------------------------------------------------------------
    def merge(self, base_path: str | Path | None = None,
              theirs_path: str | Path | None = None) -> MergeResult | None:
        """File > Merge: merge BASE and THEIRS into the open plan (OURS) as one undo step.

        Returns
        -------
        MergeResult or None
            None when cancelled or a file cannot be read.
        """
        from planning.sharing.merge import merge_plans
        from planning.files.planfile import load_plan, plan_to_dict

        if base_path is None:
            base_path = self._ask_open("Merge, step 1 of 2: the common ancestor (BASE)")
            if base_path is None:
                return None
        if theirs_path is None:
            theirs_path = self._ask_open("Merge, step 2 of 2: their version (THEIRS)")
            if theirs_path is None:
                return None
        name = Path(theirs_path).name
        try:
            with _busy():
                base, theirs = load_plan(base_path), load_plan(theirs_path)
                result = merge_plans(base, self.document.plan, theirs)
                if not result.clean:  # the conflict dialog names the sides
                    result.plan.extra[SIDES_KEY] = {"ours": "this plan", "theirs": name,
                                                    "rebase": False}
                unchanged = plan_to_dict(result.plan) == plan_to_dict(self.document.plan)
        except (OSError, ValueError) as exc:  # PlanFileError and PlanError are ValueErrors
            QMessageBox.warning(self.window, translate("Sharing", "Cannot merge"), str(exc))
            return None
        if unchanged:
            self._message(fill(translate("Sharing", "Merged %1: nothing new"), name))
            return result
        with _busy():  # the views redraw the merged plan
            replace_plan_contents(self.document, result.plan, f"Merge {name}")
        notes = f" ({'; '.join(result.notes)})" if result.notes else ""
        if result.clean:
            self._message(fill(translate("Sharing", "Merged %1 cleanly%2; Undo takes it back"), name, notes))
        else:
            count = len(result.conflicts)
            text = translate("Sharing", "Merged %1 with 1 conflict%3") if count == 1 else \
                translate("Sharing", "Merged %1 with %2 conflicts%3")
            self._message(fill(text, name, count, notes))
            self.resolve_conflicts(result.notes)
        return result

    def resolve_conflicts(self, notes: list[str] | None = None) -> MergeDialog | None:
        """Open the conflict dialog for the plan's ``extra["merge_conflicts"]``."""
        if not plan_conflicts(self.document.plan):
            self._message(translate("Sharing", "The plan holds no merge conflicts"))
            return None
        self._close_merge_dialog()
        self.merge_dialog = MergeDialog(self.document, self._store_conflicts, notes, self.window)
        self.merge_dialog.show()
        # The keyboard goes to the conflicts (Return applies them), not to the editor behind.
        self.merge_dialog.raise_()
        self.merge_dialog.activateWindow()
        return self.merge_dialog

    def _store_conflicts(self, entries: list[dict]) -> None:
        set_plan_extra(self.document, CONFLICTS_KEY, entries)
        if not entries:  # settled: the names of the merge's sides go with them
            set_plan_extra(self.document, SIDES_KEY, None)

    def _close_merge_dialog(self) -> None:
        if self.merge_dialog is not None:
            self.merge_dialog.close()
            self.merge_dialog.deleteLater()
            self.merge_dialog = None

    # -- menus --------------------------------------------------------------------
    def _action(self, name: str, text: str, handler, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action_{name}")
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: handler())
        self.actions[name] = action
        return action

    def install(self) -> None:
        """Add the actions to the File menu (before Close) and the banner above the tree."""
        window = self.window
        import_action = self._action("import", "&Import…", self.import_file,
                                     "Open a SilverDecisions file, mind map or outline as a new plan")
        export_menu = QMenu(translate("Sharing", "&Export"), window)
        export_menu.setObjectName("menu_export")
        for fmt, (text, _filter, _suffix) in EXPORTS.items():
            export_menu.addAction(self._action(f"export_{fmt}", text, lambda f=fmt: self.export(f)))
        compare = self._action("compare", "Compare &with…", self.compare_with,
                               "List what differs between this plan and another file")
        merge = self._action("merge", "&Merge…", self.merge,
                             "Merge another version of this plan (three-way, by node and field)")
        resolve = self._action("resolve_conflicts", "Resolve merge &conflicts…",
                               self.resolve_conflicts, "Settle the conflicts a merge left")
        self._update_resolve_action()
        file_menu = next((a.menu() for a in window.menuBar().actions()
                          if a.menu() is not None and a.menu().title().replace("&", "") == "File"),
                         None)
        if file_menu is None:
            file_menu = window.menuBar().addMenu(translate("Sharing", "&File"))
        close = getattr(window, "actions", {}).get("close")
        if close not in file_menu.actions():
            close = file_menu.addSeparator()  # an anchor at the end to insert before
        for item in (import_action, export_menu, None, compare, merge, resolve, None):
            if item is None:
                file_menu.insertSeparator(close)
            elif isinstance(item, QMenu):
                file_menu.insertMenu(close, item)
            else:
                file_menu.insertAction(close, item)
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(1 if layout.count() > 1 else 0, self.banner)  # under the track tabs
        else:
            window.addToolBarBreak()
            window.addToolBar("Merge conflicts").addWidget(self.banner)


def install_sharing(window) -> Sharing:
    """Add Import, Export, Compare with, Merge and the conflict banner to a MainWindow.

    Parameters
    ----------
    window : app.main_window.MainWindow
        Needs ``document``, ``maybe_save()``, ``autosaver`` and a File menu.

    Returns
    -------
    Sharing
        The controller (also ``window.sharing``); its actions are named
        ``action_import``, ``action_export_<format>``, ``action_compare``,
        ``action_merge`` and ``action_resolve_conflicts``.
    """
    sharing = Sharing(window)
    sharing.install()
    window.sharing = sharing
    return sharing
