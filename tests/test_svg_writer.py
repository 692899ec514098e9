"""The plain SVG writer: clipping, escaping and whole-file checks (no Qt needed)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from widgets.label_fit import FreeSpace, overlapping_pairs
from widgets.svg_writer import SvgDocument, clip_polyline, clip_rect
from planning.files.whole_file import check_pdf, check_png, check_svg


def test_lines_and_rects_are_cut_at_the_box():
    box = (10, 10, 110, 60)
    runs = clip_polyline([(0, 35), (60, 35), (60, 200), (200, 200)], box)
    assert runs == [[(10, 35), (60, 35), (60, 60)]]
    assert clip_rect(-50, 20, 50, 80, box) == (10, 20, 50, 60)
    assert clip_rect(200, 20, 300, 30, box) is None


def test_hostile_text_and_controls_stay_text(tmp_path):
    doc = SvgDocument(100, 50, "<script>alert(1)</script>\x00\ud800")
    doc.text(5, 20, "a & b <tag> \x07bell \ufffe", 11)
    path = tmp_path / "t.svg"
    doc.write(path)
    root = ET.parse(path).getroot()
    assert root.find("{http://www.w3.org/2000/svg}title").text == "<script>alert(1)</script>"
    assert root.find("{http://www.w3.org/2000/svg}text").text == "a & b <tag> bell "


def test_truncated_files_are_refused(tmp_path):
    doc = SvgDocument(100, 50, "t")
    text = doc.to_string()
    (tmp_path / "cut.svg").write_text(text[: len(text) // 2])
    with pytest.raises(OSError, match="out.svg: the SVG picture was not written whole"):
        check_svg(tmp_path / "cut.svg", "out.svg")
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(OSError, match="not written whole"):
        check_pdf(tmp_path / "cut.pdf")
    (tmp_path / "ok.pdf").write_bytes(b"%PDF-1.4\n...\n%%EOF\n")
    check_pdf(tmp_path / "ok.pdf")
    (tmp_path / "cut.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    with pytest.raises(OSError, match="not written whole"):
        check_png(tmp_path / "cut.png")


def test_free_space_gives_the_room_left_of_the_first_obstacle():
    free = FreeSpace()
    free.add((100, 0, 120, 20))
    free.add_segment(200, 0, 260, 60)
    assert free.room(10, 5, 15, 500) == pytest.approx(87)     # stops 3 px before the box
    assert free.room(110, 5, 15, 500) == 0                     # starts inside it
    assert free.room(130, 30, 40, 500) < 100                   # the diagonal cuts the band
    assert free.room(10, 100, 110, 500) == 500                 # nothing there
    assert overlapping_pairs([(0, 0, 10, 10), (5, 5, 15, 15), (20, 0, 30, 10)]) == [(0, 1)]
