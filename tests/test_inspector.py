"""The inspector and the responses table: what a user types and picks, and what reaches the document."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from planning.model.plan import Variable
from test_outline import FakeDocument, real_document, sample_plan
from widgets.inspector import Inspector, parse_value
from widgets.responses_table import COL_LEAD, COL_READINESS, COL_TITLE, ResponsesTable, late_message


@pytest.fixture
def fake():
    return FakeDocument(sample_plan())


def make_inspector(qtbot, document, node_id: str) -> Inspector:
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    inspector.resize(380, 900)
    document.select(node_id)
    return inspector


def type_into(qtbot, edit, text: str, finish: bool = True) -> None:
    """Replace the field's text by typing, then press Return (editingFinished)."""
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    if finish:
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def leave(widget) -> None:
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


# -- parsing what is typed ---------------------------------------------------------
def test_parse_value_accepts_numbers_expressions_and_share():
    assert parse_value("0.25", bounds=(0, 1)) == (0.25, None)
    assert parse_value(" p_ok * 0.9 ") == ("p_ok * 0.9", None)
    assert parse_value("#", share=True) == ("#", None)
    assert parse_value("", empty=None) == (None, None)
    assert parse_value("#")[1] == "'#' is only for branch probabilities"
    assert parse_value("1.5", bounds=(0, 1))[1] == "must be between 0 and 1"
    value, message = parse_value("p_ok*(0.9")
    assert value is None and message  # the parser's own message, e.g. an unclosed bracket


# -- the form ----------------------------------------------------------------------
def test_typing_a_label_commits_once_on_editing_finished(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t3")
    assert inspector.label_edit.text() == "Wait a year"
    type_into(qtbot, inspector.label_edit, "Wait two years", finish=False)
    assert fake.edits("set_node_field") == []          # nothing while typing
    qtbot.keyClick(inspector.label_edit, Qt.Key.Key_Return)
    leave(inspector.label_edit)                          # Return then focus out: still one commit
    assert fake.edits("set_node_field") == [("set_node_field", "t3", "label", "Wait two years")]
    assert fake.plan.nodes["t3"].label == "Wait two years"


def test_invalid_probability_shows_the_message_and_is_not_committed(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t1")
    assert inspector.probability_edit.text() == "p_ok"
    type_into(qtbot, inspector.probability_edit, "p_ok*(0.9")
    assert inspector.message("probability")                      # shown under the field
    assert "border" in inspector.probability_edit.styleSheet()   # red border
    assert fake.edits("set_node_field") == []
    assert fake.plan.nodes["t1"].probability == "p_ok"
    # an out-of-range number is refused too
    type_into(qtbot, inspector.probability_edit, "1.5")
    assert inspector.message("probability") == "must be between 0 and 1"
    assert fake.edits("set_node_field") == []
    # fixing it clears the message and commits
    type_into(qtbot, inspector.probability_edit, "p_ok*0.9")
    assert inspector.message("probability") == ""
    assert inspector.probability_edit.styleSheet() == ""
    assert fake.edits("set_node_field") == [("set_node_field", "t1", "probability", "p_ok*0.9")]
    type_into(qtbot, inspector.probability_edit, "0.6")
    assert fake.plan.nodes["t1"].probability == 0.6


def test_live_validation_updates_while_typing(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t3")
    inspector.payoff_edit.selectAll()
    qtbot.keyClicks(inspector.payoff_edit, "20*(")
    assert inspector.message("payoff")
    qtbot.keyClicks(inspector.payoff_edit, "2)")
    assert inspector.message("payoff") == ""
    assert fake.edits("set_node_field") == []   # still typing


def test_payoff_share_and_ranges(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t2")
    assert inspector.probability_edit.text() == "#"
    type_into(qtbot, inspector.payoff_edit, "#")
    assert inspector.message("payoff") == "'#' is only for branch probabilities"
    type_into(qtbot, inspector.payoff_edit, "-75")
    assert fake.plan.nodes["t2"].payoff == -75.0
    # a range needs both ends and low <= high
    type_into(qtbot, inspector.probability_low, "0.4")
    assert inspector.message("probability_range") == "give both low and high (or neither)"
    type_into(qtbot, inspector.probability_high, "0.2")
    assert inspector.message("probability_range") == "low 0.4 is above high 0.2"
    type_into(qtbot, inspector.probability_high, "0.5")
    assert inspector.message("probability_range") == ""
    assert fake.plan.nodes["t2"].probability_range == (0.4, 0.5)
    type_into(qtbot, inspector.payoff_low, "-90")
    type_into(qtbot, inspector.payoff_high, "-40")
    assert fake.plan.nodes["t2"].payoff_range == (-90.0, -40.0)
    type_into(qtbot, inspector.warning_edit, "soon")
    assert inspector.message("warning_days") == "a number of days, 0 or more"
    type_into(qtbot, inspector.warning_edit, "3")
    assert fake.plan.nodes["t2"].warning_days == 3.0
    type_into(qtbot, inspector.warning_edit, "")
    assert fake.plan.nodes["t2"].warning_days is None


def test_combos_commit_kind_path_and_committed_option(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "d1")
    assert not inspector.form.isRowVisible(2)  # a root has no probability row
    combo = inspector.committed_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "c1", "t3"]
    combo.activated.emit(2)
    assert fake.plan.nodes["d1"].committed == "t3"
    assert ("committed", "t3") in [(c[2], c[3]) for c in fake.edits("set_node_field")]
    fake.select("t3")
    inspector.path_combo.activated.emit(2)  # (inherit), success, failure, neutral
    assert fake.plan.nodes["t3"].path == "failure"
    inspector.path_combo.activated.emit(0)
    assert fake.plan.nodes["t3"].path is None
    inspector.kind_combo.activated.emit(1)  # decision, chance, terminal
    assert fake.plan.nodes["t3"].kind == "chance"


def test_a_refused_edit_shows_why(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "c1")
    inspector.kind_combo.activated.emit(2)  # a node with children cannot be a terminal
    assert fake.plan.nodes["c1"].kind == "chance"
    assert "terminal" in inspector.error.text() and not inspector.error.isHidden()
    assert inspector.kind_combo.currentText() == "chance"


def test_signposts_notes_and_variables(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t1")
    inspector.signposts_edit.setPlainText("pre-orders above 5k\n\n  churn below")
    inspector.signposts_edit.moveCursor(inspector.signposts_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(inspector.signposts_edit, " 2%  ")  # typed: the field is modified
    leave(inspector.signposts_edit)
    assert fake.plan.nodes["t1"].signposts == ["pre-orders above 5k", "churn below 2%"]
    qtbot.keyClicks(inspector.notes_edit, "ask Ops")
    leave(inspector.notes_edit)
    assert fake.plan.nodes["t1"].notes == "ask Ops"
    variables = inspector.variables_table
    variables.add_button.click()
    assert [v.name for v in fake.plan.nodes["t1"].variables] == ["v1"]
    variables.table.item(0, 1).setText("p_ok*2")
    assert fake.plan.nodes["t1"].variables[0].value == "p_ok*2"
    variables.table.item(0, 0).setText("not a name")
    assert "not a name" in variables.message.text()
    assert fake.plan.nodes["t1"].variables[0].name == "v1"
    assert variables.table.item(0, 0).text() == "v1"   # put back


def test_form_follows_the_document_without_clobbering_typing(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t1")
    fake.set_node_field("t1", "label", "Renamed elsewhere")
    assert inspector.label_edit.text() == "Renamed elsewhere"
    type_into(qtbot, inspector.payoff_edit, "21", finish=False)  # typing, not committed
    fake.set_node_field("t1", "label", "Renamed again")
    assert inspector.label_edit.text() == "Renamed again"
    assert inspector.payoff_edit.text() == "21"
    # another node: everything reloads
    fake.select("t3")
    assert inspector.payoff_edit.text() == "20"
    assert inspector.node_id == "t3"
    fake.select(None)
    assert inspector.form_box.isHidden()


def test_figures_show_the_evaluation(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "c1")
    i = fake.result.index["c1"]
    expected = -40 + 0.7 * (200 + 0.5 * 15) + 0.3 * -60
    assert fake.result.node_ev[i] == pytest.approx(expected)
    assert inspector.figures["ev"].text() == f"{expected:.1f} k$"
    assert inspector.figures["reach"].text() == "100%"
    fake.select("t2")
    assert inspector.figures["probability"].text() == "0.3"
    assert inspector.figures["reach"].text() == "30%"
    assert inspector.figures["readiness"].text() == "0%"   # its only response is late


# -- responses -------------------------------------------------------------------
def test_late_response_is_flagged(qtbot, fake):
    table = ResponsesTable(fake)
    qtbot.addWidget(table)
    fake.select("t2")
    item = table.table.item(0, COL_LEAD)
    assert item.toolTip() == "late: 90 d lead time vs 7 d warning"
    assert item.background().color().alpha() > 0
    assert table.table.item(0, COL_TITLE).toolTip() == "late: 90 d lead time vs 7 d warning"
    assert not table.message.isHidden()
    fake.select("t1")  # 14 d lead time vs 30 d warning: on time
    assert table.table.item(0, COL_LEAD).toolTip() == ""
    assert table.message.isHidden()
    # editing the lead time below the warning clears the flag
    fake.select("t2")
    table.table.item(0, COL_LEAD).setText("5")
    assert fake.plan.nodes["t2"].responses[0].lead_time_days == 5.0
    assert table.table.item(0, COL_LEAD).toolTip() == ""


def test_late_message():
    from planning.model.plan import Response

    assert late_message(Response("r", lead_time_days=90), 7) == "late: 90 d lead time vs 7 d warning"
    assert late_message(Response("r", lead_time_days=7), 7) is None
    assert late_message(Response("r", lead_time_days=90), None) is None


def test_responses_add_edit_reorder_remove(qtbot, fake):
    inspector = make_inspector(qtbot, fake, "t1")
    table = inspector.responses
    added = table.add_response()
    assert [r.id for r in fake.plan.nodes["t1"].responses] == ["r1", added]
    assert table.selected_row() == 1
    table.table.item(1, COL_TITLE).setText("Hire contractors")
    assert fake.plan.nodes["t1"].responses[1].title == "Hire contractors"
    # readiness through its combo editor
    table.table.item(1, COL_READINESS).setData(Qt.ItemDataRole.UserRole, 3)
    assert fake.plan.nodes["t1"].responses[1].readiness == 3
    assert table.table.item(1, COL_READINESS).text() == "3 rehearsed"
    table.table.item(1, COL_LEAD).setText("soon")          # not a number: refused, put back
    assert "not a number" in table.message.text()
    assert table.table.item(1, COL_LEAD).text() == ""
    assert not any(c[3] == "lead_time_days" for c in fake.edits("set_response_field"))
    table.up_button.click()
    assert [r.id for r in fake.plan.nodes["t1"].responses] == [added, "r1"]
    assert table.selected_row() == 0
    assert fake.edits("move_response") == [("move_response", "t1", added, 0)]
    table.down_button.click()
    assert [r.id for r in fake.plan.nodes["t1"].responses] == ["r1", added]
    table.remove_button.click()
    assert [r.id for r in fake.plan.nodes["t1"].responses] == ["r1"]
    assert fake.edits("remove_response") == [("remove_response", "t1", added)]
    assert table.table.rowCount() == 1


def test_readiness_delegate_edits_with_a_combo(qtbot, fake):
    table = ResponsesTable(fake)
    qtbot.addWidget(table)
    fake.select("t1")
    view = table.table
    index = table.index_of(0, COL_READINESS)
    delegate = view.itemDelegateForColumn(COL_READINESS)
    editor = delegate.createEditor(view.viewport(), None, index)
    delegate.setEditorData(editor, index)
    assert editor.currentIndex() == 2 and editor.currentText() == "2 resourced"
    editor.setCurrentIndex(4)
    delegate.setModelData(editor, view.model(), index)
    assert fake.plan.nodes["t1"].responses[0].readiness == 4


# -- with the real document -------------------------------------------------
def test_label_typing_is_one_undo_step_with_the_real_document(qtbot):
    document = real_document()
    inspector = make_inspector(qtbot, document, "t2")
    type_into(qtbot, inspector.label_edit, "Adoption stalls badly")
    type_into(qtbot, inspector.probability_edit, "0.25")
    assert document.plan.nodes["t2"].label == "Adoption stalls badly"
    assert document.plan.nodes["t2"].probability == 0.25
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert document.plan.nodes["t2"].probability == "#"
    assert inspector.probability_edit.text() == "#"      # the form follows undo
    document.undo_stack.undo()
    assert inspector.label_edit.text() == "Adoption stalls"
    # responses through the real document, undone in one step each
    inspector.responses.table.item(0, COL_LEAD).setText("5")
    assert document.plan.nodes["t2"].responses[0].lead_time_days == 5.0
    document.undo_stack.undo()
    assert document.plan.nodes["t2"].responses[0].lead_time_days == 7.0
    assert inspector.responses.table.item(0, COL_LEAD).text() == "7"
    inspector.variables_table.add_button.click()
    assert document.plan.nodes["t2"].variables == [Variable("v1", 0.0)]
    document.undo_stack.undo()
    assert document.plan.nodes["t2"].variables == []


def test_a_squeezed_inspector_dock_never_cuts_its_fields_off(qtbot):
    """Shrinking the window squeezed the dock below the form: fields ran past its edge
    with no way to reach them."""
    from PySide6.QtWidgets import QDockWidget, QLineEdit, QMainWindow, QWidget

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    document = real_document()
    inspector = Inspector(document, window)
    document.select(document.plan.tracks[0].root)
    dock = QDockWidget("Inspector", window)
    dock.setWidget(inspector)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(1200, 700)
    window.show()
    qtbot.waitExposed(window)
    window.resizeDocks([dock], [60], Qt.Orientation.Horizontal)  # as narrow as the window lets it
    QApplication.processEvents()
    viewport, sideways = inspector.viewport(), inspector.horizontalScrollBar()
    assert inspector.width() < 200  # squeezed: the window keeps its small minimum width
    for edit in inspector.findChildren(QLineEdit):
        if edit.isVisible():
            right = edit.mapTo(inspector.widget(), edit.rect().topRight()).x()
            # every field is in view, or a sideways scroll brings it there
            assert right <= viewport.width() + sideways.maximum(), edit.objectName() or edit.placeholderText()
            assert sideways.maximum() == 0 or sideways.isVisible()
