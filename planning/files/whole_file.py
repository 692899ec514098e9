"""Checks that a written file is whole, for the writers that do not report write errors.

Qt's ``QPdfWriter``, ``QSvgGenerator`` and, behind a buffered ``QFile``,
``QImage.save`` can leave a truncated file on a full disk and still report
success. The exports write to a temporary file, run one of these checks on
it and only then let it replace the target: a failed check raises
``OSError`` and the old file stays. Pure Python, no Qt.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def check_svg(path: str | Path, name: str | None = None) -> None:
    """Raise OSError unless ``path`` is a complete SVG document (it parses as XML)."""
    path = Path(path)
    shown = name or str(path)  # the file the user asked for, not the temporary one
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError, ValueError) as exc:
        raise OSError(f"{shown}: the SVG picture was not written whole ({exc})") from None
    if not root.tag.endswith("svg"):
        raise OSError(f"{shown}: the file written is not an SVG picture")


def _head_and_tail(path: Path, shown: str, kind: str, tail_bytes: int) -> tuple[bytes, bytes]:
    """The first 8 and the last ``tail_bytes`` bytes of ``path``; OSError naming ``shown``."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, size - tail_bytes))
            return head, handle.read()
    except OSError as exc:
        raise OSError(f"{shown}: the {kind} could not be read back ({exc.strerror or exc})") from None


def check_pdf(path: str | Path, name: str | None = None) -> None:
    """Raise OSError unless ``path`` starts like a PDF and ends with ``%%EOF``."""
    shown = name or str(path)  # the file the user asked for, not the temporary one
    head, tail = _head_and_tail(Path(path), shown, "PDF", 64)
    if not head.startswith(b"%PDF-") or not tail.rstrip().endswith(b"%%EOF"):
        raise OSError(f"{shown}: the PDF was not written whole (is the disk full?)")


def fsync_file(path: str | Path, name: str | None = None) -> None:
    """Flush ``path`` to the disk: a full disk may only show itself here."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OSError(f"{name or path}: could not be written ({exc.strerror or exc})") from None


def write_verified_text(path: str | Path, text: str, check, name: str | None = None) -> None:
    """Write ``text`` as UTF-8, flush it to disk and run ``check(path, name)`` on what is there.

    ``name`` is the file the user asked for (``path`` may be a temporary file), for messages.
    """
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OSError(f"{name or path}: could not be written ({exc.strerror or exc})") from None
    check(path, name)


def check_png(path: str | Path, name: str | None = None) -> None:
    """Raise OSError unless ``path`` starts with the PNG signature and ends with its IEND chunk."""
    shown = name or str(path)  # the file the user asked for, not the temporary one
    head, tail = _head_and_tail(Path(path), shown, "PNG", 8)
    if head != _PNG_SIGNATURE or tail != _PNG_END:
        raise OSError(f"{shown}: the PNG picture was not written whole (is the disk full?)")


__all__ = ["check_pdf", "check_png", "check_svg", "fsync_file", "write_verified_text"]
