"""Nothing lost (issue 17, defects 1 and 2): a killed Branchwise's autosave is offered
however the plan is opened, kept when declined, merged with a newer file.

A real child process opens the plan in an (offscreen) window, edits it, forces
an autosave and is killed with SIGKILL; the plan is then reopened here by each
route and the prompt is answered with keys, as a person would.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from conftest import ROOT
from app import autosave, recovery, settings
from app.main_window import MainWindow
from planning.files.planfile import load_plan, save_plan


CHILD = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from app.main_window import MainWindow
    window = MainWindow(autosave_ms=3_600_000)
    window.open_file(sys.argv[1])
    window.show()
    window.document.set_node_field("t3", "label", "Wait two years")
    window.document.add_response("t3")
    assert window.autosaver.autosave_now()
    print("autosaved", flush=True)
    while True:
        app.processEvents()
        time.sleep(0.05)
""")


def crash_while_editing(plan_file: Path) -> None:
    """A child Branchwise edits the plan, autosaves and is killed (SIGKILL)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(plan_file)], cwd=ROOT,
                             env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "autosaved", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert len(autosave.pending_recoveries()) == 1
    assert load_plan(plan_file).nodes["t3"].label != "Wait two years"  # not saved


def new_window(qtbot) -> MainWindow:
    win = MainWindow(autosave_ms=3_600_000)

    def no_prompt(widget):
        widget.maybe_save = lambda: True

    qtbot.addWidget(win, before_close_func=no_prompt)
    return win


class Answer:
    """Answers the recovery prompt with a key press when it shows; keeps its text."""

    def __init__(self, qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
        self.qtbot, self.key, self.modifier = qtbot, key, modifier
        self.texts: list[str] = []
        self.details: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "recovery_prompt":
            self.texts.append(box.text())
            self.details.append(box.detailedText())
            self.qtbot.keyClick(box, self.key, self.modifier)

    def wait(self, count: int = 1) -> str:
        self.qtbot.waitUntil(lambda: len(self.texts) >= count, timeout=10_000)
        self.timer.stop()
        return self.texts[-1]


def recovered(win: MainWindow) -> bool:
    node = win.document.plan.nodes["t3"]
    return node.label == "Wait two years" and len(node.responses) == 1


def open_by_menu(qtbot, win, plan_file):
    assert win.open_file(plan_file)


def open_by_recent_list(qtbot, win, plan_file):
    settings.add_recent_file(plan_file)
    win._fill_recent_menu()
    action = next(a for a in win.recent_menu.actions() if a.text() == plan_file.name)
    action.trigger()


def open_by_welcome_page(qtbot, win, plan_file):
    from app.welcome import install_welcome

    settings.add_recent_file(plan_file)
    controller = install_welcome(win, show=True)
    page = controller.page
    page.refresh_recent()
    item = page.recent_list.item(0)
    page.recent_list.setCurrentItem(item)
    page.recent_list.itemActivated.emit(item)


@pytest.mark.parametrize("route", [open_by_menu, open_by_recent_list, open_by_welcome_page],
                         ids=["open", "recent list", "welcome page"])
def test_killed_session_is_offered_back_by_every_route(qtbot, plan_file, route):
    crash_while_editing(plan_file)
    win = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_Return)  # the default button: Recover
    route(qtbot, win, plan_file)
    text = answer.wait()
    assert "not closed cleanly" in text and "minimal.bwplan" in text
    assert "“Wait two years”" in text and "new response" in text  # what differs, in words
    qtbot.waitUntil(lambda: recovered(win))
    assert win.document.is_modified() and win.document.path == plan_file
    # The old autosave is gone only now that the window's own autosave holds the work.
    left = autosave.pending_recoveries()
    assert len(left) == 1 and left[0].plan_file == win.autosaver.files()[0]


def test_file_argument_and_double_click_offer_the_autosave(qtbot, plan_file, monkeypatch):
    """`branchwise FILE` (what a double-click runs) offers the file's autosave."""
    from app import gui

    crash_while_editing(plan_file)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0, raising=False)
    before = set(QApplication.topLevelWidgets())
    answer = Answer(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Recover
    assert gui.run([str(plan_file)]) == 0
    answer.wait()
    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before)
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "maybe_save", lambda: True))
    assert recovered(win)


def test_keep_for_later_survives_a_clean_close_and_file_recover_lists_it(qtbot, plan_file):
    crash_while_editing(plan_file)
    win = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_Escape)  # Keep for later
    assert win.open_file(plan_file)
    answer.wait()
    assert not recovered(win) and not win.document.is_modified()
    win.close()  # a clean close must not delete an autosave it did not write
    kept = autosave.pending_recoveries()
    assert len(kept) == 1 and kept[0].seen
    # File > Recover… lists it; Recover there loads it.
    again = new_window(qtbot)
    assert again.open_file(plan_file) is True
    answer = Answer(qtbot, Qt.Key.Key_Escape)
    answer.wait()  # opening the file offers it again
    action = again.findChild(type(again.recovery.action), "action_recover")
    assert action is not None and action in again.menuBar().actions()[0].menu().actions()
    action.trigger()
    dialog = again.recovery.kept_dialog
    assert dialog.rows() and "minimal.bwplan" in dialog.rows()[0]
    qtbot.keyClick(dialog.recover_button, Qt.Key.Key_Space)
    assert recovered(again)


def test_discard_deletes_the_autosave_on_purpose(qtbot, plan_file):
    crash_while_editing(plan_file)
    win = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # &Discard changes
    assert win.open_file(plan_file)
    answer.wait()
    qtbot.waitUntil(lambda: autosave.pending_recoveries() == [])
    assert not recovered(win)


def test_recovery_over_a_file_changed_on_disk_merges_three_ways(qtbot, plan_file):
    """A pull after the crash: recovery keeps both the autosaved edits and the newer file."""
    crash_while_editing(plan_file)
    newer = load_plan(plan_file)
    newer.title = "Pulled title"
    newer.nodes["t3"].label = "Theirs: wait a year"  # both changed t3's label: a conflict
    save_plan(newer, plan_file)
    win = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_Return)
    assert win.open_file(plan_file)
    text = answer.wait()
    assert "changed on disk since" in text and "merges your unsaved changes" in text
    qtbot.waitUntil(lambda: win.document.plan.title == "Pulled title")
    plan = win.document.plan
    assert len(plan.nodes["t3"].responses) == 1  # the autosave's new response
    dialog = win.sharing.merge_dialog
    assert dialog is not None and dialog.isVisible()  # the same conflict dialog as Merge
    rows = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())]
    assert ("t3", "label") in rows, rows


def test_recovery_without_a_file_at_start_offers_untitled_work(qtbot):
    first = new_window(qtbot)
    first.document.set_node_field(first.selected_or_root(), "label", "Untitled work")
    assert first.autosaver.autosave_now()
    first.autosaver.timer.stop()
    second = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_Return)
    QTimer.singleShot(0, second.offer_recovery)
    text = answer.wait()
    assert "untitled plan" in text
    qtbot.waitUntil(lambda: any(n.label == "Untitled work" for n in second.document.plan.nodes.values()))
    first.document.undo_stack.setClean()


SAVER = textwrap.dedent("""
    import os, sys, time
    from planning.files.planfile import load_plan, save_plan
    plan = load_plan(sys.argv[1])
    plan.title = "Half saved"
    real_replace = os.replace
    def stall(source, target):
        if str(source).endswith(".tmp~"):  # between writing the copy and the two renames
            print("stalled", flush=True)
            time.sleep(600)
        real_replace(source, target)
    os.replace = stall
    save_plan(plan, sys.argv[1])
""")


def test_a_save_killed_between_its_renames_leaves_temporaries_the_next_save_removes(plan_file):
    from planning.files import atomic_write

    before = plan_file.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", SAVER, str(plan_file)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "stalled", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    left = sorted(p.name for p in plan_file.parent.glob(".minimal.bwplan.*"))
    assert [name.endswith(suffix) for name, suffix in zip(left, (".tmp", ".tmp~"))] == [True, True]
    assert plan_file.read_bytes() == before  # the plan itself is whole
    plan = load_plan(plan_file)
    save_plan(plan, plan_file)  # minutes have not passed: maybe another save is running
    assert sorted(p.name for p in plan_file.parent.glob(".minimal.bwplan.*")) == left
    stale = plan_file.stat().st_mtime - atomic_write.STALE_TEMP_SECONDS - 60
    for name in left:
        os.utime(plan_file.parent / name, (stale, stale))
    save_plan(plan, plan_file)
    assert list(plan_file.parent.glob(".minimal.bwplan.*")) == []
    assert load_plan(plan_file).title == plan.title


def test_file_recover_discards_a_kept_autosave_only_when_confirmed(qtbot, plan_file, monkeypatch):
    crash_while_editing(plan_file)
    win = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_Escape)  # Keep for later
    assert win.open_file(plan_file)
    answer.wait()
    dialog = win.recovery.show_kept()
    assert len(dialog.rows()) == 1
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or
                        QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.discard_button, Qt.Key.Key_Space)
    assert "Its changes are lost" in asked[0] and len(autosave.pending_recoveries()) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog.discard_button, Qt.Key.Key_Space)
    assert autosave.pending_recoveries() == [] and dialog.rows() == []
    assert "No autosaved changes are waiting" in dialog.note.text()


def test_recovering_a_large_plan_replaces_the_old_autosave(qtbot, plan_file, monkeypatch):
    # A large plan autosaves on a worker thread; the recovered copy must still be written
    # before the old autosave is discarded, or the next start offers the same work again.
    crash_while_editing(plan_file)
    monkeypatch.setattr(autosave, "BACKGROUND_FROM", 1)  # the recovered plan counts as large
    win = new_window(qtbot)
    answer = Answer(qtbot, Qt.Key.Key_Return)
    open_by_menu(qtbot, win, plan_file)
    answer.wait()
    qtbot.waitUntil(lambda: recovered(win))
    qtbot.waitUntil(lambda: not win.autosaver.writing, timeout=20_000)
    left = autosave.pending_recoveries()
    assert [r.plan_file for r in left] == [win.autosaver.files()[0]]
    assert load_plan(left[0].plan_file).nodes["t3"].label == "Wait two years"
