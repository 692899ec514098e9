"""Import Freeplane / FreeMind mind maps (``.mm``) as a tree to refine.

A mind map is XML: ``<map><node TEXT="..."><node TEXT="...">...``. The root
node becomes the root of one track; every ``node`` element a node, in
document order. The label is the ``TEXT`` attribute (or the text of a
``richcontent TYPE="NODE"``), notes come from ``richcontent TYPE="NOTE"``
(or ``DETAILS``). Kinds and numbers follow the outline convention of
:mod:`planning.importers.outline`: a ``? ``/``[C]``, ``! ``/``[D]`` or
``[T]`` marker and ``{p=..., v=..., path=..., warn=...}`` braces in the
label, or Freeplane attributes named ``kind``, ``probability``/``p``,
``payoff``/``value``/``v``, ``path`` and ``warning_days``/``warn``.

Files come from other people: the size is checked before parsing, any
DOCTYPE or ENTITY declaration is refused (no entity expansion, no "billion
laughs", no external entities), the node count is limited, and the element
tree is walked with an explicit stack, so a map nested 100,000 deep imports
like any other. Nothing in the file is executed.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from planning.errors import PlanFileError
from planning import importers
from planning.importers import read_text
from planning.importers.outline import _entry, plan_from_entries
from planning.model import KINDS

__all__ = ["MAX_NODES", "import_freeplane", "loads_freeplane"]

MAX_NODES = 1_000_000
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ATTRIBUTE_KEYS = {"p": "p", "prob": "p", "probability": "p", "v": "v", "value": "v",
                   "payoff": "v", "path": "path", "warn": "warn", "warning": "warn",
                   "warning_days": "warn"}


def _text_of(element) -> str:
    """All text inside ``element`` (rich HTML content), without recursion."""
    parts = []
    for inner in element.iter():
        if inner.text:
            parts.append(inner.text)
        if inner is not element and inner.tail:
            parts.append(inner.tail)
    return " ".join(" ".join(parts).split())


def _parse(text: str, source: str):
    if _DECLARATION.search(text):
        raise PlanFileError(f"{source}: DOCTYPE and ENTITY declarations are not accepted in mind maps")
    parser = ET.XMLParser()
    try:
        parser.feed(text)
        return parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        raise PlanFileError(f"{source}: not valid XML at line {line}, column {column}") from None
    except RecursionError:
        raise PlanFileError(f"{source}: the XML is nested too deeply") from None


def loads_freeplane(text: str, *, source: str = "<mind map>", title: str = ""):
    """Build a plan from mind-map XML text.

    Raises
    ------
    PlanFileError
        Too large, DOCTYPE/ENTITY declarations, not XML, not a mind map,
        too many nodes, bad braces.
    """
    if len(text) > importers.MAX_FILE_BYTES:
        raise PlanFileError(f"{source}: the text is larger than {importers.MAX_FILE_BYTES // 2**20} MB")
    root = _parse(text, source)
    if root.tag != "map":
        raise PlanFileError(f"{source}: not a Freeplane/FreeMind map (the top element is "
                            f"<{root.tag[:40]}>, expected <map>)")
    top = [child for child in root if child.tag == "node"]
    if not top:
        raise PlanFileError(f"{source}: the map has no nodes")
    entries = []
    notes: list[str] = []
    stack = [(element, 0) for element in reversed(top)]
    while stack:
        element, depth = stack.pop()
        if len(entries) >= MAX_NODES:
            raise PlanFileError(f"{source}: more than {MAX_NODES:,} nodes; Branchwise imports at most that")
        label = element.get("TEXT")
        note = ""
        attributes: dict[str, str] = {}
        children = []
        for child in element:
            if child.tag == "node":
                children.append(child)
            elif child.tag == "richcontent":
                kind = (child.get("TYPE") or "").upper()
                if kind == "NODE" and label is None:
                    label = _text_of(child)
                elif kind in ("NOTE", "DETAILS"):
                    note = (note + "\n\n" + _text_of(child)).strip()
            elif child.tag == "attribute":
                attributes[(child.get("NAME") or "").strip().lower()] = (child.get("VALUE") or "").strip()
        label = " ".join((label or "").split())
        where = f"{source}: node {len(entries) + 1}"
        _, _, kind, label, fields = _entry(label, 0, where)
        braces = ", ".join(f"{_ATTRIBUTE_KEYS[k]}={v}" for k, v in attributes.items()
                           if k in _ATTRIBUTE_KEYS and v)
        if braces:
            fields.update(_entry("x {" + braces + "}", 0, where)[4])
        declared = attributes.get("kind", "").lower()
        if declared in KINDS:
            kind = declared
        entries.append((depth, kind, label, fields, len(entries) + 1))
        notes.append(note)
        stack.extend((child, depth + 1) for child in reversed(children))
    plan = plan_from_entries(entries, source=source, title=title)
    for node, note in zip(plan.nodes.values(), notes):
        node.notes = note
    return plan


def import_freeplane(path_or_text, *, source: str | None = None):
    """Read a ``.mm`` file (or its text) into a plan; title from the file name.

    Raises
    ------
    PlanFileError
        See :func:`loads_freeplane`; also unreadable or not UTF-8.
    """
    text, source, stem = read_text(path_or_text, source)
    return loads_freeplane(text, source=source, title=stem)
