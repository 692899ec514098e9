"""Tree pictures (`export --format png|svg`): labels never overlap, SVG drawn by librsvg like the PNG.

Issue 10, items 2 and 3.
"""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetricsF

from app.cli import main
from conftest import SAMPLES
from planning.files.planfile import load_plan
from svgcheck import differing_share, parse, pixels, points, role, rsvg, tag, texts
from widgets.label_fit import overlapping_pairs

PEACE = SAMPLES / "peace-process.bwplan"
LAUNCH = SAMPLES / "product-launch.bwplan"


def export(capsys, source, out, *extra) -> None:
    assert main(["export", str(source), "-o", str(out), *extra]) == 0
    capsys.readouterr()


def text_boxes(root) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each drawn text with the box its glyphs take, measured in the font the SVG names."""
    out = []
    for element in texts(root):
        font = QFont("DejaVu Sans")
        font.setPixelSize(int(float(element.get("font-size"))))
        font.setBold(element.get("font-weight") == "bold")
        metrics = QFontMetricsF(font)
        x, y = float(element.get("x")), float(element.get("y"))
        assert element.get("text-anchor") == "start" and element.get("transform") is None
        out.append((element.text, (x, y - metrics.ascent(), x + metrics.horizontalAdvance(element.text),
                                   y + metrics.descent())))
    return out


@pytest.mark.parametrize("source,track", [(PEACE, "nuclear"), (PEACE, "regional"), (PEACE, None), (LAUNCH, None)])
def test_tree_svg_labels_overlap_nothing(qapp, tmp_path, capsys, source, track):
    out = tmp_path / "tree.svg"
    export(capsys, source, out, *(["--track", track] if track else []))
    root = parse(out)
    boxes = text_boxes(root)
    clashes = overlapping_pairs([b for _, b in boxes])
    assert not clashes, [(boxes[a][0], boxes[b][0]) for a, b in clashes]
    # no text over a node marker or an edge
    nodes = [e for e in root.iter() if role(e) == "node"]
    edges = [e for e in root.iter() if role(e) == "edge"]
    assert nodes and edges
    for text, (left, top, right, bottom) in boxes:
        for node in nodes:
            (x0, y0), (x1, y1) = min(points(node)), max(points(node))
            assert not (min(right, x1) - max(left, x0) > 0.5 and min(bottom, y1) - max(top, y0) > 0.5), \
                f"{text!r} is drawn over a node"
        for edge in edges:
            pts = points(edge)
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                for k in range(11):  # sample along the segment
                    px, py = ax + (bx - ax) * k / 10, ay + (by - ay) * k / 10
                    assert not (left + 0.5 < px < right - 0.5 and top + 0.5 < py < bottom - 0.5), \
                        f"{text!r} is drawn over an edge"


def test_tree_svg_names_every_node_or_shortens_it(qapp, tmp_path, capsys):
    out = tmp_path / "nuclear.svg"
    export(capsys, PEACE, out, "--track", "nuclear")
    root = parse(out)
    plan = load_plan(PEACE)
    drawn = [t.text for t in texts(root, "node-label")]
    assert texts(root, "track-title")[0].text == plan.track("nuclear").title
    assert root.find("{http://www.w3.org/2000/svg}title").text == plan.title
    labels = [plan.nodes[n].label for n in (n.id for n in plan.walk(plan.track("nuclear").root))]
    for label in labels:
        assert any(text == label or (text.endswith("\u2026") and label.startswith(text[:-1].rstrip()))
                   for text in drawn), f"{label!r} is neither drawn nor shortened"
    # the two labels of issue 10 are both legible, neither covers the other
    assert "Freeze verified by inspectors" in drawn
    assert any(t.startswith("Diplomatic protest") for t in drawn) and any(t.startswith("EV -30") for t in
                                                                          (e.text for e in texts(root, "node-info")))


@pytest.mark.parametrize("track", ["nuclear", "regional"])
def test_librsvg_draws_the_tree_svg_like_the_png(qapp, tmp_path, capsys, track):
    png, svg = tmp_path / "tree.png", tmp_path / "tree.svg"
    export(capsys, PEACE, png, "--track", track)
    export(capsys, PEACE, svg, "--track", track)
    root = parse(svg)
    assert all(float(e.get("stroke-width")) <= 2.5 for e in root.iter() if tag(e) == "polyline")
    dashed = [e for e in root.iter() if e.get("stroke-dasharray")]
    assert dashed and all(e.get("stroke-dasharray") == "4.8 2.4" for e in dashed)  # 1.2 px pen, Qt's DashLine
    share = differing_share(pixels(png), pixels(rsvg(svg, tmp_path / "rsvg.png")))
    assert share < 0.03, f"{share:.1%} of the pixels differ"
