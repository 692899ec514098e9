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
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.settings import state_dir
from widgets.i18n import date_time

log = logging.getLogger(__name__)

INTERVAL_MS = 60_000

#: From this many nodes the plan text is written on a worker thread: a 1M-node plan
#: takes seconds to serialise, and a freeze every minute is worse than a late copy.
BACKGROUND_FROM = 20_000
#: A background write's temporary file older than this was left by a session that
#: closed or died while writing (a write takes seconds): the next window removes it.
STALE_PART_SECONDS = 3600


def autosave_dir() -> Path:
    """The folder holding autosaves (created on demand)."""
    folder = state_dir() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_stale_parts(now: float | None = None) -> list[Path]:
    """Delete background writes' temporary files (``.*.part``) left behind.

    A window closed, or a process killed, while its worker wrote a large plan
    leaves the partial copy (up to the plan's size) where no recovery looks.
    Only old ones go: another window's write under way keeps its file.
    """
    now = time.time() if now is None else now
    removed = []
    for part in autosave_dir().glob(".*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
                removed.append(part)
        except OSError:
            continue
    return removed


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


class _Job:
    """One background write: the edit it copies and the temporary file it fills."""

    def __init__(self, edits: int, stem: str):
        self.edits = edits
        self.stem = stem
        self.temp: Path | None = None
        self.cancelled = False


class Autosaver(QObject):
    """Writes the document's plan every ``interval_ms`` while it is modified.

    A large plan (:data:`BACKGROUND_FROM` nodes) is written to a temporary file on
    a worker thread while the person keeps editing. The worker reads the live plan,
    so an edit made meanwhile can leave it with a mixed copy (or an exception): the
    copy is kept only if no edit happened between its start and its end, and is
    otherwise dropped for the next tick's.
    """

    _finished = Signal(object)  # a _Job, from the worker thread

    def __init__(self, document, interval_ms: int = INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._edits = 0  # every change and replacement of the plan counts one
        self._job: _Job | None = None
        self._finished.connect(self._install, Qt.ConnectionType.QueuedConnection)
        document.changed.connect(self._count_edit)
        document.planReplaced.connect(self._count_edit)
        self.session = secrets.token_hex(3)
        self._key = autosave_key(document.path)
        self._base: bytes | None = None  # the file's content when the edits began
        self._base_written = False
        self._read_base()
        remove_stale_parts()
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

    def _count_edit(self, *_args) -> None:
        self._edits += 1

    @property
    def writing(self) -> bool:
        """True while a background write is under way."""
        return self._job is not None

    def autosave_now(self, background: bool = True) -> bool:
        """Write the autosave if the plan has unsaved changes; True if written.

        A large plan is written in the background: this returns False at once and
        the file appears when the worker is done (see :attr:`writing`).
        ``background=False`` writes it now (recovery discards the old autosave only
        once the new one holds the work).
        """
        if not self.document.is_modified():
            return False
        from planning.files.planfile import dumps_plan

        if background and len(self.document.plan.nodes) >= BACKGROUND_FROM:
            self._start_job()
            return False
        plan_file, sidecar = self.files()
        try:
            self._write_base(sidecar)
            _write_atomically(plan_file, dumps_plan(self.document.plan))
            self._write_sidecar(sidecar)
        except (OSError, ValueError) as exc:
            log.warning("autosave failed: %s", exc)
            return False
        return True

    def _write_base(self, sidecar: Path) -> None:
        if self._base is not None and not self._base_written:
            _write_atomically_bytes(sidecar.with_suffix(".base"), self._base)
            self._base_written = True

    def _start_job(self) -> None:
        if self._job is not None:
            return  # the previous copy is still being written
        plan_file, _ = self.files()
        job = self._job = _Job(self._edits, plan_file.stem)
        plan = self.document.plan
        thread = threading.Thread(target=self._write_in_background, args=(job, plan, plan_file.parent),
                                  name="autosave", daemon=True)
        thread.start()

    def _write_in_background(self, job: _Job, plan, folder: Path) -> None:
        from planning.files.planfile import dumps_plan

        try:
            text = dumps_plan(plan)
            fd, name = tempfile.mkstemp(prefix=f".{job.stem}.", suffix=".part", dir=folder)
            job.temp = Path(name)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        except Exception as exc:  # noqa: BLE001 - a plan edited while read: try at the next tick
            log.info("background autosave dropped: %s", exc)
            if job.temp is not None:
                job.temp.unlink(missing_ok=True)
                job.temp = None
        try:
            self._finished.emit(job)
        except RuntimeError:  # the window is gone
            if job.temp is not None:
                job.temp.unlink(missing_ok=True)

    def _install(self, job: _Job) -> None:
        """Back on the GUI thread: keep the copy only if it is the plan as it is now."""
        if job is self._job:
            self._job = None
        plan_file, sidecar = self.files()
        current = (not job.cancelled and job.edits == self._edits and job.stem == plan_file.stem
                   and self.document.is_modified())
        if job.temp is None:
            return
        if not current:
            job.temp.unlink(missing_ok=True)
            return
        try:
            self._write_base(sidecar)
            os.replace(job.temp, plan_file)
            self._write_sidecar(sidecar)
        except OSError as exc:
            log.warning("autosave failed: %s", exc)
            job.temp.unlink(missing_ok=True)

    def _write_sidecar(self, sidecar: Path) -> None:
        path = self.document.path
        meta = {"original_path": str(Path(path).resolve()) if path else None,
                "saved_at": time.time(), "title": self.document.plan.title,
                "base_sha256": _sha256(self._base) if self._base is not None else None,
                "pid": os.getpid()}
        _write_atomically(sidecar, json.dumps(meta, indent=2) + "\n")

    def remove(self) -> None:
        """Delete this window's own autosave (after a save or a clean close).

        Autosaves other sessions left are not touched: only the user removes
        those, by recovering or discarding them (:mod:`app.recovery`).
        """
        if self._job is not None:
            self._job.cancelled = True  # a copy still being written is not kept
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
