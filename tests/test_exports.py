"""`branchwise export`: every format for the samples, real numbers, hostile text kept inert."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

from app.cli import main
from conftest import SAMPLES, SHARED
from planning.engine.compile import compile_track
from planning.engine.evaluate import evaluate_track
from planning.files.exports import action_register, csv_safe, register_csv, to_dot
from planning.files.graph import to_networkx
from planning.model.plan import Response
from planning.files.planfile import load_plan, save_plan
from planning.sharing.report import build_report, render_html, render_markdown

PEACE = SAMPLES / "peace-process.bwplan"
SAMPLE_FILES = [PEACE, SAMPLES / "product-launch.bwplan", SHARED / "examples" / "minimal.bwplan"]
HOSTILE = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-2+3",
           '"quoted" \'single\' \\back', "\tTAB", "\rCR", "[link](javascript:alert(1))"]


def export(capsys, source, fmt, out, *extra) -> int:
    code = main(["export", str(source), "--format", fmt, "-o", str(out), *map(str, extra)])
    capsys.readouterr()
    return code


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_format_is_written_for_the_samples(tmp_path, capsys, sample):
    plan = load_plan(sample)
    for fmt in ("pdf", "html", "md", "csv", "png", "svg", "graphml", "dot"):
        out = tmp_path / f"out.{fmt}"
        assert export(capsys, sample, fmt, out) == 0, fmt
        assert out.stat().st_size > 0, fmt
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    from PySide6.QtGui import QImage
    image = QImage(str(tmp_path / "out.png"))
    assert image.width() > 200 and image.height() > 100
    ET.parse(tmp_path / "out.svg")
    graph = nx.read_graphml(tmp_path / "out.graphml")
    assert graph.number_of_nodes() == len(plan.nodes)
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    for track in plan.tracks:
        assert track.title in html
    assert html.count('src="data:image/png;base64,') == len(plan.tracks)
    assert "Decision support matrix" in html and "Decision support matrix" in markdown
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    responses = sum(len(n.responses) for t in plan.tracks for n in plan.walk(t.root))
    assert len(rows) == 1 + responses
    assert (tmp_path / "out.dot").read_text().count("subgraph cluster_") == len(plan.tracks)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_pages_render_and_show_the_report(tmp_path, capsys):
    from svgcheck import pixels

    plan = load_plan(PEACE)
    pdf = tmp_path / "brief.pdf"
    assert export(capsys, PEACE, "pdf", pdf) == 0
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 6  # each of the six tracks starts a page
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "first")], check=True, timeout=120)
    first = pixels(tmp_path / "first.png")
    height, width, _ = first.shape
    assert abs(height / width - 297 / 210) < 0.02  # A4, portrait
    # the first track's tree picture is on page 1: its decision markers (#0072b2) and a success edge (#009e73)
    for colour in ((0x00, 0x72, 0xb2), (0x00, 0x9e, 0x73)):
        near = (np.abs(first - np.array(colour)).max(axis=2) < 40).sum()
        assert near > 30, f"no {colour} pixels on page 1"
    # what the page says: the plan's title, the first track, its figures and tree heading
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    assert plan.title in text and plan.tracks[0].title in text
    assert "Expected value" in text and "Tree (" in text
    every = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True,
                           timeout=60).stdout
    for track in plan.tracks:
        assert track.title in " ".join(every.split())


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdf_title_metadata_is_the_plan_title(tmp_path, capsys):
    pdf = tmp_path / "brief.pdf"
    assert export(capsys, PEACE, "pdf", pdf) == 0
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    title = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title:"))
    assert title == load_plan(PEACE).title


def test_markdown_links_pictures_written_beside_it(tmp_path, capsys):
    plan = load_plan(PEACE)
    out = tmp_path / "my brief.md"
    assert export(capsys, PEACE, "md", out) == 0
    text = out.read_text(encoding="utf-8")
    assert "base64" not in text and "data:image" not in text
    assert out.stat().st_size < 60_000
    links = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", text)
    assert [alt for alt, _ in links] == [t.title for t in plan.tracks]
    from urllib.parse import unquote

    from PySide6.QtGui import QImage
    for _, link in links:
        assert "/" not in link and not link.startswith(("data:", "file:"))
        picture = tmp_path / unquote(link)
        assert picture.exists(), link
        image = QImage(str(picture))
        assert image.width() > 200 and image.height() > 80
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["my brief.md"] + [unquote(l) for _, l in links])


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("fmt", ["pdf", "svg", "png", "md"])
def test_a_full_disk_fails_and_keeps_the_existing_file(tmp_path, fmt):
    """Issue 10, item 21: the writers are checked; a truncated export never replaces a good file."""
    import os
    import sys

    from conftest import ROOT

    out = tmp_path / f"brief.{fmt}"
    good = b"%PDF-1.4 a good older export\n%%EOF\n" * 200
    out.write_bytes(good)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", FULL_DISK.format(limit=4096), "export", str(PEACE),
                           "--format", fmt, "-o", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0, done.stdout
    assert "written" not in done.stdout
    assert str(tmp_path) in done.stderr and ".tmp" not in done.stderr, done.stderr
    assert out.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_producers_raise_on_a_device_that_is_full(tmp_path):
    """The SVG and PDF producers themselves raise when what they wrote is not whole."""
    from pathlib import Path

    from app.cli_export import write_format

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    plan = load_plan(PEACE)
    for fmt in ("svg", "pdf", "png"):
        with pytest.raises(OSError):
            write_format(plan, fmt, Path("/dev/full"), "nuclear" if fmt != "pdf" else None)


def test_format_comes_from_the_extension_and_failures_leave_nothing(tmp_path, capsys):
    assert main(["export", str(PEACE), "-o", str(tmp_path / "a.csv")]) == 0
    assert main(["export", str(PEACE), "-o", str(tmp_path / "a.unknown")]) == 2
    assert main(["export", str(PEACE), "--track", "nope", "-o", str(tmp_path / "t.png")]) == 2
    broken = load_plan(PEACE)
    broken.nodes["ir_t2"].probability = 0.5  # with ir_t1 at 0.6 the siblings sum to 1.1
    save_plan(broken, tmp_path / "broken.bwplan")
    assert export(capsys, tmp_path / "broken.bwplan", "html", tmp_path / "b.html") == 1
    assert not (tmp_path / "b.html").exists()
    assert export(capsys, tmp_path / "broken.bwplan", "dot", tmp_path / "b.dot") == 0  # structure only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.dot", "broken.bwplan"]


def test_action_register_numbers_match_the_evaluation():
    plan = load_plan(PEACE)
    rows = action_register(plan)
    assert len(rows) == sum(len(n.responses) for n in plan.nodes.values())
    for row in rows:
        result = evaluate_track(plan, row.track)
        assert row.reach == pytest.approx(float(result.node_reach[result.index[row.branch]]))
        assert row.path == result.node_path[result.index[row.branch]]
        marginal = {(p.node, p.response): p.marginal_value for p in result.priorities}
        assert row.marginal_value == pytest.approx(marginal[(row.branch, row.response)])
    late = [(r.branch, r.response) for r in rows if r.late]
    assert sorted(late) == sorted(x for t in plan.tracks for x in evaluate_track(plan, t.id).late)


def test_graph_attributes_are_resolved_numbers():
    plan = load_plan(PEACE)
    graph = to_networkx(plan)
    assert graph.number_of_nodes() == len(plan.nodes)
    assert graph.number_of_edges() == len(plan.nodes) - len(plan.tracks)
    ct = compile_track(plan, "ties")
    for node_id in ("ir_c2", "ir_d2", "ir_t2"):  # an expression, a "#" and a "#"
        assert graph.nodes[node_id]["probability"] == pytest.approx(ct.probability[ct.index[node_id]])
    assert graph.nodes["ir_c2"]["probability_expr"] == "p_summit_date"
    assert graph.nodes["ir_c2"]["track"] == "ties" and graph.nodes["ir_d1"]["kind"] == "decision"
    assert [graph.edges["ir_d1", c]["order"] for c in ("ir_c1", "ir_c4")] == [0, 1]


def _hostile_plan():
    plan = load_plan(PEACE)
    nodes = list(plan.nodes.values())
    for node, text in zip(nodes, HOSTILE):
        node.label = text
    node = plan.nodes["ir_t1"]
    node.signposts = HOSTILE[:3]
    node.responses.append(Response("r_hostile", title=HOSTILE[1], owner=HOSTILE[2], trigger=HOSTILE[3]))
    plan.title = HOSTILE[0]
    plan.extra["history"] = [{"kind": "walk", "started": HOSTILE[0], "track": "ties",
                              "steps": [{"node": "ir_d1", "time": "10:00", "note": HOSTILE[0]}]}]
    return plan


def test_hostile_text_stays_inert_in_html_and_markdown():
    plan = _hostile_plan()
    report = build_report(plan)
    html = render_html(report)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html.split("</style>")[1].replace("[link](javascript:", "")
    markdown = render_markdown(report)
    # the text outline of a tree is a fenced code block: literal in Markdown, and no
    # label can close the fence early
    fenced = markdown.split("```")
    assert all(part.startswith("text\n") for part in fenced[1::2])
    assert "<script" not in "".join(fenced[0::2]).lower()
    assert "&lt;script&gt;" in markdown
    assert not re.search(r"(?<!\\)\]\(javascript:", "".join(fenced[0::2]))  # no link
    assert "\\[link\\](javascript:" in markdown
    assert "Walk logs" in markdown and "Walk logs" in html


def test_hostile_text_stays_inert_in_csv():
    plan = _hostile_plan()
    rows = list(csv.reader(io.StringIO(register_csv(plan))))
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell.startswith("-") and not _is_number(cell)):
                pytest.fail(f"cell {cell!r} would run as a formula")
    hostile_row = next(r for r in rows if "r_hostile" in r)
    assert "'=cmd|' /C calc'!A0" in hostile_row and "'@SUM(1)" in hostile_row and "'+1+1" in hostile_row
    assert csv_safe(-40.0) == -40.0 and csv_safe("\tTAB") == "'\tTAB"


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_hostile_text_stays_inert_in_dot_graphml_and_svg(tmp_path, capsys):
    plan = _hostile_plan()
    dot = to_dot(plan)
    for text in HOSTILE:
        escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\n"))
        assert f'"{escaped}"' in dot
    lines = [line for line in dot.splitlines() if "label=" in line]
    assert all(line.count('"') % 2 == 0 for line in lines)  # every quote that opens closes
    save_plan(plan, tmp_path / "hostile.bwplan")
    assert export(capsys, tmp_path / "hostile.bwplan", "graphml", tmp_path / "h.graphml") == 0
    graph = nx.read_graphml(tmp_path / "h.graphml")
    assert {d["label"] for _, d in graph.nodes(data=True)} >= set(HOSTILE) - {"\rCR"}
    assert export(capsys, tmp_path / "hostile.bwplan", "svg", tmp_path / "h.svg") == 0
    svg = (tmp_path / "h.svg").read_text(encoding="utf-8")
    assert "<script" not in svg
    ET.parse(tmp_path / "h.svg")


def test_control_characters_do_not_break_graphml(tmp_path):
    from planning.files.graph import write_graphml

    plan = load_plan(PEACE)
    plan.nodes["ir_d1"].label = "bell\x07 and nul\x00"
    write_graphml(plan, tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert graph.nodes["ir_d1"]["label"] == "bell\ufffd and nul\ufffd"


def test_report_gathers_the_track_figures():
    plan = load_plan(PEACE)
    report = build_report(plan)
    assert [t.id for t in report.tracks] == [t.id for t in plan.tracks]
    ties = report.tracks[0]
    result = evaluate_track(plan, "ties")
    assert ties.figures["ev"] == pytest.approx(result.ev)
    assert sum(o.probability for o in ties.outcomes) == pytest.approx(1.0)
    # reference: walk the paths the policy takes, multiplying probabilities, adding payoffs
    ct = compile_track(plan, "ties")
    expected, stack = {}, [("ir_d1", 1.0, 0.0)]
    while stack:
        node_id, p, value = stack.pop()
        node = plan.nodes[node_id]
        value += float(ct.payoff[ct.index[node_id]])
        if not node.children:
            expected[node_id] = (p, value)
        elif node.kind == "decision":
            stack.append((result.policy[node_id], p, value))
        else:
            stack.extend((c, p * float(ct.probability[ct.index[c]]), value) for c in node.children)
    expected = {k: v for k, v in expected.items() if v[0] > 0}
    assert sorted(o.node for o in ties.outcomes) == sorted(expected)
    for o in ties.outcomes:
        assert (o.probability, o.value) == pytest.approx(expected[o.node])
    assert ties.priorities[0]["response"] == result.priorities[0].response
    branches = {row.branch for row in ties.matrix}
    assert "ir_t7" in branches  # a failure branch without a response is listed too
