"""What assistive technology gets: a name for every control, buddies, tab order, the canvas's selection."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QComboBox,
    QFormLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QTabBar, QTextEdit, QWidget,
)

from conftest import SAMPLES, SHARED
from gui_windows import open_window
from planning.sharing.merge import CONFLICTS_KEY
from planning.files.planfile import load_plan, save_plan
from widgets import canvas_access

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView, QTextEdit,
               QPlainTextEdit, QAbstractSlider, QTabBar)


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, SAMPLES / "peace-process.bwplan", tmp_path, prompts=False, focus_canvas=False,
                       checks=True)


def _is_part(widget: QWidget) -> bool:
    """Pieces Qt names through their owner: a scroll area's viewport, a view's header and
    corner, a spin box's or line edit's inner editor and buttons, a combo box's popup, the
    menu and tool bars' overflow buttons."""
    parent = widget.parentWidget()
    if widget.objectName().startswith("qt_") or (parent is not None and parent.objectName().startswith("qt_")):
        return True
    if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
        return True
    if isinstance(widget, QHeaderView) or isinstance(parent, (QLineEdit, QAbstractSpinBox)):
        return True
    return parent is not None and parent.metaObject().className() == "QComboBoxPrivateContainer"


def unnamed(root: QWidget) -> list[str]:
    """Interactive widgets (or any that takes focus) whose accessible name is empty."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        takes_focus = widget.focusPolicy() != widget.focusPolicy().NoFocus
        if not (isinstance(widget, INTERACTIVE) or takes_focus) or _is_part(widget):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            owner = widget.parentWidget()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                           f"{type(owner).__name__} {owner.objectName() if owner else ''!r}")
    return missing


def test_every_control_of_the_window_and_its_docks_has_a_name(window):
    for dock in window.findChildren(type(window.docks["outline"])):
        dock.show()
    assert unnamed(window) == []


def test_every_control_of_the_dialogs_has_a_name(window, tmp_path, qtbot):
    from app.help import ShortcutsDialog
    from app.plan_settings import PlanSettingsDialog

    dialogs = [PlanSettingsDialog(window.document, window), ShortcutsDialog(window)]
    theirs = tmp_path / "theirs.bwplan"
    plan = load_plan(SHARED / "examples" / "minimal.bwplan")
    plan.title = "Theirs"
    save_plan(plan, theirs)
    dialogs.append(window.sharing.compare_with(theirs))
    conflicted = load_plan(SHARED / "examples" / "minimal.bwplan")
    conflicted.extra[CONFLICTS_KEY] = [
        {"node": "t3", "field": "payoff", "base": 20, "ours": 20, "theirs": 30, "message": ""}]
    save_plan(conflicted, tmp_path / "conflicted.bwplan")
    assert window.open_file(tmp_path / "conflicted.bwplan")
    dialogs.append(window.sharing.resolve_conflicts())
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert unnamed(dialog) == [], dialog.objectName()
        dialog.close()


def test_every_control_of_the_presenter_has_a_name(window, qtbot):
    from app.presenter import start_presentation

    presenter = start_presentation(window, fullscreen=False) if "fullscreen" in \
        start_presentation.__code__.co_varnames else start_presentation(window)
    qtbot.waitExposed(presenter)
    assert unnamed(presenter) == []
    assert presenter.audience.accessibleDescription()  # the slide, in words
    presenter.toggle_console()
    assert unnamed(presenter) == []
    presenter.leave()


def test_form_labels_are_buddies_of_their_fields(window):
    """Alt+letter of a label reaches its field, and Qt names the field after the label."""
    forms = window.inspector.findChildren(QFormLayout)
    assert forms
    for form in forms:
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None or not isinstance(label.widget(), QLabel):
                continue
            buddy = label.widget().buddy()
            assert buddy is not None, label.widget().text()
            buddy = buddy.focusProxy() or buddy
            assert buddy.focusPolicy() != buddy.focusPolicy().NoFocus, label.widget().text()


def _tab_order(container: QWidget) -> tuple[list[QWidget], list[QWidget]]:
    """(fields in Tab order, fields) of the visible text fields, combos and spin boxes of ``container``."""
    fields = [w for w in container.findChildren(QWidget)
              if w.isVisible() and isinstance(w, (QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox))
              and w.focusPolicy() & w.focusPolicy().TabFocus and not _is_part(w)]
    top = lambda w: w.mapTo(container, w.rect().topLeft())  # noqa: E731
    first = min(fields, key=lambda w: (top(w).y(), top(w).x()))
    order, widget = [], first
    for _ in range(500):
        if widget in fields and widget not in order:
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is first:
            break
    return order, fields


def _follows_layout(container: QWidget, order: list[QWidget]) -> bool:
    """Each field is below the one before it, or beside it to the right on the same row."""
    points = [w.mapTo(container, w.rect().topLeft()) for w in order]
    return all(b.y() > a.y() + 4 or (abs(b.y() - a.y()) <= 4 and b.x() > a.x()) for a, b in zip(points, points[1:]))


def test_tab_order_follows_the_inspector_form_top_to_bottom(window):
    window.document.select(window.document.plan.tracks[0].root)
    container = window.inspector.widget()
    order, fields = _tab_order(container)
    assert len(order) == len(fields)
    assert _follows_layout(container, order), [w.accessibleName() or w.objectName() for w in order]


def test_tab_order_follows_the_plan_settings_dialog(window, qtbot):
    from app.plan_settings import PlanSettingsDialog

    dialog = PlanSettingsDialog(window.document, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    order, fields = _tab_order(dialog)
    assert len(order) == len(fields) >= 3
    assert _follows_layout(dialog, order), [w.accessibleName() or w.objectName() for w in order]
    dialog.close()


def test_canvas_tells_assistive_technology_the_selected_node(window, monkeypatch):
    events = []

    class Recorder:
        Event = QAccessible.Event

        @staticmethod
        def updateAccessibility(event):  # noqa: N802 - Qt's name
            events.append(event.type())

    monkeypatch.setattr(canvas_access, "QAccessible", Recorder)
    canvas, document = window.canvas, window.document
    result = document.result
    chance = next(n for n in document.plan.nodes.values()
                  if n.kind == "chance" and n.id in result.index and n.label)
    branch = document.plan.nodes[chance.children[0]]
    document.select(branch.id)
    assert canvas.accessibleName() == f"Tree canvas, {branch.label}"
    description = canvas.accessibleDescription()
    assert "probability" in description and "expected value" in description and "readiness" in description
    assert description.split(";")[0] in ("decision", "chance node", "terminal")
    assert QAccessible.Event.NameChanged in events and QAccessible.Event.ValueChanged in events
    document.select(chance.id)
    assert canvas.accessibleName() == f"Tree canvas, {chance.label}"
    assert canvas.accessibleDescription().startswith("chance node")
