"""`branchwise gallery`: one command renders everything a person sees, with a contact sheet."""
from __future__ import annotations

import html
import re
import shutil

import pytest
from PySide6.QtGui import QImage

from app import cli, gallery
from conftest import SAMPLES, SHARED

MINIMAL = SHARED / "examples" / "minimal.bwplan"


def _distinct_colours(image: QImage, step: int = 7) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory, qapp):
    out = tmp_path_factory.mktemp("gallery") / "out"
    index = gallery.build_gallery(out, [MINIMAL], large=0, samples=False, log=lambda _text: None)
    return out, index.read_text("utf-8")


def test_contact_sheet_shows_every_view_plot_and_export(sheet):
    out, text = sheet
    captions = [html.unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", text)]
    for size in ("1600x1000", "1280x720"):
        for dock in ("Problems", "Outcomes", "Sensitivity", "Readiness", "Priorities", "Value of information",
                     "League table", "Tracks"):
            assert f"Window {size}, {dock} raised" in captions
    assert any(c.startswith("Inspector on “Adoption on target”") for c in captions)
    assert "Inspector on “Adoption on target”, typing a response's owner" in captions
    assert any("Presenter from the window" in c for c in captions)
    assert any("Presenter console view" in c for c in captions)
    assert any("present --screenshot` (audience) at “Launch in spring?”" in c for c in text.split("\n"))
    # The example has one ranged parameter: the sheet says why there is no policy map.
    assert "plot --kind policy-map not drawn: a policy map needs two different parameters" in text
    assert "plot --kind league not drawn: the plan weighs one criterion" in text
    for kind in set(gallery.PLOT_KINDS) - {"policy-map", "league"}:
        assert f"plot --kind {kind} (PNG)" in captions
        assert any(c.startswith(f"plot --kind {kind} (SVG) drawn by") for c in captions)
    assert "export --format png" in captions
    assert any(c.startswith("export --format pdf, page 1 of") for c in captions) or not shutil.which("pdftoppm")
    # Every command the gallery ran succeeded: no problem listed on the sheet.
    assert 'class="problems"' not in text


def test_every_picture_on_the_sheet_exists_and_shows_something(sheet):
    out, text = sheet
    sources = re.findall(r'<img src="([^"]+)"', text)
    assert len(sources) >= 30
    for name in sources:
        image = QImage(str(out / name))
        assert not image.isNull(), name
        # A blank or single-colour picture is what a broken renderer leaves behind.
        assert _distinct_colours(image) > 3, name


@pytest.mark.skipif(not shutil.which("rsvg-convert"), reason="librsvg's rsvg-convert is not installed")
def test_svgs_are_shown_as_librsvg_draws_them(sheet):
    _out, text = sheet
    assert "drawn by librsvg" in text
    assert "QtSvg" not in text


def test_refuses_a_folder_that_is_not_an_earlier_gallery(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli.main(["gallery", str(tmp_path), "--large", "0"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_missing_plan_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["gallery", str(tmp_path / "g"), str(tmp_path / "nosuch.bwplan")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_samples_are_found_in_the_installed_resources():
    assert [p.name for p in gallery.sample_paths()] == ["peace-process.bwplan", "product-launch.bwplan"]
    assert all(p.parent == SAMPLES for p in gallery.sample_paths())


def _mean_lightness(image: QImage, step: int = 11) -> float:
    values = [image.pixelColor(x, y).lightnessF() for y in range(0, image.height(), step)
              for x in range(0, image.width(), step)]
    return sum(values) / len(values)


def test_first_plan_is_also_shown_dark_and_at_150_and_200_percent(sheet):
    out, text = sheet
    captions = [html.unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", text)]
    files = dict(zip(captions, re.findall(r'<img src="([^"]+)"', text)))
    for dock in ("Problems", "Outcomes", "Sensitivity", "Readiness", "Priorities"):
        assert f"Dark scheme: window 1600x1000, {dock} raised" in captions
        assert f"200% scale, dark scheme: window 1280x800, {dock} raised" in captions
        assert f"150% scale, light scheme: window 1280x800, {dock} raised" in captions
    for view in ("audience", "console"):
        assert f"Dark scheme: presenter, {view} view" in captions
        assert f"200% scale, dark scheme: presenter, {view} view" in captions
    assert _mean_lightness(QImage(str(out / files["Welcome page, 1280x720, dark scheme"]))) < 0.25
    dark = QImage(str(out / files["Dark scheme: window 1600x1000, Problems raised"]))
    light = QImage(str(out / files["Window 1600x1000, Problems raised"]))
    assert _mean_lightness(dark) < 0.25 < 0.75 < _mean_lightness(light)
    assert _mean_lightness(QImage(str(out / files["Dark scheme: presenter, audience view"]))) < 0.25
    # a 1280x800 window at 200% is drawn with twice the pixels: sharp, not stretched
    big = QImage(str(out / files["200% scale, dark scheme: window 1280x800, Problems raised"]))
    assert (big.width(), big.height()) == (2560, 1600)
    assert QImage(str(out / files["150% scale, light scheme: window 1280x800, Problems raised"])).width() == 1920
    # exports made in the same run stay light documents
    assert QImage(str(out / files["plot --kind histogram (PNG)"])).pixelColor(2, 2).name() == "#ffffff"


def test_the_gallery_keeps_its_own_settings_and_shows_its_plans_as_recent(qapp, tmp_path):
    """The welcome pictures showed this machine's recent files (/tmp paths of benchmarks),
    and opening the plans added them to the person's own list."""
    from app.settings import add_recent_file, recent_files

    mine = tmp_path / "mine.bwplan"
    mine.write_text("{}")
    add_recent_file(mine)
    plans = gallery.sample_paths()
    with gallery._private_settings(tmp_path / "scratch"):
        gallery._welcome_shot(gallery.Section("Start"), tmp_path, plans)
        shown = recent_files()
    assert [p.name for p in shown] == [p.name for p in plans]
    assert recent_files() == [mine.resolve()]  # the person's list, untouched
    assert (tmp_path / "welcome-1280x720.png").exists()
