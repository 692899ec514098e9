"""The Problems panel with the real Document: labels, merge conflicts, and the offered fix."""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from planning.sharing.merge import merge_plans
from planning.model.plan import Node, Plan, Track
from widgets.problems import PROBLEM_FIX_ROLE, ProblemsPanel


def rows(panel: ProblemsPanel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def plan_with_a_vetoed_branchless_chance() -> Plan:
    return Plan(title="Talks", tracks=[Track("t", "Talks", "d")], nodes={
        "d": Node("d", "decision", "Open talks?", children=["c", "n4"]),
        "c": Node("c", "chance", "Talks", children=["ok", "no"]),
        "ok": Node("ok", label="Agreement", probability=0.6, payoff=50.0),
        "no": Node("no", label="Walk-out", probability="#", payoff=-20.0),
        "n4": Node("n4", "chance", "Vetoed")})


def document(qtbot, plan: Plan):
    from app.document import Document

    doc = Document(plan)
    panel = ProblemsPanel(doc)
    qtbot.addWidget(panel)
    panel.refresh()
    return doc, panel


def test_the_panel_names_the_node_and_its_fix_makes_it_a_terminal(qtbot):
    doc, panel = document(qtbot, plan_with_a_vetoed_branchless_chance())
    assert rows(panel) == ['"Vetoed" [n4]: children: chance node needs at least one branch']
    assert doc.result is None  # the invalid node blanks every EV
    item = panel.list.item(0)
    assert "make it a terminal" in item.toolTip()
    panel.list.setCurrentItem(item)
    assert panel.fix_button.isVisibleTo(panel)
    assert panel.fix_button.text() == "Fix: make it a terminal"
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert doc.plan.nodes["n4"].kind == "terminal"
    qtbot.waitUntil(lambda: rows(panel) == ["No problems: the plan is valid."])
    assert doc.result is not None and doc.result.ev == 22.0  # 0.6 * 50 + 0.4 * -20
    # one undo step puts it back
    doc.undo_stack.undo()
    assert doc.plan.nodes["n4"].kind == "chance"
    qtbot.waitUntil(lambda: rows(panel) == ['"Vetoed" [n4]: children: chance node needs at least one branch'])


def test_the_context_menu_offers_the_fix(qtbot, monkeypatch):
    doc, panel = document(qtbot, plan_with_a_vetoed_branchless_chance())
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *args: shown.append(self))
    position = panel.list.visualItemRect(panel.list.item(0)).center()
    panel.list.customContextMenuRequested.emit(position)
    [menu] = shown
    [action] = menu.actions()
    assert action.text() == "Fix: make it a terminal"
    action.trigger()
    assert doc.plan.nodes["n4"].kind == "terminal"


def test_a_rename_shows_at_once_in_the_row(qtbot):
    doc, panel = document(qtbot, plan_with_a_vetoed_branchless_chance())
    doc.set_node_field("n4", "label", "Blocked by the council")
    qtbot.waitUntil(lambda: rows(panel) == [
        '"Blocked by the council" [n4]: children: chance node needs at least one branch'])


def test_unresolved_merge_conflicts_are_listed_without_a_fix(qtbot):
    base = plan_with_a_vetoed_branchless_chance()
    base.nodes["n4"].kind = "terminal"
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.nodes["ok"].payoff = 60.0
    theirs.nodes["ok"].payoff = 70.0
    merged = merge_plans(base, ours, theirs).plan
    doc, panel = document(qtbot, merged)
    assert rows(panel) == ['"Agreement" [ok]: payoff: unresolved merge conflict: '
                           "ours 60, theirs 70 (base 50); ours is kept"]
    assert panel.list.item(0).data(PROBLEM_FIX_ROLE) is None
    panel.list.setCurrentItem(panel.list.item(0))
    assert not panel.fix_button.isVisibleTo(panel)
    # settling the conflicts (what the merge dialog does) empties the list
    from app.sharing import set_plan_extra
    from planning.sharing.merge import CONFLICTS_KEY

    set_plan_extra(doc, CONFLICTS_KEY, [])
    qtbot.waitUntil(lambda: rows(panel) == ["No problems: the plan is valid."])


def test_an_overflowing_plan_says_so_in_the_window_without_warnings(qtbot, recwarn):
    plan = Plan(title="Huge", tracks=[Track("t", "T", "c")], nodes={
        "c": Node("c", "chance", "Huge", payoff=1e308, children=["a", "b"]),
        "a": Node("a", probability=0.5, payoff=1e308),
        "b": Node("b", probability=0.5, payoff=1e308)})
    doc, panel = document(qtbot, plan)
    assert doc.result is None
    assert rows(panel) == ['"Huge" [c]: payoff: the expected value is not a finite number: '
                           "the payoffs add up beyond 1.8e308 (use a larger unit)"]
    assert [str(w.message) for w in recwarn if issubclass(w.category, RuntimeWarning)] == []
