"""The presenter as a user drives it: F5, clicker keys, digits, Esc back to the editor,
the walk log in the plan's history (undoable), Markdown export and headless pictures."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog

from conftest import SAMPLES, SHARED
from gui_windows import plan_window
from app import cli
from app.presenter import start_presentation
from planning.engine.evaluate import evaluate_track
from planning.files.planfile import load_plan
from planning.sharing.slide import build_slide, format_value
from planning.sharing.walk import HISTORY_KEY, Walk, walks
from widgets.presenter.audience_view import AudienceView

MINIMAL = SHARED / "examples" / "minimal.bwplan"
PEACE = SAMPLES / "peace-process.bwplan"
K = Qt.Key


def open_window(qtbot, tmp_path, monkeypatch, source):
    target = tmp_path / source.name
    shutil.copy(source, target)
    return plan_window(qtbot, monkeypatch, target)


@pytest.fixture
def peace_window(qtbot, tmp_path, monkeypatch):
    return open_window(qtbot, tmp_path, monkeypatch, PEACE)


@pytest.fixture
def minimal_window(qtbot, tmp_path, monkeypatch):
    return open_window(qtbot, tmp_path, monkeypatch, MINIMAL)


def present(qtbot, win, node=None, **options):
    options.setdefault("fullscreen", False)
    presenter = start_presentation(win, node, **options)
    qtbot.waitExposed(presenter)
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    presenter.setFocus()
    return presenter


def key(qtbot, presenter, k):
    qtbot.keyClick(presenter, k)


def shown_text(view: AudienceView) -> list[str]:
    view.grab()   # paints now, recording every line drawn
    return [d.text for d in view.drawn]


def check_figures(presenter):
    """The EV on screen is evaluate --from the current node, and it is drawn."""
    walk = presenter.walk
    expected = evaluate_track(walk.plan, walk.track_id, root=walk.current)
    slide = presenter.audience_views()[-1].slide
    assert slide.node_id == walk.current
    assert slide.ev == pytest.approx(expected.ev, abs=1e-12)
    assert slide.failure_readiness == pytest.approx(expected.failure_readiness, abs=1e-12)
    view = presenter.audience_views()[-1]
    if view.isVisible():
        assert format_value(expected.ev, walk.plan.value_unit) in shown_text(view)


def test_f5_action_is_in_the_view_menu(minimal_window):
    action = minimal_window.findChild(type(minimal_window.actions["undo"]), "action_present")
    assert action is not None and action.shortcut() == QKeySequence("F5")
    view_menu = next(a.menu() for a in minimal_window.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions()


def test_f5_presents_from_the_selected_node(qtbot, minimal_window):
    minimal_window.document.select("c1")
    minimal_window.findChild(type(minimal_window.actions["undo"]), "action_present").trigger()
    presenter = minimal_window.presenter
    assert presenter is not None and presenter.walk.current == "c1"
    qtbot.waitExposed(presenter)
    assert presenter.isFullScreen()
    qtbot.keyClick(presenter, K.Key_Escape)
    assert not presenter.isVisible() and minimal_window.presenter is None
    assert minimal_window.document.selected_id == "c1"
    assert HISTORY_KEY not in minimal_window.document.plan.extra   # went nowhere: nothing logged


def test_walk_the_minimal_plan_with_keys(qtbot, minimal_window):
    doc = minimal_window.document
    doc.select(None)
    presenter = present(qtbot, minimal_window)
    walk = presenter.walk
    assert walk.current == "d1"
    check_figures(presenter)
    slide = presenter.audience.slide
    assert [c.revealed for c in slide.cards] == [False, False]
    key(qtbot, presenter, K.Key_Right)
    assert [c.revealed for c in presenter.audience.slide.cards] == [True, False]
    key(qtbot, presenter, K.Key_Left)
    assert [c.revealed for c in presenter.audience.slide.cards] == [False, False]
    key(qtbot, presenter, K.Key_PageDown)
    key(qtbot, presenter, K.Key_Space)
    assert presenter.audience.slide.cards[0].best
    key(qtbot, presenter, K.Key_Down)             # all shown: step into the best option
    assert walk.current == "c1"
    check_figures(presenter)
    key(qtbot, presenter, K.Key_2)                # the launch stalls
    assert walk.current == "t2"
    check_figures(presenter)
    text = shown_text(presenter.audience)
    assert "Adoption stalls" in text and "Price cut playbook" in text
    key(qtbot, presenter, K.Key_Backspace)
    assert walk.current == "c1"
    key(qtbot, presenter, K.Key_1)
    assert walk.current == "t1"
    key(qtbot, presenter, K.Key_Escape)
    assert doc.selected_id == "t1"
    entry = walks(doc.plan)[-1]
    assert [s["node"] for s in entry["steps"]] == ["d1", "c1", "t2", "c1", "t1"]
    assert entry["track"] == "launch" and entry["kind"] == "walk"
    assert doc.undo_stack.undoText() == "Record presentation walk"
    assert doc.is_modified()
    doc.undo_stack.undo()
    assert HISTORY_KEY not in doc.plan.extra
    doc.undo_stack.redo()
    assert walks(doc.plan) == [entry]


def test_walk_the_peace_plan_through_a_chance_node_with_late_responses(qtbot, peace_window):
    doc = peace_window.document
    doc.set_current_track("security")
    doc.select("sec_d1")
    presenter = present(qtbot, peace_window)
    walk = presenter.walk
    options = peace_window.document.plan.nodes["sec_d1"].children
    number = options.index("sec_c1") + 1
    key(qtbot, presenter, getattr(K, f"Key_{number}"))
    assert walk.current == "sec_c1"
    check_figures(presenter)
    qtbot.keyClick(presenter, K.Key_R)          # all at once from now on
    slide = presenter.audience.slide
    assert len(slide.cards) == 3 and all(c.revealed for c in slide.cards)
    late = next(c for c in slide.cards if c.badge == "late")
    text = shown_text(presenter.audience)
    assert "LATE" in text and late.label.split()[0] in " ".join(text)
    key(qtbot, presenter, getattr(K, f"Key_{late.number}"))
    assert walk.current == late.node_id
    check_figures(presenter)
    qtbot.keyClick(presenter, K.Key_Backspace)
    qtbot.keyClick(presenter, K.Key_Backspace)
    assert walk.current == "sec_d1"
    qtbot.keyClick(presenter, K.Key_Escape)
    assert doc.selected_id == "sec_d1"
    assert [s["node"] for s in walks(doc.plan)[-1]["steps"]] == [
        "sec_d1", "sec_c1", late.node_id, "sec_c1", "sec_d1"]


def test_notes_typed_during_the_walk_go_to_the_log(qtbot, minimal_window):
    presenter = present(qtbot, minimal_window, "d1")
    key(qtbot, presenter, K.Key_1)
    qtbot.keyClick(presenter, K.Key_N)
    notes = presenter.console.notes
    assert presenter.showing_console() and QApplication.focusWidget() is notes
    qtbot.keyClicks(notes, "2 asked about churn")   # digits type, they do not move the walk
    assert presenter.walk.current == "c1"
    qtbot.keyClick(notes, K.Key_Escape)              # leaves the notes, not the walk
    assert presenter.isVisible() and QApplication.focusWidget() is presenter
    qtbot.keyClick(presenter, K.Key_T)
    assert not presenter.showing_console()
    qtbot.keyClick(presenter, K.Key_Escape)
    steps = walks(minimal_window.document.plan)[-1]["steps"]
    assert steps[1]["note"] == "2 asked about churn"


def test_console_shows_what_comes_next(qtbot, minimal_window):
    presenter = present(qtbot, minimal_window, "c1")
    qtbot.keyClick(presenter, K.Key_T)
    console = presenter.console
    assert console.next_label.text() == "Reveal 1: Adoption on target"
    presenter.walk.reveal_all()
    presenter.refresh()
    assert console.next_label.text() == "Step into 1: Adoption on target"
    assert "2   30%  Adoption stalls" in console.choices.text()
    assert console.preview.slide.node_id == "c1"
    qtbot.keyClick(presenter, K.Key_Escape)


def test_two_screens_put_the_audience_on_the_second(qtbot, minimal_window):
    screen = QGuiApplication.primaryScreen()
    presenter = present(qtbot, minimal_window, "d1", screens=[screen, screen])
    audience = presenter.audience_window
    assert audience is not None and audience.isVisible()
    assert presenter.showing_console()
    qtbot.keyClick(audience, K.Key_1)               # keys on the audience screen work too
    assert presenter.walk.current == "c1"
    assert audience.view.slide.node_id == "c1"
    qtbot.keyClick(presenter, K.Key_T)              # nothing to toggle with two screens
    assert presenter.showing_console()
    qtbot.keyClick(presenter, K.Key_Escape)
    assert not audience.isVisible()
    assert minimal_window.document.selected_id == "c1"


def test_export_walk_as_markdown(qtbot, minimal_window, tmp_path, monkeypatch):
    out = tmp_path / "walk.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    presenter = present(qtbot, minimal_window, "d1")
    key(qtbot, presenter, K.Key_1)
    key(qtbot, presenter, K.Key_2)
    presenter.export_action.trigger()
    text = out.read_text("utf-8")
    assert text.startswith("# Walk: Minimal example — Launch")
    assert "Adoption stalls (terminal) | branch 2 happened (30%)" in text
    qtbot.keyClick(presenter, K.Key_Escape)
    history_out = tmp_path / "walks.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(history_out), ""))
    minimal_window.actions["export_walks"].trigger()
    assert "Adoption stalls" in history_out.read_text("utf-8")


def test_an_edit_while_presenting_updates_the_numbers(qtbot, minimal_window):
    presenter = present(qtbot, minimal_window, "c1")
    before = presenter.audience.slide.ev
    minimal_window.document.set_node_field("t1", "payoff", 300)
    assert presenter.audience.slide.ev == pytest.approx(before + 0.7 * 100)
    check_figures(presenter)
    qtbot.keyClick(presenter, K.Key_Escape)


# -- pictures -----------------------------------------------------------------
SHOTS = [(PEACE, "ir_d1"), (PEACE, "sec_c1"), (PEACE, "ir_t2"), (PEACE, "hum_d1"), (MINIMAL, "c1")]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("source, node", SHOTS)
def test_audience_view_keeps_every_line_inside_its_box(qapp, source, node, size):
    plan = load_plan(source)
    view = AudienceView()
    view.set_slide(build_slide(Walk(plan, node, step_reveal=False)))
    image = view.render_image(*size)
    assert (image.width(), image.height()) == size
    page = QRectF(0, 0, *size)
    assert view.drawn
    for line in view.drawn:
        assert line.area.adjusted(-1, -1, 1, 1).contains(line.rect), line.text
        assert page.contains(line.rect), line.text
    text = [d.text for d in view.drawn]
    label = plan.nodes[node].label
    assert label in " ".join(text) or any(t.endswith("…") for t in text)
    # the cards do not overlap
    rects = list(view.card_rects.values())
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)


def test_many_branches_shrink_into_a_grid(qapp):
    from planning.model.plan import Node, Plan, Track

    kids = [f"b{i}" for i in range(8)]
    nodes = {"c": Node("c", "chance", label="Eight outcomes", children=kids)}
    for k in kids:
        nodes[k] = Node(k, label=f"Outcome {k} with a fairly long label to wrap", probability="#",
                        signposts=[f"signpost {j} of {k}" for j in range(6)])
    plan = Plan(tracks=[Track("t", root="c")], nodes=nodes)
    view = AudienceView()
    view.set_slide(build_slide(Walk(plan, step_reveal=False)))
    view.render_image(1280, 720)
    assert len(view.card_rects) == 8
    assert len({round(r.top()) for r in view.card_rects.values()}) >= 2   # more than one row
    for line in view.drawn:
        assert line.area.adjusted(-1, -1, 1, 1).contains(line.rect), line.text


def test_cli_screenshot_writes_a_png_of_the_size(tmp_path, capsys):
    out = tmp_path / "slide.png"
    assert cli.main(["present", str(PEACE), "--at", "sec_c1", "--screenshot", str(out),
                     "--size", "1280x720"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    assert image.pixelColor(5, 5).name() == "#f3f5f7"
    default = tmp_path / "root.png"
    assert cli.main(["present", str(MINIMAL), "--screenshot", str(default)]) == 0
    assert QImage(str(default)).size().toTuple() == (1920, 1080)


@pytest.mark.parametrize("source, node", SHOTS)
def test_cli_screenshot_draws_the_node_not_the_empty_page(tmp_path, monkeypatch, capsys, source, node):
    """Issue 10 #1: the slide reaches the view, so its label is drawn (not "No plan to present")."""
    seen: list[list[str]] = []
    original = AudienceView.render_image

    def spy(self, width, height):
        image = original(self, width, height)
        seen.append([d.text for d in self.drawn])
        return image

    monkeypatch.setattr(AudienceView, "render_image", spy)
    out = tmp_path / "slide.png"
    assert cli.main(["present", str(source), "--at", node, "--screenshot", str(out),
                     "--size", "1280x720"]) == 0
    assert len(seen) == 1
    text = " ".join(seen[0])
    assert "No plan to present" not in text
    label = load_plan(source).nodes[node].label
    assert label in text or label.split()[0] in text
    # the PNG written is not the empty page
    empty = original(AudienceView(), 1280, 720)
    written = QImage(str(out)).convertToFormat(empty.format())
    assert written.size() == empty.size()
    assert written != empty


def test_cli_errors(tmp_path, capsys):
    out = tmp_path / "x.png"
    assert cli.main(["present", str(PEACE), "--at", "nope", "--screenshot", str(out)]) == 2
    assert cli.main(["present", str(PEACE), "--at", "sec_c1", "--track", "ties",
                     "--screenshot", str(out)]) == 2
    assert cli.main(["present", str(PEACE), "--screenshot", str(out), "--size", "big"]) == 2
    assert cli.main(["present", str(PEACE)]) == 2
    assert not out.exists()
    bad = tmp_path / "bad.bwplan"
    bad.write_text(MINIMAL.read_text().replace('"probability": "#"', '"probability": 0.9'))
    assert cli.main(["present", str(bad), "--screenshot", str(out)]) == 1
    assert not out.exists()


def test_cli_log_md_exports_the_history(qtbot, minimal_window, tmp_path):
    presenter = present(qtbot, minimal_window, "d1")
    key(qtbot, presenter, K.Key_1)
    qtbot.keyClick(presenter, K.Key_Escape)
    saved = tmp_path / "walked.bwplan"
    minimal_window.document.save(saved)
    out = tmp_path / "log.md"
    assert cli.main(["present", str(saved), "--log-md", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "Launch (chance) | option 1 taken" in text


@pytest.mark.parametrize("size", [(574, 400), (800, 450), (1280, 720)])
@pytest.mark.parametrize("source, node", SHOTS)
def test_a_card_never_ends_on_a_section_heading(qapp, source, node, size):
    """A heading (SIGNPOSTS, RESPONSES, THEN) is drawn only with its first row under it."""
    view = AudienceView()
    view.set_slide(build_slide(Walk(load_plan(source), node, step_reveal=False)))
    view.render_image(*size)
    headings = {"SIGNPOSTS", "RESPONSES", "THEN"}
    for rect in view.card_rects.values():
        inside = sorted((d for d in view.drawn if rect.contains(d.rect.center())), key=lambda d: d.rect.top())
        for i, line in enumerate(inside):
            if line.text in headings:
                below = [d.text for d in inside[i + 1:] if d.rect.top() >= line.rect.bottom() - 1]
                assert below and not below[0].startswith("+ "), (line.text, [d.text for d in inside])
