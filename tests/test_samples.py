"""The shipped sample plans and the templates built on them.

The samples are what a new user opens first and what the docs, the GUI tests
and the benchmarks lean on, so they must be valid, use every v1 field, and
tell a story with their numbers: some exposure, some late responses and a
clear next priority. The numbers are checked with the plain reference
implementation in tests/reference.py after every expression is resolved.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from planning.model.plan import CHANCE, DECISION, KINDS, PATHS, TERMINAL, Plan
from planning.files.planfile import dumps_plan, loads_plan
from planning.files.templates import SAMPLE_FILES, TEMPLATES, new_plan, sample_text

import reference

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"
SAMPLE_NAMES = ["peace-process.bwplan", "product-launch.bwplan"]

# Every v1 field, by the object that holds it (shared/DESIGN.md, "The plan file").
PLAN_FIELDS = {"format", "version", "title", "description", "objective", "value_unit",
               "variables", "tracks", "nodes"}
VARIABLE_FIELDS = {"name", "value", "range", "description"}
TRACK_FIELDS = {"id", "title", "root"}
NODE_FIELDS = {"id", "kind", "label", "notes", "children", "payoff", "probability",
               "probability_range", "payoff_range", "path", "signposts", "warning_days",
               "responses", "committed", "variables"}
RESPONSE_FIELDS = {"id", "title", "owner", "trigger", "readiness", "lead_time_days", "cost",
                   "effect", "notes"}


def raw(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def loaded(name: str) -> Plan:
    return loads_plan((SAMPLES / name).read_text(encoding="utf-8"), source=name)


def parent_map(data: dict) -> dict[str, list[str]]:
    parents: dict[str, list[str]] = {}
    for node in data["nodes"]:
        for child in node.get("children", []):
            parents.setdefault(child, []).append(node["id"])
    return parents


def track_node_ids(data: dict, root: str) -> list[str]:
    by_id = {n["id"]: n for n in data["nodes"]}
    out, stack = [], [root]
    while stack:
        node_id = stack.pop()
        out.append(node_id)
        stack.extend(by_id[node_id].get("children", []))
    return out


def numeric_plan(plan: Plan) -> tuple[Plan, dict[str, dict[str, float]]]:
    """A copy with every probability and payoff resolved to a float ('#' kept).

    Also returns, per chance node, its children's resolved probabilities
    (with '#' shares filled in) so callers can check the sums. Values read
    from other tracks (linked tracks) come from the reference evaluation.
    """
    return reference.linked_numeric(plan)


def track_numbers(plan: Plan) -> dict[str, dict]:
    """Reference evaluation of every track, expressions resolved."""
    numeric, _ = numeric_plan(plan)
    return {track.id: reference.evaluate(numeric, track.root) for track in numeric.tracks}


# -- the file itself ---------------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_is_a_version_1_plan_file(name):
    data = raw(name)
    assert data["format"] == "branchwise-plan"
    assert data["version"] == 1
    assert data["title"] and data["description"] and data["value_unit"]
    assert isinstance(data["nodes"], list)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_is_stored_as_the_app_writes_it(name):
    # Opening a sample and saving it unchanged must not produce a diff.
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert dumps_plan(loads_plan(text)) == text, (
        f"{name} is not in canonical form: regenerate it with dumps_plan(loads_plan(text))")


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_ids_are_unique_across_nodes_and_responses(name):
    data = raw(name)
    ids = [n["id"] for n in data["nodes"]]
    ids += [r["id"] for n in data["nodes"] for r in n.get("responses", [])]
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)
    track_ids = [t["id"] for t in data["tracks"]]
    assert len(track_ids) == len(set(track_ids))
    names = [v["name"] for v in data["variables"]]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_node_belongs_to_exactly_one_track_tree(name):
    data = raw(name)
    by_id = {n["id"]: n for n in data["nodes"]}
    parents = parent_map(data)
    roots = [t["root"] for t in data["tracks"]]
    for root in roots:
        assert root in by_id, f"track root {root} missing"
        assert root not in parents, f"track root {root} is also somebody's child"
    for child, its_parents in parents.items():
        assert child in by_id, f"child {child} of {its_parents} does not exist"
        assert len(its_parents) == 1, f"{child} has several parents {its_parents}"
    covered = [i for root in roots for i in track_node_ids(data, root)]
    assert sorted(covered) == sorted(by_id), "orphans or nodes shared between tracks"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_node_kinds_children_paths_and_committed(name):
    data = raw(name)
    by_id = {n["id"]: n for n in data["nodes"]}
    for node in data["nodes"]:
        kind = node["kind"]
        assert kind in KINDS
        children = node.get("children", [])
        if kind == TERMINAL:
            assert not children, node["id"]
        else:
            assert children, node["id"]
        if kind == CHANCE:
            for child in children:
                assert by_id[child].get("path") in PATHS, f"branch {child} has no path"
                assert "probability" in by_id[child], f"branch {child} has no probability"
        if "committed" in node:
            assert kind == DECISION and node["committed"] in children
        for response in node.get("responses", []):
            assert response["owner"] and response["title"] and response["trigger"]
            assert response["readiness"] in range(5)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_chance_probabilities_sum_to_one(name):
    _, shares = numeric_plan(loaded(name))
    assert shares, "no chance nodes"
    for node_id, probabilities in shares.items():
        assert math.fsum(probabilities.values()) == pytest.approx(1.0, abs=1e-9), node_id
        for child, p in probabilities.items():
            assert 0.0 <= p <= 1.0, (node_id, child, p)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_ranges_bracket_their_base_values(name):
    plan = loaded(name)
    numeric, _ = numeric_plan(plan)
    for variable in plan.variables:
        if variable.range is not None:
            low, high = variable.range
            assert low <= float(variable.value) <= high, variable.name
    for node in numeric.nodes.values():
        if node.probability_range is not None:
            low, high = node.probability_range
            assert 0 <= low <= node.probability <= high <= 1, node.id
        if node.payoff_range is not None:
            low, high = node.payoff_range
            assert low <= node.payoff <= high, node.id


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_v1_field_is_used(name):
    data = raw(name)
    nodes = data["nodes"]
    responses = [r for n in nodes for r in n.get("responses", [])]
    local_variables = [v for n in nodes for v in n.get("variables", [])]
    assert PLAN_FIELDS <= set(data)
    assert VARIABLE_FIELDS <= {k for v in data["variables"] for k in v}
    assert {"name", "value", "description"} <= {k for v in local_variables for k in v}
    assert TRACK_FIELDS <= {k for t in data["tracks"] for k in t}
    assert NODE_FIELDS <= {k for n in nodes for k in n}, NODE_FIELDS - {k for n in nodes for k in n}
    assert RESPONSE_FIELDS <= {k for r in responses for k in r}
    # Both ways of writing a value: a number, an expression, and "#".
    probabilities = [n["probability"] for n in nodes if "probability" in n]
    assert "#" in probabilities
    assert any(isinstance(p, str) and p != "#" for p in probabilities)
    assert any(isinstance(p, (int, float)) for p in probabilities)
    assert any(isinstance(n.get("payoff"), str) for n in nodes)
    assert {n["kind"] for n in nodes} == set(KINDS)
    assert {n["path"] for n in nodes if "path" in n} == set(PATHS)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_has_a_late_response(name):
    plan = loaded(name)
    late = [(n.id, r.id) for n in plan.nodes.values() for r in n.responses
            if r.is_late(n.warning_days)]
    assert late
    # ... and a response that is in time, so lateness is a finding, not the rule.
    assert any(not r.is_late(n.warning_days) for n in plan.nodes.values() for r in n.responses)


# -- the peace process tells a story ----------------------------------------------------

def test_peace_process_runs_six_tracks_of_real_trees():
    data = raw("peace-process.bwplan")
    assert len(data["tracks"]) == 6
    by_id = {n["id"]: n for n in data["nodes"]}
    for track in data["tracks"]:
        ids = track_node_ids(data, track["root"])
        assert 8 <= len(ids) <= 30, (track["id"], len(ids))
        kinds = {by_id[i]["kind"] for i in ids}
        assert kinds == set(KINDS), track["id"]
        branches = [by_id[c] for i in ids if by_id[i]["kind"] == CHANCE for c in by_id[i]["children"]]
        assert {b["path"] for b in branches} >= {"success", "failure"}, track["id"]
        assert any(b.get("signposts") for b in branches), track["id"]
        assert any(b.get("responses") for b in branches), track["id"]


def test_peace_process_numbers_show_exposure_and_a_next_priority():
    numbers = track_numbers(loaded("peace-process.bwplan"))
    for track_id, result in numbers.items():
        # Failure is a real prospect on every track, and we are not ready for all of it.
        assert 0.2 <= result["p_failure"] <= 0.6, (track_id, result["p_failure"])
        assert result["failure_exposure"] > 0.01, track_id
        assert result["failure_readiness"] < 1.0, track_id
        # Preparation is worth something and there is a clear thing to do next.
        assert result["ev_full"] > result["ev"] > result["ev_unprepared"], track_id
        assert max(result["marginal"].values()) > 0.1, track_id


def test_peace_process_decisions_are_not_foregone():
    # At least one opening decision flips when responses are ignored: preparation
    # is what makes the bolder option worth taking (the staged-relief story).
    plan = loaded("peace-process.bwplan")
    numeric, _ = numeric_plan(plan)
    flips = []
    for track in numeric.tracks:
        _, prepared = reference.rollback(numeric, track.root)
        _, unprepared = reference.rollback(numeric, track.root, "unprepared")
        flips += [d for d in prepared if prepared[d] != unprepared[d]]
    assert "sanc_d1" in flips


def test_committed_decisions_steer_the_policy():
    peace, _ = numeric_plan(loaded("peace-process.bwplan"))
    _, policy = reference.rollback(peace, "reg_d1")
    assert policy["reg_d1"] == "reg_c2"
    # In the launch plan the commitment overrides an option that now scores better.
    launch = loaded("product-launch.bwplan")
    numeric, _ = numeric_plan(launch)
    ev, policy = reference.rollback(numeric, "sup_d1")
    assert policy["sup_d1"] == "sup_c1"
    assert ev["sup_c2"] > ev["sup_c1"]


def test_product_launch_is_small():
    data = raw("product-launch.bwplan")
    assert 1 <= len(data["tracks"]) <= 2
    assert 10 <= len(data["nodes"]) <= 20


# -- templates --------------------------------------------------------------------------

def test_templates_are_listed_with_one_line_descriptions():
    assert list(TEMPLATES) == ["blank", "peace-process", "product-launch"]
    for description in TEMPLATES.values():
        assert description and "\n" not in description
    assert set(SAMPLE_FILES) < set(TEMPLATES)


def test_blank_template_is_one_decision_with_two_options():
    plan = new_plan("blank")
    assert len(plan.tracks) == 1
    root = plan.node(plan.tracks[0].root)
    assert root.kind == DECISION
    assert len(root.children) == 2
    assert all(plan.node(c).kind == TERMINAL for c in root.children)
    assert len(plan.nodes) == 3
    # It is a plan file like any other.
    again = loads_plan(dumps_plan(plan))
    assert dumps_plan(again) == dumps_plan(plan)
    assert reference.evaluate(plan)["ev"] == 0.0


@pytest.mark.parametrize("template", ["peace-process", "product-launch"])
def test_sample_templates_load_the_shipped_files(template):
    plan = new_plan(template)
    assert sample_text(template) == (SAMPLES / SAMPLE_FILES[template]).read_text(encoding="utf-8")
    assert dumps_plan(plan) == sample_text(template)
    assert len(plan.tracks) == len(raw(SAMPLE_FILES[template])["tracks"])


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_each_new_plan_is_a_fresh_copy(template):
    first = new_plan(template)
    first.title = "edited"
    first.nodes.clear()
    second = new_plan(template)
    assert second.title != "edited"
    assert second.nodes


def test_unknown_template_names_the_known_ones():
    with pytest.raises(KeyError) as caught:
        new_plan("war-game")
    message = str(caught.value)
    assert "war-game" in message
    for name in TEMPLATES:
        assert name in message
    with pytest.raises(KeyError):
        sample_text("blank")


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_templates_pass_validation(template):
    validate = pytest.importorskip("planning.model.validate")
    problems = [p for p in validate.validate_plan(new_plan(template)) if p.severity == "error"]
    assert problems == []
