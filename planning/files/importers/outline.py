"""Import an indented text outline (``.txt``, ``.md``) as a tree to refine.

The convention, one node per line:

* **Depth** is the indentation: spaces or tabs (a tab counts as 4 spaces),
  any consistent step; a line indented deeper than the one above is its
  child. Markdown bullets (``- ``, ``* ``, ``+ ``) and numbers (``1. ``) in
  front of the label are dropped; Markdown headings (``#``, ``##`` ...) are
  levels 0, 1, ... and bullets under a heading hang below it.
* **Kind** comes from a marker in front of the label: ``? label`` or
  ``[C] label`` is a chance node, ``! label`` or ``[D] label`` a decision,
  ``[T] label`` a terminal. Without a marker a line with children is a
  chance node and a line without is a terminal.
* **Numbers** go in braces at the end of the line:
  ``Talks resume {p=0.3, v=20, path=success, warn=14}``. ``p`` (or
  ``probability``) is a number, ``#`` or an expression over variables;
  ``v`` (or ``payoff``) likewise; ``path`` is success, failure or neutral
  (``+``, ``-``, ``~`` for short); ``warn`` is the warning time in days.
  Branches of a chance node without ``p`` share the rest (``#``).
* Every line at depth 0 starts a track of its own. Blank lines and lines
  starting with ``//`` are skipped.

Nothing is executed: values are kept as written and checked by the usual
validation. Files are read within :data:`planning.files.importers.MAX_FILE_BYTES`
and at most :data:`MAX_NODES` nodes; nothing recurses.
"""
from __future__ import annotations

import re

from planning.model.errors import PlanFileError
from planning.files.importers import read_text
from planning.model.plan import CHANCE, DECISION, FAILURE, NEUTRAL, SUCCESS, TERMINAL, Node, Plan, Track

__all__ = ["MAX_NODES", "MAX_LABEL", "import_outline", "loads_outline", "plan_from_entries"]

MAX_NODES = 1_000_000
MAX_LABEL = 2_000
TAB = 4

_BULLET = re.compile(r"(?:[-*+]|\d{1,9}[.)])\s+")
_HEADING = re.compile(r"(#{1,6})\s+")
_MARKERS = {"?": CHANCE, "!": DECISION, "[c]": CHANCE, "[d]": DECISION, "[t]": TERMINAL}
_ATTRS = re.compile(r"\{([^{}]*)\}\s*\Z")
_PATH_WORDS = {"success": SUCCESS, "+": SUCCESS, "failure": FAILURE, "-": FAILURE, "fail": FAILURE,
               "neutral": NEUTRAL, "~": NEUTRAL}
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\Z")


def _value(text: str):
    text = text.strip()
    return float(text) if _NUMBER.match(text) else text


def _parse_attributes(text: str, where: str) -> dict:
    """``p=0.3, v=20`` -> node fields."""
    fields: dict = {}
    for item in re.split(r"[,;]\s*|\s+(?=\w+\s*=)", text.strip()):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise PlanFileError(f"{where}: expected key=value in braces, got {item.strip()[:40]!r}")
        if key in ("p", "prob", "probability"):
            fields["probability"] = _value(value)
        elif key in ("v", "value", "payoff"):
            fields["payoff"] = _value(value)
        elif key == "path":
            if value.lower() not in _PATH_WORDS:
                raise PlanFileError(f"{where}: path must be success, failure or neutral, got {value[:20]!r}")
            fields["path"] = _PATH_WORDS[value.lower()]
        elif key in ("warn", "warning", "warning_days"):
            if not _NUMBER.match(value):
                raise PlanFileError(f"{where}: warn must be a number of days, got {value[:20]!r}")
            fields["warning_days"] = float(value)
        else:
            raise PlanFileError(f"{where}: unknown key {key[:20]!r} (use p, v, path, warn)")
    return fields


def _entry(line: str, number: int, source: str):
    """(depth or None for a heading's own level, kind or None, label, fields, heading level)."""
    expanded = line.expandtabs(TAB)
    stripped = expanded.lstrip(" ")
    indent = len(expanded) - len(stripped)
    heading = _HEADING.match(stripped)
    level = None
    if heading:
        level = len(heading.group(1)) - 1
        stripped = stripped[heading.end():]
    else:
        bullet = _BULLET.match(stripped)
        if bullet:
            stripped = stripped[bullet.end():]
    where = f"{source}: line {number}" if number else source
    fields: dict = {}
    attrs = _ATTRS.search(stripped)
    if attrs:
        fields = _parse_attributes(attrs.group(1), where)
        stripped = stripped[:attrs.start()]
    kind = None
    lowered = stripped.lower()
    for marker, marker_kind in _MARKERS.items():
        if lowered.startswith(marker) and (len(stripped) == len(marker) or stripped[len(marker)] == " "):
            kind = marker_kind
            stripped = stripped[len(marker):]
            break
    label = stripped.strip()
    if len(label) > MAX_LABEL:
        raise PlanFileError(f"{where}: the label is longer than {MAX_LABEL} characters")
    return indent, level, kind, label, fields


def loads_outline(text: str, *, source: str = "<outline>", title: str = "") -> Plan:
    """Build a plan from outline text (see the module docstring for the convention).

    Raises
    ------
    PlanFileError
        Bad braces, too many nodes, or no node at all (names the line).
    """
    entries = []  # (depth, kind, label, fields, line number)
    stack: list[tuple[int, int]] = []  # (indent, depth) of the open ancestors under the heading
    heading_depth = -1  # depth of the last heading (-1: none)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        if len(entries) >= MAX_NODES:
            raise PlanFileError(f"{source}: more than {MAX_NODES:,} lines; Branchwise imports at most that")
        indent, level, kind, label, fields = _entry(line, number, source)
        if level is not None:
            depth = min(level, heading_depth + 1)  # a heading cannot skip levels
            heading_depth = depth
            stack = []
        else:
            while stack and stack[-1][0] >= indent:
                stack.pop()
            depth = (stack[-1][1] + 1) if stack else heading_depth + 1
            stack.append((indent, depth))
        entries.append((depth, kind, label, fields, number))
    if not entries:
        raise PlanFileError(f"{source}: no outline lines found")
    return plan_from_entries(entries, source=source, title=title)


def plan_from_entries(entries: list, *, source: str = "<outline>", title: str = "") -> Plan:
    """A plan from ``(depth, kind or None, label, fields, line)`` in pre-order.

    Depth 0 entries become track roots. Kinds left None become chance nodes
    when they have children, terminals otherwise; a chance node's children
    without a probability get ``"#"``. Shared by the mind-map importer.
    """
    plan = Plan(title=title or source)
    path: list[str] = []  # ids of the open ancestors, by depth
    for index, (depth, kind, label, fields, line) in enumerate(entries, 1):
        node_id = f"o{index}"
        node = Node(node_id, kind=kind or "", label=label)
        for name, value in fields.items():
            setattr(node, name, value)
        plan.nodes[node_id] = node
        depth = min(depth, len(path))  # a line indented more than one step is still one level down
        del path[depth:]
        if path:
            plan.nodes[path[-1]].children.append(node_id)
        else:
            plan.tracks.append(Track(f"t{len(plan.tracks) + 1}", label or f"Track {len(plan.tracks) + 1}",
                                     node_id))
        path.append(node_id)
    for node in plan.nodes.values():
        if not node.kind:
            node.kind = CHANCE if node.children else TERMINAL
        if node.kind == TERMINAL and node.children:
            raise PlanFileError(f"{source}: {node.label[:40]!r} is marked as an end [T] but has lines under it")
        if node.kind in (CHANCE, DECISION) and not node.children:
            node.kind = TERMINAL  # a marked chance/decision with nothing under it: an end for now
    for node in plan.nodes.values():
        if node.kind == CHANCE:
            for child in node.children:
                if plan.nodes[child].probability is None:
                    plan.nodes[child].probability = "#"
    return plan


def import_outline(path_or_text, *, source: str | None = None) -> Plan:
    """Read an outline file (or its text) into a plan; title from the file name.

    Raises
    ------
    PlanFileError
        Unreadable, too large, not UTF-8, or not an outline.
    """
    text, source, stem = read_text(path_or_text, source)
    return loads_outline(text, source=source, title=stem)
