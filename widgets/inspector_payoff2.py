"""The inspector's second-criterion rows: ``payoff2`` and ``payoff2_range``.

Shown only when the plan weighs two criteria (DESIGN "Two criteria"), as
"Payoff 2"; its tooltip and placeholder name the criterion and its unit
("Engineering time (engineer-weeks)"). Edits go through the Document like every other field,
one undo step each; what is typed is checked as the payoff is.
"""
from __future__ import annotations

import math

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from widgets import palette
from widgets.i18n import fill, translate
from widgets.inspector_fields import MESSAGE_STYLE, parse_value, stored_text

#: A palette.styled() template: the field's red border follows the scheme (QSS braces doubled).
_INVALID_STYLE = "QLineEdit {{ border: 1px solid {BADGE_LATE}; border-radius: 2px; padding: 1px; }}"


class Payoff2Rows:
    """The two rows, added to ``inspector.details_form``; see the module doc."""

    def __init__(self, inspector) -> None:
        self.inspector = inspector
        document = inspector._document
        self.document = document
        box = inspector.details_box
        self.holder = QWidget(box)
        column = QVBoxLayout(self.holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        self.edit = QLineEdit(self.holder)
        self.edit.setObjectName("payoff2_edit")
        self.edit.setToolTip(translate("Inspector", "the second criterion's value counted when a path passes "
                                                    "here: a number or an expression"))
        column.addWidget(self.edit)
        self.range_box = QWidget(self.holder)
        row = QHBoxLayout(self.range_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.low, self.high = QLineEdit(self.range_box), QLineEdit(self.range_box)
        self.low.setPlaceholderText(translate("Inspector", "low"))
        self.high.setPlaceholderText(translate("Inspector", "high"))
        row.addWidget(QLabel(translate("Inspector", "range"), self.range_box))
        row.addWidget(self.low)
        row.addWidget(QLabel(translate("Inspector", "to"), self.range_box))
        row.addWidget(self.high)
        column.addWidget(self.range_box)
        self.message = QLabel(self.holder)
        self.message.setObjectName("payoff2Message")
        palette.styled(self.message, MESSAGE_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.message)
        self.caption = QLabel(translate("Inspector", "Payoff 2"), box)
        self.caption.setBuddy(self.edit)  # Qt names the field after its label
        self.edit.setAccessibleName(translate("Inspector", "Payoff 2"))
        self.low.setAccessibleName(translate("Inspector", "Payoff 2 range low"))
        self.high.setAccessibleName(translate("Inspector", "Payoff 2 range high"))
        inspector.details_form.insertRow(2, self.caption, self.holder)  # under the payoff range
        self.edit.editingFinished.connect(self.commit_value)
        for edit in (self.low, self.high):
            edit.editingFinished.connect(self.commit_range)
        document.selectionChanged.connect(lambda _id: self.load(force=True))
        document.changed.connect(lambda _change: self.load(force=False))
        document.planReplaced.connect(lambda: self.load(force=True))
        self.load(force=True)

    def _node(self):
        node_id = self.inspector.node_id
        return self.document.plan.nodes.get(node_id) if node_id else None

    def load(self, force: bool) -> None:
        """Show the node's payoff2 (rows hidden while the plan has one criterion)."""
        plan = self.document.plan
        two = len(plan.criteria) == 2
        form = self.inspector.details_form
        row, _role = form.getWidgetPosition(self.holder)
        node = self._node()
        if row >= 0:
            form.setRowVisible(row, two and node is not None)
        if not two or node is None:
            return
        second = plan.criteria[1]
        # A short caption keeps the form narrow; the criterion and its unit are in the field.
        named = (second.name or translate("Inspector", "criterion 2")) + (f" ({second.unit})" if second.unit else "")
        self.caption.setToolTip(fill(translate("Inspector", "the second criterion: %1"), named))
        self.edit.setPlaceholderText(named)
        self.edit.setToolTip(fill(translate("Inspector", "%1: the value counted when a path passes here "
                                                         "(a number or an expression)"), named))
        if force or not self.edit.isModified():
            self.edit.setText(stored_text(node.payoff2))
        if force or not (self.low.isModified() or self.high.isModified()):
            pair = node.payoff2_range
            self.low.setText(stored_text(pair[0]) if pair else "")
            self.high.setText(stored_text(pair[1]) if pair else "")
        if force:
            self._show(None)

    def _show(self, error: str | None) -> None:
        for edit in (self.edit, self.low, self.high):
            palette.styled(edit, "")
        self.message.setText(error or "")
        self.message.setVisible(bool(error))

    def _set(self, field: str, value) -> None:
        node = self._node()
        if node is None or getattr(node, field) == value:
            return
        try:
            self.document.set_node_field(node.id, field, value)
        except ValueError as error:
            self._show(str(error))

    def commit_value(self) -> None:
        value, error = parse_value(self.edit.text())
        self.edit.setModified(False)
        if error:
            self._show(error)
            palette.styled(self.edit, _INVALID_STYLE)
            return
        self._show(None)
        self._set("payoff2", value)

    def commit_range(self) -> None:
        texts = (self.low.text().strip(), self.high.text().strip())
        if not any(texts):
            self._set("payoff2_range", None)
            return
        if not all(texts):
            return  # the other end is still to come
        try:
            low, high = float(texts[0]), float(texts[1])
        except ValueError:
            self._show(translate("Inspector", "low and high must be numbers"))
            return
        if not (math.isfinite(low) and math.isfinite(high)) or low > high:
            self._show(fill(translate("Inspector", "low %1 is above high %2"), f"{low:g}", f"{high:g}") if low > high
                       else translate("Inspector", "low and high must be finite"))
            return
        self.low.setModified(False)
        self.high.setModified(False)
        self._show(None)
        self._set("payoff2_range", (low, high))


def install_payoff2(inspector) -> Payoff2Rows:
    """Add the second-criterion rows to an Inspector (kept as ``inspector.payoff2_rows``)."""
    rows = Payoff2Rows(inspector)
    inspector.payoff2_rows = rows
    return rows
