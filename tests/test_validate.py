"""validate_plan: every problem named by node id and field, nothing missed, nothing invented."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, SHARED
from planning.model.errors import ERROR, WARNING, PlanError, Problem
from planning.model.plan import Node, Plan, Response, Track, Variable
from planning.files.planfile import load_plan, plan_from_dict
from planning.model.validate import raise_for_problems, validate_plan


def make(nodes: list[dict], variables: list[dict] = (), tracks: list[dict] | None = None, **top) -> Plan:
    """A plan from compact node dicts; the first node is the root of track 'main'."""
    data = {"tracks": tracks if tracks is not None else [{"id": "main", "root": nodes[0]["id"]}],
            "nodes": nodes, "variables": list(variables), **top}
    return plan_from_dict(data)


def texts(plan: Plan, severity: str | None = None) -> list[str]:
    return [str(p) for p in validate_plan(plan) if severity is None or p.severity == severity]


def coin(p_heads=0.5, p_tails=0.5, **chance) -> list[dict]:
    return [{"id": "c", "kind": "chance", "children": ["h", "t"], **chance},
            {"id": "h", "probability": p_heads, "payoff": 1},
            {"id": "t", "probability": p_tails}]


# -- valid plans ------------------------------------------------------------------------

@pytest.mark.parametrize("path", [SHARED / "examples" / "minimal.bwplan", *sorted(SAMPLES.glob("*.bwplan"))],
                         ids=lambda p: p.name)
def test_shipped_plans_have_no_errors(path):
    assert texts(load_plan(path), ERROR) == []


def test_minimal_example_is_clean():
    assert validate_plan(load_plan(SHARED / "examples" / "minimal.bwplan")) == []


def test_a_valid_plan_has_no_problems_at_all():
    plan = make([
        {"id": "d", "kind": "decision", "children": ["c", "x"], "committed": "c"},
        {"id": "c", "kind": "chance", "children": ["a", "b", "e"], "payoff": "cost"},
        {"id": "a", "probability": "p", "path": "success", "probability_range": [0.1, 0.5],
         "warning_days": 5, "responses": [{"id": "r1", "readiness": 4, "lead_time_days": 9}]},
        {"id": "b", "probability": "#", "path": "failure", "payoff_range": [-5, 5]},
        {"id": "e", "probability": "#"},
        {"id": "x", "payoff": 3},
    ], variables=[{"name": "p", "value": 0.3, "range": [0, 1]}, {"name": "cost", "value": "-10*p"}])
    assert validate_plan(plan) == []


# -- one problem, one message -----------------------------------------------------------

CASES = [
    # (nodes, expected message, severity)
    ([{"id": "r", "kind": "gamble", "children": ["x"]}, {"id": "x"}],
     "node r: kind: unknown kind 'gamble' (expected one of decision, chance, terminal)", ERROR),
    ([{"id": "r", "kind": "chance", "children": []}],
     "node r: children: chance node needs at least one branch", ERROR),
    ([{"id": "r", "kind": "decision"}],
     "node r: children: decision node needs at least one option", ERROR),
    ([{"id": "r", "kind": "decision", "children": ["t"]}, {"id": "t", "children": ["u"]}, {"id": "u"}],
     "node t: children: a terminal node cannot have children (it lists 1)", ERROR),
    ([{"id": "r", "kind": "decision", "children": ["n99"]}],
     "node r: children: unknown node 'n99'", ERROR),
    ([{"id": "r", "kind": "decision", "children": ["a", "b"]}, {"id": "a", "kind": "decision", "children": ["b"]},
      {"id": "b"}],
     "node b: has two parents: 'r' and 'a'", ERROR),
    ([{"id": "r", "kind": "decision", "children": ["a", "a"]}, {"id": "a"}],
     "node r: children: 'a' is listed twice", ERROR),
    ([{"id": "r", "kind": "decision", "children": ["t"]}, {"id": "t"}, {"id": "lost"}],
     "node lost: orphan: not reachable from any track root", WARNING),
    ([{"id": "r", "kind": "chance", "children": ["a", "b"]}, {"id": "a", "probability": 0.5}, {"id": "b"}],
     "node b: probability: a branch of a chance node needs a probability", ERROR),
    ([{"id": "r", "kind": "decision", "children": ["a"]}, {"id": "a", "probability": 0.4}],
     "node a: probability: an option of a decision node has no probability; this one is ignored", WARNING),
    (coin(1.2, -0.2), "node h: probability: must be between 0 and 1, got 1.2", ERROR),
    (coin(0.55, 0.5), "node c: probability: siblings sum to 1.05", ERROR),
    (coin(0.3, 0.3), "node c: probability: siblings sum to 0.6", ERROR),
    (coin(0.7, 0.6), "node c: probability: siblings sum to 1.3", ERROR),
    ([{"id": "r", "kind": "chance", "children": ["a", "b"]}, {"id": "a", "probability": 0.6, "path": "sideways"},
      {"id": "b", "probability": 0.4}],
     "node a: path: unknown path 'sideways' (expected one of success, failure, neutral)", ERROR),
    (coin(warning_days=-3), "node c: warning_days: must be 0 or more days, got -3.0", ERROR),
    ([{"id": "r", "kind": "chance", "children": ["a", "b"]},
      {"id": "a", "probability": 0.5, "responses": [{"id": "r1", "readiness": 7}]}, {"id": "b", "probability": 0.5}],
     "node a: responses[0].readiness: must be an integer 0..4, got 7", ERROR),
    ([{"id": "r", "kind": "chance", "children": ["a", "b"]},
      {"id": "a", "probability": 0.5, "responses": [{"id": "r1", "lead_time_days": -1}]},
      {"id": "b", "probability": 0.5, "responses": [{"id": "r1"}]}],
     "node a: responses[0].lead_time_days: must be 0 or more days, got -1.0", ERROR),
    ([{"id": "r", "kind": "chance", "children": ["a", "b"]},
      {"id": "a", "probability": 0.5, "responses": [{"id": "r1"}]},
      {"id": "b", "probability": 0.5, "responses": [{"id": "r2"}, {"id": "r1"}]}],
     "node b: responses[1].id: duplicate response id 'r1' (also on node a)", ERROR),
    (coin()[:1] + [{"id": "h", "probability": 0.5, "probability_range": [0.6, 0.2]},
                   {"id": "t", "probability": 0.5}],
     "node h: probability_range: low 0.6 is above high 0.2", ERROR),
    (coin()[:1] + [{"id": "h", "probability": 0.5, "probability_range": [0.2, 1.3]}, {"id": "t", "probability": 0.5}],
     "node h: probability_range: must lie within [0, 1], got [0.2, 1.3]", ERROR),
    (coin()[:1] + [{"id": "h", "probability": 0.5, "probability_range": [0.6, 0.9]}, {"id": "t", "probability": 0.5}],
     "node h: probability_range: the probability 0.5 lies outside its range [0.6, 0.9]", WARNING),
    (coin()[:1] + [{"id": "h", "probability": 0.5, "payoff": 10, "payoff_range": [20, 30]},
                   {"id": "t", "probability": 0.5}],
     "node h: payoff_range: the payoff 10 lies outside its range [20, 30]", WARNING),
    ([{"id": "r", "kind": "decision", "children": ["a"], "committed": "zz"}, {"id": "a"}],
     "node r: committed: 'zz' is not one of this decision's options", ERROR),
    (coin(committed="h"), "node c: committed: only a decision node can commit to an option", ERROR),
    ([{"id": "r", "payoff": "2 *"}],
     "node r: payoff: '2 *' is not a valid expression: unexpected end of expression at position 3", ERROR),
    ([{"id": "r", "payoff": "budget * 2"}],
     "node r: payoff: unknown variable 'budget' in 'budget * 2'", ERROR),
    ([{"id": "r", "payoff": "1/(1-1)"}], "node r: payoff: cannot evaluate '1/(1-1)': division by zero", ERROR),
    ([{"id": "r", "payoff": "#"}],
     "node r: payoff: '#' (share the remainder) only works for a branch's probability", ERROR),
]


@pytest.mark.parametrize("nodes, expected, severity", CASES, ids=[c[1][:60] for c in CASES])
def test_each_problem_is_named_with_node_and_field(nodes, expected, severity):
    problems = validate_plan(make(nodes))
    matching = [p for p in problems if str(p).startswith(expected)]
    assert matching, [str(p) for p in problems]
    assert matching[0].severity == severity


def test_problem_fields_are_structured():
    [problem] = validate_plan(make(coin(0.55, 0.5)))
    assert problem == Problem(ERROR, "c", "probability", "siblings sum to 1.05")


def test_sibling_sum_tolerance_is_1e_minus_9():
    assert texts(make(coin(0.5, 0.5 + 4e-10))) == []
    assert texts(make(coin(0.5, 0.5 + 3e-9))) == ["node c: probability: siblings sum to 1.000000003"]
    thirds = [{"id": "c", "kind": "chance", "children": ["a", "b", "e"]},
              {"id": "a", "probability": 0.1}, {"id": "b", "probability": 0.2}, {"id": "e", "probability": 0.7}]
    assert texts(make(thirds)) == []  # 0.1 + 0.2 + 0.7 is 0.9999999999999999 in floats


def test_share_the_remainder():
    three = [{"id": "c", "kind": "chance", "children": ["a", "b", "e"]},
             {"id": "a", "probability": 0.4}, {"id": "b", "probability": "#"}, {"id": "e", "probability": "#"}]
    assert texts(make(three)) == []
    three[1]["probability"] = 1.0
    assert texts(make(three)) == ["node c: probability: siblings already sum to 1, so the '#' "
                                  "branches get probability 0"]
    three[1]["probability"] = "x"
    plan = make(three, variables=[{"name": "x", "value": 0.8}, {"name": "y", "value": 0.5}])
    assert texts(plan) == []
    plan.nodes["a"].probability = "x + y"
    assert texts(plan) == ["node a: probability: must be between 0 and 1, got 1.3"]
    plan.nodes["b"].probability = "y"
    plan.nodes["a"].probability = "x"
    assert texts(plan) == ["node c: probability: siblings already sum to 1.3, nothing is left for '#'"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=6))
def test_sum_errors_agree_with_exact_fractions(weights):
    # thousandths as floats; the exact sum decides whether an error is due
    probabilities = [w / 1000 for w in weights]
    nodes = [{"id": "c", "kind": "chance", "children": [f"b{i}" for i in range(len(weights))]}]
    nodes += [{"id": f"b{i}", "probability": p} for i, p in enumerate(probabilities)]
    problems = texts(make(nodes))
    assert (problems != []) == (sum(weights) != 1000)
    if sum(weights) != 1000:
        assert problems == [f"node c: probability: siblings sum to {math.fsum(probabilities):.12g}"]


# -- tracks and structure ------------------------------------------------------------------

def test_track_problems():
    nodes = [{"id": "a", "kind": "decision", "children": ["b"]}, {"id": "b"}]
    tracks = [{"id": "one", "root": "a"}, {"id": "one", "root": "zz"}, {"id": "three", "root": "b"},
              {"id": "four", "root": "a"}]
    problems = texts(make(nodes, tracks=tracks))
    assert "tracks[1].id: duplicate track id 'one' (also tracks[0])" in problems
    assert "tracks[1].root: track 'one': unknown root node 'zz'" in problems
    assert ("node b: is the root of track 'three' but also a child of 'a' "
            "(a node in two tracks, or a cycle)") in problems
    assert "node a: is the root of two tracks: 'one' and 'four'" in problems
    assert texts(make(nodes, tracks=[])) == ["tracks: the plan has no tracks",
                                             "node a: orphan: not reachable from any track root"]


def test_cycles_are_reported_once_with_their_path():
    nodes = [{"id": "r", "kind": "decision", "children": ["t"]}, {"id": "t"},
             {"id": "a", "kind": "decision", "children": ["b"]}, {"id": "b", "kind": "decision", "children": ["c"]},
             {"id": "c", "kind": "decision", "children": ["a", "leaf"]}, {"id": "leaf"}]
    assert texts(make(nodes)) == ["node a: children: cycle: a -> b -> c -> a (3 nodes)"]
    self_loop = [{"id": "r", "kind": "decision", "children": ["r"]}]
    problems = texts(make(self_loop))
    assert "node r: children: cycle: r -> r (1 node)" in problems


def test_cycle_through_a_track_root():
    nodes = [{"id": "r", "kind": "decision", "children": ["a"]}, {"id": "a", "kind": "decision", "children": ["r"]}]
    problems = texts(make(nodes))
    assert "node r: children: cycle: r -> a -> r (2 nodes)" in problems
    assert any(p.startswith("node r: is the root of track 'main' but also a child of 'a'") for p in problems)


def test_orphaned_subtree_reports_its_top_and_checks_its_fields():
    nodes = [{"id": "r"}, {"id": "o", "kind": "chance", "children": ["o1", "o2"]},
             {"id": "o1", "probability": 0.9}, {"id": "o2", "probability": 0.2}]
    assert texts(make(nodes)) == ["node o: orphan: not reachable from any track root",
                                  "node o: probability: siblings sum to 1.1"]


def test_key_and_id_mismatch_in_code_built_plans():
    plan = Plan(tracks=[Track("t", root="a")], nodes={"a": Node("b")})
    assert "node a: id: the node stored under 'a' has id 'b'" in texts(plan)


def test_objective_and_variable_definitions():
    plan = make([{"id": "r"}], objective="maximise",
                variables=[{"name": "2x", "value": 1}, {"name": "a", "value": 1}, {"name": "a", "value": 2},
                           {"name": "b", "value": "a +", "range": [0, 1]},
                           {"name": "c", "value": "b * 2"}, {"name": "d", "value": 5, "range": [0, 1]},
                           {"name": "f", "value": 1, "range": [3, 2]}])
    assert texts(plan) == [
        "objective: must be one of maximize, minimize, got 'maximise'",
        "variables[0].name: '2x' is not a valid variable name (letters, digits and _, not starting with a digit)",
        "variables[2].name: variable 'a' is defined twice here",
        "variables[3].value: 'a +' is not a valid expression: unexpected end of expression at position 3",
        # c builds on the broken b: no second, misleading message
        "variables[5].range: the value 5 lies outside its range [0, 1]",
        "variables[6].range: low 3 is above high 2",
    ]


# -- variable scope --------------------------------------------------------------------------

def scoped_plan() -> Plan:
    return make([
        {"id": "d", "kind": "decision", "children": ["c", "x"]},
        {"id": "c", "kind": "chance", "children": ["a", "b"],
         "variables": [{"name": "q", "value": "p * 2"}, {"name": "p", "value": "q / 4"}]},
        {"id": "a", "probability": "p", "payoff": "q"},          # q = 0.6, p = 0.15 here
        {"id": "b", "probability": "1 - p", "variables": [{"name": "k", "value": 3}], "payoff": "k"},
        {"id": "x", "payoff": "p"},                              # the plan's p = 0.3
    ], variables=[{"name": "p", "value": 0.3}])


def test_node_variables_apply_to_their_subtree_in_order():
    assert validate_plan(scoped_plan()) == []


def test_node_variables_do_not_leak_to_siblings_or_parents():
    plan = scoped_plan()
    plan.nodes["x"].payoff = "q"
    plan.nodes["c"].payoff = "k"
    assert texts(plan) == ["node c: payoff: unknown variable 'k' in 'k'",
                           "node x: payoff: unknown variable 'q' in 'q'"]


def test_a_local_variable_shadows_the_plan_variable():
    plan = scoped_plan()
    plan.nodes["c"].variables = [Variable("q", 0.0), Variable("p", 1.5)]
    assert texts(plan) == ["node a: probability: must be between 0 and 1, got 1.5",
                           "node b: probability: must be between 0 and 1, got -0.5"]


def test_a_broken_local_variable_is_reported_once_where_it_is_defined():
    plan = scoped_plan()
    plan.nodes["c"].variables = [Variable("p", "1/0"), Variable("q", "p * 2")]
    assert texts(plan) == ["node c: variables[0].value: cannot evaluate '1/0': division by zero"]


# -- scale -----------------------------------------------------------------------------------

def chain(depth: int) -> Plan:
    nodes: dict[str, Node] = {}
    for i in range(depth):
        nodes[f"n{i}"] = Node(f"n{i}", kind="chance", children=[f"n{i + 1}"], probability=1.0, payoff=1.0)
    nodes[f"n{depth}"] = Node(f"n{depth}", probability=1.0, payoff="bonus",
                              responses=[Response("r", readiness=3)])
    nodes["n0"].probability = None
    nodes["n0"].variables = [Variable("bonus", 5.0)]
    return Plan(tracks=[Track("t", root="n0")], nodes=nodes)


def test_a_100000_deep_chain_validates_and_reports_at_the_bottom():
    plan = chain(100_000)
    assert validate_plan(plan) == []
    plan.nodes["n100000"].payoff = "bonus / 0"
    plan.nodes["n50000"].children.append("n70000")  # shared, not a cycle
    assert texts(plan) == ["node n70000: has two parents: 'n50000' and 'n69999'",
                           "node n100000: payoff: cannot evaluate 'bonus / 0': division by zero",
                           "node n50000: probability: siblings sum to 2"]
    plan.nodes["n50000"].children[-1] = "n3"  # now an ancestor: a cycle as well
    assert "node n3: children: cycle: n3 -> n4 -> n5 -> n6 -> n7 -> n8 -> ... -> n3 (49998 nodes)" in texts(plan)


def test_a_long_cycle_is_found_without_recursion():
    plan = chain(100_000)
    plan.nodes["n100000"].kind = "chance"
    plan.nodes["n100000"].children = ["n1"]
    assert texts(plan) == ["node n1: has two parents: 'n0' and 'n100000'",
                           "node n1: children: cycle: n1 -> n2 -> n3 -> n4 -> n5 -> n6 -> ... -> n1 "
                           "(100000 nodes)"]


# -- raise_for_problems ----------------------------------------------------------------------

def test_raise_for_problems_raises_the_first_error_only():
    raise_for_problems([])
    raise_for_problems([Problem(WARNING, "a", None, "orphan")])
    with pytest.raises(PlanError) as caught:
        raise_for_problems([Problem(WARNING, "a", None, "orphan"),
                            Problem(ERROR, "n12", "probability", "siblings sum to 1.05"),
                            Problem(ERROR, "n13", "kind", "unknown")])
    assert str(caught.value) == "node n12: probability: siblings sum to 1.05"
    assert (caught.value.node_id, caught.value.field) == ("n12", "probability")
