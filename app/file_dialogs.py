"""Where the Open and Save dialogs start, what name they offer, and focus after them.

Open and Save start in the folder of the open plan, else the folder last
used (remembered in the settings), else the platform's documents folder
(``platformdirs.user_documents_dir``), else home. Save offers a file name
made from the plan's title ("Peace talks.bwplan"). When a dialog closes the
keyboard focus goes back to the widget that had it.
"""
from __future__ import annotations

import re
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from app import settings
from widgets.i18n import translate

FILE_FILTER = "Branchwise plans (*.bwplan);;All files (*)"
LAST_FOLDER_KEY = "files/last_folder"
SUFFIX = ".bwplan"
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def safe_file_name(title: str, fallback: str = "Untitled plan") -> str:
    """A file name (without suffix) from a plan title, valid on every platform.

    >>> safe_file_name('Peace talks: round 2/3?')
    'Peace talks round 2 3'
    """
    name = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .")
    return name[:80].rstrip(" .") or fallback


def remember_folder(path: str | Path) -> None:
    """Remember the folder of a file just opened or saved."""
    settings.settings().setValue(LAST_FOLDER_KEY, str(Path(path).resolve().parent))


def start_folder(document) -> Path:
    """The folder a file dialog opens in (see the module docstring)."""
    if getattr(document, "path", None) is not None:
        return Path(document.path).resolve().parent
    last = settings.settings().value(LAST_FOLDER_KEY, "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def suggested_name(document) -> str:
    """The file name Save offers: the plan's file name, else one from its title."""
    if getattr(document, "path", None) is not None:
        return Path(document.path).name
    return safe_file_name(document.plan.title) + SUFFIX


def _restore(focus: QWidget | None) -> None:
    if focus is not None and focus.isVisible():
        focus.window().activateWindow()  # the dialog had the active window
        focus.setFocus(Qt.FocusReason.OtherFocusReason)


def ask_open_path(window) -> str | None:
    """The Open dialog: a chosen path, or None when cancelled."""
    focus = QApplication.focusWidget()
    path, _ = QFileDialog.getOpenFileName(window, translate("FileDialogs", "Open plan"), str(start_folder(window.document)),
                                          FILE_FILTER)
    _restore(focus)
    return path or None


def ask_save_path(window) -> str | None:
    """The Save As dialog: a chosen path (".bwplan" added when it has no suffix), or None."""
    focus = QApplication.focusWidget()
    start = start_folder(window.document) / suggested_name(window.document)
    path, _ = QFileDialog.getSaveFileName(window, translate("FileDialogs", "Save plan"), str(start), FILE_FILTER)
    _restore(focus)
    if not path:
        return None
    if not Path(path).suffix:
        path += SUFFIX
    return path
