"""The tree canvas for assistive technology: what is selected, said in words.

The canvas draws its nodes itself, so a screen reader sees one widget. This
mixin of :class:`widgets.tree_canvas.TreeCanvas` keeps the widget's
accessible name and description on the selected node (label; kind,
probability, EV, readiness) and announces a new selection with
``QAccessible.updateAccessibility`` (name, description and value-changed
events), as a list view announces its current item.
"""
from __future__ import annotations

import math

from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleValueChangeEvent

from planning.model.plan import CHANCE
from widgets.i18n import QT_TRANSLATE_NOOP, fill, number, translate

#: Words for a node's kind and path (read through translate() when used).
_KINDS = {"decision": QT_TRANSLATE_NOOP("TreeCanvas", "decision"),
          "chance": QT_TRANSLATE_NOOP("TreeCanvas", "chance node"),
          "terminal": QT_TRANSLATE_NOOP("TreeCanvas", "terminal")}
_PATHS = {"success": QT_TRANSLATE_NOOP("TreeCanvas", "success path"),
          "failure": QT_TRANSLATE_NOOP("TreeCanvas", "failure path"),
          "neutral": QT_TRANSLATE_NOOP("TreeCanvas", "neutral path")}


def describe(document, node_id: str | None) -> tuple[str, str]:
    """``(name, description)`` of a node for a screen reader: its label, then its figures.

    The description reads "chance node; probability 40%; expected value
    1,250 k$; readiness 60%" with what is known (no evaluation: kind only),
    numbers in the window's locale.
    """
    plan = getattr(document, "plan", None)
    node = plan.nodes.get(node_id) if plan is not None and node_id else None
    if node is None:
        return (translate("TreeCanvas", "Tree canvas, nothing selected"),
                translate("TreeCanvas", "Select a node with the arrow keys"))
    parts = [translate("TreeCanvas", _KINDS.get(node.kind, node.kind))]
    if node.path:
        parts.append(translate("TreeCanvas", _PATHS.get(node.path, node.path)))
    result = getattr(document, "result", None)
    i = result.index.get(node.id, -1) if result is not None else -1
    current = getattr(document, "current_track_id", None)
    if result is not None and getattr(result, "track_id", None) not in (None, current):
        i = -1
    # The edits' cached parent map: plan.path_to would build one per call
    # (a tenth of a second on 100,000 nodes, after every evaluation).
    from planning.model.edits import parent_of

    parent_id = parent_of(plan, node.id)
    parent = plan.nodes.get(parent_id) if parent_id is not None else None
    is_branch = parent is not None and parent.kind == CHANCE
    unit = f" {plan.value_unit}" if getattr(plan, "value_unit", "") else ""
    if i >= 0:
        if is_branch:
            parts.append(fill(translate("TreeCanvas", "probability %1%"),
                              number(100 * float(result.node_probability[i]), 0)))
        ev = float(result.node_ev[i])
        if math.isfinite(ev):
            parts.append(fill(translate("TreeCanvas", "expected value %1"),
                              number(ev, 1 if abs(ev) < 100 else 0) + unit))
        readiness = getattr(result, "node_readiness", None)
        if readiness is not None and i < len(readiness) and math.isfinite(float(readiness[i])):
            parts.append(fill(translate("TreeCanvas", "readiness %1%"), number(100 * float(readiness[i]), 0)))
    children = len(node.children)
    if children:
        parts.append(translate("TreeCanvas", "1 child") if children == 1
                     else fill(translate("TreeCanvas", "%1 children"), children))
    return node.label or node.id, "; ".join(parts)


class CanvasAccess:
    """Accessible name, description and value of the canvas follow the selection."""

    def _init_access(self) -> None:
        self.setAccessibleName(translate("TreeCanvas", "Tree canvas"))
        self.accessible_value = ""
        self.document.selectionChanged.connect(self._announce_selection)
        self.document.evaluated.connect(lambda _r: self._announce_selection(self.document.selected_id, quiet=True))
        self._announce_selection(self.document.selected_id, quiet=True)

    def _announce_selection(self, node_id: str | None, quiet: bool = False) -> None:
        from shiboken6 import isValid

        if not isValid(self):
            return
        name, description = describe(self.document, node_id)
        value = f"{name}: {description}"
        if value == self.accessible_value:
            return
        self.accessible_value = value
        # The widget's own name says which view it is; the selected node is
        # its description, so a reader says "Tree canvas, Ceasefire holds, chance node…".
        self.setAccessibleName(fill(translate("TreeCanvas", "Tree canvas, %1"), name))
        self.setAccessibleDescription(description)
        if quiet:
            return
        for event in (QAccessibleEvent(self, QAccessible.Event.NameChanged),
                      QAccessibleEvent(self, QAccessible.Event.DescriptionChanged),
                      QAccessibleValueChangeEvent(self, value)):
            QAccessible.updateAccessibility(event)
