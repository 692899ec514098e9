"""Import any supported file as a plan, choosing the importer by extension or content.

=================  ===================================================
``.bwplan``        a Branchwise plan (:func:`planning.files.planfile.load_plan`)
``.json``          SilverDecisions (:mod:`planning.files.importers.silverdecisions`)
``.mm``            Freeplane / FreeMind mind map (:mod:`~planning.files.importers.freeplane`)
``.txt``, ``.md``  indented outline (:mod:`~planning.files.importers.outline`)
=================  ===================================================

Other extensions are recognised by their first characters: ``{`` JSON (a
Branchwise plan when it says ``"format": "branchwise-plan"``, SilverDecisions
otherwise), ``<`` a mind map, anything else an outline.
"""
from __future__ import annotations

import os
from pathlib import Path

from planning.model.errors import PlanFileError
from planning.model.plan import Plan

__all__ = ["FORMATS", "detect_format", "import_any"]

#: Import format names, by file extension.
FORMATS = {".bwplan": "bwplan", ".json": "silverdecisions", ".mm": "freeplane",
           ".txt": "outline", ".md": "outline", ".markdown": "outline", ".outline": "outline"}
_SNIFF_BYTES = 4096


def detect_format(path: str | os.PathLike) -> str:
    """``bwplan``, ``silverdecisions``, ``freeplane`` or ``outline`` for this file.

    Raises
    ------
    PlanFileError
        The file cannot be read.
    """
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    try:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF_BYTES).decode("utf-8-sig", errors="replace").lstrip()
    except OSError as exc:
        raise PlanFileError(f"{Path(path).name}: cannot read the file: {exc.strerror or exc}") from None
    if head.startswith("{"):
        return "bwplan" if '"branchwise-plan"' in head else "silverdecisions"
    if head.startswith("<"):
        return "freeplane"
    return "outline"


def import_any(path: str | os.PathLike, fmt: str | None = None) -> Plan:
    """Read ``path`` with the importer its extension (or content) calls for.

    Parameters
    ----------
    path : str or os.PathLike
    fmt : str, optional
        Force a format (one of the values of :data:`FORMATS`).

    Raises
    ------
    FileNotFoundError
        No such file.
    PlanFileError
        Unreadable, too large, or not in the format.
    PlanError
        A field has the wrong type (Branchwise plans and SilverDecisions).
    """
    if not Path(path).exists():
        raise FileNotFoundError(os.fspath(path))
    fmt = fmt or detect_format(path)
    if fmt == "bwplan":
        from planning.files.planfile import load_plan

        return load_plan(path)
    if fmt == "silverdecisions":
        from planning.files.importers.silverdecisions import import_silverdecisions

        return import_silverdecisions(path)
    if fmt == "freeplane":
        from planning.files.importers.freeplane import import_freeplane

        return import_freeplane(path)
    if fmt == "outline":
        from planning.files.importers.outline import import_outline

        return import_outline(path)
    raise PlanFileError(f"unknown import format {fmt!r} (formats: {', '.join(sorted(set(FORMATS.values())))})")
