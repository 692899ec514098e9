"""Importing SilverDecisions files: real files from the SilverDecisions project
(read from shared/peers/silverdecisions, never copied) must evaluate to the
expected values and policies those files store, and broken files must be
refused with messages that say what is wrong and where."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from planning.files import importers
from planning.model.errors import PlanError, PlanFileError
from planning.engine.evaluate import evaluate_track
from planning.files.importers import (
    import_silverdecisions,
    loads_silverdecisions,
    plan_from_silverdecisions,
    stored_results,
)
from planning.files.importers import silverdecisions as sd
from planning.model.plan import CHANCE, DECISION, MAXIMIZE, NEUTRAL, TERMINAL
from planning.files.planfile import dumps_plan, loads_plan
from planning.engine.rules import with_options
from planning.model.validate import validate_plan

FILES = SHARED / "peers" / "silverdecisions"
DEMOS = ["sample-tree.json", "policies.json", "rockefellerWithParams.json",
         "rockefellerWithParamsNoRandom.json"]
GOOD = sorted(p.name for p in FILES.glob("*.json") if "_fail" not in p.stem)
SOFT_FAIL = sorted(p.name for p in FILES.glob("*_fail.json"))
HARD_FAIL = sorted(p.name for p in FILES.glob("*_fail_hard.json"))


def errors(plan) -> list[str]:
    return [str(p) for p in validate_plan(plan) if p.severity == "error"]


def raw(name: str) -> dict:
    return json.loads((FILES / name).read_text(encoding="utf-8"))


def sd_file(*trees, code: str = "", scope: dict | None = None, **top) -> dict:
    """A minimal SilverDecisions 0.8 file holding ``trees``."""
    return {"SilverDecisions": "0.8.0", "title": "t", **top,
            "data": {"trees": list(trees), "code": code, "expressionScope": scope or {}}}


def node(kind: str, *edges, name: str = "", code: str = "", scope: dict | None = None) -> dict:
    result = {"type": kind, "name": name, "childEdges": list(edges), "code": code}
    if scope is not None:
        result["expressionScope"] = scope
    return result


def edge(child: dict, payoff=0, probability=None, name: str = "") -> dict:
    result = {"name": name, "payoff": payoff, "childNode": child}
    if probability is not None:
        result["probability"] = probability
    return result


def test_the_shared_files_are_there():
    # The file-driven tests below would pass vacuously on an empty folder.
    assert set(DEMOS) <= set(GOOD)
    assert len(GOOD) >= 8 and len(SOFT_FAIL) >= 2 and len(HARD_FAIL) >= 4


# -- stored numbers -------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("1 3704647/4042689", 1 + 3704647 / 4042689), ("-12/5", -2.4), ("-4 1973731/5073127", -(4 + 1973731 / 5073127)),
    ("0", 0.0), ("9", 9.0), ("0.5", 0.5), (3, 3.0), (0.25, 0.25), (["2 1/3"], 7 / 3), ("+7/10", 0.7)])
def test_parse_number_reads_exact_fractions(text, value):
    assert sd.parse_number(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "1/0", "1 2", None, True, [], {"a": 1}, "1e999", float("nan")])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        sd.parse_number(text)


# -- real files: the stored expected value and policy come back ----------------------------------
@pytest.mark.parametrize("name", GOOD)
def test_real_file_evaluates_to_the_values_it_stores(name):
    plan = import_silverdecisions(FILES / name)
    stored = stored_results(raw(name))
    assert [t.id for t in plan.tracks] == [s["track"] for s in stored]
    assert errors(plan) == []
    for track, expected in zip(plan.tracks, stored):
        assert track.root == expected["root"]
        assert expected["ev"] is not None, "every good file stores its expected value"
        # The import keeps the file's rule; the stored "ev" is expected-value-maximization's.
        result = evaluate_track(with_options(plan, rule="expected", objective="maximize"), track.id)
        assert result.ev == pytest.approx(expected["ev"], rel=1e-9, abs=1e-12)
        # SilverDecisions marks every option of a tie optimal; Branchwise takes the
        # first of a tie (DESIGN), which must be one of the marked ones.
        for decision, options in expected["policy"].items():
            assert plan.node(decision).kind == DECISION
            assert result.policy[decision] in options, (decision, options)


def test_stored_policies_are_read_from_the_optimal_marks():
    # policies.json: A's options 2 and 3 tie at 1/2, D's options tie at 0, F takes option 1.
    (tree,) = stored_results(raw("policies.json"))
    assert tree["ev"] == 0.5
    plan = import_silverdecisions(FILES / "policies.json")
    labels = {d: sorted(plan.node(o).label for o in opts) for d, opts in tree["policy"].items()}
    assert labels == {"sd1": ["2: B", "3: C"], "sd7": ["1", "2"], "sd11": ["1"]}
    assert evaluate_track(plan).policy == {"sd1": "sd3", "sd7": "sd8", "sd11": "sd12"}


def test_sample_tree_is_converted_node_by_node():
    plan = import_silverdecisions(FILES / "sample-tree.json")
    assert plan.title == "Diagram title"
    assert plan.description.startswith("Diagram description zażółć gęślą jaźń")
    assert plan.objective == MAXIMIZE
    assert plan.extra["imported_from"] == {"tool": "SilverDecisions", "version": "0.5.1"}
    (track,) = plan.tracks
    assert (track.id, track.title, track.root) == ("tree1", "game dilemma", "sd1")
    assert list(plan.nodes) == ["sd1", "sd2", "sd3", "sd4", "sd5"]
    root, play, win, lose, leave = plan.nodes.values()
    assert (root.kind, root.children) == (DECISION, ["sd2", "sd5"])
    assert (play.kind, play.label, play.payoff, play.children) == (CHANCE, "play", -1.0, ["sd3", "sd4"])
    assert (win.kind, win.label, win.probability, win.payoff, win.path) == (TERMINAL, "win", "p", "a", NEUTRAL)
    assert (lose.probability, lose.payoff, lose.path) == ("#", 0.0, NEUTRAL)
    assert (leave.label, leave.payoff, leave.probability) == ("leave", 0.0, None)
    p, a = plan.variables
    # p = random(0,1): the draw stored in the file, with its range
    assert (p.name, p.value, p.range) == ("p", 0.291638189333878, (0.0, 1.0))
    assert "random(0,1)" in p.description and "drawn" in p.description
    assert (a.name, a.value, a.range) == ("a", 10.0, None)
    result = evaluate_track(plan)
    assert result.ev == pytest.approx(-1 + 10 * 0.291638189333878, rel=1e-12)
    assert result.policy == {"sd1": "sd2"}


def test_node_code_becomes_variables_of_the_subtree_and_comments_go():
    plan = import_silverdecisions(FILES / "variables_pass.json")
    root, flipped = plan.node("sd1"), plan.node("sd2")
    assert [(v.name, v.value) for v in root.variables] == [("up", 1.0), ("down", 0.0)]
    assert [(v.name, v.value) for v in flipped.variables] == [("up", 0.0), ("down", 1.0)]
    # "down # reversed": the math.js comment is dropped
    assert [plan.node(c).payoff for c in flipped.children] == ["up", "down"]
    p = plan.variables[0]
    assert (p.value, p.range) == (0.8733215538658357, (0.0, 1.0))
    result = evaluate_track(plan)
    assert result.node_ev[result.index["sd2"]] == pytest.approx(1 - p.value)
    assert result.ev == pytest.approx(p.value)


def test_random_range_and_stored_draw_of_rockefeller():
    plan = import_silverdecisions(FILES / "rockefellerWithParams.json")
    pr = plan.variables[0]
    assert (pr.name, pr.value, pr.range) == ("pr", 0.5502678439655895, (0.1, 0.9))
    assert "random(0.1, 0.9)" in pr.description
    assert [(v.name, v.value) for v in plan.node("sd1").variables] == [("pplus", "pr*sens+(1-pr)*(1-spec)")]
    assert plan.title == "Problem inwestycyjny" and plan.value_unit == "USD"
    # a label keeps both names: edge "+" into decision "B"
    assert plan.node("sd7").label == "+: B"


def test_functions_branchwise_lacks_take_the_value_stored_in_the_file():
    plan = import_silverdecisions(FILES / "differentrulesandflip_pass.json")
    tak = plan.node("sd10")  # probability abs(sin(d)), d = 4
    assert tak.probability == pytest.approx(abs(math.sin(4)), rel=1e-9)
    assert "abs(sin(d))" in tak.notes and "stored in the file" in tak.notes
    # e = 0.7 is a variable here and wins over the constant e
    assert plan.node("sd12").probability == pytest.approx(math.sin(0.7), rel=1e-9)
    assert plan.node("sd2").payoff == "-exp(b)"
    # the file's own rule is mini-max: worst case, minimising (issue 12 keeps it)
    assert (plan.rule, plan.objective) == ("worst-case", "minimize")
    assert plan.extra["silverdecisions"]["rule"] == "mini-max"
    best_ev = with_options(plan, rule="expected", objective="maximize")
    assert evaluate_track(best_ev).ev == pytest.approx(-math.exp(2) + 0.5 * 11.6 + 0.5 * 17.1, rel=1e-12)


def test_two_criteria_files_keep_both_payoffs_names_and_weights():
    plan = import_silverdecisions(FILES / "rockefellerWithParamsNoRandom.json")
    assert plan.node("sd2").payoff == 750.0  # ["750", 0]
    assert plan.node("sd2").payoff2 == 0.0
    plan = import_silverdecisions(FILES / "payoffrules_pass.json")
    assert [(c.name, c.sense) for c in plan.criteria] == [("Cost", "maximize"), ("Effect", "maximize")]
    assert plan.extra["silverdecisions"]["rule"] == "max-max"
    plan = import_silverdecisions(FILES / "mcdm.json")
    assert [(c.name, c.sense) for c in plan.criteria] == [("Effect", "maximize"), ("Cost", "minimize")]
    assert plan.weight == 1.0 and plan.weight_range is None  # bounds 0 and Infinity: the default
    assert any(node.payoff2 != 0 for node in plan.nodes.values())
    again = loads_plan(dumps_plan(plan))
    assert again.criteria == plan.criteria and again.weight == plan.weight


@pytest.mark.parametrize("rule, expected", [
    ("expected-value-maximization", ("expected", "maximize")),
    ("expected-value-minimization", ("expected", "minimize")),
    ("maxi-min", ("worst-case", "maximize")), ("maxi-max", ("best-case", "maximize")),
    ("mini-max", ("worst-case", "minimize")), ("mini-min", ("best-case", "minimize"))])
def test_single_criterion_rules_become_rule_and_objective(rule, expected):
    data = raw("policies.json")
    data["rule"] = rule
    plan = plan_from_silverdecisions(data)
    assert (plan.rule, plan.objective) == expected
    assert plan.criteria == []


def test_weight_bounds_are_kept():
    data = raw("mcdm.json")
    data["data"].update(defaultCriterion1Weight="2 1/2", weightLowerBound="1/2", weightUpperBound=40)
    plan = plan_from_silverdecisions(data)
    assert plan.weight == 2.5 and plan.weight_range == (0.5, 40.0)
    assert '"weight_range": [0.5, 40]' in dumps_plan(plan)


def _stored_cases():
    for name in GOOD:
        for tree, values in enumerate(sd.stored_rule_values(raw(name))):
            for rule in values:
                yield name, tree, rule


@pytest.mark.parametrize("name, tree, rule", list(_stored_cases()))
def test_every_rule_gives_the_root_value_the_file_stores(name, tree, rule):
    """DESIGN: expected-value-maximization is rule expected + maximize, maxi-min
    worst-case + maximize, max-min the senses maximize, minimize with the file's weight..."""
    plan = import_silverdecisions(FILES / name)
    stored = sd.stored_rule_values(raw(name))[tree][rule]
    track = plan.tracks[tree].id
    if rule in sd.RULES:
        rule_name, objective = sd.RULES[rule]
        result = evaluate_track(with_options(plan, rule=rule_name, objective=objective), track)
        assert result.rule_value == pytest.approx(stored[0], rel=1e-9, abs=1e-12)
    else:
        result = evaluate_track(with_options(plan, senses=sd.TWO_CRITERIA_RULES[rule]), track)
        assert list(result.values) == pytest.approx(stored, rel=1e-9, abs=1e-12)


def test_every_rule_of_every_file_is_checked():
    # The files store all ten rules where SilverDecisions had them; none is skipped.
    cases = list(_stored_cases())
    assert len(cases) >= 60
    assert {rule for _, _, rule in cases} == set(sd.RULES) | set(sd.TWO_CRITERIA_RULES)


@pytest.mark.parametrize("name", DEMOS)
def test_imported_plans_survive_a_plan_file_round_trip(name):
    plan = import_silverdecisions(FILES / name)
    again = loads_plan(dumps_plan(plan))
    assert evaluate_track(again).ev == pytest.approx(evaluate_track(plan).ev, rel=1e-12)
    assert again.extra["imported_from"]["tool"] == "SilverDecisions"


# -- files that must be refused or reported -------------------------------------------------------
def test_badchance_fail_loads_and_reports_both_chance_nodes():
    plan = import_silverdecisions(FILES / "badchance_fail.json")
    found = errors(plan)
    assert "node sd2: probability: siblings sum to 1.299" in found
    assert "node sd5: children: chance node needs at least one branch" in found
    with pytest.raises(PlanError, match="node sd5: children: chance node needs at least one branch"):
        evaluate_track(plan)


def test_probability_in_chance_node_fail_reports_the_lone_branch():
    plan = import_silverdecisions(FILES / "probabilityinchancenode_fail.json")
    assert errors(plan) == ["node sd5: probability: siblings sum to 0.587787262053"]
    with pytest.raises(PlanError, match=r"node sd5: probability: siblings sum to 0\.5877"):
        evaluate_track(plan)


def test_every_soft_fail_file_loads_and_is_reported():
    for name in SOFT_FAIL:
        plan = import_silverdecisions(FILES / name)
        assert errors(plan), name
        with pytest.raises(PlanError):
            for track in plan.tracks:
                evaluate_track(plan, track.id)


@pytest.mark.parametrize("name, message", [
    ("badx_fail_hard.json", "badx_fail_hard.json: not valid JSON at line 504, column 18: Invalid control character"),
    ("malformed_json_fail_hard.json", "not valid JSON at line 3, column 3: Expecting ',' delimiter"),
    ("notjson_fail_hard.json", "notjson_fail_hard.json: not valid JSON at line 1, column 1: Expecting value"),
    ("not_silverdecisions_file_fail_hard.json",
     "not a SilverDecisions file: it has no 'SilverDecisions' version field"),
])
def test_hard_fail_files_are_refused_with_a_clear_message(name, message):
    with pytest.raises(PlanFileError) as caught:
        import_silverdecisions(FILES / name)
    assert message in str(caught.value)
    assert not isinstance(caught.value, PlanError)


def test_every_hard_fail_file_is_refused():
    for name in HARD_FAIL:
        with pytest.raises(PlanFileError, match=f"^{name}: "):
            import_silverdecisions(FILES / name)
        with pytest.raises(PlanFileError, match="^<text>: "):
            loads_silverdecisions((FILES / name).read_text(encoding="utf-8"))


BUY = node("decision", edge(node("terminal")), name="Buy?")


@pytest.mark.parametrize("broken, message", [
    ([1, 2], "not a SilverDecisions file: the top level is a list"),
    ({"SilverDecisions": 8, "trees": []}, "the version must be text"),
    ({"SilverDecisions": "0.8.0", "data": []}, "data: must be an object, got a list"),
    ({"SilverDecisions": "0.8.0", "data": {}}, "the file has no 'trees' list"),
    (sd_file(), "the file holds no decision tree"),
    (sd_file("root"), "tree 1: must be an object (a node), got 'root'"),
    (sd_file(node("fork")), "tree 1, node sd1: type: unknown node type 'fork' (expected decision, chance or terminal)"),
    (sd_file({"name": "x"}), "tree 1, node 'x': type: missing"),
    (sd_file(BUY, {**BUY, "childEdges": [edge(node("terminal")), {"payoff": {"x": 1}, "childNode": node("terminal")}]}),
     "tree 2, node 'Buy?': edge 2: payoff: must be a number or an expression, got an object"),
    (sd_file({**BUY, "childEdges": [{"name": "e"}]}), "tree 1, node 'Buy?': edge 1: has no childNode"),
    (sd_file({**BUY, "childEdges": {"a": 1}}), "tree 1, node 'Buy?': childEdges: must be a list"),
    (sd_file(node("chance", edge(node("terminal"), probability=True))),
     "node sd1: edge 1: probability: must be a number"),
    (sd_file(node("decision", edge([]))),
     "tree 1, node sd1: edge 1: childNode: must be an object (a node), got a list"),
    (sd_file({**BUY, "code": 5}), "tree 1, node 'Buy?': code: must be text, got 5"),
    (sd_file({**BUY, "name": ["a"]}), "tree 1: name: must be text"),
])
def test_broken_structure_is_refused_naming_the_place(broken, message):
    with pytest.raises(PlanFileError) as caught:
        loads_silverdecisions(json.dumps(broken), source="broken.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("broken.json: ")


def test_stored_results_refuses_what_is_not_a_silverdecisions_file():
    with pytest.raises(PlanFileError, match="not a SilverDecisions file"):
        stored_results({"trees": []})


# -- expressions and code ----------------------------------------------------------------------
def chance_with(payoff: str, code: str, scope: dict | None = None, node_code: str = "") -> dict:
    """A chance node whose one branch has ``payoff``."""
    return sd_file(node("chance", edge(node("terminal"), payoff=payoff, probability="1"), code=node_code),
                   code=code, scope=scope)


@pytest.mark.parametrize("code, payoff, value", [
    ("x = 3", "2x", 6.0),                        # implicit multiplication
    ("x = 3", "2(x+1)", 8.0),
    ("x = 3", "(x)(x)", 9.0),
    ("x = 7", "x mod 4", 3.0),
    ("", "2*PI", 2 * math.pi),
    ("", "E^2", math.e ** 2),
    ("x = 1; y = x + 1 # two", "y*10", 20.0),     # ';' separators and comments
    ("x = 1\nx = x + 1\nx = 3x", "x", 6.0),       # a name assigned again
    ("zysk_ą = 4", "zysk_ą / 2", 2.0),            # a name Branchwise cannot spell
    ("$a = 5", "$a + 1", 6.0),
    ("r = 1.5e2", "r", 150.0),
    ("k = 2", "k > 1 ? k^3 : 0", 8.0),
    ("", "max(1, 4, 2) + min(3, 5) + abs(-2) + sqrt(16) + log(e) + pow(2, 3) + floor(2.7)", 4 + 3 + 2 + 4 + 1 + 8 + 2),
])
def test_math_js_expressions_are_converted(code, payoff, value):
    plan = plan_from_silverdecisions(chance_with(payoff, code))
    assert errors(plan) == []
    assert evaluate_track(plan).ev == pytest.approx(value, rel=1e-12)


def test_code_branchwise_cannot_compute_takes_the_stored_value():
    plan = plan_from_silverdecisions(chance_with("x + y + z", "x = sin(2)\ny = normal(0, 1)\nz = 3*random()",
                                                 scope={"x": math.sin(2), "y": 0.25, "z": 1.5}))
    x, y, z = plan.variables
    assert (x.value, y.value, z.value) == (math.sin(2), 0.25, 1.5)
    assert "sin(2)" in x.description and "stored in the file" in x.description
    assert evaluate_track(plan).ev == pytest.approx(math.sin(2) + 1.75)


def test_random_without_a_stored_draw_takes_the_middle():
    plan = plan_from_silverdecisions(chance_with("x", "x = random(2, 4)"))
    (x,) = plan.variables
    assert (x.value, x.range) == (3.0, (2.0, 4.0))
    assert "no drawn value" in x.description


def test_an_expression_nothing_can_compute_is_kept_and_reported():
    plan = plan_from_silverdecisions(chance_with("cos(1)", ""))
    branch = plan.node("sd2")
    assert branch.payoff == "cos(1)" and "could not be converted" in branch.notes
    assert any("unknown function 'cos'" in e for e in errors(plan))
    with pytest.raises(PlanError, match="node sd2: payoff"):
        evaluate_track(plan)


def test_an_edge_reads_the_scope_of_the_node_it_leaves():
    # SilverDecisions evaluates an edge in its parent's scope: "k*10" reads the
    # decision's k = 2, while the branches below the chance node read k = 5.
    tree = node("decision",
                edge(node("chance", edge(node("terminal"), payoff="k", probability="1/2"),
                          edge(node("terminal"), payoff=0, probability="#"), code="k = 5"), payoff="k*10"),
                edge(node("terminal"), payoff=1), code="k = 2")
    plan = plan_from_silverdecisions(sd_file(tree))
    assert errors(plan) == []
    chance = plan.node("sd2")
    assert [(v.name, v.value) for v in chance.variables] == [("k", 5.0)]
    assert plan.node("sd1").variables[-1].value == "k*10"
    assert evaluate_track(plan).ev == pytest.approx(2 * 10 + 0.5 * 5)


def test_labels_use_edge_and_node_names():
    tree = node("decision", edge(node("terminal", name="Deal"), name="Sign"),
                edge(node("terminal"), name="Walk\naway"), edge(node("chance", edge(node("terminal"), probability="1"),
                                                                    name="Wait")), name="Choose")
    plan = plan_from_silverdecisions(sd_file(tree))
    assert [plan.node(c).label for c in plan.node("sd1").children] == ["Sign: Deal", "Walk away", "Wait"]
    assert plan.tracks[0].title == "Choose"


def test_several_trees_become_tracks_with_ids_in_walk_order():
    plan = import_silverdecisions(FILES / "fliptest_pass.json")
    assert [(t.id, t.title, t.root) for t in plan.tracks] == [("tree1", "Tree 1", "sd1"), ("tree2", "Tree 2", "sd8")]
    assert list(plan.nodes) == [f"sd{i}" for i in range(1, 15)]
    assert plan.subtree_ids("sd8") == [f"sd{i}" for i in range(8, 15)]


# -- reading -----------------------------------------------------------------------------------
def test_path_bytes_and_text_give_the_same_plan(tmp_path):
    text = (FILES / "sample-tree.json").read_text(encoding="utf-8")
    from_path = import_silverdecisions(str(FILES / "sample-tree.json"))
    for other in (import_silverdecisions(text.encode("utf-8")), import_silverdecisions(text),
                  loads_silverdecisions(text), plan_from_silverdecisions(json.loads(text))):
        assert dumps_plan(other) == dumps_plan(from_path)
    untitled = tmp_path / "my tree.json"
    untitled.write_text(json.dumps(sd_file(BUY, title="")), encoding="utf-8")
    assert import_silverdecisions(untitled).title == "my tree"


def test_missing_and_non_utf8_files_are_refused(tmp_path):
    with pytest.raises(PlanFileError, match="nothere.json: cannot read the file"):
        import_silverdecisions(tmp_path / "nothere.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"title": "zażółć"}'.encode("iso-8859-2"))
    with pytest.raises(PlanFileError, match="latin.json: not UTF-8 text"):
        import_silverdecisions(latin)


def test_size_and_node_limits(tmp_path, monkeypatch):
    big = tmp_path / "big.json"
    big.write_text(json.dumps(raw("sample-tree.json")), encoding="utf-8")
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1000)
    with pytest.raises(PlanFileError, match="big.json: the file is larger than"):
        import_silverdecisions(big)
    with pytest.raises(PlanFileError, match="larger than"):
        loads_silverdecisions(big.read_text())
    monkeypatch.undo()
    monkeypatch.setattr(sd, "MAX_NODES", 4)
    with pytest.raises(PlanFileError, match="more than 4 nodes"):
        import_silverdecisions(big)
    with pytest.raises(PlanFileError, match="NaN is not a JSON number"):
        loads_silverdecisions('{"SilverDecisions": "0.8", "x": NaN}')


def chain_text(depth: int) -> str:
    """A chance-node chain ``depth`` deep, each branch worth 1 (built as text:
    json.dumps itself cannot nest that deep)."""
    head = '{"type":"chance","childEdges":[{"probability":"1","payoff":"1","childNode":'
    return ('{"SilverDecisions":"0.8.0","data":{"trees":[' + head * depth + '{"type":"terminal"}'
            + "}]}" * depth + "]}}")


def test_a_100000_deep_chain_imports_and_evaluates():
    plan = loads_silverdecisions(chain_text(100_000))
    assert len(plan.nodes) == 100_001
    assert evaluate_track(plan).ev == pytest.approx(100_000)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_deep_json_reader_agrees_with_the_json_module(value):
    text = json.dumps(value)
    assert importers._read_deep_json(text, "x") == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]:,"0123456789.-eE tfnrulas\\\n', max_size=30))
def test_deep_json_reader_refuses_what_the_json_module_refuses(text):
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(PlanFileError, match="not valid JSON"):
            importers._read_deep_json(text, "x")
    else:
        assert importers._read_deep_json(text, "x") == expected


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_is_imported_or_refused_with_a_plan_file_error(value):
    for data in (value, {"SilverDecisions": "0.8.0", "trees": value}):
        try:
            loads_silverdecisions(json.dumps(data))
        except PlanFileError:
            pass


expression_texts = st.one_of(
    st.sampled_from(["#", "1/3", "p", "2x", "x mod 2", "random()", "sin(x)", "p # note", "", " ", "1e999",
                     "x = 1", "-", "0.5", "PI", "ą", "((", "#1"]),
    st.text(alphabet="0123456789.+-*/^()#px ,=<>!?:;e_", max_size=12))
sd_values = st.one_of(expression_texts, st.integers(-5, 5), st.floats(allow_nan=False), st.none(),
                      st.lists(expression_texts, max_size=2), st.booleans())
sd_nodes = st.recursive(
    st.fixed_dictionaries({"type": st.sampled_from(["terminal", "chance", "decision", "x"])},
                          optional={"name": st.text(max_size=5), "code": expression_texts}),
    lambda inner: st.fixed_dictionaries(
        {"type": st.sampled_from(["chance", "decision", "terminal"]),
         "childEdges": st.lists(st.fixed_dictionaries(
             {"childNode": inner}, optional={"payoff": sd_values, "probability": sd_values,
                                             "name": st.text(max_size=5)}), max_size=3)},
        optional={"code": st.sampled_from(["p = 0.5", "p = random()", "x = 2; p = x/4", "q = p", "bad line"])}),
    max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sd_nodes, max_size=3), st.sampled_from(["", "p = 0.3", "p = random(0, 1)", "p ="]))
def test_odd_trees_import_or_are_refused_and_never_crash(trees, code):
    try:
        plan = loads_silverdecisions(json.dumps(sd_file(*trees, code=code, scope={"p": 0.3})))
    except PlanFileError as exc:
        assert str(exc).startswith("<text>: ")
        return
    validate_plan(plan)  # lists problems, never raises
    for track in plan.tracks:
        try:
            evaluate_track(plan, track.id)
        except PlanError:
            pass
    stored_results(sd_file(*trees))


@pytest.mark.parametrize("payoff", ["a xor b", "2 3", "3!", "x to cm", "[1, 2]", "a.b"])
def test_math_js_syntax_without_a_branchwise_equivalent_is_never_guessed(payoff):
    # No silent reinterpretation ("a xor b" must not become a*xor*b): the value
    # stored in the file is used, and the original text is kept in the notes.
    data = chance_with(payoff, "a = 1; b = 0; x = 2; cm = 3")
    data["data"]["trees"][0]["childEdges"][0]["computed"] = {"payoff": "7/2"}
    branch = plan_from_silverdecisions(data).node("sd2")
    assert branch.payoff == 3.5
    assert repr(payoff) in branch.notes


def test_stored_policy_off_the_optimal_path_comes_from_the_rule_probability():
    def rule(**values):
        return {"computed": {sd.EV_RULE: values}}

    inner = node("decision", {**edge(node("terminal"), payoff=1), **rule(probability=0)},
                 {**edge(node("terminal"), payoff=2), **rule(probability=1)})
    root = node("decision", {**edge(inner), **rule(probability=0, optimal=False)},
                {**edge(node("terminal"), payoff=5), **rule(probability=1, optimal=True)})
    root["computed"] = {sd.EV_RULE: {"payoff": "5"}}
    (tree,) = stored_results(sd_file(root))
    assert tree == {"track": "tree1", "root": "sd1", "ev": 5.0, "policy": {"sd1": ["sd5"], "sd2": ["sd4"]}}
    assert evaluate_track(plan_from_silverdecisions(sd_file(root))).policy == {"sd1": "sd5", "sd2": "sd4"}


def test_a_file_name_that_looks_like_json_is_still_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("{draft}.json").write_text(json.dumps(sd_file(BUY, title="Draft")), encoding="utf-8")
    assert import_silverdecisions("{draft}.json").title == "Draft"


def test_the_size_limit_admits_a_million_node_tree(tmp_path):
    """A SilverDecisions file of a 1M-node tree is 150-170 MB (issue 11): the limit reads it,
    and a file past the limit is still refused before it is read, naming the limit."""
    assert importers.MAX_FILE_BYTES >= 200 * 2**20
    sparse = tmp_path / "huge.json"
    with open(sparse, "wb") as stream:  # a sparse file: no disk is used
        stream.truncate(importers.MAX_FILE_BYTES + 1)
    with pytest.raises(PlanFileError, match="huge.json: the file is larger than 256 MB"):
        import_silverdecisions(sparse)


def test_a_device_or_pipe_is_read_no_further_than_the_limit(tmp_path, monkeypatch, capsys):
    """/dev/zero says size 0: the import reads at most the limit and refuses, no MemoryError."""
    from app.cli import main as cli_main
    from planning.files import importers

    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 4096)
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    code = cli_main(["import", str(link), "-o", str(tmp_path / "out.bwplan")])
    err = capsys.readouterr().err
    assert code == 2 and "zero.json: the file is larger than 0 MB" in err
    assert not (tmp_path / "out.bwplan").exists()
