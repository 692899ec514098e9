"""What a planner reads from `evaluate`, `simulate` and `sensitivity` (issue 10, items 6, 7, 12).

Each test asserts the words on screen: labels and titles instead of ids, ids
in brackets only where a command needs them, no "-0.0%", no "+0 points".
"""
from __future__ import annotations

import json
import re

import pytest

from app.cli import main
from conftest import SAMPLES, SHARED
from planning.files.planfile import load_plan

PEACE = str(SAMPLES / "peace-process.bwplan")
LAUNCH = str(SAMPLES / "product-launch.bwplan")
MINIMAL = str(SHARED / "examples" / "minimal.bwplan")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def section(text: str, heading: str) -> str:
    """The lines of one track's section (from its "== heading" to the next)."""
    start = text.index(f"== {heading}")
    end = text.find("\n== ", start + 1)
    return text[start:end if end > 0 else None]


# -- item 6: evaluate speaks labels ---------------------------------------------------

def test_evaluate_names_responses_and_nodes_by_their_words(capsys):
    code, out, _ = run(capsys, "evaluate", PEACE)
    assert code == 0
    ties = section(out, "Inter-state relations and end-of-war statement [track ties]")
    # the top priority of the ties track: response r_ir_2 on node ir_t1
    assert "Ratification package for allied parliaments" in ties
    assert 'for "Statement signed; armistice commission kept"' in ties
    # a late response, with its timing, instead of "LATE r_ir_5 on ir_t6"
    assert "Staffing and security plan for the liaison office: 60 days to stand up, 30 days of warning" in ties
    assert 'for "Liaison offices open in both capitals"' in ties
    # the chosen option by label, the decision with the id --from needs
    assert "End-of-war statement: how do we open? [ir_d1]" in ties
    assert "-> Propose the statement for the next leaders' meeting" in ties
    # no response or node id outside brackets
    for ident in ("r_ir_2", "r_ir_5", "ir_t1", "ir_t6", "LATE"):
        assert ident not in ties, ident


def test_every_track_heading_shows_title_and_id(capsys):
    _, out, _ = run(capsys, "evaluate", PEACE)
    plan = load_plan(PEACE)
    for track in plan.tracks:
        assert f"== {track.title} [track {track.id}]" in out


def test_no_negative_zero_and_no_zero_point_priorities(capsys):
    _, out, _ = run(capsys, "evaluate", PEACE)
    assert "-0.0%" not in out and "exposure -" not in out
    assert "+0 points" not in out and "+0 " not in out
    # items worth nothing are left out; one worth only exposure says so in words
    ties = section(out, "Inter-state relations and end-of-war statement [track ties]")
    assert "Public line and allied consultation script  (+0.36 points, exposure down 6.0%)" in ties
    assert "Send a special envoy" not in ties.split("prepare next")[1]


def test_evaluate_from_a_node_names_it(capsys):
    code, out, _ = run(capsys, "evaluate", PEACE, "--from", "ir_d2")
    assert code == 0
    assert 'as if "No date set: what next?" [ir_d2] had been reached' in out


def test_nodes_listing_pairs_ids_with_labels(capsys):
    _, out, _ = run(capsys, "evaluate", MINIMAL, "--nodes")
    assert re.search(r"t1\s+207.5\s+70.0%\s+Adoption on target", out)


# -- item 7: simulate prints a table ----------------------------------------------------

def test_simulate_prints_a_table_headed_by_the_track_title(capsys):
    code, out, _ = run(capsys, "simulate", LAUNCH, "--iterations", "2000", "--seed", "3")
    assert code == 0
    assert "{" not in out and "'mean'" not in out
    assert "2,000 iterations, seed 3" in out
    launch = section(out, "Launch timing and market response [track launch]")
    header = next(line for line in launch.splitlines() if "std dev" in line)
    assert header.split() == ["mean", "std", "dev", "5%", "median", "95%"]
    # The sample has two criteria: each criterion's expected value gets a row (issue 12).
    ev_row = next(line for line in launch.splitlines() if line.strip().startswith("Gross margin (maximize)  "))
    numbers = ev_row.split()[3:8]
    assert all(re.fullmatch(r"-?[\d,]+(\.\d{1,3})?", n) for n in numbers), ev_row  # rounded
    assert "failure exposure" in launch and "paths end in" in launch
    assert re.search(r"success \d+\.\d%, failure \d+\.\d%, neutral \d+\.\d%", launch)
    assert "When do we launch the device? [pl_d1]" in launch
    assert re.search(r"\d+\.\d%  Launch at the March trade show  \(today's best choice\)", launch)


def test_simulate_one_iteration_is_singular(capsys):
    _, out, _ = run(capsys, "simulate", MINIMAL, "--iterations", "1")
    assert "1 iteration, seed 0" in out and "1 iterations" not in out


def test_simulate_numbers_are_the_cores(capsys):
    _, text, _ = run(capsys, "simulate", MINIMAL, "--iterations", "500", "--seed", "7")
    _, js, _ = run(capsys, "simulate", MINIMAL, "--iterations", "500", "--seed", "7", "--json")
    mean = json.loads(js)["tracks"][0]["summary"]["ev"]["mean"]
    row = next(line for line in text.splitlines() if line.strip().startswith("expected value  "))
    assert float(row.split()[2].replace(",", "")) == pytest.approx(mean, rel=1e-3)


def test_simulate_columns_line_up_under_their_heads_with_one_criterion_and_two(capsys):
    """One table layout for both: each figure ends where its head ends."""
    for plan in (MINIMAL, LAUNCH):
        _, out, _ = run(capsys, "simulate", plan, "--iterations", "300", "--seed", "3")
        lines = out.splitlines()
        header = next(line for line in lines if "std dev" in line)
        ends = [header.index(head) + len(head) for head in ("mean", "std dev", "5%", "median", "95%")]
        row = next(line for line in lines if "failure exposure" in line)
        cells = [m.end() for m in re.finditer(r"-?[\d.,]+%", row)]
        assert cells == ends, (header, row)


def test_simulate_lists_eight_decisions_then_says_how_many_more(capsys, tmp_path):
    from planning.files.planfile import save_plan
    from planning.model.generate import random_plan

    path = tmp_path / "many.bwplan"
    save_plan(random_plan(400, seed=5), path)
    _, out, _ = run(capsys, "simulate", str(path), "--iterations", "200", "--seed", "1")
    block = out.split("  how often each option is best:\n")[1]
    decisions = [line for line in block.splitlines() if re.fullmatch(r"    \S.*", line)]
    assert len(decisions) == 9 and re.fullmatch(r"    \.\.\. and \d+ more decisions \(see --json\)", decisions[-1])
    assert re.search(r"\n      100\.0%  node n\d+  \(today's best choice\)\n", block)


# -- item 12 and 6: sensitivity names the track and leaves out what cannot move it ------

def test_tornado_names_the_track_and_leaves_out_other_tracks_variables(capsys):
    code, out, _ = run(capsys, "sensitivity", PEACE, "--tornado")
    assert code == 0
    assert "Track: Inter-state relations and end-of-war statement [track ties]" in out
    assert "the first of 6 tracks; --track picks another" in out
    bars = out.split("number moved (low .. high)")[1].split("Left out")[0]
    assert "[v_statement]" in bars and "[p_summit_date]" in bars
    for other in ("p_moratorium_holds", "p_council_unity", "v_freeze"):  # read by other tracks only
        assert other not in bars
    assert "Left out, as they cannot affect this track:" in out and "v_freeze" in out.split("Left out")[1]
    # labels instead of bare NODE.probability names
    assert 'chance of "Statement signed; armistice commission kept" [ir_t1.probability]' in bars
    assert "Progress points for a signed end-of-war statement" in bars


def test_tornado_json_names_the_track_and_keeps_only_its_parameters(capsys):
    _, out, _ = run(capsys, "sensitivity", PEACE, "--tornado", "--track", "sanctions", "--json")
    data = json.loads(out)
    assert data["track"] == "sanctions" and data["track_title"] == "Staged sanctions relief"
    names = [b["name"] for b in data["bars"]]
    assert "p_council_unity" in names and "v_statement" not in names
    assert "v_statement" in data["left_out"]


def test_sweep_speaks_labels_and_states_the_threshold(capsys):
    code, out, _ = run(capsys, "sensitivity", PEACE, "--sweep", "v_statement")
    assert code == 0
    assert '->' not in out and "ir_c1" not in out and "ir_c4" not in out
    assert 'best choice at "End-of-war statement: how do we open?"' in out
    assert re.search(r'At [\d.]+ the best choice at "End-of-war statement: how do we open\?" changes from '
                     r'"Open liaison offices first; keep the statement in reserve" to '
                     r'"Propose the statement for the next leaders\' meeting"\.', out)


def test_sweep_of_a_variable_another_track_reads_points_there(capsys):
    code, _, err = run(capsys, "sensitivity", PEACE, "--sweep", "p_council_unity")
    assert code == 2
    assert "does not affect track ties" in err and "--track sanctions" in err


def test_numbers_never_read_minus_zero_or_rounding_noise():
    from app.cli_text import number, percent

    assert number(-0.0) == "0" and number(-1e-13) == "0" and number(3e-17) == "0"
    assert percent(-1e-12) == "0.0%" and percent(-0.0004) == "0.0%"
    assert number(1234567.8) == "1,234,568" and number(0.001234) == "0.001234"


def test_validate_counts_agree_with_their_nouns(capsys):
    code, out, _err = run(capsys, "validate", MINIMAL)
    assert code == 0 and out.strip().endswith("valid (5 nodes, 1 track)")
    code, out, _err = run(capsys, "validate", PEACE)
    assert code == 0 and "6 tracks)" in out
