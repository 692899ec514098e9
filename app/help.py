"""The Help menu: Keyboard shortcuts and About Branchwise.

:func:`install_help` wires both commands into a main window. The shortcut
list is read from the window itself (every ``QAction`` with a shortcut, found
with ``findChildren``), so a command added anywhere shows up without being
listed twice. If the window already has ``action_shortcuts`` / ``action_about``
actions (app/actions.py makes them), their handlers are replaced; otherwise a
Help menu is made.
"""
from __future__ import annotations

import platform
import tomllib
from importlib import metadata, resources
from pathlib import Path

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QSortFilterProxyModel, Qt, qVersion
from PySide6.QtGui import QAction, QIcon, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLineEdit, QMainWindow, QMenu,
    QMessageBox, QTableView, QVBoxLayout, QWidget,
)

from app.actions import SPECS
from widgets.i18n import QT_TRANSLATE_NOOP, translate

DISTRIBUTION = "branchwise"
OTHER_GROUP = "Other"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
HOMEPAGE_TEXT = QT_TRANSLATE_NOOP("Help", "Scenario planning with contingency trees: expected outcomes, readiness, "
                                   "signposts and a live walk.")


def app_version() -> str:
    """The installed version of Branchwise.

    Returns
    -------
    str
        ``importlib.metadata.version("branchwise")``; in a source checkout
        that was never installed, the version in ``pyproject.toml``; else
        ``"unknown"``.
    """
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        with PYPROJECT.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return "unknown"


def icon_path(size: int | None = None) -> Path | None:
    """The bundled app icon: the SVG, or the PNG of ``size`` pixels; None if missing."""
    name = "branchwise.svg" if size is None else f"branchwise-{size}.png"
    # A missing ``resources`` package is a broken install: let the import fail loudly.
    candidate = resources.files("resources").joinpath("icons", name)
    try:
        path = Path(str(candidate))
    except TypeError:  # a resource reader without file paths
        return None
    return path if path.is_file() else None


def app_icon() -> QIcon:
    """The Branchwise icon at every bundled size (empty if the files are missing)."""
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        path = icon_path(size)
        if path is not None:
            icon.addFile(str(path))
    svg = icon_path()
    if icon.isNull() and svg is not None:
        icon.addFile(str(svg))
    return icon


def _clean(text: str) -> str:
    """Menu text as a person reads it: no mnemonic ampersands, no trailing dots."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def _canonical_names() -> dict[str, str]:
    """objectName -> the command's fixed name from app.actions (Undo's text
    changes to "Undo Add child" as the stack moves; the table should not)."""
    return {f"action_{spec.name}": _clean(spec.text) for spec in SPECS}


def _menu_of_actions(window: QMainWindow) -> dict[int, str]:
    """id(QAction) -> the top-level menu title it sits in (submenus included)."""
    where: dict[int, str] = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        title = _clean(top.text())
        pending = [menu]  # iterative: menus may nest
        while pending:
            current = pending.pop()
            for action in current.actions():
                where.setdefault(id(action), title)
                if action.menu() is not None and action.menu() is not current:
                    pending.append(action.menu())
    return where


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """Every command of ``window`` that has a keyboard shortcut, then every other key.

    Parameters
    ----------
    window : QWidget
        Usually the main window; its ``QAction`` children are read.

    Returns
    -------
    list of (menu, command, keys)
        In menu-bar order, then actions that are in no menu (group
        ``"Other"``); each command once, its shortcuts joined by ", " in the
        platform's notation (``Ctrl+S``, ``⌘S`` on macOS). Then the keys of
        the canvas, outline, inspector, responses and presenter and the
        ways in and out of panes (``app.keyboard.CONTEXT_KEYS``).
    """
    menus = _menu_of_actions(window) if isinstance(window, QMainWindow) else {}
    canonical = _canonical_names()
    order = {title: i for i, title in enumerate(dict.fromkeys(menus.values()))}
    rows: list[tuple[int, int, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for position, action in enumerate(window.findChildren(QAction)):
        sequences = [s for s in action.shortcuts() if not s.isEmpty()]
        if not sequences:
            continue
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
        command = (canonical.get(action.objectName()) or _clean(action.text())
                   or _clean(action.toolTip()) or action.objectName())
        if (command, keys) in seen:
            continue
        seen.add((command, keys))
        group = menus.get(id(action), OTHER_GROUP)
        rows.append((order.get(group, len(order)), position, group, command, keys))
    rows.sort(key=lambda row: (row[0], row[1]))
    found = [(group, command, keys) for _, _, group, command, keys in rows]
    return found + [row for row in _context_rows() if row not in found]


def _context_rows() -> list[tuple[str, str, str]]:
    """Keys that are not menu commands (canvas, outline, inspector, responses,
    presenter, panes): the table app/keyboard.py documents them in."""
    from app.keyboard import CONTEXT_KEYS

    return list(CONTEXT_KEYS)


class ShortcutsDialog(QDialog):
    """A searchable table of every command with a keyboard shortcut and every other key."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.rows = shortcut_rows(window)
        self.model = QStandardItemModel(len(self.rows), 3, self)
        self.model.setHorizontalHeaderLabels(["Menu or place", "Command", "Keys"])
        for r, row in enumerate(self.rows):
            for c, text in enumerate(row):
                item = QStandardItem(text)
                item.setEditable(False)
                self.model.setItem(r, c, item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # search the command, the menu and the keys
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcuts_filter")
        self.filter.setAccessibleName(self.tr("Filter the shortcuts"))
        self.filter.setPlaceholderText(translate("ShortcutsDialog", "Filter: a command or a key, e.g. “track” or “Ctrl+S”"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setObjectName("shortcuts_table")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setAccessibleDescription(self.tr("Command, menu and keys of every action"))
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """The rows the filter lets through, as shown."""
        return [tuple(self.proxy.index(r, c).data() for c in range(3))
                for r in range(self.proxy.rowCount())]


def show_shortcuts(window: QWidget) -> ShortcutsDialog:
    """Help > Keyboard shortcuts: open the dialog (not modal) and return it."""
    previous = getattr(window, "_branchwise_shortcuts_dialog", None)
    if isinstance(previous, ShortcutsDialog):
        previous.close()
        previous.deleteLater()
    dialog = ShortcutsDialog(window)
    window._branchwise_shortcuts_dialog = dialog
    dialog.show()
    dialog.filter.setFocus()
    return dialog


def about_text() -> str:
    """The rich text of Help > About: name, version, what it is, what it runs on."""
    return (
        f"<h2>Branchwise {app_version()}</h2>"
        f"<p>{translate('Help', HOMEPAGE_TEXT)}</p>"
        + translate("Help", "<p>Plans are <tt>.bwplan</tt> files (JSON); the same numbers are on the command "
                            "line: <tt>branchwise evaluate PLAN</tt>.</p>") +
        f"<p><small>Python {platform.python_version()} · Qt {qVersion()} · "
        f"PySide6 {PYSIDE_VERSION} · {platform.system()} {platform.machine()}</small></p>"
    )


def show_about(window: QWidget) -> QMessageBox:
    """Help > About: a window-modal box with the version; returned for tests."""
    box = QMessageBox(window)
    box.setObjectName("about_box")
    box.setWindowTitle(translate("Help", "About Branchwise"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    icon = app_icon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(96, 96))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal but does not block the caller (or a test)
    return box


def _find_action(window: QWidget, name: str) -> QAction | None:
    return window.findChild(QAction, f"action_{name}")


def _rewire(action: QAction, handler) -> None:
    """Make ``handler`` the only slot of ``action.triggered``."""
    try:
        action.triggered.disconnect()
    except (RuntimeError, TypeError):
        pass  # nothing was connected
    action.triggered.connect(lambda _checked=False: handler())


def install_help(window: QMainWindow) -> dict[str, QAction]:
    """Give ``window`` Help > Keyboard shortcuts (F1) and Help > About.

    Existing ``action_shortcuts`` / ``action_about`` actions keep their menu
    place and text; only what they do is replaced. Missing ones are made and
    put in a Help menu. The window also gets the app icon if it has none.

    Parameters
    ----------
    window : QMainWindow
        The main window.

    Returns
    -------
    dict
        ``{"shortcuts": QAction, "about": QAction}``.
    """
    made: dict[str, QAction] = {}
    help_menu: QMenu | None = None
    for name, text, keys, handler in (
            ("shortcuts", "&Keyboard shortcuts", "F1", lambda: show_shortcuts(window)),
            ("about", "&About Branchwise", "", lambda: show_about(window))):
        action = _find_action(window, name)
        if action is None:
            action = QAction(text, window)
            action.setObjectName(f"action_{name}")
            if keys:
                action.setShortcut(QKeySequence(keys))
            if help_menu is None:
                help_menu = window.menuBar().addMenu(translate("Help", "&Help"))
            help_menu.addAction(action)
        if name == "about":
            action.setMenuRole(QAction.MenuRole.AboutRole)  # the app menu on macOS
        _rewire(action, handler)
        made[name] = action
    if window.windowIcon().isNull():
        icon = app_icon()
        if not icon.isNull():
            window.setWindowIcon(icon)
    return made
