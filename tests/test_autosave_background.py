"""Autosave of a large plan runs on a worker thread (issue 11: a 1M-node plan took
seconds to serialise on the GUI thread every minute), and keeps only a copy of the
plan as it is: an edit made while the copy is written drops that copy.
"""
from __future__ import annotations

import threading

import pytest

from conftest import SAMPLES
from gui_windows import plan_window
from app import autosave
from planning.files import planfile
from planning.files.planfile import load_plan

PEACE = SAMPLES / "peace-process.bwplan"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "peace.bwplan"
    target.write_bytes(PEACE.read_bytes())
    monkeypatch.setattr(autosave, "BACKGROUND_FROM", 10)  # the sample counts as large
    win = plan_window(qtbot, monkeypatch, target)
    win.autosaver.timer.stop()
    return win


@pytest.fixture
def held_write(monkeypatch):
    """The worker's first copy of the plan is taken, then held until ``release`` is set."""
    started, release = threading.Event(), threading.Event()
    real = planfile.dumps_plan

    def held_dumps(plan):
        text = real(plan)  # the plan as it was when the worker started
        if threading.current_thread().name == "autosave" and not started.is_set():
            started.set()
            release.wait(20)
        return text

    monkeypatch.setattr(planfile, "dumps_plan", held_dumps)
    yield started, release
    release.set()
    monkeypatch.setattr(planfile, "dumps_plan", real)


def test_a_large_plan_is_autosaved_in_the_background(window, qtbot):
    doc = window.document
    doc.set_node_field("ir_d1", "label", "Open with the statement")
    plan_file, sidecar = window.autosaver.files()
    assert window.autosaver.autosave_now() is False  # started, not written yet
    qtbot.waitUntil(lambda: not window.autosaver.writing, timeout=20_000)
    assert plan_file.exists() and sidecar.exists()
    assert load_plan(plan_file).nodes["ir_d1"].label == "Open with the statement"
    assert not list(plan_file.parent.glob("*.part"))  # the temporary copy became the file
    assert [r.plan_file for r in autosave.pending_recoveries()] == [plan_file]


def test_an_edit_during_the_write_drops_that_copy(window, qtbot, held_write):
    started, release = held_write
    doc = window.document
    doc.set_node_field("ir_d1", "label", "First")
    window.autosaver.autosave_now()
    assert started.wait(20)
    doc.set_node_field("ir_d1", "label", "Second")  # the person goes on editing
    release.set()
    qtbot.waitUntil(lambda: not window.autosaver.writing, timeout=20_000)
    plan_file, _ = window.autosaver.files()
    assert not plan_file.exists()  # a copy without "Second" is not kept
    assert not list(plan_file.parent.glob("*.part"))
    window.autosaver.autosave_now()  # the next tick writes the plan as it is
    qtbot.waitUntil(lambda: not window.autosaver.writing, timeout=20_000)
    assert load_plan(plan_file).nodes["ir_d1"].label == "Second"


def test_saving_while_the_copy_is_written_leaves_no_autosave(window, qtbot, held_write):
    started, release = held_write
    doc = window.document
    doc.set_node_field("ir_d1", "label", "Saved soon")
    window.autosaver.autosave_now()
    assert started.wait(20)
    assert window.save()  # Ctrl+S while the worker writes
    release.set()
    qtbot.waitUntil(lambda: not window.autosaver.writing, timeout=20_000)
    plan_file, sidecar = window.autosaver.files()
    assert not plan_file.exists() and not sidecar.exists()
    assert autosave.pending_recoveries() == []
    assert load_plan(doc.path).nodes["ir_d1"].label == "Saved soon"


def test_a_partial_copy_left_by_a_closed_window_is_removed_by_the_next(qtbot, tmp_path, monkeypatch):
    # A window closed (or killed) while its worker wrote leaves the .part file where
    # no recovery looks; a fresh one belongs to a write under way and stays.
    import os
    import time

    folder = autosave.autosave_dir()
    old, fresh = folder / ".abc-123456.x1.part", folder / ".abc-654321.x2.part"
    old.write_text("{\"nodes\": [")
    fresh.write_text("{\"nodes\": [")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    target = tmp_path / "peace.bwplan"
    target.write_bytes(PEACE.read_bytes())
    plan_window(qtbot, monkeypatch, target)
    assert not old.exists() and fresh.exists()
