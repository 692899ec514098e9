"""Decision rules, two criteria and the league table against the plain reference."""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
import reference_rules as ref
from test_evaluate import plans

from planning.model.errors import PlanError
from planning.engine.evaluate import evaluate_track
from planning.analyses.league import league_table
from planning.model.plan import CHANCE, DECISION, Criterion, Node, Plan, Track
from planning.files.planfile import dumps_plan, loads_plan
from planning.engine.rules import settings_of, uses_default_rules, with_options
from planning.model.validate import validate_plan

WEIGHTS = [0.0, 0.25, 1.0, 3.0, math.inf]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def two_criteria(plan: Plan, data) -> Plan:
    for node in plan.nodes.values():
        node.payoff2 = float(data.draw(st.integers(-10, 10)))
    senses = data.draw(st.sampled_from([("maximize", "minimize"), ("maximize", "maximize"),
                                        ("minimize", "maximize"), ("minimize", "minimize")]))
    plan.objective = senses[0]
    plan.criteria = [Criterion("Effect", senses[0], "QALY"), Criterion("Cost", senses[1], "k$")]
    plan.weight = data.draw(st.sampled_from(WEIGHTS))
    plan.weight_range = data.draw(st.sampled_from([None, (0.5, 2.0), (0.0, 1.0), (3.0, math.inf)]))
    return plan


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_nodes=20), st.sampled_from(["expected", "worst-case", "best-case"]))
def test_rules_match_the_recursive_reference_and_brute_force(plan, rule):
    plan.rule = rule
    got = evaluate_track(plan)
    sign = -1.0 if plan.objective == "minimize" else 1.0
    p = reference.probabilities(plan)
    root = plan.tracks[0].root
    assert close(got.rule_value, ref.rule_value(plan, root, rule, sign, p))
    assert close(got.rule_value, ref.brute_force_rule_value(plan, rule))
    # ev is the expectation under the rule's policy, with the real probabilities.
    reached = {d: o for d, o in got.policy.items() if got.node_on_policy[got.index[d]]}
    assert close(got.ev, ref.policy_values(plan, root, reached, p)[0])
    # reach and exposure keep their meaning: the ordinary numbers of that policy.
    committed = plan.copy()
    for d, o in got.policy.items():
        committed.nodes[d].committed = o
    committed.rule = "expected"
    same = reference.evaluate(committed)
    for key in ("ev", "p_failure", "failure_exposure", "p_success", "success_readiness"):
        assert close(getattr(got, key), same[key]), key
    # the marginal value is the exact change of ev when the response alone is ready
    for priority in got.priorities:
        raised = plan.copy()
        for node in raised.nodes.values():
            for response in node.responses:
                if response.id == priority.response:
                    response.readiness = 4
        assert close(priority.marginal_value, evaluate_track(raised).ev - got.ev), priority


def test_expected_rule_leaves_every_number_as_it_was():
    plan = Plan(tracks=[Track("t", root="d")], nodes={
        "d": Node("d", DECISION, children=["c", "s"]),
        "c": Node("c", CHANCE, children=["w", "l"]),
        "w": Node("w", probability=0.6, payoff=100), "l": Node("l", probability="#", payoff=-50),
        "s": Node("s", payoff=20)})
    assert uses_default_rules(plan)
    assert evaluate_track(plan).to_json()["rule_value"] == 40.0
    plan.rule = "worst-case"
    result = evaluate_track(plan)
    assert result.policy == {"d": "s"} and result.rule_value == 20.0 and result.ev == 20.0
    plan.rule, plan.objective = "best-case", "minimize"
    result = evaluate_track(plan)
    assert result.policy == {"d": "c"} and result.rule_value == -50.0 and result.ev == 40.0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_nodes=16), st.data())
def test_two_criteria_match_the_reference(plan, data):
    plan = two_criteria(plan, data)
    got = evaluate_track(plan)
    s = settings_of(plan)
    p = reference.probabilities(plan)
    root = plan.tracks[0].root
    v1, v2 = ref.two_criteria_values(plan, root, s.signs, plan.weight, p)
    assert close(got.values[0], v1) and close(got.values[1], v2)
    best = max(ref.combined(*ref.policy_values(plan, root, pol, p)[:2], s.signs, plan.weight)
               for pol in ref.policies(plan, root))
    assert close(got.combined, best)
    assert close(got.rule_value, got.combined)
    # Marginal values: the exact change of ev, decisions re-optimised on the combined value.
    for priority in got.priorities:
        raised = plan.copy()
        for node in raised.nodes.values():
            for response in node.responses:
                if response.id == priority.response:
                    response.readiness = 4
        assert close(priority.marginal_value, evaluate_track(raised).ev - got.ev), priority


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_nodes=14), st.data())
def test_league_table_matches_brute_force(plan, data):
    plan = two_criteria(plan, data)
    s = settings_of(plan)
    table = league_table(plan)
    rows = ref.league(plan, s.signs, plan.weight, s.weight_range)
    assert len(table.rows) == len(rows)
    assert sum(len(r.policies) for r in table.rows) == len(ref.policies(plan, plan.tracks[0].root))
    for row in table.rows:
        match = [r for r in rows if ref.close(r["values"][0], row.values[0]) and ref.close(r["values"][1], row.values[1])]
        assert len(match) == 1
        expect = match[0]
        assert sorted(map(sorted, (p.items() for p in row.policies))) == sorted(map(sorted, (p.items() for p in expect["policies"])))
        assert (row.dominated_by is not None) == expect["dominated"], row
        assert row.on_frontier == (expect["frontier"] and not expect["dominated"]), row
        assert row.optimal == expect["optimal"], row
        assert row.optimal_for_weight == expect["optimal_for_weight"], row
    # The evaluated policy's values sit in a row that is optimal for the weight.
    got = evaluate_track(plan)
    frontier = [r for r in table.rows if r.on_frontier]
    assert any(r.optimal_for_weight for r in frontier)
    # Ratios rise along the frontier; each is the weight at which neighbours tie.
    ratios = [r.icer for r in sorted(frontier, key=lambda r: s.signs[0] * r.values[0])]
    assert ratios[0] is None and all(b >= a - 1e-9 * max(1, abs(a)) for a, b in zip(ratios[1:], ratios[2:]))
    del got


def test_league_table_example_rows():
    plan = Plan(criteria=[Criterion("Effect"), Criterion("Cost", "minimize")], weight=20.0,
                tracks=[Track("t", root="d")], nodes={
        "d": Node("d", DECISION, label="Which?", children=["a", "b", "c", "e"]),
        "a": Node("a", label="cheap", payoff=1, payoff2=10),
        "b": Node("b", label="middle", payoff=2, payoff2=40),
        "c": Node("c", label="dear", payoff=4, payoff2=50),
        "e": Node("e", label="waste", payoff=3, payoff2=60)})
    table = league_table(plan)
    by_label = {r.labels[0]: r for r in table.rows}
    ends = (by_label["Which? -> cheap"].id, by_label["Which? -> dear"].id)
    assert by_label["Which? -> middle"].extended_dominated_by == ends
    assert by_label["Which? -> waste"].dominated_by == by_label["Which? -> dear"].id
    assert by_label["Which? -> dear"].icer == pytest.approx(40 / 3)
    assert by_label["Which? -> dear"].optimal_for_weight and not by_label["Which? -> cheap"].optimal_for_weight
    # A weight equal to the ratio makes both neighbours optimal.
    plan.weight = 40 / 3
    table = league_table(plan)
    assert [r.labels[0] for r in table.rows if r.optimal_for_weight] == ["Which? -> cheap", "Which? -> dear"]


def test_league_table_needs_two_criteria():
    plan = Plan(tracks=[Track("t", root="d")], nodes={"d": Node("d", DECISION, children=["a"]), "a": Node("a")})
    with pytest.raises(PlanError, match="two criteria"):
        league_table(plan)
    assert len(league_table(with_options(plan, senses=("maximize", "minimize"))).rows) == 1


def test_fields_round_trip_and_validate():
    plan = Plan(rule="worst-case", criteria=[Criterion("Effect", "maximize", "QALY"),
                                             Criterion("Cost", "minimize", "k$")],
                weight=math.inf, weight_range=(0.0, math.inf), tracks=[Track("t", root="d")],
                nodes={"d": Node("d", DECISION, label="Go?", children=["a"]),
                       "a": Node("a", payoff2="2*3", payoff2_range=(1, 9))})
    text = dumps_plan(plan)
    assert '"weight": "Infinity"' in text and '"weight_range": [0, "Infinity"]' in text
    again = loads_plan(text)
    assert dumps_plan(again) == text
    assert again.criteria == plan.criteria and again.weight == math.inf
    messages = [str(p) for p in validate_plan(again)]
    assert any("rule" in m and "one criterion" in m for m in messages)
    again.rule = "sometimes"
    again.nodes["a"].payoff2 = "nope +"
    messages = [str(p) for p in validate_plan(again)]
    assert any(m.startswith("rule: must be one of expected, worst-case, best-case") for m in messages), messages
    assert any("[a]: payoff2" in m or "node a: payoff2" in m for m in messages), messages


def test_unknown_fields_on_criteria_survive_a_round_trip():
    text = dumps_plan(Plan(criteria=[Criterion("Effect", extra={"colour": "red"})]))
    assert '"colour": "red"' in dumps_plan(loads_plan(text))


def test_value_of_information_with_two_criteria_is_on_the_combined_value():
    from planning.model.plan import TERMINAL, Variable
    from planning.analyses.voi import quantity_label, value_of_information

    nodes = {"d": Node("d", DECISION, label="Move?", children=["hold", "move"]),
             "hold": Node("hold", TERMINAL),
             "move": Node("move", TERMINAL, label="move", payoff=10, payoff2=10, payoff2_range=(0, 30))}
    plan = Plan(criteria=[Criterion("Effect"), Criterion("Cost", "minimize")],
                tracks=[Track("t", root="d")], nodes=nodes)
    got = value_of_information(plan, iterations=3000, seed=4)
    # The same decision written with one criterion: move is worth 10 - x, x drawn on [0, 30].
    same = Plan(variables=[Variable("x", 10.0, (0, 30))], tracks=[Track("t", root="d")], nodes={
        "d": Node("d", DECISION, children=["hold", "move"]), "hold": Node("hold", TERMINAL),
        "move": Node("move", TERMINAL, payoff="10 - x")})
    expect = value_of_information(same, iterations=3000, seed=4)
    assert got.evpi == pytest.approx(expect.evpi, rel=1e-12) and got.evpi > 0
    (e,) = got.evppi
    assert (e.name, e.kind) == ("move.payoff2", "payoff2")
    assert e.value == pytest.approx(expect.evppi[0].value, rel=1e-12)
    assert quantity_label(plan, e) == "the Cost of “move”"
    # Weight Infinity: criterion 1 alone decides, and payoff2 cannot change anything.
    plan.weight = math.inf
    assert value_of_information(plan, iterations=3000, seed=4).evpi == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_nodes=20), st.sampled_from(["worst-case", "best-case"]), st.data())
def test_from_node_under_a_rule_is_the_subtree_as_its_own_track(plan, rule, data):
    plan.rule = rule
    node_id = data.draw(st.sampled_from([n for n, node in plan.nodes.items() if node.kind != "terminal"]))
    sub = evaluate_track(plan, root=node_id)
    sign = -1.0 if plan.objective == "minimize" else 1.0
    assert close(sub.rule_value, ref.rule_value(plan, node_id, rule, sign, reference.probabilities(plan)))
    whole = evaluate_track(plan)
    assert close(sub.rule_value, ref.rule_value(plan, node_id, rule, sign, reference.probabilities(plan)))
    assert whole.rule_value is not None


def test_a_track_with_too_many_policies_says_so():
    from planning.analyses.league import MAX_POLICIES, count_policies

    nodes = {"c": Node("c", CHANCE, label="Weather", children=[f"d{i}" for i in range(15)])}
    for i in range(15):
        nodes[f"d{i}"] = Node(f"d{i}", DECISION, probability=1 / 15, children=[f"a{i}", f"b{i}"])
        nodes[f"a{i}"] = Node(f"a{i}", payoff=1, payoff2=i)
        nodes[f"b{i}"] = Node(f"b{i}", payoff=2, payoff2=-i)
    plan = Plan(criteria=[Criterion("E"), Criterion("C", "minimize")], tracks=[Track("t", root="c")], nodes=nodes)
    assert count_policies(plan) > MAX_POLICIES
    with pytest.raises(PlanError, match="more than 20,000 policies; a league table lists them all"):
        league_table(plan)
    nodes["d0"].committed = "a0"
    nodes["d1"].committed = "a1"
    assert count_policies(plan) == 2 ** 13
    assert sum(len(r.policies) for r in league_table(plan).rows) == 2 ** 13
