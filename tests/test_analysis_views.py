"""Analysis docks: they show what the core computes, off the GUI thread, and export."""
from __future__ import annotations

import csv
import json

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from conftest import SAMPLES, SHARED
from planning.engine.evaluate import evaluate_track
from planning.engine.montecarlo import simulate
from planning.files.planfile import load_plan
from planning.analyses.sensitivity import sweep, tornado
from widgets import palette
from widgets.analysis import data as analysis
from widgets.analysis.outcome_view import draw_histogram, draw_risk
from widgets.analysis.plot_export import FigureData, export, new_figure, safe_cell, write_csv
from widgets.analysis.readiness_view import draw_readiness
from widgets.analysis.sensitivity_view import draw_policy_map, draw_sweep, draw_tornado

MINIMAL = SHARED / "examples" / "minimal.bwplan"
PEACE = SAMPLES / "peace-process.bwplan"


def bars_in(plot: pg.PlotItem) -> list[pg.BarGraphItem]:
    return [item for item in plot.items if isinstance(item, pg.BarGraphItem)]


def plots_in(figure) -> list[pg.PlotItem]:
    return [item for item in figure.ci.items if isinstance(item, pg.PlotItem)]


# -- pure computations -----------------------------------------------------------

def test_chunked_simulation_is_seeded_and_matches_the_core_per_chunk():
    plan = load_plan(MINIMAL)
    one = analysis.simulate_chunked(plan, iterations=4000, seed=7)
    two = analysis.simulate_chunked(plan, iterations=4000, seed=7)
    assert np.array_equal(one.outcome, two.outcome) and np.array_equal(one.ev, two.ev)
    other = analysis.simulate_chunked(plan, iterations=4000, seed=8)
    assert not np.array_equal(one.ev, other.ev)
    shares = one.option_best["d1"]
    assert shares["c1"] + shares["t3"] == pytest.approx(1.0)


@pytest.mark.parametrize("source, track, iterations, seed", [
    (MINIMAL, None, 4000, 7), (PEACE, "nuclear", 3000, 5), (PEACE, None, 10_000, 0)])
def test_same_seed_same_numbers_as_branchwise_simulate(source, track, iterations, seed, capsys):
    """Issue 10 #13: the window's chunked run is the CLI's run, number for number."""
    plan = load_plan(source)
    window_run = analysis.simulate_chunked(plan, track, iterations, seed, progress=lambda d, t: None)
    core = simulate(plan, track, iterations=iterations, seed=seed)
    for name in ("ev", "outcome", "exposure", "end_path"):
        assert np.array_equal(getattr(window_run, name), getattr(core, name)), name
    assert window_run.option_best == core.option_best
    # and what `branchwise simulate --json` prints for that seed
    from app import cli

    args = ["simulate", str(source), "--iterations", str(iterations), "--seed", str(seed), "--json"]
    if track:
        args += ["--track", track]
    assert cli.main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    track_id = track or plan.tracks[0].id
    cli_track = next(t for t in printed["tracks"] if t["id"] == track_id)
    mine = window_run.summary()
    for what in ("ev", "outcome", "exposure"):
        for stat in ("mean", "std", "p5", "p95"):
            assert cli_track["summary"][what][stat] == pytest.approx(mine[what][stat], rel=1e-12, abs=1e-12)


def test_core_simulate_progress_hook_leaves_the_numbers_alone():
    plan = load_plan(PEACE)
    plain = simulate(plan, iterations=2500, seed=3)
    seen = []
    hooked = simulate(plan, iterations=2500, seed=3, chunk=1000, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]
    assert np.array_equal(plain.ev, hooked.ev) and np.array_equal(plain.outcome, hooked.outcome)

    def stop(done, total):
        if done:
            raise analysis.AnalysisCancelled()

    with pytest.raises(analysis.AnalysisCancelled):
        simulate(plan, iterations=2500, seed=3, chunk=1000, progress=stop)


def test_chunked_simulation_reports_progress_and_cancels():
    plan = load_plan(MINIMAL)
    seen = []
    analysis.simulate_chunked(plan, iterations=3000, seed=0, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 3000) and seen[-1] == (3000, 3000) and len(seen) == len(analysis.chunk_sizes(3000)) + 1
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(analysis.AnalysisCancelled):
        analysis.simulate_chunked(plan, iterations=3000, seed=0, cancelled=cancelled)


def test_branch_costs_match_the_core_exposure_reductions():
    plan = load_plan(PEACE)
    for track in plan.tracks:
        result = evaluate_track(plan, track.id)
        costs = analysis.branch_costs(result)
        for p in result.priorities:
            if not p.late and p.exposure_reduction > 0:
                assert costs[result.index[p.node]] == pytest.approx(p.exposure_reduction)


def test_readiness_report_matches_evaluation():
    plan = load_plan(PEACE)
    report = analysis.readiness_report(plan)
    assert [t.track_id for t in report.tracks] == [t.id for t in plan.tracks]
    for row in report.tracks:
        result = evaluate_track(plan, row.track_id)
        assert row.failure_exposure == pytest.approx(result.failure_exposure)
        assert row.late == len(result.late)
    failures = [b for b in report.branches if b.path == "failure"]
    assert [b.cost for b in failures] == sorted((b.cost for b in failures), reverse=True)
    unanswered = {b.node_id for b in failures if b.responses == 0}
    assert "ir_t4" in unanswered  # "No prepared response yet." in the sample
    # A lone failure branch with no response costs its whole reach.
    plain = next(b for b in failures if b.node_id == "ir_t4")
    assert plain.badge == "none" and plain.cost == pytest.approx(plain.reach)


# -- figures show the core's numbers ------------------------------------------------

def test_histogram_bars_are_the_simulated_shares(qapp):
    plan = load_plan(MINIMAL)
    sim = analysis.simulate_chunked(plan, iterations=5000, seed=3)
    figure = new_figure()
    data = draw_histogram(figure, sim, plan.value_unit)
    top, bottom = plots_in(figure)
    # The outcome bars, stacked by path, add up to 100 % of the iterations.
    heights = sum(np.asarray(b.opts["height"]).sum() for b in bars_in(top))
    assert heights == pytest.approx(100.0)
    colours = {b.opts["brush"] for b in bars_in(top)}
    assert colours <= {palette.SUCCESS, palette.FAILURE, palette.NEUTRAL}
    # Markers sit at the mean and percentiles of the realised outcomes.
    lines = sorted(i.value() for i in top.items if isinstance(i, pg.InfiniteLine))
    expected = sorted([sim.outcome.mean(), *np.percentile(sim.outcome, [5, 50, 95])])
    assert lines == pytest.approx(expected)
    # one above the other, the unit is in the title (the bars get the axis title's height)
    assert "k$" in top.titleLabel.text and "%" in top.getAxis("left").labelText
    ev_rows = [r for r in data.rows if r[0] == "ev"]
    assert sum(r[3] for r in ev_rows) == sim.iterations
    ends = sim.end_shares()
    for name in ("success", "failure"):
        assert sum(r[5 if name == "success" else 6] for r in data.rows if r[0] == "outcome") == \
            pytest.approx(ends[name] * sim.iterations)


def test_risk_profile_end_shares_and_best_options(qapp):
    plan = load_plan(PEACE)
    sim = analysis.simulate_chunked(plan, "nuclear", iterations=3000, seed=1)
    figure = new_figure()
    data = draw_risk(figure, sim, plan.value_unit, {n.id: n.label for n in plan.nodes.values()})
    cdf, ends, best = plots_in(figure)
    heights = [float(b.opts["height"][0]) for b in bars_in(ends)]
    shares = sim.end_shares()
    assert heights == pytest.approx([100 * shares[n] for n in ("success", "failure", "neutral")])
    widths = np.concatenate([np.asarray(b.opts["x1"]) for b in bars_in(best)])
    expected = [100 * s for d in sim.on_policy_decisions for s in sim.option_best[d].values()]
    assert sorted(widths) == pytest.approx(sorted(expected))
    curve = [r for r in data.rows if r[0] == "outcome"]
    assert curve[0][2] == 0.0 and curve[-1][2] == 1.0 and curve[-1][1] == pytest.approx(sim.outcome.max())


def test_tornado_bars_span_the_core_numbers(qapp):
    plan = load_plan(PEACE)
    result = tornado(plan, "nuclear", policy="fixed")
    figure = new_figure()
    draw_tornado(figure, result, plan.value_unit)
    (plot,) = plots_in(figure)
    low, high = bars_in(plot)
    moving = [b for b in result.bars if b["ev_low"] != b["ev_high"]]
    assert np.minimum(low.opts["x0"], low.opts["x1"]).min() == pytest.approx(min(min(b["ev_low"], b["ev_high"]) for b in moving))
    assert "held fixed" in plot.titleLabel.text
    ticks = plot.getAxis("left")._tickLevels[0]
    assert max(ticks)[1].startswith(moving[0]["name"])  # widest bar on top


def test_sweep_lines_and_threshold(qapp):
    plan = load_plan(PEACE)
    result = sweep(plan, "v_freeze", steps=21, track_id="nuclear")
    figure = new_figure()
    draw_sweep(figure, result, "nuc_d1", plan.value_unit)
    (plot,) = plots_in(figure)
    curves = [i for i in plot.items if isinstance(i, pg.PlotDataItem)]
    assert len(curves) == len(result.option_ev["nuc_d1"]) + 1
    for curve, evs in zip(curves, result.option_ev["nuc_d1"].values()):
        assert np.allclose(curve.yData, evs)
    thresholds = [i.value() for i in plot.items if isinstance(i, pg.InfiniteLine)]
    assert thresholds == pytest.approx([t["value"] for t in result.thresholds if t["decision"] == "nuc_d1"])
    assert thresholds  # the sample's best first ask changes inside the range


def test_policy_map_cells_follow_sweep2(qapp):
    plan = load_plan(PEACE)
    bundle = analysis.compute_sensitivity(plan, "nuclear", parts=("policy-map",))
    result = bundle.policy_map
    figure = new_figure()
    data = draw_policy_map(figure, result)
    (plot,) = plots_in(figure)
    cells = sum(len(b.opts["x"]) for b in bars_in(plot))
    assert cells == len(result.x_values) * len(result.y_values)
    counts = {o: sum(row.count(o) for row in result.best) for o in {o for row in result.best for o in row}}
    assert sorted(len(b.opts["x"]) for b in bars_in(plot)) == sorted(counts.values())
    assert len(data.rows) == cells


def test_readiness_figure_tracks_and_costliest_branch(qapp):
    plan = load_plan(PEACE)
    report = analysis.readiness_report(plan)
    figure = new_figure()
    draw_readiness(figure, report)
    tracks_plot, branches_plot = plots_in(figure)
    readiness_bars = bars_in(tracks_plot)[0]
    assert np.allclose(readiness_bars.opts["x1"], [100 * t.failure_readiness for t in report.tracks])
    widest = max(float(np.max(b.opts["x1"])) for b in bars_in(branches_plot))
    assert widest == pytest.approx(100 * report.branches[0].cost)


# -- export -------------------------------------------------------------------------

def test_export_png_svg_csv(qapp, tmp_path):
    plan = load_plan(MINIMAL)
    sim = analysis.simulate_chunked(plan, iterations=2000, seed=0)
    figure = new_figure()
    data = draw_histogram(figure, sim, plan.value_unit)
    export(figure, data, tmp_path / "h.png", (800, 500))
    image = QImage(str(tmp_path / "h.png"))
    assert image.width() == 800 and image.height() == 500
    colours = {image.pixelColor(x, y).name() for x in range(0, 800, 4) for y in range(0, 500, 4)}
    assert palette.SUCCESS in colours and palette.FAILURE in colours
    export(figure, data, tmp_path / "h.svg", (800, 500))
    svg = (tmp_path / "h.svg").read_text()
    assert "<svg" in svg and "Realised outcome" in svg
    export(figure, data, tmp_path / "h.csv")
    rows = list(csv.reader(open(tmp_path / "h.csv", encoding="utf-8")))
    assert rows[0][:3] == ["series", "bin_low", "bin_high"] and len(rows) == len(data.rows) + 1


def test_csv_cells_cannot_become_formulas(tmp_path):
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@x") == "'@x" and safe_cell("-2") == "'-2"
    assert safe_cell(-2.0) == -2.0 and safe_cell("plain") == "plain"
    write_csv(FigureData("t", ["a", "b"], [["+cmd", 1.5]]), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines()[1] == "'+cmd,1.5"


# -- the docks in the main window ------------------------------------------------------

@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    from gui_windows import plan_window

    win = plan_window(qtbot, monkeypatch, PEACE)  # installs the analysis docks
    yield win
    win.document.undo_stack.setClean()  # close without the unsaved-changes prompt
    win.analysis.shutdown()
    win.close()


def show(window, name):
    from app.analysis import show_dock

    show_dock(window, window.docks[name])


def test_install_adds_docks_and_menu_entries(window):
    from PySide6.QtWidgets import QMenu

    for name in ("outcome", "sensitivity", "readiness", "priority"):
        assert window.docks[name].widget() is window.analysis_views[name]
    menu = window.findChild(QMenu, "menu_analysis")
    assert [a.text() for a in menu.actions()] == ["Outcomes", "Sensitivity", "Readiness", "Priorities",
                                                  "Value of information", "League table", "Tracks"]
    menu.actions()[0].trigger()
    assert window.docks["outcome"].isVisible()


def test_outcome_dock_runs_in_the_background_and_shows_the_seeded_result(window, qtbot):
    controller = window.analysis
    view = window.analysis_views["outcome"]
    view.iterations.setValue(3000)
    view.seed.setValue(5)
    window.document.set_current_track("nuclear")
    show(window, "outcome")
    controller.wait()
    assert view.result is not None
    expected = analysis.simulate_chunked(window.document.plan, "nuclear", 3000, 5)
    assert np.array_equal(view.result.outcome, expected.outcome)
    assert "3,000 iterations" in view.run_bar.status.text()
    assert not view.run_bar.progress.isVisible()


def test_edit_reruns_after_debounce(window, qtbot):
    controller = window.analysis
    view = window.analysis_views["outcome"]
    view.iterations.setValue(1000)
    window.document.set_current_track("ties")
    show(window, "outcome")
    controller.wait()
    before = view.result.base_ev
    window.document.set_node_field("ir_t6", "payoff", 60)
    assert controller.debounce.isActive()  # not at once: typing stays fluid
    with qtbot.waitSignal(controller.resultShown, timeout=20_000):
        pass
    controller.wait()
    assert view.result.base_ev == pytest.approx(evaluate_track(window.document.plan, "ties").ev)
    assert view.result.base_ev != before


def test_cancel_stops_a_run(window, qtbot):
    controller = window.analysis
    view = window.analysis_views["outcome"]
    show(window, "outcome")
    controller.wait()
    shown = view.result
    view.iterations.setValue(200_000)
    controller.rerun("outcome")
    view.run_bar.cancel_button.click()
    controller.wait()
    assert view.result is shown  # the cancelled run never replaced the picture
    assert view.run_bar.status.text() == "cancelled"


def test_sensitivity_dock_policy_switch(window, qtbot):
    controller = window.analysis
    view = window.analysis_views["sensitivity"]
    window.document.set_current_track("nuclear")
    show(window, "sensitivity")
    controller.wait()
    assert view.bundle.policy == "optimal"
    view.policy_combo.setCurrentIndex(view.policy_combo.findData("fixed"))
    controller.wait()
    assert view.bundle.policy == "fixed"
    expected = tornado(window.document.plan, "nuclear", policy="fixed")
    # the core's bars, less the variables only other tracks read (issue 10 #12)
    assert view.bundle.tornado.bars == [b for b in expected.bars if b["name"] not in view.bundle.left_out]
    assert view.bundle.left_out and len(view.bundle.tornado.bars) + len(view.bundle.left_out) == len(expected.bars)
    view.sweep_combo.setCurrentIndex(view.sweep_combo.findData("p_access"))
    controller.wait()
    assert view.bundle.sweep.variable == "p_access"


def test_priority_list_and_double_click_jump(window, qtbot):
    view = window.analysis_views["priority"]
    show(window, "priority")
    window.document.set_current_track("sanctions")
    result = window.document.result
    table = view.table
    assert table.rowCount() == len(result.priorities)
    top = result.priorities[0]
    assert table.item(0, 0).data(Qt.ItemDataRole.UserRole) == top.node
    assert view.figure_data().rows[0][3] == pytest.approx(top.marginal_value)
    last = table.rowCount() - 1
    table.cellDoubleClicked.emit(last, 1)
    assert window.document.selected_id == result.priorities[last].node


def test_readiness_dock_jumps_across_tracks(window, qtbot):
    controller = window.analysis
    view = window.analysis_views["readiness"]
    show(window, "readiness")
    controller.wait()
    assert view.table.rowCount() == min(len(view.report.branches), 400)
    row = next(k for k, b in enumerate(view.report.branches) if b.track_id != window.document.current_track_id)
    target = view.report.branches[row]
    view.table.cellDoubleClicked.emit(row, 0)
    assert window.document.current_track_id == target.track_id
    assert window.document.selected_id == target.node_id


def test_hidden_priority_list_fills_when_shown(qtbot):
    from app.document import Document
    from widgets.analysis.priority_view import PriorityView

    document = Document(load_plan(SHARED / "examples" / "minimal.bwplan"))
    view = PriorityView(document)
    qtbot.addWidget(view)
    first = view.table.rowCount()
    document.remove_response("t2", "r2")  # one response fewer
    document.wait_for_checks()
    assert view.table.rowCount() == first  # hidden: not refilled on every edit
    view.show()
    qtbot.waitExposed(view)
    assert view.table.rowCount() == first - 1
    assert [p.response for p in view.rows] == [p.response for p in document.result.priorities]


def test_priority_tab_behind_problems_is_not_refilled(window, qtbot):
    view = window.analysis_views["priority"]
    window.docks["problems"].raise_()
    qtbot.wait(50)
    rows = [p.response for p in view.rows]
    window.document.set_current_track("sanctions")
    assert [p.response for p in view.rows] == rows  # unseen: not refilled
    show(window, "priority")
    qtbot.waitUntil(lambda: [p.response for p in view.rows] == [p.response for p in window.document.result.priorities])


def test_sensitivity_dock_leaves_out_other_tracks_and_speaks_like_the_cli(window, qtbot, capsys):
    """Issue 10 #12: the dock lists what the CLI lists, in the CLI's words, under the track's title."""
    from app import cli
    from planning.analyses.sensitivity import parameter_words

    controller = window.analysis
    view = window.analysis_views["sensitivity"]
    plan = window.document.plan
    window.document.set_current_track("nuclear")
    show(window, "sensitivity")
    controller.wait()
    assert cli.main(["sensitivity", str(PEACE), "--tornado", "--track", "nuclear", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    cli_names = [b["name"] for b in printed["bars"]]
    assert [b["name"] for b in view.bundle.tornado.bars] == cli_names
    assert sorted(view.bundle.left_out) == sorted(printed["left_out"])
    choices = [view.sweep_combo.itemData(k) for k in range(1, view.sweep_combo.count())]
    assert set(choices) <= set(cli_names) and not set(choices) & set(printed["left_out"])
    assert [view.sweep_combo.itemText(k) for k in range(1, view.sweep_combo.count())] == \
        [parameter_words(plan, name, 50) for name in choices]
    [plot] = plots_in(view.figures["tornado"])
    title = plan.track("nuclear").title
    full = getattr(plot.titleLabel, "_fit_text", None) or plot.titleLabel.text  # a narrow dock cuts it with "…"
    assert full.startswith(title) and plot.titleLabel.text.startswith(title[:24])
    ticks = [text for _, text in plot.getAxis("left")._tickLevels[0]]
    moving = [b for b in view.bundle.tornado.bars if abs(b["ev_high"] - b["ev_low"]) > 1e-9]
    assert len(ticks) == len(moving)
    for bar, text in zip(moving, ticks):                     # widest swing first
        shown = text.split("  [")[0].split("…")[0]                 # shortened to the dock's width
        assert len(shown) >= 12 and parameter_words(plan, bar["name"]).startswith(shown), (bar["name"], text)
    assert not any(name in " ".join(ticks) for name in cli_names)  # no raw parameter names


def marker_labels(plot: pg.PlotItem) -> dict[str, object]:
    """Visible texts drawn in a plot's data area that label its marker lines, by their first word."""
    found = {}
    for item in plot.scene().items():
        if isinstance(item, pg.TextItem) and item.isVisible() and plot.vb.isAncestorOf(item):
            text = item.textItem.toPlainText()
            if text.split(" ")[0] in ("mean", "P5", "P50", "P95"):
                found[text.split(" ")[0]] = item
    return found


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720)])
def test_outcome_plots_are_tall_and_their_marker_labels_never_overlap(window, qtbot, size):
    """Issue 10: "mean 14.6" was drawn over "P50 10.0", and the histograms had ~70 px at 1280x720."""
    window.resize(*size)
    controller = window.analysis
    view = window.analysis_views["outcome"]
    show(window, "outcome")
    controller.wait()
    qtbot.wait(100)
    figure = view.figures["histogram"]
    plots = plots_in(figure)
    assert len(plots) == 2
    for plot in plots:
        area = plot.vb.sceneBoundingRect()
        # main drew 59 px (1280x720) and 89 px (1600x1000); now about 113 and 240
        assert area.height() >= (100 if size[0] == 1280 else 200), f"{size}: a histogram only {area.height():.0f} px tall"
        labels = marker_labels(plot)
        assert {"mean", "P50"} <= set(labels), labels     # the two most read are always there
        rects = {name: item.textItem.mapRectToScene(item.textItem.boundingRect()) for name, item in labels.items()}
        for name, rect in rects.items():
            assert area.adjusted(-1, -1, 1, 1).contains(rect), f"{size}: {name} label cut by the plot's edge"
        names = sorted(rects)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not rects[a].intersects(rects[b]), f"{size}: {a} label drawn over {b}"
        # no bar under a label: the data ends below the rows of labels
        top_bar = min(bar.mapRectToScene(bar.boundingRect()).top() for bar in bars_in(plot))
        assert top_bar >= max(rect.bottom() for rect in rects.values()) - 2


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720)])
def test_readiness_value_labels_inside_the_plots_and_bar_labels_apart(window, qtbot, size):
    """Issue 10: "24.0" was cut at the plot's right edge; at 1280x720 the bar labels ran into each other."""
    from PySide6.QtGui import QFontMetricsF

    window.resize(*size)
    controller = window.analysis
    view = window.analysis_views["readiness"]
    show(window, "readiness")
    controller.wait()
    qtbot.wait(100)
    plots = plots_in(view.figure)
    assert len(plots) == 2
    for plot in plots:
        area = plot.vb.sceneBoundingRect().adjusted(-1, -1, 1, 1)
        values = [item for item in plot.items if isinstance(item, pg.TextItem) and item.isVisible()]
        assert values, "every bar has its value written at its end"
        for item in values:
            rect = item.textItem.mapRectToScene(item.textItem.boundingRect())
            assert area.contains(rect), f"{size}: {item.textItem.toPlainText()!r} cut by the plot's edge"
        axis = plot.getAxis("left")
        ticks = [value for value, _text in axis._tickLevels[0]]
        line = QFontMetricsF(axis.style["tickFont"]).height()
        ys = sorted(plot.vb.mapViewToScene(pg.Point(0, t)).y() for t in ticks)
        gaps = [b - a for a, b in zip(ys, ys[1:])]
        assert not gaps or min(gaps) >= line, f"{size}: bar labels {min(gaps):.0f} px apart, a line is {line:.0f} px"
        title = plot.titleLabel
        assert not title.text.endswith("…"), f"{size}: title cut to {title.text!r}"


def test_priority_table_keeps_the_response_column_readable_at_1280(window, qtbot):
    """Issue 10: at 1280x720 the Response column was squeezed to "spor" over a column of "…"."""
    window.resize(1280, 720)
    view = window.analysis_views["priority"]
    show(window, "priority")
    qtbot.waitUntil(lambda: view.table.rowCount() > 0)
    qtbot.wait(50)
    table = view.table
    header = table.horizontalHeader()
    wanted = table.fontMetrics().horizontalAdvance("M" * 14)
    assert header.sectionSize(1) >= wanted, f"Response column {header.sectionSize(1)} px"
    assert header.sectionSize(1) >= table.fontMetrics().horizontalAdvance("Response") + 12
    assert header.sectionViewportPosition(1) + header.sectionSize(1) <= table.viewport().width()  # on screen
    assert not table.wordWrap()        # one line a row: cut with "…", the full text in the tooltip
    title = table.item(0, 1).toolTip()
    assert title and table.item(0, 1).text().rstrip("…") in title


@pytest.mark.parametrize("dock", ["outcome", "sensitivity"])
def test_every_tab_at_1280_keeps_its_texts_inside_the_plots(window, qtbot, dock):
    """Issue 10: at 1280x720 a sweep's threshold label, the "68%" of the best-option bars and the
    rotated axis titles (policy map, risk profile) ran past the plot's edges."""
    window.resize(1280, 720)
    controller = window.analysis
    view = window.analysis_views[dock]
    show(window, dock)
    controller.wait()
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        controller.wait()
        qtbot.wait(80)
        figure = view.tabs.currentWidget()
        for plot in plots_in(figure):
            area = plot.vb.sceneBoundingRect().adjusted(-1, -1, 1, 1)
            for item in plot.scene().items():
                if isinstance(item, pg.TextItem) and item.isVisible() and plot.vb.isAncestorOf(item):
                    rect = item.textItem.mapRectToScene(item.textItem.boundingRect())
                    assert area.contains(rect), \
                        f"tab {index}: {item.textItem.toPlainText()!r} at {rect} leaves the plot {area}"
            axis = plot.getAxis("left")
            if axis.isVisible() and axis.labelText:
                assert axis.label.boundingRect().width() <= plot.vb.height() + 1, \
                    f"tab {index}: the axis title {axis.labelText!r} is taller than its plot"


def test_readiness_summary_counts_in_words(qtbot):
    """"1 tracks" on a one-track plan: counts agree with their nouns."""
    from app.document import Document
    from widgets.analysis.readiness_view import ReadinessView

    view = ReadinessView(Document(load_plan(MINIMAL)))
    qtbot.addWidget(view)
    view.show_report(analysis.readiness_report(load_plan(MINIMAL)))
    text = view.summary.text()
    assert text.startswith("1 track · ") and "1 tracks" not in text
    assert "0 late responses · " in text                      # minimal.bwplan: r2 is ready in time


def test_the_readiness_summary_wraps_instead_of_widening_the_docks(qtbot, tmp_path, monkeypatch):
    """A large plan's one-line summary (late responses, branches without one) made the
    Readiness dock 800 px wide: at 1280x720 the outline was squeezed to 140 px."""
    from gui_windows import plan_window
    from app.analysis import show_dock
    from planning.files.planfile import save_plan
    from planning.model.generate import random_plan

    path = tmp_path / "big.bwplan"
    save_plan(random_plan(3000, seed=1), path)
    win = plan_window(qtbot, monkeypatch, path, size=(1280, 720))
    dock = win.docks["readiness"]
    show_dock(win, dock)
    win.analysis.wait(60_000)
    qtbot.waitUntil(lambda: "late" in dock.widget().summary.text(), timeout=30_000)
    summary = dock.widget().summary
    assert summary.fontMetrics().horizontalAdvance(summary.text()) > 450  # a long line
    assert dock.minimumSizeHint().width() < 450
    assert win.docks["outline"].width() >= 250
