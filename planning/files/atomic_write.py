"""Writing a file atomically: a temporary file, fsync, a backup, then one rename.

:func:`planning.files.planfile.save_plan` writes plans through :func:`write_atomically`;
at every moment the target holds either the old or the new complete content.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import time

__all__ = ["STALE_TEMP_SECONDS", "remove_stale_temporaries", "write_atomically"]


def write_atomically(target: str, data: bytes) -> None:
    """Write ``data`` to ``target`` (a real path) atomically, keeping the old file as ``target~``.

    The bytes go to a temporary file in the same directory, are flushed and
    fsynced, the old file is hard-linked (or copied) to the backup, and only
    then is the temporary file renamed over ``target``.

    Raises
    ------
    OSError
        The file could not be written; the old file is untouched and no
        temporary file is left behind.
    """
    directory = os.path.dirname(target) or "."
    base = os.path.basename(target)
    temp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.tmp")
    temp_backup = temp + "~"
    made: list[str] = []
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        made.append(temp)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if os.path.exists(target):
            shutil.copymode(target, temp)
            made.append(temp_backup)
            try:
                os.link(target, temp_backup)
            except OSError:  # no hard links here (FAT, some network shares): copy
                shutil.copy2(target, temp_backup)
            os.replace(temp_backup, target + "~")
            made.remove(temp_backup)
        os.replace(temp, target)
        made.remove(temp)
    finally:
        for leftover in made:
            try:
                os.unlink(leftover)
            except OSError:
                pass
    _fsync_directory(directory)
    remove_stale_temporaries(directory, base)


def _fsync_directory(directory: str) -> None:
    """Make the rename durable; not every platform lets us open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: A temporary file of ours older than this is left from an interrupted save
#: (a save of a 100k-node plan takes seconds, not minutes).
STALE_TEMP_SECONDS = 300


def remove_stale_temporaries(directory: str, base: str, now: float | None = None) -> list[str]:
    """Delete ``.BASE.XXXXXXXX.tmp`` and ``.tmp~`` files left by interrupted saves.

    Only names :func:`save_plan` makes for this file (8 hex digits), and only
    those untouched for :data:`STALE_TEMP_SECONDS`, so a save running in
    another process right now keeps its temporary file. Returns what was removed.
    """
    pattern = re.compile(r"\." + re.escape(base) + r"\.[0-9a-f]{8}\.tmp~?\Z")
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and \
                    now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed
