"""A value edit on a large plan re-evaluates the patched arrays at once (issue 11): the numbers
are those of a full evaluation, the problems follow, and anything else takes the full check."""
from __future__ import annotations

import numpy as np
import pytest

from app import document as document_module
from app.document import Document
from planning.engine.evaluate import evaluate_track
from planning.model.generate import random_plan
from planning.files.planfile import save_plan


@pytest.fixture
def big(qtbot, tmp_path):
    path = tmp_path / "random.bwplan"
    save_plan(random_plan(400, seed=5), path)
    doc = Document()
    doc.open(path)
    doc.large_plan_nodes = 0  # the worker path, on a plan small enough for a test
    doc.wait_for_checks()
    assert doc.result is not None and not doc.problems
    return doc


def same_numbers(result, expected) -> None:
    assert result.ev == expected.ev and result.policy == expected.policy
    for name in ("node_ev", "node_reach", "node_probability", "node_p_failure", "node_failure_exposure"):
        assert np.array_equal(getattr(result, name), getattr(expected, name)), name
    assert [p.to_json() for p in result.priorities] == [p.to_json() for p in expected.priorities]


def edit_and_wait(doc, qtbot, *args):
    with qtbot.waitSignal(doc.evaluated, timeout=10_000):
        doc.set_node_field(*args)
    doc.wait_for_checks()


def test_a_probability_edit_uses_the_patched_arrays(big, qtbot, monkeypatch):
    patched = []
    real = document_module.patched_track
    monkeypatch.setattr(document_module, "patched_track", lambda *a: patched.append(real(*a)) or patched[-1])
    # a branch with a '#' sibling: the share is recomputed from the new value
    node_id = next(n.children[0] for n in big.plan.nodes.values()
                   if n.kind == "chance" and big.plan.nodes[n.children[-1]].probability == "#"
                   and type(big.plan.nodes[n.children[0]].probability) is float)
    edit_and_wait(big, qtbot, node_id, "probability", 0.05)
    assert patched and patched[-1] is not None
    same_numbers(big.result, evaluate_track(big.plan, big.current_track_id))
    assert big.result.node_probability[big.result.index[node_id]] == 0.05


def test_a_payoff_edit_and_its_undo_give_the_numbers_of_a_full_evaluation(big, qtbot):
    node_id = next(n.id for n in big.plan.nodes.values() if n.kind == "terminal")
    before = big.result.ev
    edit_and_wait(big, qtbot, node_id, "payoff", 12345.0)
    same_numbers(big.result, evaluate_track(big.plan, big.current_track_id))
    with qtbot.waitSignal(big.evaluated, timeout=10_000):
        big.undo_stack.undo()
    big.wait_for_checks()
    assert big.result.ev == before
    same_numbers(big.result, evaluate_track(big.plan, big.current_track_id))


def test_a_sum_that_no_longer_adds_up_takes_the_full_check_and_is_a_problem(big, qtbot):
    node_id = next(n.children[0] for n in big.plan.nodes.values()
                   if n.kind == "chance" and len(n.children) >= 3
                   and type(big.plan.nodes[n.children[1]].probability) is float)
    edit_and_wait(big, qtbot, node_id, "probability", 0.999)
    assert big.result is None
    assert any("nothing is left for '#'" in str(p) for p in big.problems)


def test_an_expression_takes_the_full_check(big, qtbot):
    node_id = next(n.id for n in big.plan.nodes.values() if n.kind == "terminal")
    edit_and_wait(big, qtbot, node_id, "payoff", "scale * 1000")
    same_numbers(big.result, evaluate_track(big.plan, big.current_track_id))


def test_small_plans_evaluate_a_value_edit_from_the_patched_arrays_at_once(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "small.bwplan"
    save_plan(random_plan(300, seed=9), path)
    doc = Document()
    doc.open(path)
    patched = []
    real = document_module.patched_track
    monkeypatch.setattr(document_module, "patched_track", lambda *a: patched.append(real(*a)) or patched[-1])
    node_id = next(n.id for n in doc.plan.nodes.values() if n.kind == "terminal")
    doc.set_node_field(node_id, "payoff", -777.0)  # evaluated before the call returns
    assert patched[-1] is not None
    same_numbers(doc.result, evaluate_track(doc.plan, doc.current_track_id))
    assert doc.result.node_ev[doc.result.index[node_id]] == -777.0


def test_the_validation_after_a_value_edit_brings_its_warning(big, qtbot):
    """The numbers come first; the validation follows and its warning reaches the problems."""
    chance = next(n for n in big.plan.nodes.values()
                  if n.kind == "chance" and len(n.children) == 2
                  and big.plan.nodes[n.children[1]].probability == "#"
                  and type(big.plan.nodes[n.children[0]].probability) is float)
    with qtbot.waitSignal(big.problemsChanged, timeout=10_000):
        with qtbot.waitSignal(big.evaluated, timeout=10_000):
            big.set_node_field(chance.children[0], "probability", 1.0)
        assert big.result is not None and big.problems == []  # numbers first
    assert big.result is not None
    assert any("'#' branches get probability 0" in str(p) for p in big.problems)
    same_numbers(big.result, evaluate_track(big.plan, big.current_track_id))


def test_a_check_finishing_after_its_document_closed_is_silent(qapp, capfd):
    """Closing a window while its check runs printed "Signal source has been deleted"."""
    import shiboken6

    from app.document import _CheckJob, _CheckSignals

    signals = _CheckSignals()
    job = _CheckJob(random_plan(50), "t", 1, signals)
    shiboken6.delete(signals)
    job.run()  # must not raise
