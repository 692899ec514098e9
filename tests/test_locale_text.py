"""Numbers and dates in the window follow the locale; the file format and `--json` do not;
every user-visible string is in the translation catalogue."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt

from conftest import ROOT, SAMPLES
from app import cli
from app.main_window import MainWindow
from planning.files.planfile import dumps_plan, load_plan
from widgets.i18n import date_time, number
from widgets.tree_model import COL_EV


@pytest.fixture
def german():
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    yield
    QLocale.setDefault(before)


def test_numbers_and_dates_follow_the_locale(german):
    assert number(1234567.25, 1) == "1.234.567,2"
    assert re.fullmatch(r"\d\d\.\d\d\.\d\d \d\d:\d\d", date_time(1764500000))


def test_numbers_without_a_locale_preference_read_as_before():
    assert QLocale().language() == QLocale.Language.C or pytest.skip("a locale is set")
    assert number(1234.5, 0) == "1,234" and date_time(0).startswith("1970-01-01")


def test_window_shows_figures_in_the_locale_but_files_and_json_stay_plain(german, qtbot, tmp_path, capsys):
    target = tmp_path / "product-launch.bwplan"
    shutil.copy(SAMPLES / "product-launch.bwplan", target)
    window = MainWindow()
    window.maybe_save = lambda: True
    qtbot.addWidget(window)
    assert window.open_file(target)
    model = window.outline.model()
    result = window.document.result
    shown = [model.index_of(node_id, COL_EV).data() for node_id in result.index]
    # German decimal comma (a two-criteria plan shows "114 · 41,7": both numbers localised)
    assert any(re.search(r"(^|\s)-?\d+,\d+($|\s)", s) for s in shown), shown
    assert not any(re.search(r"\d\.\d", s) for s in shown), shown
    assert re.search(r"EV -?\d+(,\d+)?", window.summary_bar.text())
    # the file written is locale-free
    window.document.save(target)
    text = target.read_text("utf-8")
    assert text == dumps_plan(load_plan(target))
    assert not re.search(r'": -?\d+,\d', text)
    # and so is --json
    assert cli.main(["evaluate", str(target), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data["tracks"][0]["ev"], float)


def test_translation_catalogue_is_current():
    """What packaging/check.sh translations checks in CI, here too (lupdate comes with PySide6)."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed")
    result = subprocess.run(["bash", "packaging/check.sh", "translations"], cwd=ROOT, capture_output=True,
                            text=True, env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "translatable strings" in result.stdout


def test_catalogue_holds_the_menus_the_docks_and_the_canvas_words():
    catalogue = (ROOT / "resources" / "translations" / "branchwise_en.ts").read_text("utf-8")
    for text in ("&amp;File", "&amp;Theme", "Outline", "Tree canvas", "✓ success", "Export",
                 "Remove the track “%1” and all its nodes?", "Monte Carlo iterations"):
        assert f"<source>{text}</source>" in catalogue, text
