"""SVG plots are plain SVG that librsvg draws like the PNG of the same plot (issue 10, item 2)."""
from __future__ import annotations

import numpy as np
import pytest

from app.cli import main
from conftest import SAMPLES
from planning.files.planfile import load_plan
from planning.analyses.sensitivity import tornado
from svgcheck import differing_share, number_of, parse, pixels, plots_with_marks, role, rsvg, tag, texts
from widgets.analysis.sensitivity_view import HIGH_COLOUR, LOW_COLOUR

PEACE = SAMPLES / "peace-process.bwplan"
KINDS = ["histogram", "risk", "tornado", "spider", "sweep", "policy-map", "readiness"]


def plot(tmp_path, kind: str, suffix: str, *extra: str):
    out = tmp_path / f"{kind}.{suffix}"
    assert main(["plot", str(PEACE), "--kind", kind, "--track", "nuclear", "--iterations", "2000",
                 "--size", "1000x620", "-o", str(out), *extra]) == 0
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_svg_is_plain_and_its_marks_stay_inside_the_axes(qapp, tmp_path, capsys, kind):
    svg = plot(tmp_path, kind, "svg")
    text = svg.read_text(encoding="utf-8")
    # what librsvg ignores or misreads: scaling transforms and non-scaling strokes
    assert "vector-effect" not in text and "matrix(" not in text and "scale(" not in text
    root = parse(svg)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("1000", "620", "0 0 1000 620")
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert ".tmp" not in title and title == "; ".join(t.text for t in texts(root, "title"))  # the plot titles
    plots = plots_with_marks(root)
    assert plots, "no plot area written"
    marks = 0
    for (left, top, right, bottom), elements in plots:
        for element in elements:
            for x, y in _points(element):
                assert left - 0.01 <= x <= right + 0.01 and top - 0.01 <= y <= bottom + 0.01, \
                    f"{kind}: {tag(element)} {role(element)} at ({x}, {y}) outside the axes {left, top, right, bottom}"
            width = element.get("stroke-width")
            assert width is None or float(width) <= 3.0, f"{kind}: a {width} px stroke"
            marks += 1
    assert marks > 0
    assert texts(root, "title") and texts(root, "tick-label")


def _points(element):
    from svgcheck import points

    return points(element)


@pytest.mark.parametrize("kind", KINDS)
def test_librsvg_draws_the_svg_like_the_png(qapp, tmp_path, capsys, kind):
    png = plot(tmp_path, kind, "png")
    drawn = rsvg(plot(tmp_path, kind, "svg"), tmp_path / f"{kind}-rsvg.png")
    share = differing_share(pixels(png), pixels(drawn))
    # fonts are hinted a little differently; everything else lands on the same pixels
    assert share < 0.05, f"{kind}: {share:.1%} of the pixels differ between the PNG and the SVG drawn by librsvg"


def test_tornado_bars_in_order_and_sized_by_their_ev(qapp, tmp_path, capsys):
    root = parse(plot(tmp_path, "tornado", "svg"))
    expected = tornado(load_plan(PEACE), "nuclear").bars
    moving = [b for b in expected if abs(b["ev_high"] - b["ev_low"]) > 1e-9]
    (left, top, right, bottom), elements = plots_with_marks(root)[0]
    # the x scale from the numbered ticks of the bottom axis
    ticks = [(float(t.get("x")), number_of(t.text)) for t in texts(root, "tick-label")
             if float(t.get("y")) > bottom and t.text.strip().lstrip("-").replace(".", "").isdigit()]
    assert len(ticks) >= 3
    slope, offset = np.polyfit([v for _, v in ticks], [x for x, _ in ticks], 1)
    base = tornado(load_plan(PEACE), "nuclear").base_ev
    spread = max(abs(b[k] - base) for b in moving for k in ("ev_low", "ev_high"))
    rows: dict[float, dict[str, tuple[float, float]]] = {}
    for bar in (e for e in elements if role(e) == "bar"):
        x, y, w, h = (float(bar.get(k)) for k in ("x", "y", "width", "height"))
        assert top <= y and y + h <= bottom
        rows.setdefault(round(y + h / 2), {})[bar.get("fill")] = ((x - offset) / slope, (x + w - offset) / slope)
    assert len(rows) == len(moving)  # a row of bars for each parameter that moves the EV, none extra
    for (_, row), bar in zip(sorted(rows.items()), moving):  # widest swing on top
        for colour, key in ((LOW_COLOUR, "ev_low"), (HIGH_COLOUR, "ev_high")):
            if abs(bar[key] - base) < 1e-9:
                assert colour not in row  # no width, nothing drawn
                continue
            assert row[colour] == pytest.approx((min(bar[key], base), max(bar[key], base)), abs=0.01 * spread)
    labels = [t for t in texts(root, "tick-label") if float(t.get("x")) <= left + 1]
    assert len(labels) == len(moving)
    assert sorted(labels, key=lambda t: float(t.get("y")))[0].text.strip()


def test_dashed_lines_keep_pixel_dashes_and_thin_strokes(qapp, tmp_path, capsys):
    root = parse(plot(tmp_path, "sweep", "svg"))
    (_area, elements), = plots_with_marks(root)
    dashed = [e for e in elements if e.get("stroke-dasharray")]
    assert dashed, "the track EV and threshold lines are dashed"
    for element in dashed:
        dashes = [float(v) for v in element.get("stroke-dasharray").split()]
        width = float(element.get("stroke-width"))
        assert dashes == pytest.approx([4 * width, 2 * width])  # Qt's DashLine, in px
    curves = [e for e in elements if role(e) == "curve"]
    assert curves and all(float(e.get("stroke-width")) <= 2.5 for e in curves)


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_a_full_disk_keeps_the_existing_plot(qapp, tmp_path, suffix):
    """Issue 10, item 21: a plot that cannot be written whole never replaces the old one."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / f"t.{suffix}"
    out.write_bytes(b"an older plot\n" * 1000)
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
              "from app.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script, "plot", str(PEACE), "--kind", "tornado", "--track",
                           "nuclear", "-o", str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0 and str(out) in done.stderr, done.stderr
    assert out.read_bytes() == b"an older plot\n" * 1000
    assert not [p for p in tmp_path.iterdir() if p.name != out.name]


def test_dock_export_button_writes_the_same_plain_svg(qapp, qtbot, tmp_path, monkeypatch):
    """The docks' Export ▾ goes through the same writer, for a figure laid out on screen."""
    from widgets.analysis import plot_export
    from widgets.analysis.data import compute_sensitivity
    from widgets.analysis.plot_export import ExportButton, new_figure
    from widgets.analysis.sensitivity_view import draw_tornado

    plan = load_plan(PEACE)
    figure = new_figure()
    qtbot.addWidget(figure)
    figure.resize(820, 430)
    figure.show()
    qtbot.waitExposed(figure)
    labels = {n.id: n.label for n in plan.nodes.values()}
    data = draw_tornado(figure, compute_sensitivity(plan, "nuclear", parts=()).tornado, plan.value_unit, labels)
    qtbot.wait(50)
    button = ExportButton(lambda: (figure, data, "tornado"))
    qtbot.addWidget(button)
    for fmt in ("svg", "png"):
        monkeypatch.setattr(plot_export.QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, fmt=fmt: (str(tmp_path / f"dock.{fmt}"), "")))
        assert button.ask_and_export(fmt) == str(tmp_path / f"dock.{fmt}")
    root = parse(tmp_path / "dock.svg")
    assert (root.get("width"), root.get("height")) == ("820", "430")
    for (left, top, right, bottom), elements in plots_with_marks(root):
        for element in elements:
            for x, y in _points(element):
                assert left - 0.01 <= x <= right + 0.01 and top - 0.01 <= y <= bottom + 0.01
    share = differing_share(pixels(tmp_path / "dock.png"), pixels(rsvg(tmp_path / "dock.svg", tmp_path / "r.png")))
    assert share < 0.05


def test_histogram_svg_has_every_marker_label_inside_its_plot_and_apart(qapp, tmp_path, capsys):
    """The marker labels ("mean 14.7", "P50 14.2") placed in pixels are in the SVG too, inside and apart."""
    root = parse(plot(tmp_path, "histogram", "svg"))
    areas = [area for area, _ in plots_with_marks(root)]
    boxes = [e for e in root.iter() if role(e) == "text-box"]
    labels = [t for t in texts(root, "value-label") if (t.text or "").split(" ")[0] in ("mean", "P5", "P50", "P95")]
    assert sorted(t.text.split(" ")[0] for t in labels) == sorted(["mean", "P5", "P50", "P95"] * 2)
    rects = [tuple(float(b.get(k)) for k in ("x", "y", "width", "height")) for b in boxes]
    assert len(rects) >= len(labels)
    for x, y, w, h in rects:
        assert any(l - 1 <= x and x + w <= r + 1 and t - 1 <= y and y + h <= b + 1 for l, t, r, b in areas), \
            f"a label box at {x, y, w, h} leaves its plot"
    for i, (x, y, w, h) in enumerate(rects):
        for x2, y2, w2, h2 in rects[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "two marker labels overlap"
