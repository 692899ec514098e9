"""Sensitivity of a plan with two criteria: the combined value, payoff2 ranges among the quantities."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import reference
import reference_rules as ref
from conftest import SAMPLES
from test_montecarlo_criteria import _plan

from app.cli import main
from planning.analyses import sensitivity_criteria as two
from planning.analyses.sensitivity import sweep, tornado
from widgets.analysis.data import compute_sensitivity

LAUNCH = SAMPLES / "product-launch.bwplan"
SIGNS = (1.0, -1.0)


def _reference(plan, changes: dict) -> float:
    """The combined value at the root with some payoffs changed, decisions re-optimised (plain recursion)."""
    one = plan.copy()
    for (node_id, field), value in changes.items():
        setattr(one.nodes[node_id], field, value)
    v1, v2 = ref.two_criteria_values(one, "d", SIGNS, plan.weight, reference.probabilities(one))
    return ref.combined(v1, v2, SIGNS, plan.weight)


@pytest.mark.parametrize("weight", [2.0, 0.7])
def test_tornado_of_the_combined_value_matches_the_reference_for_both_criteria(weight):
    plan = _plan(weight=weight)
    analysed, _ = two.analysis_plan(plan)
    result = two.rename_result(tornado(analysed, "t"))
    assert result.base_ev == pytest.approx(_reference(plan, {}))
    names = {b["name"] for b in result.bars}
    assert names == {"a.payoff", "a.payoff2", "a1.payoff", "b.payoff2", "c1.payoff", "c2.payoff2"}
    for bar in result.bars:
        node_id, field = bar["name"].split(".")
        assert bar["ev_low"] == pytest.approx(_reference(plan, {(node_id, field): bar["low"]}), abs=1e-9)
        assert bar["ev_high"] == pytest.approx(_reference(plan, {(node_id, field): bar["high"]}), abs=1e-9)


def test_sweep_of_a_payoff2_without_a_range_finds_where_the_choice_changes():
    plan = _plan(weight=1.0)
    analysed, _ = two.analysis_plan(plan, named=["a2.payoff2"])
    result = two.rename_result(sweep(analysed, two.analysis_name("a2.payoff2"), -40.0, 40.0, 9, track_id="t"))
    assert result.variable == "a2.payoff2"
    for point in result.points:
        assert point["ev"] == pytest.approx(_reference(plan, {("a2", "payoff2"): point["value"]}), abs=1e-9)


def test_sensitivity_cli_names_payoff2_by_its_criterion_and_labels_the_combined_value(capsys):
    assert main(["sensitivity", str(LAUNCH), "--tornado", "--track", "launch"]) == 0
    text = capsys.readouterr().out
    assert ("Combined value at weight 1 engineer-weeks per k$ (in engineer-weeks) 72.47; each number moved"
            in text)
    assert 'Engineering time of "Launch at the March trade show" [pl_c1.payoff2] (30 .. 55)' in text
    assert "bw_payoff" not in text and "72.47 k$" not in text  # no internal names, no criterion-1 unit
    assert main(["sensitivity", str(LAUNCH), "--tornado", "--track", "launch", "--range", "pl_t8.payoff2=0:40",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["criterion"] == "combined value at weight 1 engineer-weeks per k$ (in engineer-weeks)"
    assert "pl_t8.payoff2" in [b["name"] for b in data["bars"]]
    assert main(["sensitivity", str(LAUNCH), "--sweep", "pl_c1.payoff2", "--steps", "5"]) == 0
    text = capsys.readouterr().out
    assert 'Sweep of Engineering time of "Launch at the March trade show" [pl_c1.payoff2] from 30 to 55' in text
    assert "changes from \"Launch at the March trade show\" to \"Slip to June for another test cycle\"" in text


def test_tornado_plot_axis_and_bars_speak_of_the_combined_value(qapp, tmp_path):
    out = tmp_path / "t.svg"
    assert main(["plot", str(LAUNCH), "--kind", "tornado", "--track", "launch", "-o", str(out)]) == 0
    texts = [(t.text or "").strip() for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "Expected value (engineer-weeks, combined at weight 1 engineer-weeks per k$)" in texts
    assert any(t.startswith('Engineering time of "Launch at the Mar') for t in texts), texts
    assert not any("(k$)" in t or "bw_payoff" in t for t in texts)
    bundle = compute_sensitivity(_plan(weight=2.0), "t", parts=("tornado", "sweep"), sweep_var="b.payoff2")
    assert bundle.sweep.variable == "b.payoff2" and "sweep" not in bundle.errors
    assert {p.name for p in bundle.parameters} >= {"a.payoff2", "b.payoff2", "c2.payoff2"}


def test_sensitivity_dock_labels_the_combined_value_and_names_payoff2(qtbot):
    import pyqtgraph as pg

    from app.document import Document
    from planning.files.planfile import load_plan
    from widgets.analysis.sensitivity_view import SensitivityView

    document = Document(load_plan(LAUNCH))
    view = SensitivityView(document)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    bundle = compute_sensitivity(document.plan, "launch", parts=("tornado", "sweep"), sweep_var="pl_c1.payoff2")
    view.show_bundle(bundle)
    plots = [i for i in view.figures["tornado"].ci.items if isinstance(i, pg.PlotItem)]
    assert plots[0].getAxis("bottom").labelText.startswith("Expected value (engineer-weeks, combined at weight 1")
    assert "pl_c1.payoff2" in [row[0] for row in view.data["tornado"].rows]
    sweep = [i for i in view.figures["sweep"].ci.items if isinstance(i, pg.PlotItem)][0]
    assert sweep.getAxis("bottom").labelText == 'Engineering time of "Launch at the March trade show" (engineer-weeks)'
