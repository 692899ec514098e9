"""Linked tracks (issue 15): p_success/p_failure/ev/reach across tracks, --given, circles.

The plans are small enough to compute by hand; the numbers in the comments
are that hand computation, and tests/reference.py (which never uses
planning.engine.links) must agree with the fast path.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from planning.engine import links
from planning.model.errors import PlanError
from planning.engine.evaluate import evaluate_plan, evaluate_track
from planning.model.plan import Node, Plan, Track, Variable
from planning.files.planfile import dumps_plan
from planning.model.validate import validate_plan
import reference


def chain() -> Plan:
    """Three tracks, c reads b, b reads a.

    a: aw 0.6 (+10, success) / al # (-5, failure)            ev 4, p_success .6, p_failure .4
    b: bw 0.2 + 0.5*p_success(a) = 0.5, payoff ev(a) = 4 (success)
       bl #, payoff reach(al) * -10 = -4 (failure)           ev 0, p_failure .5
    c: cw p_failure(b) = 0.5, payoff 100 / cl #, payoff ev(b) = 0   ev 50
    """
    return Plan(title="Chain", tracks=[Track("a", "Alpha", "a0"), Track("b", "Bravo", "b0"),
                                       Track("c", "Charlie", "c0")], nodes={
        "a0": Node("a0", "chance", "Alpha opens", children=["aw", "al"]),
        "aw": Node("aw", label="Alpha wins", probability=0.6, payoff=10, path="success"),
        "al": Node("al", label="Alpha loses", probability="#", payoff=-5, path="failure"),
        "b0": Node("b0", "chance", "Bravo opens", children=["bw", "bl"]),
        "bw": Node("bw", label="Bravo wins", probability='0.2 + 0.5*p_success("a")',
                   payoff='ev("a")', path="success"),
        "bl": Node("bl", label="Bravo loses", probability="#", payoff='reach("al") * -10',
                   path="failure"),
        "c0": Node("c0", "chance", "Charlie opens", children=["cw", "cl"]),
        "cw": Node("cw", label="Charlie wins", probability="p_failure('b')", payoff=100, path="success"),
        "cl": Node("cl", label="Charlie waits", probability="#", payoff='ev("b")'),
    })


def by_track(results) -> dict:
    return {r.track_id: r for r in results}


def test_base_values_follow_the_links_in_dependency_order():
    plan = chain()
    results = by_track(evaluate_plan(plan))
    assert results["a"].ev == pytest.approx(4.0)
    assert results["b"].ev == pytest.approx(0.0)
    assert results["b"].p_failure == pytest.approx(0.5)
    assert results["c"].ev == pytest.approx(50.0)
    assert links.dependency_order(plan) == ["a", "b", "c"]
    assert validate_plan(plan) == []
    ref = reference.linked(plan)
    for track_id, result in results.items():
        assert result.ev == pytest.approx(ref[track_id]["ev"])
        assert result.p_failure == pytest.approx(ref[track_id]["p_failure"])


# given -> (ev a, ev b, ev c), by hand:
#   al: a from al = -5, p_success(a) 0 -> bw .2 paying -5, bl reach(al)=1 -> -10: b -9,
#       p_failure(b) .8 -> c = .8*100 + .2*-9 = 78.2
#   aw: p_success(a) 1 (crossed a success branch) -> bw .7 paying 10, bl 0: b 7, c .3*100+.7*7 = 34.9
#   bw: b from bw = ev(a) = 4, p_failure(b) 0 -> c = 4
#   al, bl: b from bl = -10, p_failure(b) 1 -> c = 100
#   cw: only c moves, to 100
@pytest.mark.parametrize(("given", "expected"), [
    ((), (4.0, 0.0, 50.0)),
    (("al",), (-5.0, -9.0, 78.2)),
    (("aw",), (10.0, 7.0, 34.9)),
    (("bw",), (4.0, 4.0, 4.0)),
    (("al", "bl"), (-5.0, -10.0, 100.0)),
    (("cw",), (4.0, 0.0, 100.0)),
])
def test_conditioning_on_nodes_in_each_track(given, expected):
    plan = chain()
    results = by_track(links.evaluate_linked(plan, given))
    assert [results[t].ev for t in "abc"] == pytest.approx(list(expected))
    ref = reference.linked(plan, given)
    assert [ref[t]["ev"] for t in "abc"] == pytest.approx(list(expected))


def test_given_is_read_as_success_or_failure_of_the_path_that_happened():
    plan = chain()
    results = by_track(links.evaluate_linked(plan, ["al"]))
    assert links.read_as(plan, results["a"]) == {"p_success": 0.0, "p_failure": 1.0, "ev": -5.0}
    assert dict((f"{f}({a})", v) for f, a, v in links.reads_in(results["b"])) == {
        "ev(a)": -5.0, "p_success(a)": 0.0, "reach(al)": 1.0}


def test_two_given_nodes_on_different_paths_of_one_track_are_refused():
    with pytest.raises(PlanError, match="cannot happen together with 'aw'"):
        links.evaluate_linked(chain(), ["aw", "al"])


def test_reach_of_an_option_the_policy_does_not_take_is_zero():
    plan = chain()
    plan.nodes["a0"] = Node("a0", "decision", "Alpha decides", children=["aw", "al"])
    plan.nodes["aw"].probability = plan.nodes["al"].probability = None
    results = by_track(evaluate_plan(plan))  # a takes aw (10 > -5): reach(al) = 0
    assert results["b"].compiled.scopes[0].variables[2].name == 'reach("al")'
    assert results["b"].compiled.scopes[0].variables[2].value == 0.0


def test_a_circle_of_three_tracks_is_a_problem_naming_the_tracks_node_and_field():
    plan = chain()
    plan.nodes["aw"].probability = '0.5 + 0.1*p_success("c")'
    problems = [str(p) for p in validate_plan(plan)]
    assert ('"Alpha wins" [aw]: probability: p_success("c"): tracks read each other in a circle: '
            "track 'a' reads 'c', which reads 'b', which reads 'a'") in problems
    assert any(p.startswith('"Charlie wins" [cw]: probability: p_failure("b"): tracks read each other')
               for p in problems)
    with pytest.raises(PlanError, match="tracks read each other in a circle"):
        evaluate_track(plan, "c")
    with pytest.raises(PlanError, match="circle"):
        links.dependency_order(plan)


def test_a_track_may_not_read_itself():
    plan = chain()
    plan.nodes["bl"].payoff = 'ev("b")'
    assert '"Bravo loses" [bl]: payoff: ev("b"): track \'b\' cannot read itself' in [
        str(p) for p in validate_plan(plan)]
    with pytest.raises(PlanError, match="cannot read itself"):
        evaluate_track(plan, "b")


def test_a_plan_variable_is_read_by_every_track_so_it_cannot_read_one():
    plan = chain()
    plan.variables = [Variable("alpha_ev", 'ev("a")')]
    plan.nodes["cl"].payoff = "alpha_ev"
    messages = [str(p) for p in validate_plan(plan)]
    assert ("variables[0].value: ev(\"a\"): track 'a' cannot read itself "
            "(a plan variable is read by every track)") in messages


def test_a_node_variable_may_read_another_track():
    plan = chain()
    plan.nodes["c0"].variables = [Variable("bravo", 'ev("b") + 1')]
    plan.nodes["cl"].payoff = "bravo"
    assert validate_plan(plan) == []
    assert by_track(evaluate_plan(plan))["c"].ev == pytest.approx(50.5)


def test_unknown_track_and_node_are_problems_where_they_are_written():
    plan = chain()
    plan.nodes["cl"].payoff = 'ev("delta") + reach("nowhere")'
    messages = [str(p) for p in validate_plan(plan)]
    assert '"Charlie waits" [cl]: payoff: ev("delta"): no track \'delta\'' in messages
    assert '"Charlie waits" [cl]: payoff: reach("nowhere"): no node \'nowhere\' in any track' in messages


def test_a_linked_probability_out_of_range_is_reported_on_the_branch():
    plan = chain()
    plan.nodes["bw"].probability = '0.7 + p_success("a")'  # 1.3
    assert '"Bravo wins" [bw]: probability: must be between 0 and 1, got 1.3' in [
        str(p) for p in validate_plan(plan)]


def test_links_survive_a_save_and_the_graph_has_one_edge_per_reading():
    plan = chain()
    text = dumps_plan(plan)
    assert 'p_success(\\"a\\")' in text
    graph = links.dependency_graph(plan)
    assert sorted(graph.edges) == [("a", "b"), ("b", "c")]
    assert sorted(link.text for link in graph.edges["a", "b"]["links"]) == [
        'ev("a")', 'p_success("a")', 'reach("al")']
    assert links.readers_of(plan, "a") == ["b", "c"]


def ranged_chain() -> Plan:
    plan = chain()
    plan.nodes["aw"].probability_range = [0.2, 0.9]
    plan.nodes["aw"].payoff_range = [0, 20]
    return plan


def test_monte_carlo_draws_the_read_track_in_every_iteration():
    from planning.engine.montecarlo import PertSampler, simulate

    plan = ranged_chain()
    b = simulate(plan, "b", iterations=20000, seed=3)
    # b has no range of its own: all its spread comes from track a's draws
    assert b.base_ev == pytest.approx(0.0)
    assert b.ev.std() > 1.0
    # the same figure from an independent draw of a's probability (payoff at its mode):
    # ev_a = 15 pa - 5, p(bw) = .2 + .5 pa, bl pays -10 (1 - pa)
    u = np.random.default_rng(0).random((200_000, 1))
    pa = PertSampler(np.array([0.2]), np.array([0.6]), np.array([0.9]))(u)[0]
    ev_a = 15 * pa - 5
    p_bw = 0.2 + 0.5 * pa
    expected_b = p_bw * ev_a + (1 - p_bw) * -10 * (1 - pa)
    assert b.ev.mean() == pytest.approx(expected_b.mean(), abs=0.1)
    c = simulate(plan, "c", iterations=20000, seed=3)
    expected_c = (1 - p_bw) * 100 + p_bw * expected_b
    assert c.ev.mean() == pytest.approx(expected_c.mean(), abs=0.3)
    # reproducible, and the same draws whatever the chunk
    again = simulate(plan, "c", iterations=20000, seed=3, chunk=1000)
    assert np.allclose(again.ev, c.ev)


def test_tornado_of_a_reading_track_has_the_read_tracks_ranges():
    from planning.analyses.sensitivity import tornado

    plan = ranged_chain()
    bars = {bar["name"]: bar for bar in tornado(plan, "c").bars}
    # by hand at pa = .2: ev_a -2, p(bw) .3, bl -8: ev_b -6.2, p_failure(b) .7 -> c 70 + .3*-6.2
    assert bars["aw.probability"]["ev_low"] == pytest.approx(68.14)
    # aw pays 0: ev_a -2 -> ev_b = .5*-2 + .5*-4 = -3 -> c 50 + .5*-3
    assert bars["aw.payoff"]["ev_low"] == pytest.approx(48.5)
    assert bars["aw.payoff"]["ev_high"] == pytest.approx(51.5)
    b_bars = {bar["name"]: bar for bar in tornado(plan, "b").bars}
    assert b_bars["aw.probability"]["ev_low"] == pytest.approx(-6.2)


def test_cli_tornado_of_a_reading_track_names_what_moves_it(tmp_path, capsys):
    from app.main import main

    path = tmp_path / "chain.bwplan"
    path.write_text(dumps_plan(ranged_chain()), encoding="utf-8")
    assert main(["sensitivity", str(path), "--track", "c", "--tornado"]) == 0
    out = capsys.readouterr().out
    assert 'chance of "Alpha wins" [aw.probability] (0.2 .. 0.9)' in out
    assert "Left out" not in out


# -- the command line ---------------------------------------------------------------------

def run_cli(tmp_path, capsys, *args) -> str:
    from app.main import main

    path = tmp_path / "chain.bwplan"
    path.write_text(dumps_plan(chain()), encoding="utf-8")
    code = main(["evaluate", str(path), *args])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_cli_given_json_matches_the_hand_computation(tmp_path, capsys):
    out = json.loads(run_cli(tmp_path, capsys, "--json", "--given", "al"))
    tracks = {t["id"]: t for t in out["tracks"]}
    assert tracks["a"]["given"] == "al"
    assert tracks["a"]["read_as"] == {"p_success": 0.0, "p_failure": 1.0, "ev": -5.0}
    assert tracks["b"]["ev"] == pytest.approx(-9.0)
    assert tracks["b"]["reads"] == {'ev("a")': -5.0, 'p_success("a")': 0.0, 'reach("al")': 1.0}
    assert tracks["c"]["ev"] == pytest.approx(78.2)


def test_cli_given_text_says_what_happened_and_what_each_track_reads(tmp_path, capsys):
    out = run_cli(tmp_path, capsys, "--given", "al", "--given", "bl")
    assert 'as if these had happened: "Alpha loses" [al] in Alpha [track a]; ' \
           '"Bravo loses" [bl] in Bravo [track b]' in out
    assert '== Bravo [track b], as if "Bravo loses" [bl] had been reached' in out
    assert "as other tracks read it: ends in success 0.0%, in failure 100.0%" in out
    assert "track Bravo ends in failure: 100.0%" in out
    assert '"Alpha loses" [al] is reached: 100.0%' in out


def test_cli_base_text_lists_what_a_track_reads(tmp_path, capsys):
    out = run_cli(tmp_path, capsys)
    assert "reads from other tracks:" in out
    assert "track Alpha ends in success: 60.0%" in out
    assert "expected value of track Alpha: 4" in out


def test_cli_given_refuses_an_unknown_node(tmp_path, capsys):
    from app.main import main

    path = tmp_path / "chain.bwplan"
    path.write_text(dumps_plan(chain()), encoding="utf-8")
    assert main(["evaluate", str(path), "--given", "zz"]) != 0
    assert "no node 'zz' in the plan" in capsys.readouterr().err


def test_peace_process_sample_links_as_domain_describes():
    from planning.files.templates import sample_text
    from planning.files.planfile import loads_plan

    plan = loads_plan(sample_text("peace-process"))
    graph = links.dependency_graph(plan)
    assert ("nuclear", "sanctions") in graph.edges and ("ties", "regional") in graph.edges
    base = by_track(evaluate_plan(plan))
    verified = by_track(links.evaluate_linked(plan, ["nuc_t1"]))
    spiral = by_track(links.evaluate_linked(plan, ["nuc_t4"]))
    # a verified freeze makes relief likelier to be reciprocated; a spiral of tests
    # makes holding pressure the better choice
    assert verified["sanctions"].ev > base["sanctions"].ev > spiral["sanctions"].ev
    assert spiral["sanctions"].policy["sanc_d1"] == "sanc_c5"
    assert base["sanctions"].policy["sanc_d1"] == "sanc_c1"
    signed = by_track(links.evaluate_linked(plan, ["ir_t1"]))
    hostile = by_track(links.evaluate_linked(plan, ["ir_t4"]))
    assert signed["regional"].ev > base["regional"].ev > hostile["regional"].ev


# -- the plan's map: export and report ------------------------------------------------------

def test_export_dot_tracks_level_draws_an_arrow_per_link_with_figures(tmp_path, capsys):
    from app.main import main

    path = tmp_path / "chain.bwplan"
    path.write_text(dumps_plan(chain()), encoding="utf-8")
    assert main(["export", str(path), "--format", "dot", "--level", "tracks", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph tracks {")
    assert '"a" -> "b" [label="ev, p_success, reach “Alpha loses”"];' in out
    assert '"b" -> "c" [label="p_failure, ev"];' in out
    assert '"c" [label="Charlie\\nEV 50 · failure readiness 100%"];' in out
    assert main(["export", str(path), "--format", "svg", "--level", "tracks", "-o", "-"]) != 0
    assert "--level tracks applies to dot only" in capsys.readouterr().err


def test_tracks_map_orders_read_tracks_first():
    from planning.sharing.track_map import track_map

    boxes, arrows = track_map(chain(), given=["al"])
    assert [(b.id, b.x) for b in boxes] == [("a", 0.0), ("b", 1.0), ("c", 2.0)]
    assert [b.ev for b in boxes] == pytest.approx([-5.0, -9.0, 78.2])
    assert boxes[0].given == "al" and boxes[0].p_failure == 1.0
    assert [(a.read, a.reader) for a in arrows] == [("a", "b"), ("b", "c")]


def test_html_report_shows_how_the_tracks_lean_on_each_other(tmp_path):
    from planning.sharing.report import build_report, render_html, render_markdown

    report = build_report(chain())
    html = render_html(report)
    assert "<h2>How the tracks lean on each other</h2>" in html
    assert "<svg" in html and "EV 50 · failure readiness 100%" in html
    assert "<td>Charlie</td><td>p_failure, ev</td><td>Bravo</td>" in html.replace("\n", "")
    assert "<svg" not in render_html(report, for_pdf=True)  # Qt's rich text: the table only
    assert "| Bravo | ev, p\\_success, reach “Alpha loses” | Alpha |" in render_markdown(report)


def test_pdf_report_draws_the_map_of_linked_tracks(tmp_path, capsys):
    import shutil
    import subprocess

    from app.main import main

    if not (shutil.which("pdftotext") and shutil.which("pdfimages")):
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "chain.bwplan"
    path.write_text(dumps_plan(chain()), encoding="utf-8")
    pdf = tmp_path / "chain.pdf"
    assert main(["export", str(path), "-o", str(pdf)]) == 0
    # after the three tracks (a page each), the map has a page of its own
    text = subprocess.run(["pdftotext", "-f", "4", "-l", "4", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert text.startswith("How the tracks lean on each other")
    images = subprocess.run(["pdfimages", "-list", "-f", "4", "-l", "4", str(pdf)],
                            capture_output=True, text=True).stdout.splitlines()[2:]
    width, height = (int(v) for v in images[0].split()[3:5])
    assert width > 2 * height  # three boxes in a row: wider than tall
