"""The Value of information view and dock (issue 13): what the chart shows, same numbers as `voi`."""
from __future__ import annotations

import csv

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from conftest import SAMPLES
from planning.model.plan import DECISION, TERMINAL, Node, Plan, Track
from planning.files.planfile import load_plan
from planning.analyses.voi import value_of_information
from widgets import palette
from widgets.analysis.data import AnalysisCancelled
from widgets.analysis.plot_export import export, new_figure
from widgets.analysis.voi_view import compute_voi, draw_voi, summary_text

PEACE = SAMPLES / "peace-process.bwplan"


def the_plot(figure) -> pg.PlotItem:
    (plot,) = [item for item in figure.ci.items if isinstance(item, pg.PlotItem)]
    return plot


def test_window_computation_gives_the_commands_numbers():
    plan = load_plan(PEACE)
    steps = []
    shown = compute_voi(plan, "sanctions", 4000, 3, progress=lambda done, total: steps.append((done, total)))
    command = value_of_information(plan, "sanctions", iterations=4000, seed=3)
    assert shown.to_json() == command.to_json()
    assert steps[-1] == (4000, 4000) and len(steps) == 4  # chunks of 1,000: the bar moves
    with pytest.raises(AnalysisCancelled):
        compute_voi(plan, "sanctions", 4000, 3, cancelled=lambda: True)


def test_bars_are_the_evppis_with_planner_labels_and_the_evpi_line(qapp):
    plan = load_plan(PEACE)
    result = value_of_information(plan, "sanctions", iterations=4000, seed=0)
    figure = new_figure()
    data = draw_voi(figure, result, plan)
    plot = the_plot(figure)
    title = plot.titleLabel.text.replace("<br>", " ")
    assert "Worth knowing before “Sanctions: offer staged relief or hold pressure?”" in title
    (bars,) = [item for item in plot.items if isinstance(item, pg.BarGraphItem)]
    worth = [e for e in result.evppi if e.value > 0]
    assert list(bars.opts["x1"]) == pytest.approx([e.value for e in worth])
    ticks = dict(plot.getAxis("left")._tickLevels[0])
    top = ticks[max(ticks)]
    # The largest bar on top, named by the variable's description, not its identifier.
    description = next(v.description for v in plan.variables if v.name == worth[0].name)
    assert description.startswith("Chance the") and top == description[:33].rstrip() + "…"
    assert any(text.startswith('chance of "North takes a first') for text in ticks.values())
    # The sample's sanctions track reads the nuclear track (issue 15): its draws
    # follow the nuclear track's, so the EVPI is larger and a noise line shows too.
    (line,) = [item for item in plot.items if isinstance(item, pg.InfiniteLine)
               and item.label.toPlainText().startswith("EVPI")]
    assert line.value() == pytest.approx(result.evpi)
    assert line.label.toPlainText().startswith("EVPI 1.9")
    assert max(bars.opts["x1"]) <= result.evpi
    assert ["evpi", "", "every ranged quantity", result.evpi] == data.rows[0][:4]
    assert "up to 1.9 points" in summary_text(plan, result)


def test_nothing_to_learn_is_said_in_words(qapp):
    nodes = {"d": Node("d", DECISION, label="Go?", children=["a", "b"]),
             "a": Node("a", TERMINAL, payoff=50, payoff_range=(40, 60)),
             "b": Node("b", TERMINAL, payoff=0, payoff_range=(-10, 10))}
    plan = Plan(tracks=[Track("t", root="d")], nodes=nodes)
    figure = new_figure()
    draw_voi(figure, value_of_information(plan, iterations=500), plan)
    texts = [item.textItem.toPlainText() for item in the_plot(figure).items if isinstance(item, pg.TextItem)]
    assert texts == ["worth nothing: no ranged quantity can change the best option here"]


def test_export_png_and_csv(qapp, tmp_path):
    plan = load_plan(PEACE)
    result = value_of_information(plan, "ties", iterations=2000, seed=0)
    figure = new_figure()
    data = draw_voi(figure, result, plan)
    export(figure, data, tmp_path / "v.png", (800, 500))
    image = QImage(str(tmp_path / "v.png"))
    assert image.width() == 800
    colours = {image.pixelColor(x, y).name() for x in range(0, 800, 3) for y in range(0, 500, 3)}
    assert palette.DECISION in colours
    export(figure, data, tmp_path / "v.csv")
    rows = list(csv.DictReader(open(tmp_path / "v.csv", encoding="utf-8")))
    values = {r["name"]: float(r["value"]) for r in rows if r["what"] == "evppi"}
    assert values == pytest.approx({e.name: e.value for e in result.evppi})
    export(figure, data, tmp_path / "v.svg", (800, 500))
    assert "Worth knowing before" in (tmp_path / "v.svg").read_text()


@pytest.fixture
def window(qtbot, monkeypatch):
    from gui_windows import plan_window

    win = plan_window(qtbot, monkeypatch, PEACE)
    yield win
    win.document.undo_stack.setClean()
    win.analysis.shutdown()
    win.close()


def test_dock_computes_in_the_background_and_says_what_is_worth_knowing(window, qtbot):
    from app.analysis import show_dock

    view = window.analysis_views["voi"]
    assert window.docks["voi"].windowTitle() == "Value of information"
    view.iterations.setValue(3000)
    view.seed.setValue(2)
    window.document.set_current_track("nuclear")
    show_dock(window, window.docks["voi"])
    window.analysis.wait()
    assert view.result is not None
    expected = value_of_information(window.document.plan, "nuclear", iterations=3000, seed=2)
    assert view.result.evpi == expected.evpi
    assert [e.value for e in view.result.evppi] == [e.value for e in expected.evppi]
    assert "Knowing every ranged quantity before “Nuclear track: what do we ask for first?” is worth up to" \
        in view.summary.text()
    assert "3,000 iterations, seed 2" in view.run_bar.status.text()
    # An edit that makes the first option dominate everywhere leaves nothing worth knowing.
    window.document.set_node_field("nuc_c4", "payoff", -1000)
    with qtbot.waitSignal(window.analysis.resultShown, timeout=20_000):
        pass
    window.analysis.wait()
    assert view.result.evpi == 0.0
    assert "before “Nuclear track: what do we ask for first?” is worth nothing" in view.summary.text()
    assert np.all([e.value == 0 for e in view.result.evppi])


def test_plot_kind_voi_writes_the_commands_numbers(qapp, tmp_path, capsys):
    import json

    from app.cli import main

    out = tmp_path / "voi.csv"
    assert main(["plot", str(PEACE), "--kind", "voi", "--track", "ties", "--iterations", "3000", "--seed", "1",
                 "-o", str(out)]) == 0
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    capsys.readouterr()
    assert main(["voi", str(PEACE), "--track", "ties", "--iterations", "3000", "--seed", "1", "--json"]) == 0
    (track,) = json.loads(capsys.readouterr().out)["tracks"]
    assert [(r["name"], float(r["value"])) for r in rows if r["what"] == "evppi"] == \
        [(e["name"], e["value"]) for e in track["evppi"]]
    assert float(rows[0]["value"]) == track["evpi"] and rows[0]["what"] == "evpi"
    png = tmp_path / "voi.png"
    assert main(["plot", str(PEACE), "--kind", "voi", "--size", "900x560", "-o", str(png)]) == 0
    assert QImage(str(png)).width() == 900


def test_presenter_says_what_is_worth_knowing_at_a_decision(qapp):
    from planning.analyses.voi import amount
    from planning.sharing.slide import build_slide
    from planning.sharing.walk import Walk
    from widgets.presenter.audience_view import AudienceView

    plan = load_plan(PEACE)
    slide = build_slide(Walk(plan, track_id="sanctions", step_reveal=False))
    expected = value_of_information(plan, "sanctions")  # the command's iterations and seed
    assert [value for _, value in slide.worth_knowing] == [e.value for e in expected.evppi[:2]]
    assert slide.worth_knowing[0][0].startswith("“Chance the")
    view = AudienceView()
    view.set_slide(slide)
    view.render_image(1920, 1080)
    drawn = " ".join(line.text for line in view.drawn)  # wrapped lines, in order
    inside = [line for line in view.drawn if "Worth knowing" in line.text]
    assert inside and all(line.area.contains(line.rect) for line in inside)
    assert "Worth knowing before we decide:" in drawn
    assert f"(up to {amount(expected.evppi[0].value, 2)} points)" in drawn
    # A chance node's slide has no such line.
    walk = Walk(plan, "sanc_c1", "sanctions", step_reveal=False)
    assert build_slide(walk).worth_knowing == []


def test_the_chart_fits_the_dock_of_a_small_window(window, qtbot):
    """At 1280x720 the chart is no wider than its dock (a long title or labels would push it out)."""
    from app.analysis import show_dock

    window.resize(1280, 720)
    window.document.set_current_track("ties")
    view = window.analysis_views["voi"]
    show_dock(window, window.docks["voi"])
    window.analysis.wait()
    qtbot.wait(50)
    assert view.result is not None
    assert view.figure.ci.geometry().width() <= view.figure.viewport().width() + 1
