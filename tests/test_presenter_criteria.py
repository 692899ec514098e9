"""Presenter cards of a plan with two criteria: each card shows both, with units."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRectF

import reference
import reference_rules as ref
from conftest import SAMPLES
from test_montecarlo_criteria import _plan

from planning.files.planfile import load_plan
from planning.sharing.slide import build_slide
from planning.sharing.walk import Walk
from widgets.presenter.audience_view import AudienceView, slide_words

LAUNCH = SAMPLES / "product-launch.bwplan"


def test_cards_carry_the_second_criterion_from_each_option():
    plan = _plan(weight=2.0)
    slide = build_slide(Walk(plan, "d", step_reveal=False))
    assert slide.second[0] == "Staff time" and slide.second[2] == "weeks"
    p = reference.probabilities(plan)
    assert len(slide.cards) == 3
    for card in slide.cards:  # each option's criteria by plain recursion
        v1, v2 = ref.two_criteria_values(plan, card.node_id, (1.0, -1.0), plan.weight, p)
        assert card.ev == pytest.approx(v1) and card.ev2 == pytest.approx(v2)
    one = build_slide(Walk(load_plan(SAMPLES / "peace-process.bwplan"), step_reveal=False))
    assert all(card.ev2 is None for card in one.cards) and one.second is None


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_every_card_shows_both_criteria_with_units_inside_its_box(qapp, size):
    plan = load_plan(LAUNCH)
    view = AudienceView()
    slide = build_slide(Walk(plan, "pl_d1", step_reveal=False))
    view.set_slide(slide)
    view.render_image(*size)
    page = QRectF(0, 0, *size)
    for card in slide.cards:
        rect = view.card_rects[card.node_id]
        inside = [d.text for d in view.drawn if rect.contains(d.rect)]
        assert any(t.startswith("EV ") and t.endswith(" k$") for t in inside), inside
        # the second criterion may wrap onto a second line, never be cut
        assert re.search(r"Engineering time -?[\d.,]+ engineer-weeks( |$)", " ".join(inside)), inside
        assert not any("Engineering" in t and t.endswith("…") for t in inside), inside
    for line in view.drawn:
        assert line.area.adjusted(-1, -1, 1, 1).contains(line.rect) and page.contains(line.rect), line.text
    assert "EV 114.2 k$, Engineering time 41.68 engineer-weeks" in slide_words(slide)
    assert "of combined value)" in " ".join(d.text for d in view.drawn)  # value of information's unit
