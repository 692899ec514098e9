"""`branchwise evaluate` rule options and `branchwise league` (issue 12), as a user reads them."""
from __future__ import annotations

import csv
import io
import json
import math

import pytest

from app.cli import main
from conftest import SAMPLES, SHARED
from planning.files.importers import silverdecisions as sd

LAUNCH = str(SAMPLES / "product-launch.bwplan")
PEACE = str(SAMPLES / "peace-process.bwplan")
FILES = SHARED / "peers" / "silverdecisions"
GOOD = sorted(p.name for p in FILES.glob("*.json") if "_fail" not in p.stem)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_league_text_names_policies_units_and_verdicts(capsys):
    code, out, _ = run(capsys, "league", LAUNCH, "--track", "launch")
    assert code == 0
    assert "Gross margin (maximize, k$) and Engineering time (minimize, engineer-weeks)" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line[:3].strip().isdigit()}
    assert "extendedly dominated (a mix of rows 1 and 4 is better)" in rows["2"]
    assert "dominated by row 4" in rows["3"]
    assert "best at weight 1" in rows["4"] and "0.4634" in rows["4"] and "114.2 k$" in rows["4"]
    assert "41.68 engineer-weeks" in rows["4"]
    assert "4. When do we launch the device? -> Launch at the March trade show" in out
    assert "pl_d1" not in out  # labels, not ids


def test_league_json_and_csv_keep_ids_and_precision(capsys):
    code, out, _ = run(capsys, "league", LAUNCH, "--track", "launch", "--json", "--weight", "Infinity")
    assert code == 0
    (track,) = json.loads(out)["tracks"]
    assert track["weight"] == "Infinity" and track["weight_range"] == [0.25, 4]
    rows = {r["id"]: r for r in track["rows"]}
    assert rows["4"]["policy_ids"] == {"pl_d1": "pl_c1"}
    assert rows["3"]["dominated_by"] == "4" and rows["2"]["extended_dominated_by"] == ["1", "4"]
    assert rows["4"]["icer"] == pytest.approx((41.68 - 5) / (114.15 - 35))
    assert [r["id"] for r in track["rows"] if r["optimal_for_weight"]] == ["4"]
    code, out, _ = run(capsys, "league", LAUNCH, "--track", "launch", "--csv", "--weight-range", "0:0.3")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["optimal"] for r in table] == ["true", "false", "false", "false"]
    assert table[0]["policy"] == "When do we launch the device? -> License the design to a partner brand"


def test_league_refuses_one_criterion_and_bad_weights(capsys):
    code, _, err = run(capsys, "league", PEACE)
    assert code == 1 and "two criteria" in err
    code, out, _ = run(capsys, "league", PEACE, "--track", "security", "--senses", "maximize,minimize")
    assert code == 0 and "row" in out
    code, _, err = run(capsys, "league", LAUNCH, "--weight", "-2")
    assert code == 2 and "--weight" in err
    code, _, err = run(capsys, "league", LAUNCH, "--weight-range", "3:1")
    assert code == 2


def test_evaluate_json_gains_rule_value_values_and_combined(capsys):
    code, out, _ = run(capsys, "evaluate", LAUNCH, "--json")
    launch = json.loads(out)["tracks"][0]
    assert launch["rule_value"] == pytest.approx(launch["combined"])
    assert launch["values"] == pytest.approx([launch["ev"], 41.68])
    code, out, _ = run(capsys, "evaluate", LAUNCH, "--json", "--rule", "worst-case")
    launch = json.loads(out)["tracks"][0]
    assert "values" not in launch  # a rule judges criterion 1 alone
    assert launch["policy"]["pl_d1"] == "pl_t7" and launch["rule_value"] == 60  # the soft launch: no bad branch
    code, out, _ = run(capsys, "evaluate", PEACE, "--json")
    for track in json.loads(out)["tracks"]:
        assert track["rule_value"] == track["ev"]


def test_evaluate_text_shows_both_criteria_with_units(capsys):
    code, out, _ = run(capsys, "evaluate", LAUNCH, "--track", "launch")
    assert "two criteria            Gross margin 114.2 k$ (maximize), Engineering time 41.68 engineer-weeks (minimize)" in out
    code, out, _ = run(capsys, "evaluate", LAUNCH, "--track", "launch", "--rule", "best-case")
    assert "best-case value         260 k$" in out  # -80 + 320 + half of the second shift's 40


def _cases():
    for name in GOOD:
        for tree, values in enumerate(sd.stored_rule_values(json.loads((FILES / name).read_text("utf-8")))):
            for rule in values:
                yield name, tree, rule


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sd")
    out = {}
    for name in GOOD:
        target = folder / (name + ".bwplan")
        assert main(["import", str(FILES / name), "-o", str(target)]) == 0
        out[name] = str(target)
    return out


@pytest.mark.parametrize("name, tree, rule", list(_cases()))
def test_cli_evaluate_gives_every_rule_the_file_stores(capsys, imported, name, tree, rule):
    capsys.readouterr()
    stored = sd.stored_rule_values(json.loads((FILES / name).read_text("utf-8")))[tree][rule]
    if rule in sd.RULES:
        rule_name, objective = sd.RULES[rule]
        options = ["--rule", rule_name, "--objective", objective]
    else:
        options = ["--senses", ",".join(sd.TWO_CRITERIA_RULES[rule])]
    code, out, _ = run(capsys, "evaluate", imported[name], "--json", *options)
    assert code == 0
    track = json.loads(out)["tracks"][tree]
    got = [track["rule_value"]] if rule in sd.RULES else track["values"]
    assert got == pytest.approx(stored, rel=1e-9, abs=1e-12)
    assert all(math.isfinite(v) for v in got)


def test_evaluate_text_says_how_the_combined_value_is_made(capsys):
    code, out, _ = run(capsys, "evaluate", LAUNCH, "--track", "launch")
    assert "combined value          72.47   (1 x Gross margin - Engineering time)" in out
    code, out, _ = run(capsys, "evaluate", LAUNCH, "--track", "launch", "--weight", "Infinity")
    assert "(weight Infinity: Gross margin alone)" in out


def test_league_csv_cells_cannot_run_as_formulas(tmp_path, capsys):
    from planning.files.planfile import dumps_plan, load_plan

    plan = load_plan(LAUNCH)
    plan.criteria[1].name = "=HYPERLINK(1)"
    plan.nodes["pl_t8"].label = "+SUM(A1)"
    path = tmp_path / "evil.bwplan"
    path.write_text(dumps_plan(plan), encoding="utf-8")
    code, out, _ = run(capsys, "league", str(path), "--track", "launch", "--csv")
    header, first = list(csv.reader(io.StringIO(out)))[:2]
    assert header[3] == "'=HYPERLINK(1)"
    assert not first[1].startswith(("=", "+", "-", "@"))
