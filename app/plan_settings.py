"""File > Plan settings: the plan's title, description, value unit, objective,
decision rule, criteria and weights (DESIGN "Decision rules, two criteria").

OK applies the changed fields through the Document in one macro, so one
Ctrl+Z takes the whole dialog back. Tab moves through every field (the
description too) and Esc cancels.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
import math

from PySide6.QtWidgets import (
    QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QPlainTextEdit, QWidget,
)

from planning.model.plan import OBJECTIVES, RULES, Criterion
from widgets.i18n import fill, translate

_OBJECTIVE_TEXT = {"maximize": "maximize (more is better)", "minimize": "minimize (less is better)"}
_RULE_TEXT = {"expected": "expected value (weigh every branch by its probability)",
              "worst-case": "worst case (judge each chance by its worst branch)",
              "best-case": "best case (judge each chance by its best branch)"}


def _weight_text(value: float) -> str:
    return "Infinity" if math.isinf(value) else f"{value:g}"


def _read_weight(text: str, what: str) -> float:
    """A weight as typed: a number 0 or more, or Infinity; ValueError says what is wrong."""
    text = text.strip()
    if text.lower() in ("infinity", "inf", "∞"):
        return math.inf
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what}: type a number 0 or more, or Infinity") from None
    if not value >= 0:
        raise ValueError(f"{what}: must be 0 or more")
    return value


class PlanSettingsDialog(QDialog):
    """The plan-level fields of ``document.plan``; :meth:`apply` writes the changes."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_settings_dialog")
        self.setWindowTitle(translate("PlanSettingsDialog", "Plan settings"))
        self.document = document
        plan = document.plan
        self.title_edit = QLineEdit(plan.title, self)
        self.title_edit.setObjectName("plan_title")
        self.description_edit = QPlainTextEdit(plan.description, self)
        self.description_edit.setObjectName("plan_description")
        self.description_edit.setTabChangesFocus(True)  # Tab leaves, as in every field
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 10)
        self.unit_edit = QLineEdit(plan.value_unit, self)
        self.unit_edit.setObjectName("plan_unit")
        self.unit_edit.setPlaceholderText(translate("PlanSettingsDialog", "e.g. points, EUR m, lives"))
        self.objective_combo = QComboBox(self)
        self.objective_combo.setObjectName("plan_objective")
        for objective in OBJECTIVES:
            self.objective_combo.addItem(_OBJECTIVE_TEXT.get(objective, objective), objective)
        self.objective_combo.setCurrentIndex(max(0, self.objective_combo.findData(plan.objective)))
        self._rule_fields(plan)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("plan_settings_error")
        self.error_label.setWordWrap(True)
        form = QFormLayout(self)
        for text, field in (("&Title", self.title_edit), ("&Description", self.description_edit),
                            ("Value &unit", self.unit_edit), ("&Objective", self.objective_combo),
                            ("Decision &rule", self.rule_combo)):
            form.addRow(translate("PlanSettingsDialog", text), field)
        form.addRow(self.two_check)
        for text, field in (("Criterion &1 name", self.name1_edit), ("Criterion &2 name", self.name2_edit),
                            ("Criterion 2 &sense", self.sense2_combo), ("Criterion 2 u&nit", self.unit2_edit),
                            ("&Weight of criterion 1", self.weight_edit), ("Weight ran&ge", self.range_edit)):
            form.addRow(translate("PlanSettingsDialog", text), field)
        form.addRow(self.error_label)
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())
        self.title_edit.setFocus()

    def _rule_fields(self, plan) -> None:
        """The rule, the two criteria and the weights (greyed while one criterion is judged)."""
        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("plan_rule")
        for rule in RULES:
            self.rule_combo.addItem(_RULE_TEXT[rule], rule)
        self.rule_combo.setCurrentIndex(max(0, self.rule_combo.findData(plan.rule)))
        two = len(plan.criteria) == 2
        first = plan.criteria[0] if plan.criteria else Criterion("", plan.objective, plan.value_unit)
        second = plan.criteria[1] if two else Criterion("", "minimize", "")
        self.two_check = QCheckBox(translate("PlanSettingsDialog", "Weigh a &second criterion (each node's payoff2)"), self)
        self.two_check.setObjectName("plan_two_criteria")
        self.two_check.setChecked(two)
        self.name1_edit = QLineEdit(first.name, self)
        self.name1_edit.setObjectName("plan_criterion1_name")
        self.name1_edit.setPlaceholderText(translate("PlanSettingsDialog", "e.g. Gross margin"))
        self.name2_edit = QLineEdit(second.name, self)
        self.name2_edit.setObjectName("plan_criterion2_name")
        self.name2_edit.setPlaceholderText(translate("PlanSettingsDialog", "e.g. Cost"))
        self.sense2_combo = QComboBox(self)
        self.sense2_combo.setObjectName("plan_criterion2_sense")
        for objective in OBJECTIVES:
            self.sense2_combo.addItem(_OBJECTIVE_TEXT.get(objective, objective), objective)
        self.sense2_combo.setCurrentIndex(max(0, self.sense2_combo.findData(second.sense)))
        self.unit2_edit = QLineEdit(second.unit, self)
        self.unit2_edit.setObjectName("plan_criterion2_unit")
        self.weight_edit = QLineEdit(_weight_text(plan.weight), self)
        self.weight_edit.setObjectName("plan_weight")
        self.weight_edit.setToolTip(translate("PlanSettingsDialog", "Decisions take the best weight x criterion 1 + "
                                              "criterion 2 (each signed by its sense); Infinity judges criterion 1 alone."))
        low, high = plan.weight_range if plan.weight_range is not None else (0.0, math.inf)
        self.range_edit = QLineEdit(f"{_weight_text(low)} to {_weight_text(high)}", self)
        self.range_edit.setObjectName("plan_weight_range")
        self.range_edit.setToolTip(translate("PlanSettingsDialog", "The weights the league table marks optimal rows for, e.g. 0 to Infinity"))
        self.two_check.toggled.connect(self._enable_criteria)
        self._enable_criteria(two)

    def _enable_criteria(self, on: bool) -> None:
        for widget in (self.name1_edit, self.name2_edit, self.sense2_combo, self.unit2_edit,
                       self.weight_edit, self.range_edit):
            widget.setEnabled(on)
        # A rule judges one criterion; with two, each rolls back as an expectation (DESIGN).
        self.rule_combo.setEnabled(not on)

    def values(self) -> dict:
        """The fields as typed: title, description, value_unit, objective, rule, criteria,
        weight, weight_range. Raises ValueError for a weight that is not one."""
        out = {"title": self.title_edit.text().strip(),
               "description": self.description_edit.toPlainText().strip(),
               "value_unit": self.unit_edit.text().strip(),
               "objective": self.objective_combo.currentData()}
        plan = self.document.plan
        if not self.two_check.isChecked():
            out["rule"] = self.rule_combo.currentData()
            # One criterion: the objective and value unit say it all.
            out["criteria"] = ([Criterion(plan.criteria[0].name, out["objective"], out["value_unit"])]
                               if len(plan.criteria) == 1 else [])
            return out
        out["rule"] = "expected"
        name1 = self.name1_edit.text().strip() or out["value_unit"] or "criterion 1"
        name2 = self.name2_edit.text().strip() or "criterion 2"
        out["criteria"] = [Criterion(name1, out["objective"], out["value_unit"]),
                           Criterion(name2, self.sense2_combo.currentData(), self.unit2_edit.text().strip())]
        out["weight"] = _read_weight(self.weight_edit.text(), "Weight")
        low, sep, high = self.range_edit.text().replace(":", " to ").partition(" to ")
        if not sep:
            raise ValueError("Weight range: type low to high, e.g. 0 to Infinity")
        pair = (_read_weight(low, "Weight range"), _read_weight(high, "Weight range"))
        if pair[0] > pair[1]:
            raise ValueError("Weight range: low is above high")
        out["weight_range"] = None if pair == (0.0, math.inf) else pair
        return out

    def accept(self) -> None:
        """OK: refuse a weight that is not a number, saying why; else close."""
        try:
            self.values()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()

    def apply(self) -> list[str]:
        """Write the changed fields as one undo step; the names of those changed."""
        plan = self.document.plan
        changed = {name: value for name, value in self.values().items() if getattr(plan, name) != value}
        if not changed:
            return []
        self.document.begin_macro("Plan settings")
        try:
            for name, value in changed.items():
                self.document.set_plan_field(name, value)
        finally:
            self.document.end_macro()
        return list(changed)


def edit_plan_settings(window) -> PlanSettingsDialog:
    """File > Plan settings: open the dialog (window-modal); OK applies it.

    Returns the dialog (tests drive it); focus goes back where it was.
    """
    focus = QApplication.focusWidget()
    dialog = PlanSettingsDialog(window.document, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            changed = dialog.apply()
            names = ", ".join(name.replace("value_", "") for name in changed)
            window.message(fill(translate("PlanSettingsDialog", "Plan settings: %1 changed (Ctrl+Z undoes)"), names)
                           if changed else translate("PlanSettingsDialog", "Plan settings: nothing changed"))
        if focus is not None and focus.isVisible():
            focus.window().activateWindow()  # the dialog had the active window
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    dialog.finished.connect(done)
    dialog.open()
    return dialog


def install_plan_settings(window) -> None:
    """Connect the window's ``plan_settings`` action (app/actions.py) to the dialog."""
    action = window.actions.get("plan_settings")
    if action is not None:
        action.triggered.connect(lambda _checked=False: edit_plan_settings(window))
