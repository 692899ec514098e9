"""Import Freeplane / FreeMind mind maps (``.mm``) as a tree to refine.

A mind map is XML: ``<map><node TEXT="..."><node TEXT="...">...``. The root
node becomes the root of one track; every ``node`` element a node, in
document order. The label is the ``TEXT`` attribute (or the text of a
``richcontent TYPE="NODE"``), notes come from ``richcontent TYPE="NOTE"``
(or ``DETAILS``). Kinds and numbers follow the outline convention of
:mod:`planning.files.importers.outline`: a ``? ``/``[C]``, ``! ``/``[D]`` or
``[T]`` marker and ``{p=..., v=..., path=..., warn=...}`` braces in the
label, or Freeplane attributes named ``kind``, ``probability``/``p``,
``payoff``/``value``/``v``, ``path`` and ``warning_days``/``warn``.

Labels are people's text: braces that do not follow the ``{p=..., v=...}``
convention (``\\frac{a}{b}`` in a LaTeX guide, ``{draft}``) stay part of the
label, an attribute with a value Branchwise cannot use is left out, and an
over-long label is shortened; each is reported as a
:class:`MindMapWarning` (Python's :mod:`warnings`, which the CLI and the app
show) rather than refusing the whole map.

Files come from other people: the size is checked before parsing, any
DOCTYPE or ENTITY declaration is refused (no entity expansion, no "billion
laughs", no external entities), the node count is limited, and the element
tree is walked with an explicit stack, so a map nested 100,000 deep imports
like any other. Nothing in the file is executed.
"""
from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET

from planning.model.errors import PlanFileError
from planning.files import importers
from planning.files.importers import read_text
from planning.files.importers.outline import MAX_LABEL, _entry, plan_from_entries
from planning.model.plan import KINDS

__all__ = ["MAX_NODES", "MindMapWarning", "import_freeplane", "loads_freeplane"]

MAX_NODES = 1_000_000
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ATTRIBUTE_KEYS = {"p": "p", "prob": "p", "probability": "p", "v": "v", "value": "v",
                   "payoff": "v", "path": "path", "warn": "warn", "warning": "warn",
                   "warning_days": "warn"}


class MindMapWarning(UserWarning):
    """Something in a mind map the import did not understand and left as it was."""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _label_entry(label: str, where: str, said: list[str]):
    """(kind, label, fields) of a node's text; braces that are not ours stay text."""
    if len(label) > MAX_LABEL:
        said.append(f"{where}: the label is longer than {MAX_LABEL} characters; shortened")
        label = label[:MAX_LABEL]
    try:
        _, _, kind, text, fields = _entry(label, 0, where)
        return kind, text, fields
    except PlanFileError as exc:
        reason = str(exc).removeprefix(f"{where}: ")
    # "{}" at the end is an empty set of numbers: the label's own braces stay.
    _, _, kind, text, fields = _entry(label + " {}", 0, where)
    said.append(f"{where} \u201c{_short(text)}\u201d: braces kept as part of the label "
                f"(not p=, v=, path=, warn=: {reason})")
    return kind, text, fields


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

    What it does not understand (braces that are ordinary text, attribute
    values it cannot use) it leaves and reports as :class:`MindMapWarning`.

    Raises
    ------
    PlanFileError
        Too large, DOCTYPE/ENTITY declarations, not XML, not a mind map,
        too many nodes.
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
    said: list[str] = []
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
        kind, label, fields = _label_entry(label, where, said)
        for key, value in attributes.items():
            if key not in _ATTRIBUTE_KEYS or not value:
                continue
            try:
                fields.update(_entry("x {" + f"{_ATTRIBUTE_KEYS[key]}={value}" + "}", 0, where)[4])
            except PlanFileError as exc:
                said.append(f"{where}: attribute {key!r} left out ({str(exc).removeprefix(where + ': ')})")
        declared = attributes.get("kind", "").lower()
        if declared in KINDS:
            kind = declared
        entries.append((depth, kind, label, fields, len(entries) + 1))
        notes.append(note)
        stack.extend((child, depth + 1) for child in reversed(children))
    plan = plan_from_entries(entries, source=source, title=title)
    for node, note in zip(plan.nodes.values(), notes):
        node.notes = note
    for line in said:
        warnings.warn(line, MindMapWarning, stacklevel=2)
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
