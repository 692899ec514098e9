"""The League table dock and the plan settings for rules and criteria (issue 12), as a planner sees them."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest

from conftest import SAMPLES
from planning.analyses.league import league_table
from planning.files.planfile import load_plan

LAUNCH = SAMPLES / "product-launch.bwplan"
PEACE = SAMPLES / "peace-process.bwplan"


def open_window(qtbot, monkeypatch, path):
    from gui_windows import plan_window

    return plan_window(qtbot, monkeypatch, path)


@pytest.fixture
def window(qtbot, monkeypatch):
    win = open_window(qtbot, monkeypatch, LAUNCH)
    yield win
    win.document.undo_stack.setClean()
    win.analysis.shutdown()
    win.close()


def cell(view, row: int, column: int) -> str:
    return view.table.item(row, column).text()


def test_dock_shows_the_samples_league_table_and_the_plot_matches_it(window, qtbot):
    from app.analysis import show_dock

    view = window.analysis_views["league"]
    assert window.docks["league"].windowTitle() == "League table"
    show_dock(window, window.docks["league"])
    qtbot.wait(20)
    expected = league_table(load_plan(LAUNCH), "launch")
    assert view.table.rowCount() == len(expected.rows) == 4
    headers = [view.table.horizontalHeaderItem(c).text().replace("\n", " ") for c in range(view.table.columnCount())]
    assert headers[2:5] == ["Gross margin (k$)", "Engineering time (engineer-weeks)",
                            "Ratio"]
    assert "Ratio (engineer-weeks per k$): the weight at which" in view.heading.text()
    texts = {cell(view, r, 0): [cell(view, r, c) for c in range(6)] for r in range(4)}
    assert texts["4"][1] == "When do we launch the device? -> Launch at the March trade show"
    assert texts["4"][2] == "114.2" and texts["4"][3] == "41.68"  # units in the headers
    assert texts["4"][5] == "efficient; best at weight 1"
    assert texts["3"][5] == "dominated by row 4"
    assert texts["2"][5].startswith("extendedly dominated (mix of 1 and 4")
    # The plot: one point per row at the table's values, the frontier through the efficient rows.
    points = view.figure.league_points
    x, y = points.getData()
    assert list(x) == pytest.approx([r.values[0] for r in expected.rows])
    assert list(y) == pytest.approx([r.values[1] for r in expected.rows])
    fx, fy = view.figure.league_frontier.getData()
    efficient = [r for r in expected.rows if r.on_frontier]
    assert list(fx) == pytest.approx([r.values[0] for r in efficient])
    # Dominated and extendedly dominated points are grey; efficient ones blue.
    brushes = [spot.brush().color().name() for spot in points.points()]
    from widgets import palette
    assert brushes == [palette.DECISION if r.on_frontier else palette.NEUTRAL for r in expected.rows]
    ratios = [label.toPlainText() for label in view.figure.league_ratio_labels]
    assert ratios == ["ratio 0.4634"]
    # Every label lies inside the axes.
    plot = view.figure.league_plot
    (x0, x1), (y0, y1) = plot.viewRange()
    for label in view.figure.league_labels + view.figure.league_ratio_labels:
        assert x0 <= label.pos().x() <= x1 and y0 <= label.pos().y() <= y1


def test_selecting_a_row_highlights_its_policy_on_the_canvas(window, qtbot):
    from app.analysis import show_dock

    show_dock(window, window.docks["league"])
    view = window.analysis_views["league"]
    canvas = window.canvas
    layout = canvas.layout_data

    def bold_targets() -> set[str]:
        return {layout.ids[i] for i in np.flatnonzero(canvas.style_data.bold)}

    assert "pl_c1" in bold_targets() and "pl_t8" not in bold_targets()  # the evaluated policy
    view.select_row("1")  # License the design to a partner brand
    assert bold_targets() == {"pl_t8"}
    assert hasattr(view.figure, "league_selected")
    view.table.clearSelection()
    assert "pl_c1" in bold_targets() and "pl_t8" not in bold_targets()


def test_a_plan_with_one_criterion_says_how_to_get_a_table(qtbot, monkeypatch):
    from app.analysis import show_dock

    win = open_window(qtbot, monkeypatch, PEACE)
    try:
        view = win.analysis_views["league"]
        assert view._stale  # hidden behind Problems: nothing computed yet
        show_dock(win, win.docks["league"])
        assert "Add a second one in File > Plan settings" in view.heading.text()
        assert view.table.rowCount() == 0
    finally:
        win.analysis.shutdown()
        win.close()


def test_plan_settings_set_rule_criteria_and_weights_as_one_undo_step(window, qtbot):
    from app.plan_settings import PlanSettingsDialog

    doc = window.document
    dialog = PlanSettingsDialog(doc, window)
    assert dialog.two_check.isChecked() and not dialog.rule_combo.isEnabled()
    assert dialog.name2_edit.text() == "Engineering time" and dialog.range_edit.text() == "0.25 to 4"
    dialog.weight_edit.setText("0.3")
    dialog.range_edit.setText("0 to Infinity")
    dialog.name2_edit.setText("Engineer time")
    changed = dialog.apply()
    assert set(changed) == {"criteria", "weight", "weight_range"}
    plan = doc.plan
    assert plan.weight == 0.3 and plan.weight_range is None and plan.criteria[1].name == "Engineer time"
    # At weight 0.3 the licence deal wins the combined value: the policy follows.
    assert doc.result.policy["pl_d1"] == "pl_t8"
    from app.analysis import show_dock

    show_dock(window, window.docks["league"])
    view = window.analysis_views["league"]
    assert "best at weight 0.3" in [cell(view, r, 5) for r in range(view.table.rowCount())][0]
    doc.undo_stack.undo()
    assert plan.weight == 1.0 and plan.weight_range == (0.25, 4.0) and plan.criteria[1].name == "Engineering time"
    # One criterion and the worst-case rule.
    dialog = PlanSettingsDialog(doc, window)
    dialog.two_check.setChecked(False)
    assert dialog.rule_combo.isEnabled()
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData("worst-case"))
    dialog.apply()
    assert plan.rule == "worst-case" and plan.criteria == []
    assert doc.result.policy["pl_d1"] == "pl_t7" and doc.result.rule_value == 60
    # A weight that is not a number is refused with a reason, not applied.
    dialog = PlanSettingsDialog(doc, window)
    dialog.two_check.setChecked(True)
    dialog.weight_edit.setText("lots")
    dialog.accept()
    assert "Weight: type a number 0 or more, or Infinity" in dialog.error_label.text()
    assert dialog.isVisible() or dialog.result() == 0
    assert not math.isnan(plan.weight)


def test_summary_bar_inspector_and_outline_show_both_criteria_with_units(window, qtbot):
    from widgets.tree_model import COL_EV

    bar = window.summary_bar.full_text()
    assert "EV 114 k$, Engineering time 41.7 engineer-weeks" in bar
    window.document.select("pl_c1")
    ev = window.inspector.figures["ev"].text()
    assert ev.splitlines() == ["114 k$", "41.7 engineer-weeks"]
    model = window.outline.tree_model
    index = model.index_of("pl_c1", COL_EV) if hasattr(model, "index_of") else None
    if index is None:
        from PySide6.QtCore import Qt
        index = next(i for i in model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole,
                                             "Launch at the March trade show", 1,
                                             Qt.MatchFlag.MatchRecursive)).siblingAtColumn(COL_EV)
    assert index.data() == "114 · 41.7"
    from PySide6.QtCore import Qt
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Gross margin: 114 k$\nEngineering time: 41.7 engineer-weeks"
    # Every digit of the EV column is shown: the column is wide enough for both numbers.
    width = window.outline.columnWidth(COL_EV)
    assert width >= window.outline.fontMetrics().horizontalAdvance("114 · 41.7")


def test_summary_bar_names_the_rule_value(qtbot, monkeypatch, tmp_path):
    from planning.files.planfile import dumps_plan
    from planning.engine.rules import with_options

    path = tmp_path / "worst.bwplan"
    plan = with_options(load_plan(LAUNCH), rule="worst-case", objective="maximize")
    path.write_text(dumps_plan(plan), encoding="utf-8")
    win = open_window(qtbot, monkeypatch, path)
    try:
        assert "EV 60 k$, worst case 60 k$" in win.summary_bar.full_text()
    finally:
        win.analysis.shutdown()
        win.close()


def test_inspector_edits_the_second_criterion_as_one_undo_step(window, qtbot):
    doc = window.document
    doc.select("pl_t7")
    rows = window.inspector.payoff2_rows
    assert rows.caption.text() == "Payoff 2"
    assert rows.caption.toolTip() == "the second criterion: Engineering time (engineer-weeks)"
    assert rows.edit.text() == "30" and not rows.holder.isHidden()
    rows.edit.setText("12")
    rows.edit.setModified(True)
    rows.commit_value()
    assert doc.plan.nodes["pl_t7"].payoff2 == 12.0
    from app.analysis import show_dock

    show_dock(window, window.docks["league"])
    view = window.analysis_views["league"]
    assert any(view.table.item(r, 3).text() == "12" for r in range(view.table.rowCount()))
    rows.low.setText("5")
    rows.high.setText("20")
    rows.commit_range()
    assert doc.plan.nodes["pl_t7"].payoff2_range == (5.0, 20.0)
    rows.edit.setText("1 +")
    rows.commit_value()
    assert rows.message.text() and doc.plan.nodes["pl_t7"].payoff2 == 12.0
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.plan.nodes["pl_t7"].payoff2 == 30.0 and rows.edit.text() == "30"


def test_inspector_hides_the_second_payoff_with_one_criterion(qtbot, monkeypatch):
    win = open_window(qtbot, monkeypatch, PEACE)
    try:
        win.document.select(win.document.plan.tracks[0].root)
        form = win.inspector.details_form
        row, _ = form.getWidgetPosition(win.inspector.payoff2_rows.holder)
        assert not form.isRowVisible(row)
    finally:
        win.analysis.shutdown()
        win.close()


def test_canvas_labels_show_both_criteria(window):
    canvas = window.canvas
    shown = canvas.labels.texts()
    assert any("License the design to a partner brand" in t and "EV 35 k$ · 5 engineer-weeks" in t
               for t in shown), shown
