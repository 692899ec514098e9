"""The views merged after the light/dark work follow the scheme too (issue 14):
League table, Value of information, the inspector's second payoff, the
presenter's walk-notes box. Exports of their figures stay light."""
from __future__ import annotations

import re
import types

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from conftest import SAMPLES
from planning.files.planfile import load_plan
from planning.analyses.voi import value_of_information
from widgets import palette

LAUNCH = SAMPLES / "product-launch.bwplan"
PEACE = SAMPLES / "peace-process.bwplan"
AA_GRAPHIC = 3.0


@pytest.fixture
def dark(qapp):
    """Switch the palette to dark (views hear it), back to light afterwards."""
    palette.notifier()
    yield lambda: palette.set_scheme("dark")
    palette.set_scheme("light")


def _texts(figure) -> list[pg.TextItem]:
    return [item for item in figure.scene().items() if isinstance(item, pg.TextItem)]


def _export_png(view, tmp_path, monkeypatch) -> QImage:
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "figure.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert view.export_button.ask_and_export("png") == str(out)
    return QImage(str(out))


def test_value_of_information_redraws_dark_and_exports_light(qtbot, dark, tmp_path, monkeypatch):
    from widgets.analysis.voi_view import VoiView

    plan = load_plan(PEACE)
    view = VoiView(types.SimpleNamespace(plan=plan))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_result(value_of_information(plan, "sanctions", iterations=2000, seed=0))
    dark()
    assert view.figure.backgroundBrush().color().name() == palette.DARK["BACKGROUND"]
    bar_labels = [t for t in _texts(view.figure) if re.fullmatch(r"[\d,.]+", t.toPlainText())]
    assert bar_labels and all(t.color.name() == palette.DARK["TEXT"] for t in bar_labels)
    image = _export_png(view, tmp_path, monkeypatch)
    assert image.pixelColor(2, 2).name() == palette.LIGHT["BACKGROUND"]
    # ... and the dock is dark again after the export.
    assert view.figure.backgroundBrush().color().name() == palette.DARK["BACKGROUND"]
    assert all(t.color.name() == palette.DARK["TEXT"] for t in _texts(view.figure)
               if re.fullmatch(r"[\d,.]+", t.toPlainText()))


def test_league_table_redraws_dark_keeps_the_selection_and_exports_light(qtbot, dark, tmp_path, monkeypatch):
    from widgets.analysis.league_view import LeagueView

    document = types.SimpleNamespace(plan=load_plan(LAUNCH), current_track_id="launch", result=object())
    for name in ("evaluated", "planReplaced", "currentTrackChanged"):
        setattr(document, name, types.SimpleNamespace(connect=lambda *_a: None))
    view = LeagueView(document)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.refresh()
    dominated = next(r for r in view.table_data.rows if not r.on_frontier)
    view.select_row(view.table_data.rows[0].id)
    dark()
    assert view.figure.backgroundBrush().color().name() == palette.DARK["BACKGROUND"]
    labels = {t.toPlainText(): t.color.name() for t in view.figure.league_labels}
    assert labels[view.table_data.rows[0].id] == palette.DARK["TEXT"]
    assert labels[dominated.id] == palette.DARK["TEXT_MUTED"]
    assert view.figure.league_selected.opts["pen"].color().name() == palette.DARK["SELECTION"]
    row = view.table_data.rows.index(dominated)
    assert view.table.item(row, 1).foreground().color().name() == palette.DARK["TEXT_MUTED"]
    image = _export_png(view, tmp_path, monkeypatch)
    assert image.pixelColor(2, 2).name() == palette.LIGHT["BACKGROUND"]
    assert view.figure.backgroundBrush().color().name() == palette.DARK["BACKGROUND"]
    assert view.selected_row() is view.table_data.rows[0]


def _border(sheet: str) -> str:
    return re.search(r"border: 1px solid (#[0-9a-fA-F]{6})", sheet).group(1)


def test_second_payoff_error_is_red_in_the_current_scheme(qtbot, dark, monkeypatch):
    from app.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_file(LAUNCH)
    rows = win.inspector.payoff2_rows
    win.document.select(next(iter(win.document.plan.nodes)))
    rows.edit.setText("2 +")
    rows.commit_value()
    assert rows.message.isVisibleTo(win.inspector) and rows.message.text()
    # The message was given its template unfilled ("color: {BADGE_LATE};"): no colour at all.
    assert rows.message.styleSheet() == f"color: {palette.LIGHT['BADGE_LATE']};"
    assert _border(rows.edit.styleSheet()) == palette.LIGHT["BADGE_LATE"]
    dark()
    assert rows.message.styleSheet() == f"color: {palette.DARK['BADGE_LATE']};"
    border = _border(rows.edit.styleSheet())
    assert border == palette.DARK["BADGE_LATE"]
    assert palette.contrast(border, palette.DARK["BACKGROUND"]) >= AA_GRAPHIC
    win.document.undo_stack.setClean()
    win.analysis.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_walk_notes_box_border_stands_out_from_the_console_page(qtbot, dark, scheme):
    from widgets.presenter.console_view import ConsoleView

    view = ConsoleView()
    qtbot.addWidget(view)
    palette.set_scheme(scheme)
    sheet = view.notes.styleSheet()
    border = _border(sheet)
    page = palette.SCHEMES[scheme]["BACKGROUND"]
    assert palette.contrast(border, page) >= AA_GRAPHIC, (scheme, border, page)
    assert f"color: {palette.SCHEMES[scheme]['TEXT']}" in sheet


def test_league_without_a_table_names_its_columns_and_its_plot_message_fits(qtbot, dark):
    """One criterion: the heading says why; the plot's own line is short enough to be read whole."""
    from widgets.analysis.league_view import LeagueView

    document = types.SimpleNamespace(plan=load_plan(PEACE), current_track_id=None, result=object())
    for name in ("evaluated", "planReplaced", "currentTrackChanged"):
        setattr(document, name, types.SimpleNamespace(connect=lambda *_a: None))
    view = LeagueView(document)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    view.refresh()
    dark()
    assert "Add a second one in File > Plan settings" in view.heading.text()
    headers = [view.table.horizontalHeaderItem(c).text() for c in (0, 1, 4, 5)]
    assert headers == ["Row", "Policy", "Ratio", "Verdict"]
    (text,) = _texts(view.figure)
    plot_box = [i for i in view.figure.ci.items if isinstance(i, pg.PlotItem)][0].vb.sceneBoundingRect()
    assert plot_box.contains(text.sceneBoundingRect()), (text.toPlainText(), text.sceneBoundingRect(), plot_box)
    assert text.color.name() == palette.DARK["TEXT_MUTED"]
