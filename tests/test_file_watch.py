"""The open plan changed on disk (issue 10 #17): the window notices and offers to reload;
saving over a changed file asks first; our own saves and autosaves never prompt."""
from __future__ import annotations

import os
import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from conftest import SHARED
from app import file_watch
from app.main_window import MainWindow
from planning.files.planfile import dumps_plan, load_plan

MINIMAL = SHARED / "examples" / "minimal.bwplan"
Button = QMessageBox.StandardButton


class Prompts:
    """Stands in for QMessageBox.question: records each prompt, answers from a list."""

    def __init__(self, monkeypatch):
        self.asked: list[str] = []
        self.answers: list = []
        monkeypatch.setattr(QMessageBox, "question", self)

    def __call__(self, _parent, title, text, *args, **kwargs):
        self.asked.append(f"{title}: {text}")
        return self.answers.pop(0) if self.answers else Button.No


@pytest.fixture
def prompts(monkeypatch):
    return Prompts(monkeypatch)


@pytest.fixture
def plan_file(tmp_path):
    target = tmp_path / "team" / "plan.bwplan"
    target.parent.mkdir()
    shutil.copy(MINIMAL, target)
    return target


@pytest.fixture
def window(qtbot, plan_file, prompts):
    win = MainWindow()

    def no_prompt(widget):
        widget.maybe_save = lambda: True

    qtbot.addWidget(win, before_close_func=no_prompt)
    assert win.open_file(plan_file)
    win.show()
    qtbot.waitExposed(win)
    return win


def relabel_on_disk(path, node_id: str, label: str, atomic: bool = True) -> None:
    """Another program writes the plan: a rename over it (git, most editors) or in place."""
    plan = load_plan(path)
    plan.nodes[node_id].label = label
    text = dumps_plan(plan)
    if atomic:
        tmp = path.with_name(".plan.bwplan.swp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    else:
        path.write_text(text, encoding="utf-8")


def settle(qtbot, ms: int = file_watch.SETTLE_MS + 400) -> None:
    qtbot.wait(ms)


@pytest.mark.parametrize("atomic", [True, False])
def test_a_change_on_disk_offers_to_reload_and_reloads(qtbot, window, plan_file, prompts, atomic):
    root = window.document.plan.track().root
    prompts.answers = [Button.Yes]
    relabel_on_disk(plan_file, root, "Pulled from git", atomic)
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=5000)
    assert "plan.bwplan" in prompts.asked[0] and "changed on disk" in prompts.asked[0]
    assert "Reload" in prompts.asked[0]
    qtbot.waitUntil(lambda: window.document.plan.nodes[root].label == "Pulled from git")
    assert not window.document.is_modified()
    assert "Reloaded" in window.statusBar().currentMessage()
    # a second change after the replace is noticed too (the path is watched again)
    prompts.answers = [Button.Yes]
    relabel_on_disk(plan_file, root, "Pulled again", atomic)
    qtbot.waitUntil(lambda: window.document.plan.nodes[root].label == "Pulled again", timeout=5000)
    assert len(prompts.asked) == 2


def test_reload_prompt_warns_about_unsaved_edits_and_keeping_mine_keeps_them(qtbot, window, plan_file, prompts):
    root = window.document.plan.track().root
    window.document.set_node_field(root, "label", "My unsaved idea")
    prompts.answers = [Button.No]
    relabel_on_disk(plan_file, root, "Theirs")
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=5000)
    assert "unsaved changes" in prompts.asked[0] and "lost" in prompts.asked[0]
    assert window.document.plan.nodes[root].label == "My unsaved idea"
    # the same version on disk is not asked about again
    os.utime(plan_file)
    settle(qtbot)
    assert len(prompts.asked) == 1


def test_our_own_saves_and_autosaves_do_not_prompt(qtbot, window, plan_file, prompts):
    root = window.document.plan.track().root
    for k in range(3):
        window.document.set_node_field(root, "label", f"Edit {k}")
        assert window.save()
        settle(qtbot)
    window.document.set_node_field(root, "label", "Edit after saves")
    window.autosaver.autosave_now()
    settle(qtbot)
    assert prompts.asked == []
    assert load_plan(plan_file).nodes[root].label == "Edit 2"
    # autosave still wrote its copy, and recovery still finds it
    from app.autosave import pending_recoveries

    assert any(r.original_path is not None and r.original_path.resolve() == plan_file.resolve()
               for r in pending_recoveries())


def test_saving_over_a_file_changed_on_disk_asks_first(qtbot, window, plan_file, prompts):
    root = window.document.plan.track().root
    window.document.set_node_field(root, "label", "Mine")
    prompts.answers = [Button.No]           # do not reload: keep my edit
    relabel_on_disk(plan_file, root, "Theirs")
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=5000)
    prompts.answers = [Button.Cancel]       # Save: refuse to overwrite
    assert not window.save()
    assert "changed on disk since you opened it" in prompts.asked[-1]
    assert "Overwrite" in prompts.asked[-1]
    assert load_plan(plan_file).nodes[root].label == "Theirs"
    assert window.document.is_modified()
    prompts.answers = [Button.Save]         # Save again: overwrite this time
    assert window.save()
    assert load_plan(plan_file).nodes[root].label == "Mine"
    settle(qtbot)
    asked = len(prompts.asked)
    # now the file is ours again: saving does not ask, and our save did not prompt a reload
    window.document.set_node_field(root, "label", "Mine, again")
    assert window.save()
    settle(qtbot)
    assert len(prompts.asked) == asked


def test_a_removed_file_is_reported_and_a_new_one_noticed(qtbot, window, plan_file, prompts):
    root = window.document.plan.track().root
    text = plan_file.read_text("utf-8")
    plan_file.unlink()
    qtbot.waitUntil(lambda: "no longer on disk" in window.statusBar().currentMessage(), timeout=5000)
    assert prompts.asked == []
    prompts.answers = [Button.Yes]
    plan_file.write_text(text.replace(window.document.plan.nodes[root].label, "Restored by git"), "utf-8")
    qtbot.waitUntil(lambda: window.document.plan.nodes[root].label == "Restored by git", timeout=5000)
