"""First run as a user meets it: the welcome page, Help > Keyboard shortcuts, Help > About."""
from __future__ import annotations

import shutil
import tomllib
from importlib import metadata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox

from conftest import ROOT, SAMPLES, SHARED
from app import help as help_module
from app import settings
from app.document import Document
from app.help import ShortcutsDialog, app_version, install_help, shortcut_rows
from app.main_window import MainWindow
from app.welcome import WelcomePage, install_welcome
from planning.files.planfile import load_plan
from planning.files.templates import TEMPLATES, new_plan

MINIMAL = SHARED / "examples" / "minimal.bwplan"
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


@pytest.fixture
def plans(tmp_path):
    """Two real plan files and a broken one, in a folder of the test's own."""
    folder = tmp_path / "plans"
    folder.mkdir()
    minimal = folder / "minimal.bwplan"
    launch = folder / "launch.bwplan"
    broken = folder / "broken.bwplan"
    shutil.copy(MINIMAL, minimal)
    shutil.copy(SAMPLES / "product-launch.bwplan", launch)
    broken.write_text('{"format": "branchwise-plan", "version": 1, "tracks": [', "utf-8")
    return {"minimal": minimal, "launch": launch, "broken": broken}


@pytest.fixture
def page(qtbot):
    document = Document()
    widget = WelcomePage(document)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def node_labels(plan) -> list[str]:
    return sorted(node.label for node in plan.nodes.values())


# -- the welcome page on its own ----------------------------------------------

@pytest.mark.parametrize("template", list(TEMPLATES))
def test_each_template_button_makes_that_plan_in_the_document(qtbot, page, template):
    expected = new_plan(template)
    with qtbot.waitSignal(page.document.planReplaced), \
            qtbot.waitSignal(page.planChosen) as chosen:
        click(qtbot, page.template_buttons[template])
    plan = page.document.plan
    assert plan.title == expected.title
    assert [t.title for t in plan.tracks] == [t.title for t in expected.tracks]
    assert node_labels(plan) == node_labels(expected)
    assert page.document.path is None  # a new plan: saving asks where
    assert chosen.args == [""]


def test_the_templates_offered_are_blank_peace_process_and_product_launch(page):
    assert list(page.template_buttons) == ["blank", "peace-process", "product-launch"]
    texts = [button.text() for button in page.template_buttons.values()]
    assert texts == ["New blank plan", "Multi-track peace process", "Product launch"]
    assert len(new_plan("peace-process").tracks) > 1  # the multi-track one really is


def test_recent_files_are_listed_newest_first_and_missing_ones_left_out(qtbot, plans):
    gone = plans["minimal"].with_name("deleted.bwplan")
    shutil.copy(plans["minimal"], gone)
    for path in (gone, plans["minimal"], plans["launch"]):
        settings.add_recent_file(path)
    gone.unlink()
    widget = WelcomePage(Document())
    qtbot.addWidget(widget)
    assert widget.recent_paths() == [plans["launch"].resolve(), plans["minimal"].resolve()]
    assert widget.recent_list.item(0).text().startswith("launch.bwplan\n")
    assert not widget.no_recent.isVisibleTo(widget)


def test_with_no_recent_files_the_page_says_so(page):
    assert page.recent_paths() == []
    assert page.no_recent.isVisibleTo(page)
    assert not page.recent_list.isVisibleTo(page)


def test_activating_a_recent_file_opens_it_and_moves_it_to_the_top(qtbot, plans):
    settings.add_recent_file(plans["minimal"])
    settings.add_recent_file(plans["launch"])
    widget = WelcomePage(Document())
    qtbot.addWidget(widget)
    item = widget.recent_list.item(1)  # minimal.bwplan, the older one
    with qtbot.waitSignal(widget.planChosen) as chosen:
        widget.recent_list.itemActivated.emit(item)
    assert widget.document.path == plans["minimal"].resolve()
    assert widget.document.plan.title == load_plan(MINIMAL).title
    assert chosen.args == [str(plans["minimal"].resolve())]
    assert settings.recent_files()[0] == plans["minimal"].resolve()


def test_open_button_asks_for_a_file_and_opens_it(qtbot, page, plans, monkeypatch):
    asked = []

    def fake_dialog(parent, caption, folder, filters):
        asked.append(filters)
        return str(plans["launch"]), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_dialog)
    with qtbot.waitSignal(page.document.planReplaced):
        click(qtbot, page.open_button)
    assert "*.bwplan" in asked[0]
    assert page.document.path == plans["launch"]
    assert page.document.plan.title == load_plan(plans["launch"]).title
    assert settings.recent_files() == [plans["launch"].resolve()]


def test_cancelling_open_changes_nothing(qtbot, page, monkeypatch):
    before = page.document.plan
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    click(qtbot, page.open_button)
    assert page.document.plan is before
    assert settings.recent_files() == []


def test_a_broken_file_is_explained_on_the_page_and_the_plan_kept(qtbot, page, plans):
    before = page.document.plan
    assert page.open_path(plans["broken"]) is False
    assert page.document.plan is before
    assert page.error_label.isVisible()
    assert "broken.bwplan" in page.error_label.text()
    assert settings.recent_files() == []
    assert page.open_path(plans["minimal"]) is True  # the next success clears the message
    assert not page.error_label.isVisible()


def test_clear_forgets_the_recent_files(qtbot, plans):
    settings.add_recent_file(plans["minimal"])
    widget = WelcomePage(Document())
    qtbot.addWidget(widget)
    click(qtbot, widget.clear_button)
    assert widget.recent_paths() == []
    assert settings.recent_files() == []


# -- the welcome page in the main window ----------------------------------------

@pytest.fixture
def window(qtbot, monkeypatch):
    """A main window started with no file, welcome page and help installed."""
    win = MainWindow(Document())
    win.document.setParent(win)  # as app/gui.py does: the document dies with its window
    qtbot.addWidget(win)
    install_help(win)
    win.docks_before_welcome = visible_docks(win)  # what the editor shows by default
    assert win.docks_before_welcome
    install_welcome(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    # pytest-qt closes the window before fixtures are torn down: answer the
    # unsaved-changes prompt now, so closing never waits for a click.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    return win


def visible_docks(win) -> list[str]:
    return sorted(name for name, dock in win.docks.items() if not dock.isHidden())


def test_started_without_a_file_the_window_shows_the_welcome_page(window):
    assert window.welcome.is_showing()
    assert window.welcome.page.isVisible()
    assert not window.canvas.isVisible()
    assert visible_docks(window) == []  # nothing to inspect before there is a plan


def test_choosing_a_template_brings_the_editor_and_its_docks(qtbot, window):
    click(qtbot, window.welcome.page.template_buttons["product-launch"])
    assert not window.welcome.is_showing()
    assert window.canvas.isVisible()
    assert visible_docks(window) == window.docks_before_welcome
    assert window.document.plan.title == new_plan("product-launch").title


def test_file_close_returns_to_the_welcome_page(qtbot, window, plans):
    assert window.welcome.page.open_path(plans["minimal"])
    assert not window.welcome.is_showing()
    window.findChild(QAction, "action_close").trigger()
    assert window.welcome.is_showing()
    assert window.document.path is None
    assert window.welcome.page.recent_paths() == [plans["minimal"].resolve()]


def test_opening_from_the_file_menu_also_leaves_the_welcome_page(qtbot, window, plans):
    assert window.open_file(plans["launch"])
    assert not window.welcome.is_showing()


def test_a_window_opened_on_a_file_shows_no_welcome_page(qtbot, plans):
    document = Document()
    document.open(plans["minimal"])
    win = MainWindow(document)
    document.setParent(win)
    qtbot.addWidget(win)
    install_welcome(win)
    assert not win.welcome.is_showing()


def test_closing_on_the_welcome_page_keeps_the_users_docks(qtbot, window):
    assert visible_docks(window) == []
    window.close()
    second = MainWindow(Document())  # restores the dock layout the first one saved
    second.document.setParent(second)
    qtbot.addWidget(second)
    assert visible_docks(second) == window.docks_before_welcome


# -- Help ---------------------------------------------------------------------

def shortcuts_dialogs(win) -> list[QDialog]:
    return [d for d in win.findChildren(QDialog, "shortcuts_dialog") if d.isVisible()]


def test_keyboard_shortcuts_lists_every_command_with_keys(qtbot, window):
    window.findChild(QAction, "action_shortcuts").trigger()
    dialogs = shortcuts_dialogs(window)
    assert len(dialogs) == 1 and isinstance(dialogs[0], ShortcutsDialog)  # ours, only ours
    rows = dialogs[0].visible_rows()
    assert ("File", "Save", "Ctrl+S") in rows
    assert ("File", "Open", "Ctrl+O") in rows
    assert ("Edit", "Undo", "Ctrl+Z") in rows
    assert ("Help", "Keyboard shortcuts", "F1") in rows
    # Every action of the window with a shortcut is there, under its keys.
    expected = set()
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            expected.add(sequence.toString(QKeySequence.SequenceFormat.NativeText))
    shown = {key for _, _, keys in rows for key in keys.split(", ")}
    assert expected - {""} <= shown


def test_undo_is_listed_as_undo_whatever_was_last_done(qtbot, window):
    click(qtbot, window.welcome.page.template_buttons["blank"])
    window.document.add_child(window.document.plan.tracks[0].root)
    commands = [command for _, command, _ in shortcut_rows(window)]
    assert "Undo" in commands
    assert not any(command.startswith("Undo ") for command in commands)


def test_the_shortcut_filter_narrows_the_list(qtbot, window):
    dialog = help_module.show_shortcuts(window)
    qtbot.keyClicks(dialog.filter, "track")
    rows = dialog.visible_rows()
    assert rows and len(rows) < len(dialog.rows)
    assert all("track" in " ".join(row).lower() for row in rows)
    dialog.filter.clear()
    assert len(dialog.visible_rows()) == len(dialog.rows)


def test_about_shows_the_installed_version(qtbot, window):
    window.findChild(QAction, "action_about").trigger()
    boxes = [b for b in window.findChildren(QMessageBox, "about_box") if b.isVisible()]
    assert len(boxes) == 1
    assert f"Branchwise {metadata.version('branchwise')}" in boxes[0].text()
    assert not boxes[0].iconPixmap().isNull()
    boxes[0].close()


def test_version_falls_back_to_pyproject_when_not_installed(monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(help_module.metadata, "version", not_installed)
    assert app_version() == PYPROJECT_VERSION
    monkeypatch.setattr(help_module, "PYPROJECT", ROOT / "no-such-pyproject.toml")
    assert app_version() == "unknown"


def test_install_help_makes_a_help_menu_in_a_window_without_one(qtbot):
    win = QMainWindow()
    qtbot.addWidget(win)
    tools = win.menuBar().addMenu("&Tools")
    measure = QAction("&Measure…", win)
    measure.setShortcut(QKeySequence("Ctrl+M"))
    tools.addAction(measure)
    made = install_help(win)
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus == ["&Tools", "&Help"]
    rows = shortcut_rows(win)
    assert ("Tools", "Measure", "Ctrl+M") in rows
    assert ("Help", "Keyboard shortcuts", "F1") in rows
    made["about"].trigger()
    assert win.findChild(QMessageBox, "about_box") is not None
    assert not win.windowIcon().isNull()
