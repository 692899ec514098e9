"""The inspector: a form for the selected node, its figures and its responses.

Text fields commit on ``editingFinished`` (Return or leaving the field), so
typing a label is one ``document.set_node_field`` call and one undo step;
combos commit when the user picks an item. Probability and payoff accept a
number, an expression over variables, or ``#`` (a branch's share of the
remainder), and are checked while typing: a bad entry gets a red border and
the reason under the field, and is not committed.

When the document changes, the form reloads from it, except for a field the
user has typed into and not yet committed (it keeps what is being typed).
"""
from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planning.model.edits import parent_of
from planning.model.plan import CHANCE, DECISION, KINDS, PATHS, Node
from widgets import palette
from widgets.choice_combo import ChoiceCombo
from widgets.inspector_fields import (  # parse_value is also imported from here (tests/test_inspector.py)
    MESSAGE_STYLE, PlainTextField, VariablesTable, parse_value, stored_text,
)
from widgets.responses_table import ResponsesTable
from widgets.tree_model import format_number, format_percent
from widgets.i18n import fill, translate

_INVALID_STYLE = "QLineEdit {{ border: 1px solid {BADGE_LATE}; border-radius: 2px; padding: 1px; }}"
_MESSAGE_STYLE = MESSAGE_STYLE
_INHERIT = "(inherit)"
_BEST_OPTION = "(best option)"


#: Inspector fields a keyboard user can jump to, in form order: (field, row label).
FIELDS: tuple[tuple[str, str], ...] = (
    ("label", "Label"), ("kind", "Kind"), ("probability", "Probability"), ("payoff", "Payoff"),
    ("path", "Path"), ("committed", "Committed"), ("warning_days", "Warning (d)"),
    ("signposts", "Signposts"), ("responses", "Responses"), ("probability_range", "p range"),
    ("payoff_range", "Payoff range"), ("notes", "Notes"), ("variables", "Variables"),
)


class Inspector(QScrollArea):
    """Form, figures and responses of the document's selected node.

    Parameters
    ----------
    document : Document
        The open document (ARCHITECTURE.md, "The Document").
    parent : QWidget, optional
    """

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        self._node_id: str | None = None
        self.setObjectName("inspector")
        self.setAccessibleName(self.tr("Inspector"))
        self.setAccessibleDescription(self.tr("The fields of the selected node"))
        self.setWidgetResizable(True)
        # A dock squeezed below the form (a small window) scrolls sideways rather than
        # cutting the fields off at its edge; the window keeps its small minimum width.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        self.title = QLabel(body)
        self.title.setObjectName("inspectorTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.error = QLabel(body)  # errors the document reported for an edit
        palette.styled(self.error, _MESSAGE_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.title)
        layout.addWidget(self.error)

        # main fields first, then responses and figures, then the details
        self.form_box = QWidget(body)
        self.form = self._form(self.form_box)
        self.details_box = QGroupBox(translate("Inspector", "Ranges, notes, variables"), body)
        self.details_form = self._form(self.details_box)
        self._messages: dict[str, QLabel] = {}

        self.label_edit = self._line("label", "what this node is")
        # Combos save the final choice once (arrow keys step without saving).
        self.kind_combo = ChoiceCombo(self.form_box)
        self.kind_combo.addItems(list(KINDS))
        self.kind_combo.chosen.connect(lambda i: self._commit("kind", KINDS[i]))
        self.probability_edit = self._line("probability", "number, expression (p_ok*0.9) or # for the remainder")
        self.payoff_edit = self._line("payoff", "number or expression, in the plan's unit")
        # Linked tracks: pick a track or node from a list instead of typing ids.
        from widgets.link_picker import install_link_action

        self.link_actions = {field: install_link_action(edit, lambda: document.plan, lambda: self.node_id)
                             for field, edit in (("probability", self.probability_edit),
                                                 ("payoff", self.payoff_edit))}
        self.path_combo = ChoiceCombo(self.form_box)
        self.path_combo.addItems([_INHERIT, *PATHS])
        self.path_combo.chosen.connect(lambda i: self._commit("path", None if i == 0 else PATHS[i - 1]))
        self.committed_combo = ChoiceCombo(self.form_box)
        self.committed_combo.setToolTip(translate("Inspector", "the option the planners have committed to; rollback follows it"))
        self.committed_combo.chosen.connect(
            lambda i: self._commit("committed", self.committed_combo.itemData(i)))
        self.warning_edit = self._line("warning_days", "days of notice between a signpost and the impact")
        self.signposts_edit = PlainTextField(self.form_box)
        self.signposts_edit.setPlaceholderText(translate("Inspector", "one observable indicator per line"))
        self.signposts_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.signposts_edit.editingFinished.connect(self._commit_signposts)
        for name, widget, key in (
            ("Label", self.label_edit, "label"), ("Kind", self.kind_combo, None),
            ("Probability", self.probability_edit, "probability"), ("Payoff", self.payoff_edit, "payoff"),
            ("Path", self.path_combo, None), ("Committed", self.committed_combo, None),
            ("Warning (d)", self.warning_edit, "warning_days"), ("Signposts", self.signposts_edit, None),
        ):
            self._add_row(self.form, name, widget, key)
        layout.addWidget(self.form_box)

        self.responses_box = QGroupBox(translate("Inspector", "Responses"), body)
        responses_layout = QVBoxLayout(self.responses_box)
        responses_layout.setContentsMargins(4, 4, 4, 4)
        self.responses = ResponsesTable(document, self.responses_box, follow_selection=False, fit_height=True)
        responses_layout.addWidget(self.responses)
        layout.addWidget(self.responses_box)

        self.figures_box = QGroupBox(translate("Inspector", "Figures"), body)
        figures = QGridLayout(self.figures_box)
        figures.setHorizontalSpacing(10)
        figures.setColumnStretch(1, 1)
        figures.setColumnStretch(3, 1)
        self.figures: dict[str, QLabel] = {}
        for position, (key, name, tip) in enumerate((
            ("ev", "EV", "expected value of the subtree, its own payoff included"),
            ("reach", "Reach", "probability of getting here under the policy"),
            ("probability", "Probability", "resolved branch probability"),
            ("readiness", "Readiness", "branch readiness: best response readiness, late ones count 0"),
            ("failure_exposure", "Exposure", "chance of meeting an unprepared failure from here"),
            ("failure_readiness", "Fail. ready", "readiness for the failures below, from here"),
        )):
            caption = QLabel(name, self.figures_box)
            caption.setToolTip(tip)
            palette.styled(caption, "color: {TEXT_MUTED};")
            value = QLabel("—", self.figures_box)
            value.setToolTip(tip)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row, column = divmod(position, 2)
            figures.addWidget(caption, row, column * 2)
            figures.addWidget(value, row, column * 2 + 1)
            self.figures[key] = value
        layout.addWidget(self.figures_box)

        self.probability_low, self.probability_high, probability_range = self._range("probability_range")
        self.payoff_low, self.payoff_high, payoff_range = self._range("payoff_range")
        self.notes_edit = PlainTextField(self.details_box)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 10)
        self.notes_edit.editingFinished.connect(
            lambda: self._commit("notes", self.notes_edit.toPlainText(), self.notes_edit))
        self.variables_table = VariablesTable(self.details_box)
        self.variables_table.edited.connect(lambda variables: self._commit("variables", variables))
        for name, widget, key in (
            ("p range", probability_range, "probability_range"), ("Payoff range", payoff_range, "payoff_range"),
            ("Notes", self.notes_edit, None), ("Variables", self.variables_table, None),
        ):
            self._add_row(self.details_form, name, widget, key)
        layout.addWidget(self.details_box)
        layout.addStretch(1)

        document.selectionChanged.connect(self._on_selection)
        document.changed.connect(self._on_changed)
        palette.on_change(self, lambda: self._load(force=False))  # the header line is coloured html
        document.planReplaced.connect(lambda: self._on_selection(getattr(document, "selected_id", None)))
        document.evaluated.connect(self._update_figures)
        self._on_selection(getattr(document, "selected_id", None))
        from widgets.inspector_payoff2 import install_payoff2

        install_payoff2(self)  # the second criterion's payoff, shown with two criteria

    # -- building ---------------------------------------------------------
    def _line(self, field: str, tip: str) -> QLineEdit:
        edit = QLineEdit(self.form_box)
        edit.setToolTip(tip)
        edit.setPlaceholderText(tip if len(tip) < 40 else "")
        edit.editingFinished.connect(lambda f=field: self._finish(f))
        if field in ("probability", "payoff", "warning_days"):
            edit.textEdited.connect(lambda _text, f=field: self._validate(f))
        return edit

    def _range(self, field: str) -> tuple[QLineEdit, QLineEdit, QWidget]:
        box = QWidget(self.form_box)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        low, high = QLineEdit(box), QLineEdit(box)
        low.setPlaceholderText(self.tr("low"))
        high.setPlaceholderText(self.tr("high"))
        what = self.tr("Probability range") if field.startswith("prob") else self.tr("Payoff range")
        low.setAccessibleName(self.tr("%1, low end").replace("%1", what))
        high.setAccessibleName(self.tr("%1, high end").replace("%1", what))
        row.addWidget(low)
        row.addWidget(QLabel(translate("Inspector", "to"), box))
        row.addWidget(high)
        box.setFocusProxy(low)  # the row's label (its buddy) leads to the low end
        for edit in (low, high):
            edit.textEdited.connect(lambda _text, f=field: self._validate(f))
            edit.editingFinished.connect(lambda f=field: self._finish(f))
        return low, high, box

    @staticmethod
    def _form(parent: QWidget) -> QFormLayout:
        form = QFormLayout(parent)
        if not isinstance(parent, QGroupBox):
            form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _add_row(self, form: QFormLayout, name: str, widget: QWidget, message_key: str | None = None) -> None:
        if message_key is None:
            form.addRow(name, widget)
            return
        holder = QWidget(form.parentWidget())
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        message = QLabel(holder)
        message.setObjectName(f"{message_key}Message")
        palette.styled(message, _MESSAGE_STYLE)
        message.setWordWrap(True)
        message.hide()
        column.addWidget(message)
        self._messages[message_key] = message
        form.addRow(name, holder)
        label = form.labelForField(holder)
        if label is not None:
            label.setBuddy(widget)  # the field, not its holder: its Alt+key reaches it
        # Qt names a field after a buddy label among its siblings only: the holder is between.
        widget.setAccessibleName(name.replace("&", "").rstrip(":"))

    # -- public -----------------------------------------------------------
    @property
    def node_id(self) -> str | None:
        """Id of the node shown (None when nothing is selected)."""
        return self._node_id

    def node(self) -> Node | None:
        """The node shown, if it still exists."""
        return self._document.plan.nodes.get(self._node_id) if self._node_id else None

    def message(self, field: str) -> str:
        """The validation message shown under ``field`` ("" when it is fine)."""
        label = self._messages.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def field_widget(self, field: str) -> QWidget | None:
        """The widget that edits ``field`` (see :data:`FIELDS`), None for an unknown field."""
        return {
            "label": self.label_edit, "kind": self.kind_combo, "probability": self.probability_edit,
            "payoff": self.payoff_edit, "path": self.path_combo, "committed": self.committed_combo,
            "warning_days": self.warning_edit, "signposts": self.signposts_edit,
            "responses": self.responses.table, "probability_range": self.probability_low,
            "payoff_range": self.payoff_low, "notes": self.notes_edit,
            "variables": self.variables_table.table,
        }.get(field)

    def focus_field(self, field: str) -> str | None:
        """Put the keyboard in ``field`` of the shown node: None, or why it cannot.

        Text is selected, so typing replaces it. ``"responses"`` goes to the
        first response's title, adding a response when the node has none.
        """
        node = self.node()
        widget = self.field_widget(field)
        if node is None or widget is None:
            return "select a node first" if widget is not None else f"no field {field!r}"
        if field in ("probability", "probability_range") and not self._is_branch():
            return "only a branch of a chance node has a probability"
        if field == "committed" and node.kind != DECISION:
            return "only a decision has a committed option"
        if field == "responses":
            self.responses.focus_first()
        else:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()
            elif isinstance(widget, PlainTextField):
                widget.selectAll()
        self.ensureWidgetVisible(widget)
        return None

    def commit_pending(self) -> None:
        """Save what was typed or chosen and not yet committed (before an undo, say)."""
        for field in ("label", "probability", "payoff", "warning_days", "probability_range", "payoff_range"):
            if any(edit.isModified() for edit in self._line_edits(field)):
                self._finish(field)
        for text_field in (self.signposts_edit, self.notes_edit):
            if text_field.is_modified():
                text_field.editingFinished.emit()
        for combo in (self.kind_combo, self.path_combo, self.committed_combo):
            if combo.pending():
                combo.choose()

    # -- validation -------------------------------------------------------
    def _is_branch(self) -> bool:
        parent_id = self._parent_id()
        parent = self._document.plan.nodes.get(parent_id) if parent_id else None
        return parent is not None and parent.kind == CHANCE

    def _parent_id(self) -> str | None:
        if self._node_id is None:
            return None
        return parent_of(self._document.plan, self._node_id)  # cached map, O(1)

    def _parsed(self, field: str) -> tuple[object, str | None]:
        """(value, None) or (None, message) for what a field holds now."""
        if field == "probability":
            return parse_value(self.probability_edit.text(), share=True, empty=None, bounds=(0.0, 1.0))
        if field == "payoff":
            return parse_value(self.payoff_edit.text())
        if field == "warning_days":  # a plain number: no expression, no '#'
            days, error = parse_value(self.warning_edit.text(), empty=None, bounds=(0.0, math.inf))
            return (None, "a number of days, 0 or more") if error or isinstance(days, str) else (days, None)
        if field in ("probability_range", "payoff_range"):
            texts = tuple(edit.text().strip() for edit in self._line_edits(field))
            if not any(texts):
                return None, None
            if not all(texts):
                return None, "give both low and high (or neither)"
            try:
                low, high = float(texts[0]), float(texts[1])
            except ValueError:
                return None, translate("Inspector", "low and high must be numbers")
            if not (math.isfinite(low) and math.isfinite(high)):
                return None, translate("Inspector", "low and high must be finite")
            if low > high:
                return None, fill(translate("Inspector", "low %1 is above high %2"), f"{low:g}", f"{high:g}")
            if field == "probability_range" and not (0 <= low and high <= 1):
                return None, "a probability range lies within 0 and 1"
            return (low, high), None
        raise KeyError(field)

    def _line_edits(self, field: str) -> tuple[QLineEdit, ...]:
        """The line edits that hold ``field`` (two for a range)."""
        return {
            "label": (self.label_edit,), "probability": (self.probability_edit,), "payoff": (self.payoff_edit,),
            "warning_days": (self.warning_edit,),
            "probability_range": (self.probability_low, self.probability_high),
            "payoff_range": (self.payoff_low, self.payoff_high),
        }.get(field, ())

    def _validate(self, field: str) -> bool:
        """Show or clear the message under ``field``; True when it is valid."""
        _value, error = self._parsed(field)
        self._show_message(field, error)
        return error is None

    def _show_message(self, field: str, error: str | None) -> None:
        for edit in self._line_edits(field):
            palette.styled(edit, _INVALID_STYLE if error else "")
        label = self._messages.get(field)
        if label is not None:
            label.setText(error or "")
            label.setVisible(bool(error))

    # -- commits ----------------------------------------------------------
    def _finish(self, field: str) -> None:
        """editingFinished of a text field: commit it when valid and changed."""
        node = self.node()
        if node is None:
            return
        if field == "label":
            self._commit("label", self.label_edit.text(), self.label_edit)
            return
        value, error = self._parsed(field)
        self._show_message(field, error)
        if error is None:
            self._commit(field, value, *self._line_edits(field))

    def _commit_signposts(self) -> None:
        lines = [line.strip() for line in self.signposts_edit.toPlainText().splitlines()]
        self._commit("signposts", [line for line in lines if line], self.signposts_edit)

    def _commit(self, field: str, value, *sources) -> None:
        """Send one field to the document when it differs from the stored value."""
        node = self.node()
        if node is None:
            return
        for source in sources:  # what was typed is now the document's business
            if isinstance(source, QLineEdit):
                source.setModified(False)
            elif isinstance(source, PlainTextField):
                source.document().setModified(False)
        if getattr(node, field) == value:
            return
        try:
            self._document.set_node_field(self._node_id, field, value)
        except ValueError as error:  # refused by the document (e.g. a terminal with children)
            self.error.setText(str(error))
            self.error.show()
            self._load(force=True)
            self.error.show()
            return
        self.error.hide()

    # -- document -> form -------------------------------------------------
    def _on_selection(self, node_id: str | None) -> None:
        self._node_id = node_id or None
        self.error.hide()
        self._load(force=True)

    def _on_changed(self, change) -> None:
        kind = getattr(change, "kind", "reset")
        if kind in ("structure", "tracks", "reset", "plan") or self._node_id in (getattr(change, "node_ids", ()) or ()):
            self._load(force=False)

    def _load(self, force: bool) -> None:
        """Fill the form from the node; ``force`` also overwrites uncommitted typing."""
        node = self.node()
        self.responses.set_node(node.id if node is not None else None)
        for box in (self.form_box, self.figures_box, self.details_box):
            box.setVisible(node is not None)
        self.responses_box.setVisible(node is not None)
        if node is None:
            self._node_id = None
            self.title.setText(translate("Inspector", "Select a node to see and edit it."))
            return
        branch = self._is_branch()
        parent_id = self._parent_id()
        role = "branch" if branch else ("option" if parent_id else "root")
        self.title.setText(
            fill(translate("Inspector", "<b>%1</b><br><span style=\"color:%2\">%3 %4 · id %5</span>"), html.escape(node.label or node.id), palette.TEXT_MUTED, node.kind, role, html.escape(node.id)))

        def put(edit, text: str, field: str | None = None) -> None:
            if force or not edit.isModified():
                edit.setText(text)
                edit.setCursorPosition(0)  # show the start of a long label
                if field:
                    self._show_message(field, None)

        put(self.label_edit, node.label)
        put(self.probability_edit, stored_text(node.probability), "probability")
        put(self.payoff_edit, stored_text(node.payoff), "payoff")
        put(self.warning_edit, stored_text(node.warning_days), "warning_days")
        for low, high, stored, field in (
            (self.probability_low, self.probability_high, node.probability_range, "probability_range"),
            (self.payoff_low, self.payoff_high, node.payoff_range, "payoff_range"),
        ):
            if force or not (low.isModified() or high.isModified()):
                low.setText(stored_text(stored[0]) if stored else "")
                high.setText(stored_text(stored[1]) if stored else "")
                self._show_message(field, None)
        for text_field, text in ((self.signposts_edit, "\n".join(node.signposts)), (self.notes_edit, node.notes)):
            if force or not text_field.is_modified():
                text_field.set_text(text)
        self.kind_combo.set_committed(KINDS.index(node.kind) if node.kind in KINDS else -1)
        self.path_combo.set_committed(PATHS.index(node.path) + 1 if node.path in PATHS else 0)
        self.committed_combo.clear()
        self.committed_combo.addItem(_BEST_OPTION, None)
        nodes = self._document.plan.nodes
        for child_id in node.children:
            child = nodes.get(child_id)
            self.committed_combo.addItem(f"{child.label or child_id} ({child_id})" if child else child_id, child_id)
        self.committed_combo.set_committed(max(0, self.committed_combo.findData(node.committed))
                                           if node.committed else 0)
        self.variables_table.set_variables(node.variables)
        for name, visible in (("Probability", branch), ("p range", branch),
                              ("Committed", node.kind == DECISION)):
            self._set_row_visible(name, visible)
        self._update_figures()

    def _set_row_visible(self, name: str, visible: bool) -> None:
        for form in (self.form, self.details_form):
            for row in range(form.rowCount()):
                label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if label is not None and label.widget() is not None and label.widget().text() == name:
                    form.setRowVisible(row, visible)
                    return

    def _update_figures(self, *_args) -> None:
        result = getattr(self._document, "result", None)
        figures = None
        if result is not None and self._node_id in getattr(result, "index", {}):
            figures = result.node(self._node_id)
        unit = getattr(self._document.plan, "value_unit", "")
        if figures is None:
            for label in self.figures.values():
                label.setText("—")
            if self._node_id and result is None:
                self.figures["ev"].setToolTip(translate("Inspector", "the plan is invalid: see the Problems panel"))
            return
        second = _second_criterion(result, self._node_id)
        ev = format_number(figures["ev"]) + (f" {unit}" if unit else "") + second
        self.figures["ev"].setWordWrap(bool(second))  # a long unit wraps instead of widening the dock
        self.figures["ev"].setText(ev if figures.get("on_policy", True)
                                        else fill(translate("Inspector", "%1 (off policy)"), ev))
        self.figures["reach"].setText(format_percent(figures["reach"]))
        self.figures["probability"].setText(format_number(figures["probability"]) if self._is_branch() else "—")
        self.figures["readiness"].setText(format_percent(figures["readiness"]) if figures["readiness"] is not None else "—")
        self.figures["failure_exposure"].setText(format_percent(figures.get("failure_exposure")))
        self.figures["failure_readiness"].setText(format_percent(figures.get("failure_readiness")))


def _second_criterion(result, node_id: str) -> str:
    """A second line ``41.7 engineer-weeks``: the second criterion's expected value, with two criteria."""
    values = getattr(result, "node_ev2", None)
    settings = getattr(result, "settings", None)
    if values is None or settings is None or node_id not in result.index:
        return ""
    unit = settings.units[1]
    # On a line of its own: the figures grid keeps its width.
    return f"\n{format_number(float(values[result.index[node_id]]))}" + (f" {unit}" if unit else "")
