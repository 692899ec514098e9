"""What validation promises (issue 10 items 11, 18, 20, 23, 24; issue 16 item 7).

A plan that validates evaluates, simulates and analyses; a plan that cannot be
evaluated is reported by ``validate`` (exit 1) naming the node by its label with
the id in brackets, and the obvious repair is offered as data.
"""
from __future__ import annotations

import copy
import json
import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from planning.model import edits
from planning.model.errors import ERROR, Fix, PlanError, Problem
from planning.engine.evaluate import evaluate_track
from planning.files.exports import register_csv
from planning.model.fields import is_share, read_value
from planning.sharing.merge import CONFLICTS_KEY, merge_plans
from planning.model.plan import Node, Plan, Response, Track, Variable
from planning.engine.montecarlo import simulate
from planning.files.planfile import dumps_plan, load_plan, loads_plan, plan_from_dict, save_plan
from planning.analyses.sensitivity import tornado
from planning.model.validate import validate_plan


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def errors(plan: Plan) -> list[str]:
    return [str(p) for p in validate_plan(plan) if p.severity == ERROR]


def coin_plan(heads="0.5", tails="#", variables=(), heads_payoff=100.0) -> Plan:
    """A decision between a coin toss (with a response on tails) and a safe option."""
    return Plan(
        title="Coin", variables=list(variables), tracks=[Track("t", "Toss", "d")],
        nodes={
            "d": Node("d", "decision", "Toss or not?", children=["c", "safe"]),
            "c": Node("c", "chance", "Toss the coin", children=["h", "tl"]),
            "h": Node("h", label="Heads", probability=heads, payoff=heads_payoff, path="success"),
            "tl": Node("tl", label="Tails", probability=tails, payoff=-50.0, path="failure",
                       responses=[Response("r1", "Insure", readiness=2, effect=20.0)]),
            "safe": Node("safe", label="Keep the money", payoff=10.0),
        })


# -- 16.7: problems name the node by its label, id in brackets; fixes as data ----------------

def test_a_chance_node_without_branches_is_named_by_label_and_offers_a_fix():
    plan = coin_plan()
    plan.nodes["v"] = Node("v", "chance", "Vetoed")
    plan.nodes["d"].children.append("v")
    [problem] = [p for p in validate_plan(plan) if p.severity == ERROR]
    assert str(problem) == '"Vetoed" [v]: children: chance node needs at least one branch'
    assert (problem.node_id, problem.field, problem.label) == ("v", "children", "Vetoed")
    assert problem.fix == Fix("make it a terminal", "v", "kind", "terminal")
    # the fix is an ordinary edit; once made, the plan is valid
    edits.set_node_field(plan, problem.fix.node_id, problem.fix.field, problem.fix.value)
    assert errors(plan) == []


def test_the_evaluation_error_names_the_node_the_same_way():
    plan = coin_plan()
    plan.nodes["v"] = Node("v", "chance", "Vetoed")
    plan.nodes["d"].children.append("v")
    with pytest.raises(PlanError) as caught:
        evaluate_track(plan)
    assert str(caught.value) == '"Vetoed" [v]: children: chance node needs at least one branch'
    assert caught.value.problem() == validate_plan(plan)[0]
    assert caught.value.fix == Fix("make it a terminal", "v", "kind", "terminal")


def test_unlabelled_nodes_and_long_labels():
    assert str(Problem(ERROR, "n4", "children", "x")) == "node n4: children: x"
    assert str(Problem(ERROR, "n4", "children", "x", label="")) == "node n4: children: x"
    long = Problem(ERROR, "n4", None, "x", label="A label that goes on and on and on, well past forty")
    assert str(long) == '"A label that goes on and on and on, wel…" [n4]: x'
    assert str(Problem(ERROR, "n4", None, "x", label="two\nlines")) == '"two lines" [n4]: x'


def test_other_fixes_are_offered_where_the_repair_is_obvious():
    plan = coin_plan()
    plan.nodes["h"].probability = None  # a branch without probability
    plan.nodes["safe"].probability = 0.3  # ignored on an option
    plan.nodes["d"].committed = "nosuch"
    fixes = [(p.node_id, p.fix.description) for p in validate_plan(plan) if p.fix]
    assert sorted(fixes) == [("d", "clear the commitment"), ("h", "share the remainder ('#')"),
                             ("safe", "remove the probability")]
    for problem in validate_plan(plan):
        fix = problem.fix
        edits.set_node_field(plan, fix.node_id, fix.field, fix.value)
    assert validate_plan(plan) == []


def test_cli_validate_names_the_node_by_label(tmp_path, capsys):
    plan = coin_plan()
    plan.nodes["v"] = Node("v", "chance", "Vetoed")
    plan.nodes["d"].children.append("v")
    path = tmp_path / "vetoed.bwplan"
    save_plan(plan, path)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert '"Vetoed" [v]: children: chance node needs at least one branch' in err


# -- 11: unresolved merge conflicts are errors ---------------------------------------------

def conflicted() -> Plan:
    base = coin_plan()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.nodes["safe"].payoff = 12.0
    theirs.nodes["safe"].payoff = 15.0
    result = merge_plans(base, ours, theirs)
    assert not result.clean
    return result.plan


def test_unresolved_merge_conflicts_are_errors_naming_node_and_field():
    plan = conflicted()
    [problem] = [p for p in validate_plan(plan) if p.severity == ERROR]
    assert (problem.node_id, problem.field) == ("safe", "payoff")
    assert str(problem) == ('"Keep the money" [safe]: payoff: unresolved merge conflict: '
                            "ours 12, theirs 15 (base 10); ours is kept")
    plan.extra[CONFLICTS_KEY] = []  # settled
    assert validate_plan(plan) == []


def test_conflicts_do_not_hide_other_problems():
    plan = conflicted()
    plan.nodes["h"].payoff = 1e308
    plan.nodes["c"].payoff = 1.5e308  # 1.5e308 + 0.5 * 1e308: beyond float range
    assert [p.field for p in validate_plan(plan)] == ["payoff", "payoff"]
    assert "the expected value is not a finite number" in str(validate_plan(plan)[0])


def test_malformed_conflict_entries_are_still_reported():
    plan = coin_plan()
    plan.extra[CONFLICTS_KEY] = [{"node": "gone", "field": "label", "message": "both renamed"}, 7]
    assert errors(plan) == [
        "label: unresolved merge conflict: both renamed (on node gone, which is no longer in the plan)",
        "merge_conflicts[1]: unresolved merge conflict (unreadable entry)"]
    plan.extra[CONFLICTS_KEY] = "oops"
    assert errors(plan) == ["merge_conflicts: must be a list of merge conflicts, got str"]


def test_cli_validate_refuses_a_plan_with_merge_conflicts(tmp_path, capsys):
    path = tmp_path / "merged.bwplan"
    save_plan(conflicted(), path)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1 and "valid (" not in out
    assert '"Keep the money" [safe]: payoff: unresolved merge conflict' in err


# -- 18: payoffs that add up beyond float range ------------------------------------------------

def overflowing() -> Plan:
    return Plan(title="Huge", tracks=[Track("t", "T", "c")], nodes={
        "c": Node("c", "chance", "Huge", payoff=1e308, children=["a", "b"]),
        "a": Node("a", probability=0.5, payoff=1e308),
        "b": Node("b", probability=0.5, payoff=1e308)})


EXPECTED_OVERFLOW = ('"Huge" [c]: payoff: the expected value is not a finite number: '
                     "the payoffs add up beyond 1.8e308 (use a larger unit)")


def test_overflowing_payoffs_are_a_validation_error_naming_the_node():
    assert errors(overflowing()) == [EXPECTED_OVERFLOW]


def test_every_analysis_refuses_overflow_cleanly_without_numpy_warnings():
    plan = overflowing()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for analysis in (lambda: evaluate_track(plan), lambda: simulate(plan, iterations=50),
                         lambda: tornado(plan, ranges={"a.payoff": (0.0, 1.0)})):
            with pytest.raises(PlanError) as error:
                analysis()
            assert str(error.value) == EXPECTED_OVERFLOW
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("command", [["evaluate", "--json"], ["evaluate"], ["simulate", "--json"],
                                     ["sensitivity", "--tornado", "--json"], ["validate"]])
def test_cli_reports_overflow_with_exit_1_and_no_traceback(tmp_path, capsys, command):
    path = tmp_path / "huge.bwplan"
    save_plan(overflowing(), path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = run(capsys, command[0], str(path), *command[1:])
    assert code == 1
    assert out == ""
    assert EXPECTED_OVERFLOW in err and "Traceback" not in err
    assert [str(w.message) for w in caught] == []


def test_large_but_finite_payoffs_still_evaluate():
    plan = overflowing()
    plan.nodes["c"].payoff = 0.0
    assert validate_plan(plan) == []
    assert evaluate_track(plan).ev == pytest.approx(1e308)


# -- 20: one reader for validation and compilation ----------------------------------------------

SHARES = [" #", "#\n", "\t#", "\u00a0#", "#\u00a0", " \r\n# \t"]


@pytest.mark.parametrize("share", SHARES, ids=repr)
def test_a_padded_share_validates_evaluates_and_exports(share):
    plan = coin_plan(tails=share)
    assert validate_plan(plan) == []
    assert evaluate_track(plan).ev == pytest.approx(evaluate_track(coin_plan(tails="#")).ev)
    rows = register_csv(plan).splitlines()
    assert len(rows) > 1 and "Insure" in rows[1]


def test_cli_validates_and_evaluates_a_padded_share(tmp_path, capsys):
    path = tmp_path / "padded.bwplan"
    save_plan(coin_plan(tails="\t#"), path)
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "") and "valid (5 nodes, 1 track)" in out
    code, out, err = run(capsys, "evaluate", str(path), "--json")
    assert code == 0 and json.loads(out)["tracks"][0]["ev"] == pytest.approx(0.5 * 100 + 0.5 * -40)


def test_a_padded_share_still_survives_a_round_trip_as_written():
    plan = coin_plan(tails="\u00a0#")
    assert loads_plan(dumps_plan(plan)).nodes["tl"].probability == "\u00a0#"


# Text a person might paste into a probability: numbers, '#', names, junk, with any whitespace.
_SPACE = st.sampled_from(["", " ", "\t", "\n", "\u00a0", "\u2003", "\r\n"])
_CORE = st.sampled_from(["#", "0.5", "p", "1-p", "0.5 * 1", "#1", "##", "p #", "", "1/0", "log(0)",
                         "0.25+0.25", "(0.5", "0,5", "\u00a00.5"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_SPACE, core=_CORE, after=_SPACE)
def test_validate_accepts_exactly_what_evaluate_computes(before, core, after):
    text = before + core + after
    plan = coin_plan(heads=text, tails="0.5" if not is_share(text) else "#",
                     variables=[Variable("p", 0.5)])
    valid = not errors(plan)
    try:
        evaluate_track(plan)
        evaluates = True
    except PlanError:
        evaluates = False
    assert valid == evaluates, (text, errors(plan))


def test_the_field_reader_is_shared():
    assert read_value(" #", "h", "probability", share=True) == "#"
    with pytest.raises(PlanError, match="only works for a branch's probability"):
        read_value("\t#", "h", "payoff")
    with pytest.raises(PlanError, match="must be a finite number"):
        read_value(math.inf, "h", "payoff")
    with pytest.raises(PlanError, match="must be a number or an expression, got True"):
        read_value(True, "h", "payoff")


# -- 23: ranges are checked at both ends -------------------------------------------------------

def test_a_range_that_pushes_a_probability_past_1_is_reported_with_variable_and_node():
    plan = coin_plan(heads="p", variables=[Variable("p", 0.5, range=(0.3, 1.2))])
    assert errors(plan) == ['"Heads" [h]: probability: must be between 0 and 1, got 1.2 '
                            "when variable p = 1.2 (the high end of its range)"]
    plan.variables[0].range = (0.3, 0.9)
    assert errors(plan) == []


def test_a_range_that_reaches_log_of_zero_is_reported():
    plan = coin_plan(variables=[Variable("p", 0.5, range=(0.0, 1.0))])
    plan.nodes["h"].payoff = "100 + log(p)"
    assert errors(plan) == [
        '"Heads" [h]: payoff: log() needs a positive number (and a base other than 1) '
        "when variable p = 0 (the low end of its range)"]


def test_a_local_variable_range_names_the_owner():
    plan = coin_plan(heads="q", tails="0.5")
    plan.nodes["c"].variables = [Variable("q", 0.5, range=(0.5, 0.6))]
    assert errors(plan) == ['"Toss the coin" [c]: probability: siblings sum to 1.1 '
                            "when variable c.q = 0.6 (the high end of its range)"]


def test_a_range_on_an_only_branch_is_reported_with_its_fix():
    plan = coin_plan()
    plan.nodes["c"].children.remove("tl")
    del plan.nodes["tl"]
    plan.nodes["h"].probability = 1.0
    plan.nodes["h"].probability_range = (0.5, 1.0)
    [problem] = validate_plan(plan)
    assert str(problem) == ('"Heads" [h]: probability_range: the only branch of a chance node '
                            "always has probability 1, so it cannot have a range")
    with pytest.raises(PlanError, match="the only branch of its chance node must keep probability 1"):
        tornado(plan)  # what validation spares the user
    edits.set_node_field(plan, "h", problem.fix.field, problem.fix.value)
    assert validate_plan(plan) == []
    tornado(plan)


def test_cli_validate_exits_1_on_a_bad_range(tmp_path, capsys):
    path = tmp_path / "range.bwplan"
    save_plan(coin_plan(heads="p", variables=[Variable("p", 0.5, range=(-0.2, 0.8))]), path)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "must be between 0 and 1, got -0.2 when variable p = -0.2 (the low end of its range)" in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(low=st.floats(-0.5, 1.5), width=st.floats(0, 1.0),
       form=st.sampled_from(["p", "p*p", "1-p", "sqrt(p)", "0.2+log(1+p)", "0.9/p - 0.4"]))
def test_what_validates_simulates_and_analyses(low, width, form):
    """The ends of every range are checked, so simulate and sensitivity never fail after."""
    base = min(max(low + width / 2, 0.0), 1.0)
    plan = coin_plan(heads=form, variables=[Variable("p", base, range=(low, low + width))])
    if errors(plan):
        return
    tornado(plan)
    simulate(plan, iterations=200, seed=1)


# -- 24: merges and saves keep what they are given --------------------------------------------

def test_history_replaced_by_something_else_is_a_conflict_not_a_silent_drop():
    base = coin_plan()
    base.extra["history"] = [{"walk": 1}]
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.extra["history"].append({"walk": 2})
    theirs.extra["history"] = {"archived": "elsewhere"}
    result = merge_plans(base, ours, theirs)
    assert not result.clean
    assert [str(c) for c in result.conflicts] == [
        "history: changed on both sides and not a list on one of them; kept ours"]
    # one side changing the type alone is an ordinary change: taken
    result = merge_plans(base, copy.deepcopy(base), theirs)
    assert result.clean and result.plan.extra["history"] == {"archived": "elsewhere"}
    # both appending is still a union
    theirs = copy.deepcopy(base)
    theirs.extra["history"].append({"walk": 3})
    result = merge_plans(base, ours, theirs)
    assert result.clean and result.plan.extra["history"] == [{"walk": 1}, {"walk": 2}, {"walk": 3}]


BIG = [2**53 + 1, -(2**63) - 7, 12345678901234567890123]


def test_integers_beyond_2_53_survive_a_save(tmp_path):
    data = {"format": "branchwise-plan", "version": 1,
            "variables": [{"name": "v", "value": BIG[0], "range": [BIG[1], BIG[2]]}],
            "tracks": [{"id": "t", "root": "a"}],
            "nodes": [{"id": "a", "kind": "terminal", "payoff": BIG[2], "warning_days": BIG[0],
                       "responses": [{"id": "r", "readiness": 1, "cost": BIG[1], "effect": BIG[0],
                                      "lead_time_days": BIG[0]}]}]}
    path = tmp_path / "big.bwplan"
    save_plan(plan_from_dict(data), path)
    text = path.read_text(encoding="utf-8")
    for number in BIG:
        assert str(number) in text
    again = json.loads(text)
    assert again["variables"] == data["variables"]
    assert again["nodes"][0]["payoff"] == BIG[2]
    assert again["nodes"][0]["responses"][0]["cost"] == BIG[1]
    # computing still works on the nearest floats
    assert evaluate_track(load_plan(path)).ev == pytest.approx(float(BIG[2]) + 0.25 * BIG[0])


def test_an_edit_typed_with_a_big_integer_keeps_its_digits():
    plan = coin_plan()
    edits.set_node_field(plan, "safe", "payoff", "123456789012345678901")
    assert loads_plan(dumps_plan(plan)).nodes["safe"].payoff == 123456789012345678901


@given(st.integers(min_value=-(10**30), max_value=10**30))
@settings(max_examples=80, deadline=None)
def test_any_integer_payoff_round_trips_exactly(number):
    plan = coin_plan()
    plan.nodes["safe"].payoff = number
    text = dumps_plan(loads_plan(dumps_plan(plan)))
    assert json.loads(text)["nodes"][-1].get("payoff", 0) == number


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=2),
                     max_leaves=6)
_HISTORY = st.one_of(st.lists(st.integers(0, 4), max_size=4, unique=True), _JSON)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=_HISTORY, ours=_HISTORY, theirs=_HISTORY)
def test_a_merge_never_drops_a_history_change_silently(base, ours, theirs):
    plans = []
    for history in (base, ours, theirs):
        plan = coin_plan()
        plan.extra["history"] = history
        plans.append(plan)
    result = merge_plans(*plans)
    merged = result.plan.extra.get("history")
    conflicted = any(c.field == "history" for c in result.conflicts)
    if all(isinstance(h, list) for h in (base, ours, theirs)):
        assert not conflicted
        kept_ours = [x for x in ours if not (x in base and x not in theirs)]
        added_theirs = [x for x in theirs if x not in ours and x not in base]
        assert merged == kept_ours + added_theirs
    elif ours == theirs or theirs == base:
        assert merged == ours and not conflicted
    elif ours == base:
        assert merged == theirs and not conflicted
    else:  # both changed it, differently, and not both lists
        assert conflicted and merged == ours
