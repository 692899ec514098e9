"""Autosave: a copy of an unsaved plan every minute, offered back after a crash.

Each open document writes ``<state dir>/autosave/<key>-<session>.bwplan``
(key: a hash of the file's path, or "untitled"; session: random per window,
so a window never overwrites an autosave another session left) with a JSON
sidecar ``.json`` naming the original file and the SHA-256 of the file as it
was when the edits began (the *base*), and ``.base``, a copy of that base, so
that recovering over a file changed since (a pull) can merge three ways
(:mod:`app.recovery`). A save or a clean close removes the window's own
autosave; an autosave left by another session is removed only when the user
recovers or discards it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.settings import state_dir
from widgets.i18n import date_time

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
    base_sha256: str | None = None
    pid: int | None = None
    seen: bool = False

    @property
    def base_file(self) -> Path:
        """The copy of the file the edits started from (may be missing)."""
        return self.sidecar.with_suffix(".base")

    def base_bytes(self) -> bytes | None:
        """The base's content when it was stored and is intact, else None."""
        try:
            data = self.base_file.read_bytes()
        except OSError:
            return None
        if self.base_sha256 and hashlib.sha256(data).hexdigest() != self.base_sha256:
            return None
        return data

    def live_elsewhere(self) -> bool:
        """True while the Branchwise process that wrote it still runs (not this one)."""
        if not self.pid or self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # exists, owned by someone else
        return True

    def mark_seen(self) -> None:
        """Remember that the user was shown this autosave and kept it for later."""
        try:
            meta = json.loads(self.sidecar.read_text(encoding="utf-8"))
            meta["seen"] = True
            _write_atomically(self.sidecar, json.dumps(meta, indent=2) + "\n")
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("cannot mark %s as seen: %s", self.sidecar, exc)

    def describe(self) -> str:
        """One line for the recovery prompt."""
        name = str(self.original_path) if self.original_path else f"untitled plan \"{self.title}\""
        stamp = date_time(self.saved_at)  # the window's locale
        return f"{name} (autosaved {stamp})"

    def discard(self) -> None:
        """Delete the autosave and its sidecar."""
        for file in (self.plan_file, self.base_file, self.sidecar):
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
            base = meta.get("base_sha256")
            pid = meta.get("pid")
            found.append(Recovery(plan_file, sidecar, Path(original) if original else None,
                                  float(meta.get("saved_at", 0.0)), str(meta.get("title", "")),
                                  base if isinstance(base, str) else None,
                                  pid if isinstance(pid, int) else None, bool(meta.get("seen"))))
        except (OSError, ValueError, TypeError, AttributeError):
            log.warning("ignoring unreadable autosave sidecar %s", sidecar)
            continue
        if not plan_file.exists():
            sidecar.unlink(missing_ok=True)
            sidecar.with_suffix(".base").unlink(missing_ok=True)
            found.pop()
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def _write_atomically(target: Path, text: str) -> None:
    _write_atomically_bytes(target, text.encode("utf-8"))


def _write_atomically_bytes(target: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Autosaver(QObject):
    """Writes the document's plan every ``interval_ms`` while it is modified."""

    def __init__(self, document, interval_ms: int = INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.session = secrets.token_hex(3)
        self._key = autosave_key(document.path)
        self._base: bytes | None = None  # the file's content when the edits began
        self._base_written = False
        self._read_base()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave_now)
        self.timer.start()
        document.cleanChanged.connect(self._clean_changed)
        document.pathChanged.connect(self._path_changed)
        document.planReplaced.connect(self._read_base)

    def files(self) -> tuple[Path, Path]:
        """(plan copy, sidecar) for the document as it is now."""
        folder = autosave_dir()
        stem = f"{self._key}-{self.session}"
        return folder / f"{stem}.bwplan", folder / f"{stem}.json"

    def set_base(self, data: bytes | None) -> None:
        """The file content the unsaved edits started from (recovery sets it)."""
        self._base = data
        self._base_written = False

    def _read_base(self) -> None:
        path = self.document.path
        try:
            self.set_base(Path(path).read_bytes() if path else None)
        except OSError:
            self.set_base(None)

    def autosave_now(self) -> bool:
        """Write the autosave if the plan has unsaved changes; True if written."""
        if not self.document.is_modified():
            return False
        from planning.files.planfile import dumps_plan

        plan_file, sidecar = self.files()
        try:
            if self._base is not None and not self._base_written:
                _write_atomically_bytes(sidecar.with_suffix(".base"), self._base)
                self._base_written = True
            _write_atomically(plan_file, dumps_plan(self.document.plan))
            path = self.document.path
            meta = {"original_path": str(Path(path).resolve()) if path else None,
                    "saved_at": time.time(), "title": self.document.plan.title,
                    "base_sha256": _sha256(self._base) if self._base is not None else None,
                    "pid": os.getpid()}
            _write_atomically(sidecar, json.dumps(meta, indent=2) + "\n")
        except (OSError, ValueError) as exc:
            log.warning("autosave failed: %s", exc)
            return False
        return True

    def remove(self) -> None:
        """Delete this window's own autosave (after a save or a clean close).

        Autosaves other sessions left are not touched: only the user removes
        those, by recovering or discarding them (:mod:`app.recovery`).
        """
        plan_file, sidecar = self.files()
        for file in (plan_file, sidecar.with_suffix(".base"), sidecar):
            file.unlink(missing_ok=True)
        self._base_written = False

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self.remove()
            if self.document.path:  # saved: the file on disk is the new base
                self._read_base()

    def _path_changed(self, _path: str) -> None:
        # The autosave follows the document to its new name.
        self.remove()
        self._key = autosave_key(self.document.path)


def offer_recovery(parent: QWidget, document, autosaver: Autosaver) -> bool:
    """At start: offer the autosaves left behind (see :func:`app.recovery.offer_at_start`)."""
    from app.recovery import offer_at_start

    return offer_at_start(parent, document, autosaver)
