"""Issue 15: the presenter walks one track while a side panel shows the tracks that read it."""
from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt

from conftest import SAMPLES
from gui_windows import plan_window
from app.main import main
from app.presenter import start_presentation
from planning.sharing.slide import format_value
from planning.sharing.walk_log import walk_to_markdown

PEACE = SAMPLES / "peace-process.bwplan"


@pytest.fixture
def peace(qtbot, tmp_path, monkeypatch):
    target = tmp_path / PEACE.name
    shutil.copy(PEACE, target)
    return plan_window(qtbot, monkeypatch, target), target


def given(capsys, path, node) -> dict:
    assert main(["evaluate", str(path), "--json", "--given", node]) == 0
    return {t["id"]: t for t in json.loads(capsys.readouterr().out)["tracks"]}


def test_walking_the_nuclear_track_moves_the_sanctions_panel_as_evaluate_given(qtbot, peace, capsys):
    win, path = peace
    presenter = start_presentation(win, "nuc_d1", fullscreen=False)
    qtbot.waitExposed(presenter)
    panel = presenter.linked
    assert panel.isVisible()
    assert panel.title.text() == "Tracks that read this one"
    label = panel.rows["sanctions"]
    assert label.text().startswith("Staged sanctions relief\nEV -0.625 points\nfailure readiness 42%")
    # option 1 (ask for a freeze), then branch 2: the moratorium breaks
    for k in (Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(presenter, k)
    assert presenter.walk.current == "nuc_d2"
    expected = given(capsys, path, "nuc_d2")["sanctions"]
    label = panel.rows["sanctions"]
    assert label.text() == (f"Staged sanctions relief\nEV {format_value(expected['ev'], 'points')} "
                            f"(was -0.625 points)\nfailure readiness {expected['failure_readiness']:.0%}")
    assert "EV -1.95 points (was -0.625 points)" in label.text()
    # the walk log keeps how the reading track stood at each step
    entry = presenter.walk.to_entry()
    assert entry["steps"][0]["tracks"]["sanctions"]["ev"] == pytest.approx(-0.625)
    assert entry["steps"][-1]["tracks"]["sanctions"]["ev"] == pytest.approx(expected["ev"])
    log = walk_to_markdown(entry, win.document.plan)
    assert "| 3 | Staged sanctions relief | -1.95 points | 75% |" in log
    presenter.leave()


def test_a_track_nobody_reads_shows_no_panel(qtbot, peace):
    win, _ = peace
    presenter = start_presentation(win, "sec_d1", fullscreen=False)
    qtbot.waitExposed(presenter)
    assert not presenter.linked.isVisible()
    assert "tracks" not in presenter.walk.to_entry()["steps"][0]
    presenter.leave()
