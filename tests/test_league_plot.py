"""`branchwise plot --kind league`: the League table dock's picture as PNG, SVG and CSV."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage

from conftest import SAMPLES
from app.cli import main
from planning.analyses.league import league_table
from planning.files.planfile import load_plan
from widgets import palette

LAUNCH = SAMPLES / "product-launch.bwplan"
NS = "{http://www.w3.org/2000/svg}"


def _points(text: str) -> np.ndarray:
    return np.array([[float(v) for v in p.split(",")] for p in text.split()])


def _affine(values: np.ndarray, pixels: np.ndarray) -> tuple[float, float, float]:
    """Least-squares pixel = a * value + b; (a, b, worst residual in pixels)."""
    a, b = np.polyfit(values, pixels, 1)
    return a, b, float(np.abs(a * values + b - pixels).max())


def test_league_plot_shows_one_point_per_row_and_the_frontier_through_the_efficient_rows(qapp, tmp_path):
    table = league_table(load_plan(LAUNCH), "launch")
    out = tmp_path / "league.svg"
    assert main(["plot", str(LAUNCH), "--kind", "league", "--track", "launch", "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    area = next(r for r in root.iter(f"{NS}rect") if r.get("class") == "plot-area")
    left, top = float(area.get("x")), float(area.get("y"))
    right, bottom = left + float(area.get("width")), top + float(area.get("height"))
    markers = [p for p in root.iter(f"{NS}polygon") if p.get("class") == "marker"]
    assert len(markers) == len(table.rows) == 4
    centres = np.array([(_points(m.get("points")).min(0) + _points(m.get("points")).max(0)) / 2 for m in markers])
    # Markers are drawn in row order: one affine map per axis takes every row's criteria to its marker.
    values = np.array([r.values for r in table.rows])
    ax, bx, worst_x = _affine(values[:, 0], centres[:, 0])
    ay, by, worst_y = _affine(values[:, 1], centres[:, 1])
    assert worst_x < 1.0 and worst_y < 1.0 and ax > 0 and ay < 0  # criterion 2 upwards
    assert ((centres[:, 0] > left) & (centres[:, 0] < right) & (centres[:, 1] > top) & (centres[:, 1] < bottom)).all()
    # Efficient rows blue, dominated and extendedly dominated rows grey.
    assert [m.get("fill") for m in markers] == [palette.DECISION if r.on_frontier else palette.NEUTRAL
                                                for r in table.rows]
    # The frontier: one line through the efficient rows' points, in order of criterion 1, and no other.
    lines = [p for p in root.iter(f"{NS}polyline") if p.get("class") == "curve"]
    assert len(lines) == 1
    vertices = _points(lines[0].get("points"))
    efficient = sorted((r for r in table.rows if r.on_frontier), key=lambda r: r.values[0])
    expected = np.array([[ax * r.values[0] + bx, ay * r.values[1] + by] for r in efficient])
    assert [r.id for r in efficient] == ["1", "4"]
    assert vertices == pytest.approx(expected, abs=1.0)
    # Each point carries its row number; the ratio between frontier rows is written on the line.
    labels = {(t.text or "").strip(): (float(t.get("x")), float(t.get("y"))) for t in root.iter(f"{NS}text")
              if t.get("class") == "value-label"}
    for row, (x, y) in zip(table.rows, centres):
        lx, ly = labels[row.id]
        assert abs(lx - x) < 25 and abs(ly - y) < 25, row.id
    assert f"ratio {efficient[1].icer:.4g}" in labels
    titles = [(t.text or "").strip() for t in root.iter(f"{NS}text") if t.get("class") == "axis-label"]
    assert set(titles) == {"Gross margin (k$)", "Engineering time (engineer-weeks)"}


def test_league_plot_png_and_csv(qapp, tmp_path):
    png, table_csv = tmp_path / "l.png", tmp_path / "l.csv"
    assert main(["plot", str(LAUNCH), "--kind", "league", "--track", "launch", "--size", "800x500",
                 "-o", str(png)]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 500)
    colours = {image.pixelColor(x, y).name() for x in range(0, 800, 2) for y in range(0, 500, 2)}
    assert palette.DECISION.lower() in colours  # the frontier and its points
    assert main(["plot", str(LAUNCH), "--kind", "league", "--track", "launch", "-o", str(table_csv)]) == 0
    with open(table_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    table = league_table(load_plan(LAUNCH), "launch")
    assert rows[0] == ["row", "policy", "criterion1", "criterion2", "status", "ratio"]
    assert [(r[0], float(r[2]), float(r[3]), r[4]) for r in rows[1:]] == [
        (r.id, pytest.approx(r.values[0]), pytest.approx(r.values[1]), r.status) for r in table.rows]
    assert rows[1][1] == "When do we launch the device? -> License the design to a partner brand"


def test_league_plot_of_a_one_criterion_plan_says_what_is_missing(qapp, tmp_path, capsys):
    out = tmp_path / "l.png"
    assert main(["plot", str(SAMPLES / "peace-process.bwplan"), "--kind", "league", "-o", str(out)]) == 2
    assert "needs a plan with two criteria" in capsys.readouterr().err
    assert not out.exists()
