"""Both criteria (and a rule's value) in the briefing report and the presenter (issue 12)."""
from __future__ import annotations

from conftest import SAMPLES
from planning.files.planfile import load_plan
from planning.sharing.report import build_report, render_markdown
from planning.engine.rules import with_options
from planning.sharing.slide import build_slide
from planning.sharing.walk import Walk

LAUNCH = SAMPLES / "product-launch.bwplan"


def test_report_summary_shows_both_criteria_with_units():
    text = render_markdown(build_report(load_plan(LAUNCH)))
    assert "| Gross margin (maximize) | 114.2 k$ |" in text
    assert "| Engineering time (minimize) | 41.68 engineer-weeks |" in text
    assert "| Combined value (weight 1) | 72.47 |" in text


def test_report_names_a_rules_value():
    plan = with_options(load_plan(LAUNCH), rule="worst-case", objective="maximize")
    text = render_markdown(build_report(plan))
    assert "| Worst-case value (maximize) | 60 k$ |" in text


def test_presenter_slide_carries_the_second_criterion(qapp):
    plan = load_plan(LAUNCH)
    walk = Walk(plan, track_id="launch")
    slide = build_slide(walk)
    assert slide.second == ("Engineering time", slide.second[1], "engineer-weeks")
    assert round(slide.second[1], 2) == 41.68
    from widgets.presenter.audience_view import AudienceView

    view = AudienceView()
    view.set_slide(slide)
    image = view.render_image(1280, 720)
    assert not image.isNull()
    # The tile's caption carries the unit; the figure itself is short enough for the tile.
    tiles = []
    from widgets.presenter import audience_view

    real = audience_view.Canvas.wrapped

    def spy(self, text, *args, **kwargs):
        tiles.append(text)
        return real(self, text, *args, **kwargs)

    audience_view.Canvas.wrapped = spy
    try:
        view.render_image(1280, 720)
    finally:
        audience_view.Canvas.wrapped = real
    assert "41.68" in tiles and "Engineering time from here (engineer-weeks)" in tiles
