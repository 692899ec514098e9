"""At 150% and 200% (QT_SCALE_FACTOR) nothing is clipped and the icons are drawn at the screen's pixels."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSize

from conftest import ROOT, SAMPLES
from widgets import tree_model

PROBE = r"""
import sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QToolButton, QWidget
from app.gui import _application
from app.gallery_capture import new_window, settle
app = _application()
window = new_window(Path(sys.argv[1]))
window.resize(1280, 800)
window.show()
settle(300)
window.document.wait_for_checks()
settle(200)
print("ratio", window.devicePixelRatio())
for w in window.findChildren(QWidget):
    if not w.isVisible():
        continue
    if isinstance(w, QLabel) and w.text() and not w.wordWrap() and w.textFormat() == Qt.TextFormat.PlainText:
        if w.fontMetrics().horizontalAdvance(w.text().replace("&", "")) > w.contentsRect().width() + 1:
            print("clipped label", repr(w.text()))
    if isinstance(w, QToolButton) and w.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly \
            and not w.icon().isNull():
        continue  # draws its icon only (a field's trailing button): no text to clip
    if isinstance(w, QAbstractButton) and w.text() and w.sizeHint().width() > w.width() + 1:
        print("clipped button", repr(w.text()))
"""


@pytest.mark.parametrize("scale", ["1.5", "2"])
def test_no_text_is_clipped_at_this_scale(scale, tmp_path):
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               BRANCHWISE_CONFIG_DIR=str(tmp_path / "config"), BRANCHWISE_STATE_DIR=str(tmp_path / "state"))
    run = subprocess.run([sys.executable, "-c", PROBE, str(SAMPLES / "peace-process.bwplan")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert f"ratio {float(scale)}" in lines
    assert [line for line in lines if line.startswith("clipped")] == []


def test_row_icons_are_drawn_at_the_screen_pixel_ratio(monkeypatch, qapp):
    monkeypatch.setattr(tree_model, "_pixel_ratio", lambda: 2)
    tree_model.clear_icon_cache()
    try:
        size = QSize(tree_model.ICON_WIDTH, tree_model.ICON_HEIGHT)
        pixmap = tree_model.kind_icon("chance", "success").pixmap(size, 2.0)
        assert (pixmap.width(), pixmap.height()) == (2 * tree_model.ICON_WIDTH, 2 * tree_model.ICON_HEIGHT)
        # drawn at that size, not scaled up: the circle's edge is one device pixel of antialiasing
        image = pixmap.toImage()
        assert image.pixelColor(4, tree_model.ICON_HEIGHT).alpha() == 255  # inside the path stripe
        badge = tree_model.badge_icon("late").pixmap(QSize(10, 10), 2.0)
        assert badge.width() == 20
    finally:
        tree_model.clear_icon_cache()
