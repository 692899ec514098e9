"""`branchwise plot` of a plan with two criteria: each criterion in its unit, the combined value named."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from conftest import SAMPLES
from app.cli import main
from planning.analyses.montecarlo_criteria import simulate_criteria
from planning.files.planfile import load_plan

LAUNCH = SAMPLES / "product-launch.bwplan"
SVG = "{http://www.w3.org/2000/svg}text"


def _texts(path) -> list[str]:
    return [t.text or "" for t in ET.parse(path).getroot().iter(SVG)]


def test_histogram_shows_both_criteria_in_their_units_and_the_combined_value_in_its_own(qapp, tmp_path):
    out = tmp_path / "h.svg"
    assert main(["plot", str(LAUNCH), "--kind", "histogram", "--track", "launch", "--iterations", "1500",
                 "-o", str(out)]) == 0
    shown = _texts(out)
    assert any(t.startswith("Gross margin (k$, maximize), base case 114") for t in shown), shown
    assert any(t.startswith("Engineering time (engineer-weeks, minimize), base case 41.7") for t in shown), shown
    assert any(t.startswith("Combined value at weight 1 engineer-weeks per k$ (in engineer-weeks), base case 72.5")
               for t in shown), shown
    assert not any("Expected value (k$)" in t or "Realised outcome" in t for t in shown)
    table = tmp_path / "h.csv"
    assert main(["plot", str(LAUNCH), "--kind", "histogram", "--track", "launch", "--iterations", "1500",
                 "-o", str(table)]) == 0
    with open(table, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    sim = simulate_criteria(load_plan(LAUNCH), "launch", iterations=1500, seed=0)
    for name, values in (("Gross margin (k$", sim.values[0]), ("Engineering time", sim.values[1]),
                         ("Combined value", sim.combined)):
        bars = [r for r in rows if r[0].startswith(name) and r[3] != ""]
        assert sum(int(r[3]) for r in bars) == 1500          # every iteration in one bar
        mean = next(r for r in rows if r[0].startswith(name) and r[0].endswith(" mean"))
        assert float(mean[1]) == pytest.approx(float(np.mean(values)))


def test_risk_profile_of_two_criteria_is_the_combined_values_in_its_unit(qapp, tmp_path):
    out = tmp_path / "r.svg"
    assert main(["plot", str(LAUNCH), "--kind", "risk", "--track", "launch", "--iterations", "1000",
                 "-o", str(out)]) == 0
    shown = " | ".join(_texts(out))
    assert "Value (engineer-weeks, combined at weight 1 engineer-weeks per k$)" in shown
    assert "Value (k$)" not in shown


def test_outcomes_dock_draws_both_criteria_and_status_reads_the_run(qtbot):
    from app.document import Document
    from widgets.analysis.data import simulate_chunked
    from widgets.analysis.outcome_view import OutcomeView

    document = Document(load_plan(LAUNCH))
    view = OutcomeView(document)
    qtbot.addWidget(view)
    view.resize(1000, 760)
    view.show()
    qtbot.waitExposed(view)
    sim = simulate_chunked(document.plan, "launch", 800, 2)
    assert sim.iterations == 800 and sim.seed == 2  # the run bar's status reads these
    view.show_result(sim)
    titles = [item.titleLabel.text for item in view.figures["histogram"].ci.items if hasattr(item, "titleLabel")]
    assert any(t.startswith("Gross margin (k$, maximize)") for t in titles), titles
    assert any(t.startswith("Engineering time (engineer-weeks, minimize)") for t in titles), titles
    assert any(t.startswith("Combined value at weight 1 engineer-weeks per k$") for t in titles), titles
    assert [r[0] for r in view.data["histogram"].rows][0].startswith("Gross margin")
