"""The one rule for output files, shared by every command that writes one.

The rule (README, "Output files"):

* ``-o FILE`` names a file in a folder that exists; folders are never
  created, and a folder name (``''``, ``.``, ``/``, ``sub/``) is refused.
* An existing FILE is replaced, but only by a file that was written whole:
  the new content goes to a unique temporary file beside it, is checked
  (not empty, the size its writer reported, an optional validator) and
  flushed to disk, and only then renamed over FILE. A failure leaves FILE
  as it was and no temporary file behind.
* Only a regular file is ever replaced: a device, pipe or folder named as
  FILE is refused (``-o /dev/stdout`` too; ``-o -`` is standard output).
* A ``.bwplan`` is written by :func:`planning.files.planfile.save_plan`, which
  keeps the old file as ``FILE~``.
* ``-o -`` writes a text format to standard output; binary formats refuse.

Qt's SVG and PDF writers and ``QImage.save`` do not report every write
error (a full disk gives a truncated file and "success"), which is why the
file is checked after writing rather than trusting the writer.

This module imports neither Qt nor the planning core at module level, so the
GUI and the headless CLI both use it.
"""
from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable

from planning.files.whole_file import check_pdf, check_png, check_svg

STDOUT = "-"

#: Picture sizes for ``present --screenshot`` and the window's ``--screenshot``.
MIN_SIZE, MAX_SIZE = (320, 180), (10000, 10000)


class OutputError(OSError):
    """The output cannot be written where asked (a usage or file error: exit 2).

    An OSError, so GUI code that reports failed writes reports these too.
    """


class Reported(int):
    """A writer's own count of the bytes it wrote; return one to have the file's size checked.

    (A plain int is not taken as a size: ``Path.write_text`` returns characters.)
    """


def parse_size(text: str, minimum: tuple[int, int] = MIN_SIZE,
               maximum: tuple[int, int] = MAX_SIZE) -> tuple[int, int]:
    """``"1280x720"`` -> ``(1280, 720)``, within ``minimum`` .. ``maximum``.

    Raises
    ------
    OutputError
        Not ``WIDTHxHEIGHT`` in whole pixels, or out of bounds.
    """
    try:
        width, height = (int(part) for part in str(text).lower().split("x"))
    except ValueError:
        raise OutputError(f"--size must look like 1280x720, not {text!r}") from None
    if not (minimum[0] <= width <= maximum[0] and minimum[1] <= height <= maximum[1]):
        raise OutputError(f"--size must be between {minimum[0]}x{minimum[1]} and "
                          f"{maximum[0]}x{maximum[1]}, not {text}")
    return width, height


def check_target(out: str | os.PathLike) -> Path:
    """The path to write for ``-o out``, after the rule's checks; nothing is written.

    Returns the real path (a symbolic link to a regular file is followed, so
    the file it points at is replaced, not the link).

    Raises
    ------
    OutputError
        A folder name, a missing folder, or an existing target that is not a
        regular file.
    """
    text = os.fspath(out)
    path = Path(text)
    if not text.strip() or text.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        raise OutputError(f"-o {text!r}: give a file name, not a folder")
    if _through_devices(path):
        raise OutputError(f"{text}: is a device or process file; only a regular file is replaced "
                          "(use -o - for standard output)")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{text}: {exc.strerror or exc}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        hint = " (use -o - for standard output)" if text.startswith("/dev/") else ""
        raise OutputError(f"{text}: is {what}; only a regular file is replaced{hint}")
    real = Path(os.path.realpath(path))
    if not real.parent.is_dir():
        raise OutputError(f"{text}: folder {str(path.parent)!r} does not exist (it is not created)")
    return real


_DEVICE_FOLDERS = ("/dev/", "/proc/", "/sys/")


def _through_devices(path: Path) -> bool:
    """True when ``path`` is, or links through, /dev, /proc or /sys.

    ``/dev/stdout`` resolves (via /proc/self/fd/1) to whatever standard output
    is, a regular file when redirected: replacing that is never what -o meant.
    """
    current = os.path.abspath(path)
    if (os.path.realpath(os.path.dirname(current)) + "/").startswith(_DEVICE_FOLDERS):
        return True
    for _ in range(40):  # the kernel's own limit on symbolic link hops
        if current.startswith(_DEVICE_FOLDERS):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.abspath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return True


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_output(out: str | os.PathLike, write: Callable[[Path], object], *,
                 validate: Callable[[Path], None] | None = None, text: bool = False,
                 allow_empty: bool = False) -> Path | None:
    """Write ``out`` by the rule: ``write(tmp)`` fills a temporary file, then it replaces ``out``.

    Parameters
    ----------
    out : str or PathLike
        The ``-o`` argument; ``"-"`` is standard output (``text`` formats only).
    write : callable
        ``write(tmp)`` writes the whole content into the file ``tmp`` (whose
        name ends with the target's suffix, for writers that pick the format
        from it). If it returns :class:`Reported`, the file must have exactly
        that many bytes.
    validate : callable, optional
        ``validate(tmp)`` raises (OSError or ValueError) when the written
        file is not whole, e.g. an XML or PDF that does not parse.
    text : bool
        The format is text, so ``-o -`` may print it.
    allow_empty : bool
        An empty file is a valid result (otherwise it means a failed write).

    Returns
    -------
    Path or None
        The file written; None for standard output.

    Raises
    ------
    OutputError
        The target breaks the rule, or the written file is not whole.
    OSError
        Writing failed; the old file is untouched, no temporary file is left.
    """
    if os.fspath(out) == STDOUT:
        if not text:
            raise OutputError("-o -: this format is not text; give a file name")
        folder = tempfile.mkdtemp(prefix="branchwise-")
        try:
            tmp = Path(folder) / "output"
            _write_checked(tmp, write, validate, allow_empty, "standard output")
            data = tmp.read_bytes()
            sys.stdout.flush()
            binary = getattr(sys.stdout, "buffer", None)
            if binary is not None:
                binary.write(data)
                binary.flush()
            else:  # a text-only stream (an embedding host): text formats are UTF-8
                sys.stdout.write(data.decode("utf-8"))
                sys.stdout.flush()
        finally:
            shutil.rmtree(folder)
        return None
    target = check_target(out)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        _write_checked(tmp, write, validate, allow_empty, os.fspath(out))
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = _new_file_mode()
        os.chmod(tmp, mode)
        check_target(target)  # still a regular file (or absent) just before the rename
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _write_checked(tmp: Path, write, validate, allow_empty: bool, name: str) -> None:
    """Run ``write`` into ``tmp`` and check that the file is whole and on disk."""
    try:
        reported = write(tmp)
    except OutputError:
        raise
    except OSError as exc:  # name the file the user asked for, not the temporary one
        text = exc.strerror or str(exc)
        text = text.replace(f"{tmp}: ", "").replace(str(tmp), name)
        raise OutputError(f"{name}: cannot write it ({text}); nothing replaced") from None
    try:
        info = os.stat(tmp)
    except FileNotFoundError:
        raise OutputError(f"{name}: nothing was written") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{name}: the writer did not produce a file")
    if info.st_size == 0 and not allow_empty:
        raise OutputError(f"{name}: the file came out empty (disk full?); nothing replaced")
    if isinstance(reported, Reported) and reported != info.st_size:
        raise OutputError(f"{name}: {info.st_size} of {reported} bytes written (disk full?); "
                          "nothing replaced")
    if validate is not None:
        try:
            validate(tmp)
        except (OSError, ValueError) as exc:
            text = str(exc).replace(f"{tmp}: ", "")  # name the file the user asked for, not the temporary one
            raise OutputError(f"{name}: the file came out incomplete ({text}); nothing replaced") from None
    with open(tmp, "rb+") as handle:  # fsync: the rename must not land before the data
        os.fsync(handle.fileno())


#: Cheap "was it written to the end" checks by file suffix, for writers that
#: do not report errors (Qt's SVG, PDF and image writers): the same checks the
#: picture writers run on their own files (widgets/whole_file.py, stdlib only).
WHOLE_FILE_CHECKS: dict[str, Callable[[Path], None]] = {
    ".svg": check_svg, ".pdf": check_pdf, ".png": check_png,
}


def whole_file_check(suffix: str) -> Callable[[Path], None] | None:
    """The validator for a ``.svg``, ``.pdf`` or ``.png`` file (None for other formats)."""
    return WHOLE_FILE_CHECKS.get(suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}")


def write_plan_output(out: str | os.PathLike, plan) -> Path | None:
    """Write a plan to ``out`` (``-`` prints it).

    A ``.bwplan`` goes through :func:`planning.files.planfile.save_plan`, which keeps
    an existing file as ``FILE~``. Other names (git's merge driver writes
    to a temporary ``%A`` that must not leave a ``~`` beside it) follow the
    general rule without a backup.
    """
    from planning.files.planfile import dumps_plan, save_plan

    if os.fspath(out) == STDOUT:
        sys.stdout.write(dumps_plan(plan))
        sys.stdout.flush()
        return None
    target = check_target(out)
    if target.suffix.lower() == ".bwplan":
        save_plan(plan, target)  # atomic, fsynced, keeps FILE~ (planning/files/planfile.py)
        return target
    data = dumps_plan(plan).encode("utf-8", "surrogatepass")
    return write_output(out, lambda tmp: Reported(tmp.write_bytes(data)))


__all__ = ["MAX_SIZE", "MIN_SIZE", "OutputError", "Reported", "STDOUT", "check_target", "parse_size",
           "whole_file_check", "write_output", "write_plan_output"]
