"""Notice when the open plan changes on disk (a git pull, another editor).

:class:`FileWatch` watches the document's file and its folder with a
``QFileSystemWatcher``. When the file's bytes differ from what this window
last read or wrote, it offers to reload (saying so when that would discard
unsaved edits). Before the window saves over its own file, :meth:`may_save`
asks first if the file changed since it was opened.

Our own saves never prompt: after each save the window calls :meth:`saved`
and the new bytes become the known version; a change notice whose bytes
match it is ignored. Editors and git replace a file rather than write into
it (write a temporary file, rename it over), and the watcher then stops
watching the old file: the path is added again after every notice, and the
folder is watched so that a file removed and written again is seen too.
Autosaves go to the state folder, not here, so they never show up.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from planning.model.errors import PlanError
from widgets.i18n import fill, translate

log = logging.getLogger(__name__)

#: Wait this long after the last change notice: a git checkout or an
#: editor's save comes as several (write, rename, attribute change).
SETTLE_MS = 300
Button = QMessageBox.StandardButton


@dataclass(frozen=True)
class Stamp:
    """What a file held: size, modification time and a hash of its bytes."""

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: Path) -> "Stamp | None":
        """The file's stamp now, or None when it cannot be read (gone, a folder)."""
        try:
            stat = path.stat()
            if not path.is_file():
                return None
            data = path.read_bytes()
        except OSError:
            return None
        return cls(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def same_bytes(self, other: "Stamp | None") -> bool:
        return other is not None and other.size == self.size and other.digest == self.digest


class FileWatch(QObject):
    """Watch a MainWindow's open file; offer to reload it when it changes on disk."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._notice)
        self.watcher.directoryChanged.connect(self._notice)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.check)
        self.path: Path | None = None
        #: the bytes this window last read from or wrote to ``path``
        self.known: Stamp | None = None
        #: a changed version the user chose not to reload (not asked about again)
        self.declined: Stamp | None = None
        self._asking = False
        self.document.planReplaced.connect(self._follow)
        self.document.pathChanged.connect(lambda _p: self._follow())
        self._follow()

    # -- what we watch -------------------------------------------------------
    def _follow(self) -> None:
        """Watch the document's current file (after open, new, save as, recovery)."""
        path = self.document.path
        path = Path(path).resolve() if path is not None else None
        moved = path != self.path
        self.path = path
        # The file was just read (open, reload, recovery) or written (save as).
        self.known = Stamp.of(path) if path is not None else None
        self.declined = None
        if moved:
            self._rewatch()

    def _rewatch(self) -> None:
        watched = self.watcher.files() + self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)
        if self.path is None:
            return
        wanted = [str(self.path.parent)] + ([str(self.path)] if self.path.exists() else [])
        failed = self.watcher.addPaths(wanted)
        if failed:
            log.info("cannot watch %s", ", ".join(failed))

    def _notice(self, _path: str = "") -> None:
        if self.path is not None:
            self.settle.start()

    # -- the window's saves ------------------------------------------------------
    def saved(self, path: str | Path) -> None:
        """The window wrote ``path``: its bytes are ours (no reload prompt for them)."""
        path = Path(path).resolve()
        if path == self.path:
            self.known = Stamp.of(path)
            self.declined = None
            self._rewatch()  # an atomic save replaced the file the watcher was on

    def changed_on_disk(self) -> bool:
        """True when the file's bytes differ from what this window read or wrote."""
        if self.path is None or self.known is None:
            return False
        return not self.known.same_bytes(Stamp.of(self.path))

    def may_save(self, target: str | Path) -> bool:
        """Before saving over our own file: ask when it changed on disk since it was opened."""
        if self.path is None or Path(target).resolve() != self.path or not self.path.exists():
            return True
        if not self.changed_on_disk():
            return True
        answer = QMessageBox.question(
            self.window, translate("FileWatch", "File changed on disk"),
            fill(translate("FileWatch", "“%1” changed on disk since you opened it (another editor, or a git pull).\n\nOverwrite it with your version? The other changes would be lost."), self.path.name),
            Button.Save | Button.Cancel, Button.Cancel)
        return answer == Button.Save

    # -- a change from outside ---------------------------------------------------------
    def check(self) -> None:
        """Compare the file with what we know; offer to reload when it changed."""
        if self.path is None:
            return
        self._rewatch()
        current = Stamp.of(self.path)
        if current is None:
            self._message(fill(translate("FileWatch", "%1 is no longer on disk; Save writes it again"), self.path.name))
            return
        if self.known is not None and self.known.same_bytes(current):
            return  # our own save, or a touch that changed nothing
        if self.declined is not None and self.declined.same_bytes(current) or self._asking:
            return
        self._asking = True
        try:
            reload = self.ask_reload()
        finally:
            self._asking = False
        if reload:
            self.reload()
        else:
            self.declined = current
            self._message(fill(translate("FileWatch", "Kept your version; %1 on disk is different (saving will ask)"), self.path.name))

    def ask_reload(self) -> bool:
        """Ask whether to load the file's new version."""
        modified = self.document.is_modified()
        loss = "\n\nYour unsaved changes in this window would be lost." if modified else ""
        answer = QMessageBox.question(
            self.window, translate("FileWatch", "File changed on disk"),
            fill(translate("FileWatch", "“%1” changed on disk (another editor, or a git pull).\n\nReload it?%2"), self.path.name, loss),
            Button.Yes | Button.No, Button.No if modified else Button.Yes)
        return answer == Button.Yes

    def reload(self) -> bool:
        """Load the file again, keeping the current track and selection where they still exist."""
        document = self.document
        track, selected = document.current_track_id, document.selected_id
        path = self.path
        try:
            autosaver = getattr(self.window, "autosaver", None)
            if autosaver is not None:
                autosaver.remove()
            document.open(path)
        except (OSError, ValueError, PlanError) as exc:
            QMessageBox.warning(self.window, translate("FileWatch", "Cannot reload plan"), f"{path}:\n{exc}")
            return False
        self.known = Stamp.of(path)
        self.declined = None
        if any(t.id == track for t in document.plan.tracks):
            document.set_current_track(track)
        if selected in document.plan.nodes:
            document.select(selected)
        self._message(fill(translate("FileWatch", "Reloaded %1 from disk"), path.name))
        return True

    def _message(self, text: str) -> None:
        message = getattr(self.window, "message", None)
        if callable(message):
            message(text)


def install_file_watch(window) -> FileWatch:
    """Watch ``window``'s open file; kept as ``window.file_watch``."""
    window.file_watch = FileWatch(window)
    return window.file_watch


__all__ = ["FileWatch", "SETTLE_MS", "Stamp", "install_file_watch"]
