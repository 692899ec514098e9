"""The problems panel (list, click to show the node) and the summary bar (track figures)."""
from __future__ import annotations

import pytest

from planning.model.errors import ERROR, WARNING, Problem
from test_outline import FakeDocument, real_document, sample_plan
from widgets.problems import PROBLEM_NODE_ROLE, ProblemsPanel
from widgets.summary_bar import SummaryBar


@pytest.fixture
def fake():
    return FakeDocument(sample_plan())


def rows(panel: ProblemsPanel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


# -- problems ----------------------------------------------------------------------
def test_valid_plan_says_so(qtbot, fake):
    panel = ProblemsPanel(fake)
    qtbot.addWidget(panel)
    assert fake.problems == []
    assert rows(panel) == ["No problems: the plan is valid."]


def test_problems_follow_edits_and_click_selects_the_node(qtbot, fake):
    panel = ProblemsPanel(fake)
    qtbot.addWidget(panel)
    fake.set_node_field("t1", "probability", 0.9)   # with t2 = "#": fine
    fake.set_node_field("t2", "probability", 0.2)   # 0.9 + 0.2 = 1.1
    assert fake.result is None and fake.problems
    qtbot.waitUntil(lambda: rows(panel) == [str(p) for p in fake.problems])
    problem_row = next(i for i in range(panel.list.count()) if panel.list.item(i).data(PROBLEM_NODE_ROLE))
    node_id = panel.list.item(problem_row).data(PROBLEM_NODE_ROLE)
    assert node_id in ("c1", "t1", "t2")
    panel.list.itemClicked.emit(panel.list.item(problem_row))
    assert fake.selected_id == node_id
    # fixing it empties the list again
    fake.set_node_field("t2", "probability", "#")
    qtbot.waitUntil(lambda: rows(panel) == ["No problems: the plan is valid."])


def test_clicking_a_problem_on_another_track_switches_track(qtbot, fake):
    panel = ProblemsPanel(fake)
    qtbot.addWidget(panel)
    fake.problems = [Problem(WARNING, "x3", "payoff", "suspiciously small"),
                     Problem(ERROR, None, None, "plan-level trouble")]
    panel.refresh()
    # the node is named by its label, id in brackets (issue 16 item 7)
    assert rows(panel) == ['"no" [x3]: payoff: suspiciously small', "plan-level trouble"]
    assert panel.windowTitle() == "Problems (1 error, 1 other)"
    panel.list.itemActivated.emit(panel.list.item(0))
    assert fake.current_track_id == "other"
    assert fake.selected_id == "x3"
    assert fake.edits("set_current_track") == [("set_current_track", "other")]
    # a problem without a node selects nothing
    panel.list.itemActivated.emit(panel.list.item(1))
    assert fake.selected_id == "x3"


# -- summary bar -----------------------------------------------------------------
def test_summary_shows_the_track_figures(qtbot, fake):
    bar = SummaryBar(fake)
    qtbot.addWidget(bar)
    bar.resize(1200, 30)
    bar.show()
    # reference numbers for the launch track, by hand from DESIGN.md:
    # launch (c1) beats waiting; t1 (p 0.7) has r1 at 2/4, t2 (p 0.3, failure) has only a late response
    ev = -40 + 0.7 * (200 + 0.5 * 15) + 0.3 * -60
    ev_unprepared = -40 + 0.7 * 200 + 0.3 * -60
    p_failure = 0.3
    exposure = 0.3 * (1 - 0)   # r2 is late: readiness 0
    result = fake.result
    assert result.ev == pytest.approx(ev)
    assert result.failure_exposure == pytest.approx(exposure)
    text = bar.text()
    assert text == (f"EV {ev:.1f} k$ · fail. readiness 0% · exposure {exposure:.0%} · "
                    f"p(failure) {p_failure:.0%} · preparedness +{ev - ev_unprepared:.2f} k$")
    assert bar.toolTip().startswith("Launch: EV")
    # a narrow bar shortens the captions first, then hides figures from the right and says
    # how many ("+3 more", the hidden ones in its tooltip) instead of clipping or dropping them silently
    bar.resize(bar.values["ev"].sizeHint().width() + bar.values["failure_readiness"].sizeHint().width() + 80, 30)
    assert bar.text() == f"EV {ev:.1f} k$ · ready 0% · +3 more"
    assert bar.more_label.toolTip() == (f"exposure {exposure:.0%} · p(failure) {p_failure:.0%} · "
                                        f"preparedness +{ev - ev_unprepared:.2f} k$")
    assert bar.full_text() == text
    assert bar.toolTip() == f"Launch: {text}"


def test_summary_follows_evaluations_and_invalid_plans(qtbot, fake):
    bar = SummaryBar(fake)
    qtbot.addWidget(bar)
    bar.resize(1200, 30)
    fake.set_response_field("t2", "r2", "lead_time_days", 5)   # no longer late: readiness 1/4
    assert "fail. readiness 25%" in bar.text()
    assert fake.result.failure_exposure == pytest.approx(0.3 * (1 - 0.25))   # p(failure) * (1 - rho)
    assert f"exposure {round(fake.result.failure_exposure * 100)}%" in bar.text()
    fake.set_node_field("t1", "probability", 1.2)
    assert fake.result is None
    errors = sum(1 for p in fake.problems if p.severity == ERROR)
    assert bar.text() == f"plan invalid: {errors} problem{'s' if errors != 1 else ''}"
    fake.set_current_track("other")
    assert bar.text().startswith("EV 0.5 k$")
    assert bar.toolTip().startswith("Other: EV 0.5 k$")


def test_panels_with_the_real_document(qtbot):
    document = real_document()
    bar = SummaryBar(document)
    panel = ProblemsPanel(document)
    qtbot.addWidget(bar)
    qtbot.addWidget(panel)
    assert bar.text().startswith("EV ")
    document.set_node_field("t1", "probability", 1.5)
    document.wait_for_checks()
    assert bar.text().startswith("plan invalid")
    qtbot.waitUntil(lambda: any("t1" in r or "c1" in r for r in rows(panel)))
    document.undo_stack.undo()
    document.wait_for_checks()
    assert bar.text().startswith("EV ")
    qtbot.waitUntil(lambda: rows(panel) == ["No problems: the plan is valid."])


def test_summary_bar_at_1280_shows_every_figure_shortened_not_dropped(qtbot, tmp_path, monkeypatch):
    """Issue 10: at 1280x720 the bar dropped "preparedness" silently."""
    from app.main_window import MainWindow
    from conftest import SAMPLES

    monkeypatch.setenv("BRANCHWISE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRANCHWISE_STATE_DIR", str(tmp_path / "state"))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "maybe_save", lambda: True))
    assert window.open_file(SAMPLES / "peace-process.bwplan")
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.document.wait_for_checks()
    bar = window.findChild(SummaryBar)
    qtbot.waitUntil(lambda: bar.text().startswith("EV"))
    text = bar.text()
    for words in ("EV", "ready", "exp", "p(fail", "prep"):          # all five figures, none dropped
        assert words in text, text
    assert "more" not in text
    result = window.document.result
    assert f"{result.value_of_preparedness:+.3g}".lstrip("+") in text.replace("+", "")
    inside = bar.contentsRect()
    for label in bar.values.values():                                # none clipped by the bar's edge
        assert label.isVisible() and inside.contains(label.geometry()), label.property("plain")
    assert "preparedness" in bar.toolTip()                           # the full words in the tooltip
