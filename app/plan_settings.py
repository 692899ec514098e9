"""File > Plan settings: the plan's title, description, value unit and objective.

OK applies the changed fields through the Document in one macro, so one
Ctrl+Z takes the whole dialog back. Tab moves through every field (the
description too) and Esc cancels.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit,
    QWidget,
)

from planning.model import OBJECTIVES
from widgets.i18n import translate

_OBJECTIVE_TEXT = {"maximize": "maximize (more is better)", "minimize": "minimize (less is better)"}


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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(translate("PlanSettingsDialog", "&Title"), self.title_edit)
        form.addRow(translate("PlanSettingsDialog", "&Description"), self.description_edit)
        form.addRow(translate("PlanSettingsDialog", "Value &unit"), self.unit_edit)
        form.addRow(translate("PlanSettingsDialog", "&Objective"), self.objective_combo)
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())
        self.title_edit.setFocus()

    def values(self) -> dict[str, str]:
        """The fields as typed: title, description, value_unit, objective."""
        return {"title": self.title_edit.text().strip(),
                "description": self.description_edit.toPlainText().strip(),
                "value_unit": self.unit_edit.text().strip(),
                "objective": self.objective_combo.currentData()}

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
            window.message(f"Plan settings: {names} changed (Ctrl+Z undoes)" if changed
                           else "Plan settings: nothing changed")
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
