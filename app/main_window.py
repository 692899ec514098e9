"""The main window: menus, toolbar, track tabs, the tree canvas and the docks.

The window owns one :class:`app.document.Document`. Views (canvas, outline,
inspector, problems, summary bar) come from ``widgets``; a view module that
cannot be imported is replaced by a plain label so the window still opens.
"""
from __future__ import annotations

import atexit
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QComboBox, QDockWidget, QInputDialog, QLineEdit, QMainWindow,
    QMenu, QMessageBox, QPlainTextEdit, QSizePolicy, QTabBar, QTextEdit, QVBoxLayout, QWidget,
)

from app import settings
from app.actions import MENUS, TOOLBAR, create_actions
from app.autosave import INTERVAL_MS, Autosaver, offer_recovery
from app.document import Document
from app.file_dialogs import ask_open_path, ask_save_path, remember_folder
from app.find_bar import FindBar
from planning.model.edits import FRAGMENT_MIME, RESET, TRACKS
from widgets.inspector import Inspector
from widgets.outline import Outline
from widgets.problems import ProblemsPanel
from widgets.summary_bar import SummaryBar
from widgets.track_tabs import TrackTabBar
from widgets.tree_canvas import TreeCanvas
from planning.model.errors import PlanError
from widgets.i18n import fill, translate

log = logging.getLogger(__name__)

APP_TITLE = "Branchwise"
TEXT_WIDGETS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
_clipboard_guarded = False


def _release_clipboard() -> None:
    """Take our QMimeData back from the clipboard before Python shuts down.

    QClipboard deletes its data in a C++ exit handler, after the Python
    interpreter is gone; with PySide6 that crashes (segfault at exit) when
    the data was made in Python. Registered with atexit on the first copy.
    """
    app = QApplication.instance()
    if app is None:
        return
    mime = QApplication.clipboard().mimeData()
    if mime is not None and mime.hasFormat(FRAGMENT_MIME):
        QApplication.clipboard().clear()


class MainWindow(QMainWindow):
    """The Branchwise editor window for one document."""

    def __init__(self, document: Document | None = None, autosave_ms: int = INTERVAL_MS):
        super().__init__()
        self.setObjectName("main_window")
        self.document = document if document is not None else Document(parent=self)
        self.actions = create_actions(self)
        self.autosaver = Autosaver(self.document, autosave_ms, self)
        self._shown_once = False
        self._build_central()
        self._build_docks()
        self._build_menus()
        self._connect()
        self.resize(1400, 900)
        self._restore_geometry()
        self._rebuild_tabs()
        self._select_root()
        self._update_title()
        self._update_undo_actions()
        self._install_extensions()

    def _install_extensions(self) -> None:
        """Features that add their own actions, menus and docks to the window."""
        from app.analysis import install_analysis
        from app.file_watch import install_file_watch
        from app.help import install_help
        from app.keyboard import install_keyboard
        from app.plan_settings import install_plan_settings
        from app.presenter import install_presenter
        from app.recovery import install_recovery
        from app.sharing import install_sharing

        install_help(self)
        install_presenter(self)
        install_sharing(self)
        install_recovery(self)  # offers a plan's autosave however it is opened
        self.analysis = install_analysis(self)
        install_keyboard(self)  # after the docks: F6 and Esc know them all
        install_plan_settings(self)
        install_file_watch(self)
        from app.theme import install_theme_menu

        install_theme_menu(self)  # View > Theme: System, Light, Dark

    # -- construction ------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Titles elide only to a readable length, then the bar scrolls.
        self.track_tabs = TrackTabBar(central)
        self.track_tabs.setToolTip(translate("MainWindow", "Tracks: double-click to rename"))
        layout.addWidget(self.track_tabs)
        self.find_bar = FindBar(self)
        layout.addWidget(self.find_bar)
        self.canvas = TreeCanvas(self.document)
        layout.addWidget(self.canvas, 1)
        self.summary_bar = SummaryBar(self.document)
        # The bar's natural width (all figures on one line) must not push the
        # docks to their minimum on a 1280-px screen: let it be narrower.
        policy = self.summary_bar.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.summary_bar.setSizePolicy(policy)
        layout.addWidget(self.summary_bar)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        # Outline and inspector run the full height; the bottom docks
        # (problems, analysis) sit under the canvas only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.outline = Outline(self.document)
        self.inspector = Inspector(self.document)
        self.problems = ProblemsPanel(self.document)
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget, area in (
                ("outline", translate("MainWindow", "Outline"), self.outline, Qt.DockWidgetArea.LeftDockWidgetArea),
                ("inspector", translate("MainWindow", "Inspector"), self.inspector,
                 Qt.DockWidgetArea.RightDockWidgetArea),
                ("problems", translate("MainWindow", "Problems"), self.problems,
                 Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock

    def _build_menus(self) -> None:
        a = self.actions
        self.recent_menu = QMenu(translate("MainWindow", "Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        a["open_recent"].setMenu(self.recent_menu)
        panels = QMenu(translate("MainWindow", "&Panels"), self)
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())
        a["panels"].setMenu(panels)
        for title, names in MENUS.items():
            menu = self.menuBar().addMenu(translate("Actions", title))
            menu.setObjectName("menu_" + title.replace("&", "").lower())
            for name in names:
                menu.addSeparator() if name == "-" else menu.addAction(a[name])
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("toolbar_main")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in TOOLBAR:
            toolbar.addSeparator() if name == "-" else toolbar.addAction(a[name])
        # Tab, Enter and Delete act only where the tree has focus, so that
        # they keep their usual meaning in the inspector's forms.
        tree_actions = [a[n] for n in ("add_child", "add_sibling", "delete")]
        for view in (self.canvas, self.outline):
            view.addActions(tree_actions)
        self.statusBar()

    def _connect(self) -> None:
        a, d = self.actions, self.document
        handlers = {
            "new": self.new_plan, "open": self.open_file, "save": self.save,
            "save_as": self.save_as, "close": self.close_plan, "quit": self.close,
            "undo": d.undo_stack.undo, "redo": d.undo_stack.redo, "cut": self.cut,
            "copy": self.copy, "paste": self.paste, "delete": self.delete_selected,
            "add_child": self.add_child, "add_sibling": self.add_sibling,
            "rename": self.rename_selected, "find": self.find_bar.open_bar,
            "fit": lambda: self._canvas_call("fit"),
            "zoom_in": lambda: self._canvas_call("zoom_in"),
            "zoom_out": lambda: self._canvas_call("zoom_out"),
            "collapse": lambda: self._set_collapsed(True),
            "expand": lambda: self._set_collapsed(False),
            "add_track": self.add_track, "rename_track": self.rename_track,
            "remove_track": self.remove_track,
            "move_track_left": lambda: self.move_track(-1),
            "move_track_right": lambda: self.move_track(+1),
        }
        for name, handler in handlers.items():
            a[name].triggered.connect(lambda _checked=False, h=handler: h())
        a["orientation"].toggled.connect(
            lambda on: self._canvas_call("set_orientation", "tb" if on else "lr"))
        d.undo_stack.canUndoChanged.connect(self._update_undo_actions)
        d.undo_stack.canRedoChanged.connect(self._update_undo_actions)
        d.undo_stack.indexChanged.connect(self._update_undo_actions)
        d.cleanChanged.connect(lambda _c: self._update_title())
        d.pathChanged.connect(lambda _p: self._update_title())
        d.planReplaced.connect(self._rebuild_tabs)
        d.planReplaced.connect(self._select_root)
        d.changed.connect(self._on_changed)
        d.currentTrackChanged.connect(self._sync_current_tab)
        self.track_tabs.currentChanged.connect(self._tab_selected)
        self.track_tabs.tabBarDoubleClicked.connect(lambda i: self.rename_track(i))

    # -- helpers -----------------------------------------------------------
    def message(self, text: str, ms: int = 6000) -> None:
        """Show a transient message in the status bar."""
        self.statusBar().showMessage(text, ms)

    def _canvas_call(self, name: str, *args) -> None:
        method = getattr(self.canvas, name, None)
        if callable(method):
            method(*args)

    def _attempt(self, what: str, func, *args):
        """Run an edit; a refused edit becomes a status message, not a crash."""
        try:
            return func(*args)
        except (ValueError, KeyError) as exc:
            self.message(f"{what}: {exc}")
            return None

    def _forwarded_to_editor(self, action: str) -> bool:
        """If a text field in the tree views has focus (in-place rename), give it
        the key our shortcut took (Enter must commit the rename, not add a node)."""
        focus = QApplication.focusWidget()
        editable_combo = isinstance(focus, QComboBox) and focus.isEditable()
        if focus is None or not (isinstance(focus, TEXT_WIDGETS) or editable_combo):
            return False
        sequence = self.actions[action].shortcut()
        if sequence.isEmpty():
            return False
        combo = sequence[0]
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            # Straight to the widget's event(): going through the application
            # would match our own shortcut again.
            focus.event(QKeyEvent(kind, combo.key(), combo.keyboardModifiers()))
        return True

    def selected_or_root(self) -> str | None:
        """The selected node, else the current track's root."""
        d = self.document
        if d.selected_id in d.plan.nodes:
            return d.selected_id
        try:
            return d.plan.track(d.current_track_id or None).root
        except KeyError:
            return None

    def _update_title(self) -> None:
        star = "*" if self.document.is_modified() else ""
        self.setWindowTitle(f"{self.document.display_name()}{star} — {APP_TITLE}")

    def _update_undo_actions(self, *_args) -> None:
        stack = self.document.undo_stack
        for name, can, text in (("undo", stack.canUndo(), stack.undoText()),
                                ("redo", stack.canRedo(), stack.redoText())):
            self.actions[name].setEnabled(can)
            self.actions[name].setText(f"&{name.title()} {text}".rstrip())
        self._update_title()

    def _on_changed(self, change) -> None:
        if change.kind in (TRACKS, RESET):
            self._rebuild_tabs()
        elif change.kind == "plan":
            self._update_title()

    def _rebuild_tabs(self) -> None:
        tabs = self.track_tabs
        tabs.blockSignals(True)
        while tabs.count():
            tabs.removeTab(0)
        for track in self.document.plan.tracks:
            index = tabs.addTab(track.title or track.id)
            tabs.setTabData(index, track.id)
            tabs.setTabToolTip(index, fill(translate("MainWindow", "%1 — double-click to rename"), track.title or track.id))
        tabs.blockSignals(False)
        self._sync_current_tab(self.document.current_track_id)

    def _select_root(self) -> None:
        """A freshly opened plan starts with its first root selected: the
        inspector shows something and Tab adds an option right away."""
        if self.document.selected_id is None:
            root = self.selected_or_root()
            if root is not None:
                self.document.select(root)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not settings.settings().contains("window/state"):
                # Dock sizes only take once the window is laid out at its size.
                QTimer.singleShot(0, self._size_docks)

    def _size_docks(self) -> None:
        width = self.width()
        self.resizeDocks([self.docks["outline"], self.docks["inspector"]],
                         [max(330, width * 2 // 9), max(340, width * 2 // 9)], Qt.Orientation.Horizontal)
        # "No problems" needs one line: keep the canvas tall (the panel grows when asked).
        # Docks tabbed with it (analysis plots) must not hold the area open at
        # their plot height; they are enlarged when raised.
        height = self.problems.sizeHint().height()
        for dock in self.docks.values():
            if self.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea and dock.widget() is not None \
                    and dock.widget().minimumSizeHint().height() > height:
                dock.widget().setMinimumHeight(height)
        self.resizeDocks([self.docks["problems"]], [height], Qt.Orientation.Vertical)
        self._unelide_dock_tabs()

    def _unelide_dock_tabs(self) -> None:
        """Tabbed docks show their whole titles ("Priorities", not "Prioriti…"):
        Qt's dock tab bars elide by default; scroll buttons take over instead."""
        for bar in self.findChildren(QTabBar):
            if bar.parent() is self:  # the bars QMainWindow makes for tabified docks
                bar.setElideMode(Qt.TextElideMode.ElideNone)
                bar.setUsesScrollButtons(True)

    def _sync_current_tab(self, track_id: str) -> None:
        for i in range(self.track_tabs.count()):
            if self.track_tabs.tabData(i) == track_id:
                self.track_tabs.blockSignals(True)
                self.track_tabs.setCurrentIndex(i)
                self.track_tabs.blockSignals(False)

    def _tab_selected(self, index: int) -> None:
        track_id = self.track_tabs.tabData(index)
        if track_id:
            self.document.set_current_track(track_id)

    # -- node commands -------------------------------------------------------
    def add_child(self) -> None:
        """Tab: add a child to the selected node, select it and rename it in place."""
        if self._forwarded_to_editor("add_child"):
            return
        parent = self.selected_or_root()
        if parent is None:
            return
        kind_before = self.document.plan.nodes[parent].kind
        new = self._attempt(translate("MainWindow", "Add child"), self.document.add_child, parent)
        if new is not None:  # say it when the parent changed kind (a terminal turns chance)
            from app.keyboard import added_child_note
            node = self.document.plan.nodes[parent]
            self.message(added_child_note(kind_before, node.kind, node.label or node.id))
        self._select_and_rename(new)

    def add_sibling(self) -> None:
        """Enter: add a sibling after the selected node."""
        if self._forwarded_to_editor("add_sibling"):
            return
        node = self.selected_or_root()
        if node is None:
            return
        new = self._attempt(translate("MainWindow", "Add sibling"), self.document.add_sibling, node)
        self._select_and_rename(new)

    def _select_and_rename(self, node_id: str | None) -> None:
        if node_id is None:
            return
        self.document.select(node_id)
        if callable(getattr(self.canvas, "start_rename", None)) and self.canvas.isVisible():
            self.canvas.start_rename()

    def delete_selected(self) -> None:
        """Delete: remove the selected subtree."""
        if self._forwarded_to_editor("delete"):
            return
        node = self.document.selected_id
        if node in self.document.plan.nodes:
            if not self._confirm_broken_links(translate("MainWindow", "Delete"), node_id=node):
                return
            self._attempt(translate("MainWindow", "Delete"), self.document.remove_subtree, node)

    def _confirm_broken_links(self, what: str, node_id: str | None = None, track_id: str | None = None) -> bool:
        """Linked tracks: warn before removing what another track reads (True: go ahead)."""
        from planning.engine import links

        broken = links.broken_by_removal(self.document.plan, node_id, track_id)
        if not broken:
            return True
        answer = QMessageBox.question(
            self, what, fill(translate("MainWindow", "Other tracks read what this removes; their expressions "
                                                     "will no longer evaluate until you edit them:\n\n%1\n\n%2 anyway?"),
                             links.describe_links(self.document.plan, broken), what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def rename_selected(self) -> None:
        """F2: rename in place on the canvas, or in a dialog."""
        node = self.selected_or_root()
        if node is None:
            return
        self.document.select(node)
        if callable(getattr(self.canvas, "start_rename", None)) and self.canvas.isVisible():
            self.canvas.start_rename()
            return
        label, ok = QInputDialog.getText(self, translate("MainWindow", "Rename"), translate("MainWindow", "Label:"),
                                         text=self.document.plan.nodes[node].label)
        if ok:
            self._attempt(translate("MainWindow", "Rename"), self.document.set_node_field, node, "label", label)

    def _set_collapsed(self, collapsed: bool) -> None:
        node = self.document.selected_id
        if node in self.document.plan.nodes:
            self.document.set_collapsed(node, collapsed)

    def copy(self) -> bool:
        """Ctrl+C: the selected subtree to the clipboard (fragment JSON + text)."""
        node = self.document.selected_id
        if node not in self.document.plan.nodes:
            return False
        text = self._attempt(translate("MainWindow", "Copy"), self.document.copy_fragment, node)
        if text is None:
            return False
        mime = QMimeData()
        mime.setData(FRAGMENT_MIME, QByteArray(text.encode("utf-8")))
        mime.setText(text)
        global _clipboard_guarded
        if not _clipboard_guarded:
            atexit.register(_release_clipboard)
            QApplication.instance().aboutToQuit.connect(_release_clipboard)
            _clipboard_guarded = True
        QApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> None:
        """Ctrl+X: copy the selected subtree, then delete it."""
        node = self.document.selected_id
        if node in self.document.plan.nodes and self.copy():
            self._attempt(translate("MainWindow", "Cut"), self.document.remove_subtree, node)

    def paste(self) -> None:
        """Ctrl+V: paste the clipboard's subtree under the selected node."""
        parent = self.selected_or_root()
        mime = QApplication.clipboard().mimeData()
        if parent is None or mime is None:
            return
        if mime.hasFormat(FRAGMENT_MIME):
            text = bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8", "replace")
        else:
            text = mime.text()
        new = self._attempt(translate("MainWindow", "Paste"), self.document.paste_fragment, parent, text)
        if new is not None:
            self.document.select(new)

    # -- tracks ------------------------------------------------------------
    def _track_at(self, index: int | None) -> str | None:
        if index is None or index < 0:
            return self.document.current_track_id or None
        return self.track_tabs.tabData(index)

    def add_track(self) -> None:
        title, ok = QInputDialog.getText(self, translate("MainWindow", "Add track"), translate("MainWindow", "Track title:"))
        if ok and title.strip():
            self._attempt(translate("MainWindow", "Add track"), self.document.add_track, title.strip())

    def rename_track(self, index: int | None = None) -> None:
        track_id = self._track_at(index)
        if not track_id:
            return
        old = self.document.plan.track(track_id).title
        title, ok = QInputDialog.getText(self, translate("MainWindow", "Rename track"), translate("MainWindow", "Track title:"), text=old)
        if ok and title.strip() and title.strip() != old:
            self._attempt(translate("MainWindow", "Rename track"), self.document.rename_track, track_id, title.strip())

    def remove_track(self) -> None:
        track_id = self._track_at(None)
        if not track_id:
            return
        title = self.document.plan.track(track_id).title or track_id
        from planning.engine import links

        broken = links.broken_by_removal(self.document.plan, track_id=track_id)
        reads = ("\n\n" + fill(translate("MainWindow", "Other tracks read it; their expressions will no longer "
                                                         "evaluate until you edit them:\n%1"),
                                 links.describe_links(self.document.plan, broken))) if broken else ""
        answer = QMessageBox.question(
            self, translate("MainWindow", "Remove track"),
            fill(translate("MainWindow", "Remove the track “%1” and all its nodes?"), title) + reads,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self._attempt(translate("MainWindow", "Remove track"), self.document.remove_track, track_id)

    def move_track(self, step: int) -> None:
        track_id = self._track_at(None)
        ids = [t.id for t in self.document.plan.tracks]
        if track_id in ids and 0 <= ids.index(track_id) + step < len(ids):
            self._attempt(translate("MainWindow", "Move track"), self.document.move_track, track_id,
                          ids.index(track_id) + step)

    # -- files ---------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel if there are unsaved changes; False to stop."""
        if not self.document.is_modified():
            return True
        answer = QMessageBox.question(
            self, translate("MainWindow", "Unsaved changes"),
            fill(translate("MainWindow", "“%1” has unsaved changes. Save them?"), self.document.display_name()),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_plan(self, template: str = "blank") -> bool:
        """File > New, after the unsaved-changes prompt."""
        if not self.maybe_save():
            return False
        self.autosaver.remove()
        self.document.new(template)
        return True

    def close_plan(self) -> bool:
        """File > Close: back to a blank plan (the app shows its welcome page on top)."""
        return self.new_plan()

    def open_file(self, path: str | Path | None = None) -> bool:
        """File > Open (a dialog when no path is given); errors go to a message box."""
        if not self.maybe_save():
            return False
        if path is None:
            path = ask_open_path(self)  # last folder, focus back after it
            if not path:
                return False
        try:
            self.autosaver.remove()
            self.document.open(path)
        except (OSError, ValueError, PlanError) as exc:
            QMessageBox.warning(self, translate("MainWindow", "Cannot open plan"), f"{path}:\n{exc}")
            return False
        settings.add_recent_file(path)
        remember_folder(path)
        self.message(fill(translate("MainWindow", "Opened %1"), path))
        return True

    def save(self) -> bool:
        """File > Save (Save As for a plan without a file)."""
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        """File > Save As."""
        path = ask_save_path(self)  # last folder, a name from the title
        if not path:
            return False
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        if not self.file_watch.may_save(path):  # changed on disk since we opened it
            return False
        try:
            self.document.save(path)
        except (OSError, ValueError) as exc:
            QMessageBox.critical(self, translate("MainWindow", "Cannot save plan"), f"{path}:\n{exc}")
            return False
        self.file_watch.saved(path)
        settings.add_recent_file(path)
        remember_folder(path)
        self.message(fill(translate("MainWindow", "Saved %1"), path))
        return True

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = settings.recent_files()
        for path in files:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_file(p))
        if not files:
            self.recent_menu.addAction(translate("MainWindow", "(none)")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(translate("MainWindow", "Clear list"), settings.clear_recent_files)

    def offer_recovery(self) -> bool:
        """At start: offer the opened plan's autosaves, or (no file) those not yet shown."""
        return offer_recovery(self, self.document, self.autosaver)

    # -- window state --------------------------------------------------------
    def _restore_geometry(self) -> None:
        store = settings.settings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.maybe_save():
            event.ignore()
            return
        store = settings.settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        self.autosaver.timer.stop()
        self.autosaver.remove()  # a clean close leaves nothing to recover
        self.analysis.shutdown()  # cancel a long run rather than wait for it
        event.accept()

