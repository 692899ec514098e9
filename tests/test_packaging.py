"""What a user installs: the wheel's contents, the desktop files, the icons, the app starting."""
from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

RESOURCES = ROOT / "resources"
APP_ID = "io.branchwise.Branchwise"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
MIME = RESOURCES / "branchwise-mime.xml"
ICONS = RESOURCES / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
MIME_TYPE = "application/x-branchwise-plan"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (no image library needed)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


# -- the wheel ------------------------------------------------------------------

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel . --no-deps`, once for this module (a few seconds)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        if "No matching distribution" in result.stderr or "connection" in result.stderr.lower():
            pytest.skip(f"cannot fetch the build backend: {result.stderr[-300:]}")
        pytest.fail(f"pip wheel failed:\n{result.stderr[-2000:]}")
    (found,) = out.glob("branchwise-*.whl")
    return found


def test_the_wheel_holds_samples_schema_icons_and_desktop_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    samples = sorted(p.name for p in (RESOURCES / "samples").glob("*.bwplan"))
    assert samples, "no sample plans in resources/samples"
    expected = {f"resources/samples/{name}" for name in samples}
    expected |= {"resources/plan.schema.json", "resources/icons/branchwise.svg",
                 f"resources/{APP_ID}.desktop", f"resources/{APP_ID}.metainfo.xml",
                 "resources/branchwise-mime.xml"}
    expected |= {f"resources/icons/branchwise-{size}.png" for size in ICON_SIZES}
    assert expected - names == set()


def test_the_wheel_has_the_console_script_and_the_code(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    for module in ("app/main.py", "app/gui.py", "app/welcome.py", "app/help.py",
                   "planning/files/templates.py", "resources/__init__.py"):
        assert module in names
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "branchwise = app.main:main" in archive.read(entry_points).decode()
    assert wheel.name.startswith(f"branchwise-{VERSION}-")


def test_the_wheels_samples_are_the_checkouts(wheel):
    archive = zipfile.ZipFile(wheel)
    for sample in (RESOURCES / "samples").glob("*.bwplan"):
        assert archive.read(f"resources/samples/{sample.name}") == sample.read_bytes()


def test_the_wheel_declares_its_licence_as_an_spdx_expression(wheel):
    """Issue 10 #15: no deprecated ``project.license`` table (setuptools warns, then refuses)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert isinstance(project["license"], str)
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode()
    assert "License-Expression: LicenseRef-Proprietary" in text
    assert "\nLicense: " not in text


# -- desktop integration ----------------------------------------------------------

def test_the_desktop_entry_opens_plan_files_with_the_app():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Branchwise"
    assert entry["Exec"].split() == ["branchwise", "%f"]  # the file double-clicked
    assert entry["Icon"] == APP_ID
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert entry["Terminal"] == "false"


def test_the_mime_type_claims_bwplan_files():
    root = ET.parse(MIME).getroot()
    (mime_type,) = root.findall("m:mime-type", MIME_NS)
    assert mime_type.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime_type.findall("m:glob", MIME_NS)] == ["*.bwplan"]
    assert mime_type.find("m:sub-class-of", MIME_NS).get("type") == "application/json"


def test_the_metainfo_matches_the_desktop_entry_and_version():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert [m.text for m in root.iter("mediatype")] == [MIME_TYPE]
    releases = [r.get("version") for r in root.iter("release")]
    assert releases[0] == VERSION, "add a <release> for the pyproject version"


def test_desktop_file_validate_accepts_the_desktop_entry():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_appstreamcli_accepts_the_metainfo():
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (apt-get install appstream)")
    result = subprocess.run([tool, "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_mime_database_maps_bwplan_to_our_type(tmp_path):
    tool = shutil.which("update-mime-database")
    if tool is None:
        pytest.skip("update-mime-database is not installed (apt-get install shared-mime-info)")
    (tmp_path / "packages").mkdir()
    shutil.copy(MIME, tmp_path / "packages")
    result = subprocess.run([tool, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    globs = (tmp_path / "globs2").read_text("utf-8").splitlines()
    assert any(line.endswith(f":{MIME_TYPE}:*.bwplan") for line in globs)


# -- icons -------------------------------------------------------------------------

@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_icon_png_has_its_size(size):
    assert png_size(ICONS / f"branchwise-{size}.png") == (size, size)


def test_the_icon_svg_is_a_square_svg():
    root = ET.parse(ICONS / "branchwise.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


def test_the_icon_pngs_are_drawn_from_the_svg():
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / "branchwise-256.png"))
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # rounded tile: transparent corners
    assert image.pixelColor(128, 240).alpha() == 255  # the tile itself
    root = image.pixelColor(64, 138)  # the white decision square of the SVG
    assert (root.red(), root.green(), root.blue()) == (255, 255, 255)
    colours = {image.pixel(x, y) for x in range(0, 256, 4) for y in range(0, 256, 4)}
    assert len(colours) > 20  # a picture, not a flat square


# -- the app starts ----------------------------------------------------------------

def run_app(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               BRANCHWISE_CONFIG_DIR=str(tmp_path / "config"),
               BRANCHWISE_STATE_DIR=str(tmp_path / "state"))
    return subprocess.run([sys.executable, "-m", "app.main", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_app_starts_offscreen_and_renders_a_sample(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "shot.png"
    result = run_app(["--screenshot", str(out), "--size", "1024x700",
                      "resources/samples/product-launch.bwplan"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert png_size(out) == (1024, 700)
    image = QImage(str(out))
    colours = {image.pixel(x, y) for x in range(0, 1024, 8) for y in range(0, 700, 8)}
    assert len(colours) > 30  # the window drew its tree and panels, not a blank frame


def test_a_missing_file_fails_the_screenshot_with_a_message(tmp_path):
    out = tmp_path / "shot.png"
    result = run_app(["--screenshot", str(out), str(tmp_path / "nope.bwplan")], tmp_path)
    assert result.returncode == 2
    assert "nope.bwplan" in result.stderr
    assert not out.exists()
