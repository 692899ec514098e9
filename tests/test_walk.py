"""planning.sharing.walk: moving through a track, the numbers shown, the history and its Markdown."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, SHARED
from app import cli
from planning.engine.evaluate import evaluate_track
from planning.model.plan import Node, Plan, Response, Track
from planning.files.planfile import dumps_plan, load_plan, loads_plan
from planning.sharing.slide import build_slide
from planning.sharing.walk import HISTORY_KEY, Walk, append_history_edit, evaluate_from, walks
from planning.sharing.walk_log import history_to_markdown, walk_to_markdown

MINIMAL = SHARED / "examples" / "minimal.bwplan"
PEACE = SAMPLES / "peace-process.bwplan"


class Clock:
    """Times 30 s apart, so logs are predictable."""

    def __init__(self):
        self.t = 0

    def __call__(self) -> str:
        value = f"2024-05-01T10:{self.t // 60:02d}:{self.t % 60:02d}+00:00"
        self.t += 30
        return value


@pytest.fixture
def minimal() -> Plan:
    return load_plan(MINIMAL)


@pytest.fixture
def peace() -> Plan:
    return load_plan(PEACE)


def test_next_reveals_branches_one_at_a_time_then_follows_the_policy(minimal):
    walk = Walk(minimal)
    assert walk.current == "d1" and walk.revealed == 0
    assert walk.next() == "reveal" and walk.revealed == 1
    assert walk.next() == "reveal" and walk.all_revealed
    # d1 launches (EV 89.5) rather than waits (20): the policy option
    assert evaluate_track(minimal).policy["d1"] == "c1"
    assert walk.next() == "step" and walk.current == "c1" and walk.revealed == 0
    walk.reveal_all()
    assert walk.next() == "step" and walk.current == "t1"   # the most likely branch (70%)
    assert walk.next() == ""                                # a terminal: nowhere to go
    assert [s.node for s in walk.steps] == ["d1", "c1", "t1"]


def test_choose_back_and_previous(minimal):
    walk = Walk(minimal)
    assert not walk.choose(3) and walk.current == "d1"
    assert walk.choose(1) and walk.current == "c1"
    assert walk.choose(2) and walk.current == "t2"
    assert walk.back() and walk.current == "c1" and walk.all_revealed
    # previous hides what is shown, then goes back a step
    assert walk.previous() == "hide" and walk.revealed == 1
    assert walk.previous() == "hide" and walk.revealed == 0
    assert walk.previous() == "back" and walk.current == "d1"
    assert walk.previous() == "hide"
    walk.revealed = 0
    assert walk.previous() == "" and walk.current == "d1"
    assert [s.action for s in walk.steps] == ["start", "choose", "choose", "back", "back"]


def test_back_from_a_start_below_the_root_goes_to_its_parent(peace):
    walk = Walk(peace, "sec_c1")
    assert walk.track_id == "security" and walk.current == "sec_c1"
    assert walk.back() and walk.current == "sec_d1"
    assert not walk.back()
    assert walk.breadcrumbs() == ["sec_d1"]


def test_figures_are_those_of_evaluate_from(peace):
    walk = Walk(peace, "sec_c1")
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["evaluate", str(PEACE), "--from", "sec_c1", "--json"]) == 0
    printed = json.loads(out.getvalue())["tracks"][0]
    result = walk.result()
    for key in ("ev", "p_failure", "failure_exposure", "failure_readiness"):
        assert result.to_json()[key] == pytest.approx(printed[key], abs=1e-12)
    assert evaluate_from(peace, "sec_c1").ev == pytest.approx(printed["ev"])


def test_slide_numbers_by_hand(minimal):
    walk = Walk(minimal, "c1", step_reveal=False)
    slide = build_slide(walk)
    # c1: -40 + 0.7 * (200 + 2/4 * 15) + 0.3 * (-60 + 1/4 * 30)
    assert slide.ev == pytest.approx(-40 + 0.7 * 207.5 + 0.3 * -52.5)
    assert [c.label for c in slide.cards] == ["Adoption on target", "Adoption stalls"]
    assert [c.probability for c in slide.cards] == pytest.approx([0.7, 0.3])
    assert [c.ev for c in slide.cards] == pytest.approx([207.5, -52.5])
    assert [c.path for c in slide.cards] == ["success", "failure"]
    # the failure branch is prepared at level 1 of 4: readiness 0.25
    assert slide.failure_readiness == pytest.approx(0.25)
    assert slide.failure_exposure == pytest.approx(0.3 * 0.75)
    assert slide.cards[1].responses[0].readiness_name == "drafted"
    assert slide.cards[0].next_target and not slide.cards[1].next_target
    assert slide.breadcrumbs == [("d1", "Launch in spring?"), ("c1", "Launch")]


def test_decision_slide_marks_the_best_option(minimal):
    slide = build_slide(Walk(minimal))
    assert [c.best for c in slide.cards] == [True, False]
    assert all(c.probability is None for c in slide.cards)
    assert slide.cards[0].outlook == [("Adoption on target", pytest.approx(0.7), "success"),
                                      ("Adoption stalls", pytest.approx(0.3), "failure")]


def test_late_responses_are_flagged(peace):
    slide = build_slide(Walk(peace, "sec_c1", step_reveal=False))
    assert len(slide.cards) == 3
    late_cards = [c for c in slide.cards if c.badge == "late"]
    assert late_cards, "sec_c1 has a branch whose response is late"
    card = late_cards[0]
    node = peace.nodes[card.node_id]
    assert [r.late for r in card.responses] == [r.is_late(node.warning_days) for r in node.responses]
    assert any(r.late for r in card.responses)


def test_terminal_slide_shows_its_own_branch(peace):
    slide = build_slide(Walk(peace, "ir_t2"))
    assert slide.cards == [] and slide.self_card is not None
    assert slide.path == "failure" and slide.probability == pytest.approx(0.4)
    # its readiness: the best response in time (rehearsed, 3/4); the late one counts 0
    assert slide.branch_readiness == pytest.approx(0.75)


def test_an_unevaluable_plan_gives_a_slide_with_an_error():
    plan = Plan(tracks=[Track("t", root="c")], nodes={
        "c": Node("c", "chance", children=["a", "b"]),
        "a": Node("a", probability=0.9), "b": Node("b", probability=0.9)})
    slide = build_slide(Walk(plan))
    assert slide.error and slide.ev is None


def test_history_edit_appends_and_undo_removes(minimal):
    walk = Walk(minimal, clock=Clock())
    walk.choose(1)
    walk.set_note("asked about price")
    edit = append_history_edit(minimal, walk.to_entry())
    assert walks(minimal) == [walk.to_entry()]
    entry = minimal.extra[HISTORY_KEY][0]
    assert entry["kind"] == "walk" and entry["track"] == "launch"
    assert [s["node"] for s in entry["steps"]] == ["d1", "c1"]
    assert entry["steps"][1]["note"] == "asked about price"
    again = loads_plan(dumps_plan(minimal))          # kept in the file
    assert walks(again) == walks(minimal)
    edit.undo(minimal)
    assert HISTORY_KEY not in minimal.extra
    edit.redo(minimal)
    second = append_history_edit(minimal, walk.to_entry())
    assert len(walks(minimal)) == 2
    second.undo(minimal)
    assert len(walks(minimal)) == 1


def test_markdown_log(minimal):
    walk = Walk(minimal, clock=Clock())
    walk.choose(1)
    walk.set_note("Q: what if | churn <b>?\nA: price cut")
    walk.choose(2)
    walk.back()
    text = walk_to_markdown(walk.to_entry(), minimal)
    lines = text.splitlines()
    assert lines[0] == "# Walk: Minimal example — Launch"
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| #")]
    assert len(rows) == 4
    assert rows[0].startswith("| 1 | +0:00 | Launch in spring? (decision) | start | 89.5 k$")
    assert "| +0:30 | Launch (chance) | option 1 taken | 89.5 k$ |" in rows[1]
    assert "Q: what if \\| churn \\<b\\>?<br>A: price cut" in rows[1]
    assert "branch 2 happened (30%)" in rows[2] and "-52.5 k$" in rows[2]
    assert "| +1:30 | Launch (chance) | back |" in rows[3]
    # every row has the same number of cells as the header
    assert {row.count(" | ") for row in rows} == {lines[4].count(" | ")}


def test_markdown_of_a_node_removed_since(minimal):
    walk = Walk(minimal, clock=Clock())
    walk.choose(2)
    entry = walk.to_entry()
    minimal.nodes["d1"].children.remove("t3")
    del minimal.nodes["t3"]
    assert "t3 (removed)" in walk_to_markdown(entry, minimal)


def test_history_markdown_without_walks(minimal):
    assert "No walks recorded." in history_to_markdown(minimal)


MOVES = st.lists(st.one_of(st.just("next"), st.just("previous"), st.just("back"),
                           st.integers(1, 4)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES, start=st.sampled_from(["ir_d1", "sec_c1", "hum_d1", "sanc_d1"]))
def test_any_sequence_of_keys_keeps_a_consistent_walk(peace, moves, start):
    walk = Walk(peace, start)
    parents = peace.parents()
    for move in moves:
        if isinstance(move, int):
            walk.choose(move)
        else:
            getattr(walk, move)()
        assert walk.current in peace.nodes
        assert 0 <= walk.revealed <= len(walk.children)
        assert walk.steps[-1].node == walk.current
        for above, below in zip(walk.path, walk.path[1:]):
            assert parents[below] == above
        # the figures shown are always those of evaluate --from the current node
        assert walk.result().ev == evaluate_track(peace, root=walk.current).ev


def test_walk_on_a_plan_with_responses_but_no_warning():
    plan = Plan(tracks=[Track("t", root="c")], nodes={
        "c": Node("c", "chance", children=["a", "b"]),
        "a": Node("a", probability=0.5, path="failure",
                  responses=[Response("r", "Plan B", "Ops", readiness=4, lead_time_days=90)]),
        "b": Node("b", probability="#", payoff=10)})
    slide = build_slide(Walk(plan, step_reveal=False))
    assert slide.cards[0].badge == "ready" and not slide.cards[0].responses[0].late
    assert slide.failure_readiness == pytest.approx(1.0)
