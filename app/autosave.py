"""Autosave: a copy of an unsaved plan every minute, offered back after a crash.

Each open document writes ``<state dir>/autosave/<key>.bwplan`` (key: a hash
of the file's path, or "untitled") with a JSON sidecar ``<key>.json`` naming
the original file. A clean close or a save removes both; whatever is left at
the next start was not closed cleanly and is offered for recovery.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.settings import state_dir

log = logging.getLogger(__name__)

INTERVAL_MS = 60_000


def autosave_dir() -> Path:
    """The folder holding autosaves (created on demand)."""
    folder = state_dir() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def autosave_key(path: Path | None) -> str:
    """The file stem for a document's autosave: a hash of its path, or "untitled"."""
    if path is None:
        return "untitled"
    return hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Recovery:
    """An autosave left behind: the plan copy, its sidecar and where it came from."""

    plan_file: Path
    sidecar: Path
    original_path: Path | None
    saved_at: float
    title: str

    def describe(self) -> str:
        """One line for the recovery prompt."""
        name = str(self.original_path) if self.original_path else f"untitled plan \"{self.title}\""
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        return f"{name} (autosaved {stamp})"

    def discard(self) -> None:
        """Delete the autosave and its sidecar."""
        for file in (self.plan_file, self.sidecar):
            try:
                file.unlink()
            except FileNotFoundError:
                pass


def pending_recoveries() -> list[Recovery]:
    """Autosaves left by sessions that did not close cleanly, newest first."""
    found = []
    for sidecar in autosave_dir().glob("*.json"):
        plan_file = sidecar.with_suffix(".bwplan")
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            original = meta.get("original_path")
            found.append(Recovery(plan_file, sidecar, Path(original) if original else None,
                                  float(meta.get("saved_at", 0.0)), str(meta.get("title", ""))))
        except (OSError, ValueError, TypeError, AttributeError):
            log.warning("ignoring unreadable autosave sidecar %s", sidecar)
            continue
        if not plan_file.exists():
            sidecar.unlink(missing_ok=True)
            found.pop()
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def _write_atomically(target: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Autosaver(QObject):
    """Writes the document's plan every ``interval_ms`` while it is modified."""

    def __init__(self, document, interval_ms: int = INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._key = autosave_key(document.path)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave_now)
        self.timer.start()
        document.cleanChanged.connect(self._clean_changed)
        document.pathChanged.connect(self._path_changed)

    def files(self) -> tuple[Path, Path]:
        """(plan copy, sidecar) for the document as it is now."""
        folder = autosave_dir()
        return folder / f"{self._key}.bwplan", folder / f"{self._key}.json"

    def autosave_now(self) -> bool:
        """Write the autosave if the plan has unsaved changes; True if written."""
        if not self.document.is_modified():
            return False
        from planning.planfile import dumps_plan

        plan_file, sidecar = self.files()
        try:
            _write_atomically(plan_file, dumps_plan(self.document.plan))
            path = self.document.path
            meta = {"original_path": str(Path(path).resolve()) if path else None,
                    "saved_at": time.time(), "title": self.document.plan.title}
            _write_atomically(sidecar, json.dumps(meta, indent=2) + "\n")
        except (OSError, ValueError) as exc:
            log.warning("autosave failed: %s", exc)
            return False
        return True

    def remove(self) -> None:
        """Delete this document's autosave (after a save or a clean close)."""
        for file in self.files():
            file.unlink(missing_ok=True)

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self.remove()

    def _path_changed(self, _path: str) -> None:
        # The autosave follows the document to its new name.
        self.remove()
        self._key = autosave_key(self.document.path)


def offer_recovery(parent: QWidget, document, autosaver: Autosaver) -> bool:
    """Ask, newest first, whether to recover each autosave left behind.

    Yes loads it into ``document`` (unsaved, under its original path) and
    stops; No deletes that autosave. Returns True when a plan was recovered.
    """
    from planning.planfile import load_plan

    for recovery in pending_recoveries():
        answer = QMessageBox.question(
            parent, "Recover unsaved changes",
            f"Branchwise was not closed cleanly. Recover {recovery.describe()}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            recovery.discard()
            continue
        try:
            plan = load_plan(recovery.plan_file)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(parent, "Cannot recover", f"{recovery.plan_file}:\n{exc}")
            recovery.discard()
            continue
        document.load_recovered(plan, recovery.original_path)
        autosaver.autosave_now()  # the recovered work is protected again at once
        return True
    return False
