"""`branchwise plot`: headless pictures and data of the analysis views."""
from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtGui import QImage

from conftest import SAMPLES, SHARED
from app.cli import main
from planning.engine.compile import compile_track
from planning.analyses.sensitivity import parameter_words, parameters_read_by, tornado
from planning.files.planfile import load_plan
from widgets import palette
from widgets.analysis.data import readiness_report, simulate_chunked

MINIMAL = SHARED / "examples" / "minimal.bwplan"
PEACE = SAMPLES / "peace-process.bwplan"


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("kind", ["histogram", "risk", "tornado", "spider", "sweep", "policy-map", "readiness"])
def test_every_kind_writes_a_png_of_the_asked_size(qapp, tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    assert main(["plot", str(PEACE), "--kind", kind, "--track", "nuclear", "--iterations", "2000",
                 "--size", "900x560", "-o", str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 560)
    colours = {image.pixelColor(x, y).name() for x in range(0, 900, 3) for y in range(0, 560, 3)}
    assert palette.BACKGROUND in colours and len(colours) > 20  # something was drawn on white


def test_svg_is_vector_with_axis_titles(qapp, tmp_path):
    out = tmp_path / "t.svg"
    assert main(["plot", str(MINIMAL), "--kind", "tornado", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "Expected value (k$)" in text and "chance the launch goes well" in text  # planner words, no id


def test_tornado_csv_is_the_core_tornado(qapp, tmp_path):
    out = tmp_path / "t.csv"
    assert main(["plot", str(PEACE), "--kind", "tornado", "--track", "nuclear", "--policy", "fixed", "-o", str(out)]) == 0
    table = rows(out)
    plan = load_plan(PEACE)
    read = parameters_read_by(compile_track(plan, "nuclear"))  # other tracks' variables are left out
    expected = [b for b in tornado(plan, "nuclear", policy="fixed").bars if b["name"] in read]
    assert table[0] == ["parameter", "low", "high", "ev_low", "ev_high", "swing"]
    assert [r[0] for r in table[1:]] == [b["name"] for b in expected]
    assert [float(r[3]) for r in table[1:]] == pytest.approx([b["ev_low"] for b in expected])


def test_histogram_csv_is_seeded_and_counts_every_iteration(qapp, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (first, second):
        assert main(["plot", str(MINIMAL), "--kind", "histogram", "--iterations", "3000", "--seed", "4", "-o", str(out)]) == 0
    assert first.read_bytes() == second.read_bytes()
    table = rows(first)
    outcome = [r for r in table[1:] if r[0] == "outcome"]
    assert sum(int(r[3]) for r in outcome) == 3000
    sim = simulate_chunked(load_plan(MINIMAL), None, 3000, 4)
    mean = next(r for r in table if r[0] == "outcome mean")
    assert float(mean[1]) == pytest.approx(sim.outcome.mean())


def test_readiness_csv_lists_tracks_and_branches(qapp, tmp_path):
    out = tmp_path / "r.csv"
    assert main(["plot", str(PEACE), "--kind", "readiness", "-o", str(out)]) == 0
    table = rows(out)
    report = readiness_report(load_plan(PEACE))
    assert sum(1 for r in table if r[0] == "track") == len(report.tracks)
    assert sum(1 for r in table if r[0].endswith("branch")) == len(report.branches)


def test_sweep_of_a_named_variable(qapp, tmp_path):
    out = tmp_path / "s.csv"
    assert main(["plot", str(PEACE), "--kind", "sweep", "--track", "nuclear", "--var", "p_access", "-o", str(out)]) == 0
    table = rows(out)
    values = sorted({float(r[0]) for r in table[1:] if r[1] == "track EV"})
    assert values[0] == pytest.approx(0.4) and values[-1] == pytest.approx(0.8)


@pytest.mark.parametrize("argv, code", [
    (["--kind", "sweep", "--var", "no_such"], 2),
    (["--kind", "tornado", "--track", "nope"], 2),
    (["--kind", "histogram", "--iterations", "0"], 2),
    (["--kind", "policy-map"], 1),  # the minimal plan has one ranged parameter only
    (["--kind", "sweep", "--decision", "t1"], 2),
    (["--kind", "tornado", "--size", "big"], 2),
])
def test_errors_leave_no_file(qapp, tmp_path, capsys, argv, code):
    out = tmp_path / "x.png"
    assert main(["plot", str(MINIMAL), *argv, "-o", str(out)]) == code
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err.strip()


def test_wrong_suffix_and_invalid_plan(qapp, tmp_path):
    assert main(["plot", str(MINIMAL), "--kind", "tornado", "-o", str(tmp_path / "x.jpg")]) == 2
    bad = json.loads(MINIMAL.read_text())
    bad["nodes"][2]["probability"] = 1.5
    path = tmp_path / "bad.bwplan"
    path.write_text(json.dumps(bad))
    assert main(["plot", str(path), "--kind", "tornado", "-o", str(tmp_path / "x.png")]) == 1
    assert not (tmp_path / "x.png").exists()


def test_existing_output_survives_a_failure(qapp, tmp_path):
    out = tmp_path / "keep.csv"
    out.write_text("old")
    assert main(["plot", str(MINIMAL), "--kind", "policy-map", "-o", str(out)]) == 1
    assert out.read_text() == "old"


# -- issue 10 #6/#12: the plot leaves out what cannot move the track, in the CLI's words --------
@pytest.mark.parametrize("kind", ["tornado", "spider", "sweep"])
def test_sensitivity_plot_of_one_track_speaks_like_the_cli(qapp, tmp_path, capsys, kind):
    import xml.etree.ElementTree as ET

    plan = load_plan(PEACE)
    assert main(["sensitivity", str(PEACE), "--tornado", "--track", "nuclear", "--json"]) == 0
    cli_names = [b["name"] for b in json.loads(capsys.readouterr().out)["bars"]]
    out = tmp_path / f"{kind}.svg"
    assert main(["plot", str(PEACE), "--kind", kind, "--track", "nuclear", "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    shown = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    drawn = " | ".join(shown)
    title = plan.track("nuclear").title
    assert any(text.startswith(title) for text in shown), shown      # the plot names its track
    others = {v.name for v in plan.variables} - set(cli_names)
    assert others  # the sample has variables only other tracks read
    for name in others:                                               # left out, as the CLI does
        assert name not in drawn and parameter_words(plan, name, 40)[:25] not in drawn
    for name in sorted(set(cli_names) | {v.name for v in plan.variables}):
        assert name not in drawn                                       # no raw parameter names
    if kind == "tornado":
        csv_out = tmp_path / "t.csv"
        assert main(["plot", str(PEACE), "--kind", "tornado", "--track", "nuclear", "-o", str(csv_out)]) == 0
        assert [r[0] for r in rows(csv_out)[1:]] == cli_names           # the same list as the CLI
        moving = [b for b in tornado(plan, "nuclear").bars
                  if b["name"] in cli_names and abs(b["ev_high"] - b["ev_low"]) > 1e-9]
        labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "tick-label"]
        for bar in moving:                                             # each bar in the CLI's words
            assert any(text.startswith(parameter_words(plan, bar["name"], 40)) for text in labels), bar["name"]


def test_plot_var_of_another_track_is_a_usage_error_naming_the_track(qapp, tmp_path, capsys):
    assert main(["plot", str(PEACE), "--kind", "sweep", "--track", "nuclear", "--var", "p_summit_date",
                 "-o", str(tmp_path / "s.png")]) == 2
    assert "does not affect track nuclear" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["readiness", "tornado", "risk"])
def test_a_small_plot_shortens_its_bar_labels_instead_of_crowding_them(qapp, kind):
    """`plot --size 600x400`: bar labels one line apart and every value label inside its plot."""
    import argparse

    import pyqtgraph as pg
    from PySide6.QtGui import QFontMetricsF

    from app.cli_plot import draw
    from widgets.analysis.fit import fit_width
    from widgets.analysis.plot_export import layout_for_export, new_figure

    args = argparse.Namespace(kind=kind, track=None, var=None, decision=None, policy="optimal",
                              iterations=2000, seed=0, size="600x400")
    figure = new_figure()
    layout_for_export(figure, (600, 400))
    draw(load_plan(PEACE), args, figure)
    fit_width(figure, 600)
    layout_for_export(figure, (600, 400))
    figure.grab()  # drawn once, as the export draws it (pyqtgraph positions some items when painting)
    for plot in (i for i in figure.ci.items if isinstance(i, pg.PlotItem)):
        axis = plot.getAxis("left")
        ticks = axis._tickLevels[0] if axis._tickLevels else []
        if ticks and isinstance(ticks[0][1], str) and not ticks[0][1].replace(".", "").isdigit():
            ys = sorted(plot.vb.mapViewToScene(pg.Point(0, value)).y() for value, _ in ticks)
            line = QFontMetricsF(axis.style["tickFont"]).height()
            assert min((b - a for a, b in zip(ys, ys[1:])), default=line) >= line, f"{kind}: bar labels overlap"
        area = plot.vb.sceneBoundingRect().adjusted(-1, -1, 1, 1)
        for item in plot.items:
            if isinstance(item, pg.TextItem) and item.isVisible():
                rect = item.textItem.mapRectToScene(item.textItem.boundingRect())
                assert area.contains(rect), f"{kind}: {item.textItem.toPlainText()!r} leaves its plot"
