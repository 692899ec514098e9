"""Recovering autosaves, however a plan is opened (issue 17).

An autosave (:mod:`app.autosave`) left by a session that did not close
cleanly is offered back

* at start without a file: every autosave the user has not yet been shown;
* whenever a plan file is opened, by any route (file argument, File > Open,
  the recent list, the welcome page): that file's autosaves. The
  :class:`RecoveryWatcher` hears the document's ``planReplaced`` and asks once
  the open has finished.

The prompt says in words what the autosave changes. **Recover** loads it
(unsaved). **Keep for later** leaves it in place (File > Recover… lists it);
**Discard** deletes it, the only way besides recovering that an autosave
another session left is removed.

If the file changed on disk after the edits began (a pull while the app was
down), recovering merges three ways: the base stored with the autosave, the
autosave as ours and the file on disk as theirs (:func:`planning.sharing.merge.merge_plans`),
and conflicts open the same dialog as File > Merge.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)

from app.autosave import Autosaver, Recovery, pending_recoveries
from widgets.i18n import date_time, fill, translate

log = logging.getLogger(__name__)

RECOVER, KEEP, DISCARD = "recover", "keep", "discard"


# -- finding and describing ---------------------------------------------------------
def autosaves_for(path: str | Path) -> list[Recovery]:
    """Autosaves of the plan at ``path`` (newest first), not those a running Branchwise owns."""
    target = Path(path).resolve()
    return [r for r in pending_recoveries()
            if r.original_path is not None and Path(r.original_path) == target
            and not r.live_elsewhere()]


def _sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def changed_on_disk(recovery: Recovery) -> bool:
    """True when the file now differs from the one the autosaved edits started from."""
    if recovery.original_path is None or not recovery.base_sha256:
        return False
    current = _sha256_of(Path(recovery.original_path))
    return current is not None and current != recovery.base_sha256


def describe(recovery: Recovery) -> tuple[str, str]:
    """(prompt text, details) for one autosave: what it changes, in words."""
    from planning.sharing.diff import diff_plans, format_change, summarise
    from planning.files.planfile import load_plan, loads_plan

    stamp = date_time(recovery.saved_at)  # the window's locale
    where = (f"“{recovery.original_path.name}” ({recovery.original_path.parent})"
             if recovery.original_path else fill(translate("Recovery", "the untitled plan “%1”"), recovery.title))
    text = [fill(translate("Recovery", "Branchwise was not closed cleanly: unsaved changes to %1 were autosaved at %2."),
                 where, stamp)]
    details = ""
    try:
        autosaved = load_plan(recovery.plan_file)
    except (OSError, ValueError) as exc:
        return "\n".join(text + [fill(translate("Recovery", "The autosave cannot be read: %1"), exc)]), ""
    before = None
    base = recovery.base_bytes()
    try:
        if base is not None:
            before = loads_plan(base.decode("utf-8"))
        elif recovery.original_path is not None and recovery.original_path.exists():
            before = load_plan(recovery.original_path)
    except (OSError, ValueError, UnicodeDecodeError):
        before = None
    if before is not None:
        changes = diff_plans(before, autosaved)
        if changes:
            count = len(changes)
            text.append(translate("Recovery", "\nThe autosave holds 1 unsaved change:") if count == 1
                        else fill(translate("Recovery", "\nThe autosave holds %1 unsaved changes:"), count))
            text += [f"  • {line}" for line in summarise(changes, plan=autosaved)]
            details = "\n".join(format_change(c) for c in changes)
        else:
            text.append(translate("Recovery", "\nThe autosave holds no changes to the plan's content."))
    if changed_on_disk(recovery):
        if base is not None:
            text.append("\nThe file was changed on disk since (for example by a pull). Recover "
                        "merges your unsaved changes with it; where both changed the same thing "
                        "you choose in the merge dialog.")
        else:
            text.append("\nThe file was changed on disk since, and this autosave holds no copy "
                        "of the original to merge with: saving the recovered plan would replace "
                        "the newer file (Compare with… shows the differences).")
    return "\n".join(text), details


def ask(parent: QWidget | None, recovery: Recovery) -> str:
    """Show the recovery prompt; :data:`RECOVER`, :data:`KEEP` or :data:`DISCARD`."""
    text, details = describe(recovery)
    box = QMessageBox(QMessageBox.Icon.Question, translate("Recovery", "Recover unsaved changes"), text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("recovery_prompt")
    recover = box.addButton(translate("Recovery", "&Recover"), QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(translate("Recovery", "&Keep for later"), QMessageBox.ButtonRole.RejectRole)
    discard = box.addButton(translate("Recovery", "&Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    recover.setToolTip(translate("Recovery", "Open the plan with the autosaved changes (not yet saved)"))
    keep.setToolTip(translate("Recovery", "Leave the autosave where it is: File > Recover… offers it again"))
    discard.setToolTip(translate("Recovery", "Delete the autosave: its changes are lost"))
    box.setDefaultButton(recover)
    box.setEscapeButton(keep)
    if details:
        box.setDetailedText(details)
    box.exec()
    clicked = box.clickedButton()
    if clicked is recover:
        return RECOVER
    if clicked is discard:
        return DISCARD
    return KEEP


# -- recovering ---------------------------------------------------------------------
def recover(parent: QWidget | None, document, autosaver: Autosaver, recovery: Recovery) -> bool:
    """Load ``recovery`` into ``document``, merging with the file if it changed since.

    The autosave is deleted only once the recovered plan is in the document
    and written to this window's own autosave.
    """
    from planning.sharing.merge import merge_plans
    from planning.files.planfile import load_plan, loads_plan

    try:
        plan = load_plan(recovery.plan_file)
    except (OSError, ValueError) as exc:
        QMessageBox.warning(parent, translate("Recovery", "Cannot recover"), fill(translate("Recovery", "%1:\n%2\n\nThe autosave is kept (File > Recover…)."), recovery.plan_file, exc))
        return False
    path = recovery.original_path
    base = recovery.base_bytes()
    result = None
    disk_bytes = None
    if path is not None and changed_on_disk(recovery) and base is not None:
        try:
            disk_bytes = path.read_bytes()
            result = merge_plans(loads_plan(base.decode("utf-8")), plan,
                                 loads_plan(disk_bytes.decode("utf-8")))
            plan = result.plan
            if not result.clean:
                from planning.sharing.merge import SIDES_KEY

                plan.extra[SIDES_KEY] = {"ours": translate("Recovery", "your unsaved changes"),
                                         "theirs": fill(translate("Recovery", "%1 on disk now"), path.name),
                                         "rebase": False}
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            QMessageBox.warning(parent, translate("Recovery", "Cannot merge with the file on disk"),
                                fill(translate("Recovery", "%1:\n%2\n\nThe autosaved version is recovered as it was."), path, exc))
            result, disk_bytes = None, None
    document.load_recovered(plan, path)
    # What later autosaves record as the base: the disk file when merged with it.
    autosaver.set_base(disk_bytes if disk_bytes is not None else base)
    if autosaver.autosave_now(background=False):
        recovery.discard()
    else:
        log.warning("recovered %s but could not autosave it again; the old autosave stays",
                    recovery.plan_file)
    sharing = getattr(parent, "sharing", None)
    if result is not None:
        message = getattr(parent, "message", None)
        if result.conflicts and sharing is not None:
            sharing.resolve_conflicts(result.notes)
        elif callable(message):
            message(fill(translate("Recovery", "Recovered and merged with the newer %1 on disk"), path.name))
    return True


def offer(parent: QWidget | None, document, autosaver: Autosaver,
          recoveries: list[Recovery]) -> bool:
    """Ask about each autosave in turn; True once one was recovered (the rest stay)."""
    for recovery in recoveries:
        if not recovery.plan_file.exists():
            continue
        choice = ask(parent, recovery)
        if choice == RECOVER:
            if recover(parent, document, autosaver, recovery):
                return True
        elif choice == DISCARD:
            recovery.discard()
        else:
            recovery.mark_seen()
    return False


def offer_for_path(parent: QWidget | None, document, autosaver: Autosaver) -> bool:
    """The open plan's autosaves (if any) are offered; True when one was recovered."""
    if document.path is None or document.is_modified():
        return False
    return offer(parent, document, autosaver, autosaves_for(document.path))


def offer_at_start(parent: QWidget | None, document, autosaver: Autosaver) -> bool:
    """At start: the opened file's autosaves, or (no file) those not yet shown."""
    if document.path is not None:
        return offer_for_path(parent, document, autosaver)
    fresh = [r for r in pending_recoveries() if not r.seen and not r.live_elsewhere()]
    return offer(parent, document, autosaver, fresh)


# -- the window's part --------------------------------------------------------------
class RecoveryWatcher(QObject):
    """Offers a plan's autosaves whenever the window's document opens a file."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._busy = False
        self._scheduled = False
        window.document.planReplaced.connect(self._plan_replaced)
        self.action = QAction(translate("RecoveryWatcher", "Re&cover…"), window)
        self.action.setObjectName("action_recover")
        self.action.setStatusTip(translate("RecoveryWatcher", "Autosaved changes kept for later: recover or discard them"))
        self.action.triggered.connect(lambda _checked=False: self.show_kept())
        self.kept_dialog: KeptAutosaves | None = None

    def _plan_replaced(self) -> None:
        # Asked once the open has finished (a modal prompt inside the
        # document's signal would run before the views have the plan).
        if not self._busy and not self._scheduled and self.window.document.path is not None:
            self._scheduled = True
            QTimer.singleShot(0, self.check)

    def check(self) -> bool:
        """Offer the open plan's autosaves now; True when one was recovered."""
        self._scheduled = False
        if self._busy:
            return False
        self._busy = True  # recovering replaces the plan again: do not ask twice
        try:
            return offer_for_path(self.window, self.window.document, self.window.autosaver)
        finally:
            self._busy = False

    def recover(self, recovery: Recovery) -> bool:
        """Recover one autosave (after the unsaved-changes prompt)."""
        maybe_save = getattr(self.window, "maybe_save", None)
        if callable(maybe_save) and not maybe_save():
            return False
        self._busy = True
        try:
            self.window.autosaver.remove()
            return recover(self.window, self.window.document, self.window.autosaver, recovery)
        finally:
            self._busy = False

    def show_kept(self) -> "KeptAutosaves":
        """File > Recover…: the autosaves kept for later."""
        if self.kept_dialog is not None:
            self.kept_dialog.close()
        self.kept_dialog = KeptAutosaves(self, self.window)
        self.kept_dialog.show()
        return self.kept_dialog


class KeptAutosaves(QDialog):
    """File > Recover…: every autosave left behind, to recover or discard on purpose."""

    def __init__(self, watcher: RecoveryWatcher, parent: QWidget | None = None):
        super().__init__(parent)
        self.watcher = watcher
        self.setObjectName("kept_autosaves")
        self.setWindowTitle(translate("KeptAutosaves", "Recover autosaved changes"))
        layout = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.list = QListWidget(self)
        self.list.setObjectName("kept_list")
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(self)
        self.recover_button = QPushButton(translate("KeptAutosaves", "&Recover"), self)
        self.discard_button = QPushButton(translate("KeptAutosaves", "&Discard…"), self)
        self.recover_button.setObjectName("kept_recover")
        self.discard_button.setObjectName("kept_discard")
        buttons.addButton(self.recover_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.recover_button.clicked.connect(self.recover_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.list.itemActivated.connect(lambda _item: self.recover_selected())
        layout.addWidget(buttons)
        self.resize(560, 320)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        self._recoveries = [r for r in pending_recoveries() if not r.live_elsewhere()]
        for recovery in self._recoveries:
            QListWidgetItem(recovery.describe(), self.list)
        has = bool(self._recoveries)
        self.note.setText(translate("KeptAutosaves", "Autosaved changes that were not recovered. Recover one to "
                                    "open it unsaved, or discard it to delete it for good.") if has
                          else translate("KeptAutosaves", "No autosaved changes are waiting."))
        self.recover_button.setEnabled(has)
        self.discard_button.setEnabled(has)
        if has:
            self.list.setCurrentRow(0)

    def rows(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _selected(self) -> Recovery | None:
        row = self.list.currentRow()
        return self._recoveries[row] if 0 <= row < len(self._recoveries) else None

    def recover_selected(self) -> bool:
        recovery = self._selected()
        if recovery is None or not self.watcher.recover(recovery):
            return False
        self.accept()
        return True

    def discard_selected(self) -> bool:
        recovery = self._selected()
        if recovery is None:
            return False
        answer = QMessageBox.question(
            self, translate("KeptAutosaves", "Discard autosaved changes"),
            fill(translate("KeptAutosaves", "Delete the autosave of %1? Its changes are lost."), recovery.describe()),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Discard:
            return False
        recovery.discard()
        self.reload()
        return True


def install_recovery(window) -> RecoveryWatcher:
    """Watch ``window.document`` for opened plans with autosaves; add File > Recover….

    Returns the watcher (also ``window.recovery``).
    """
    watcher = RecoveryWatcher(window)
    window.recovery = watcher
    file_menu = next((a.menu() for a in window.menuBar().actions()
                      if a.menu() is not None and a.menu().title().replace("&", "") == "File"), None)
    if file_menu is not None:
        anchor = getattr(window, "actions", {}).get("save")
        if anchor in file_menu.actions():
            file_menu.insertAction(anchor, watcher.action)
        else:
            file_menu.addAction(watcher.action)
    return watcher
