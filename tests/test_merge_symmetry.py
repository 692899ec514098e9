"""Merges do not depend on which side is "ours" (issue 17, defect 3).

Two copies of a plan are edited independently through planning.model.edits (the
code the app uses); with the same random source both copies make the same new
ids, which is how two clones collided before ids were random. merge(base, A, B)
and merge(base, B, A) must keep the same things under the same ids.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from planning.model import edits
from planning.sharing.merge import merge_plans
from planning.model.plan import Response
from planning.files.planfile import load_plan, plan_to_dict

PEACE = SAMPLES / "peace-process.bwplan"
_BASE = load_plan(PEACE)

# One edit: (operation, which existing node by index, a text)
EDIT = st.tuples(st.sampled_from(["child", "response", "label", "remove", "response_title"]),
                 st.integers(min_value=0, max_value=10_000), st.text("abcxyz ", min_size=1, max_size=6))


def _apply(plan, script, rng: random.Random) -> None:
    saved = edits._id_random
    edits._id_random = rng  # the same seed on both sides: the same "new" ids
    try:
        for operation, pick, text in script:
            ids = sorted(plan.nodes)
            node_id = ids[pick % len(ids)]
            node = plan.nodes[node_id]
            roots = {t.root for t in plan.tracks}
            try:
                if operation == "child" and node.kind != "terminal":
                    edits.add_child(plan, node_id, "terminal", text)
                elif operation == "response":
                    edits.add_response(plan, node_id, text)
                elif operation == "label":
                    edits.set_node_field(plan, node_id, "label", text)
                elif operation == "remove" and node_id not in roots:
                    edits.remove_subtree(plan, node_id)
                elif operation == "response_title" and node.responses:
                    edits.set_response_field(plan, node_id, node.responses[0].id, "title", text)
            except ValueError:
                pass  # an edit the plan refuses (e.g. a child under a terminal)
    finally:
        edits._id_random = saved


def _canonical(result) -> dict:
    """What the merge kept, by id: each node's fields with children as a set
    (the order of children both sides added is ours-first, by design)."""
    data = plan_to_dict(result.plan)
    data.get("extra", {}).pop("merge_conflicts", None)
    conflicted = {c.node for c in result.conflicts}
    nodes = {}
    for node in data["nodes"]:
        node = dict(node)
        node["children"] = sorted(node.get("children", []))
        node["responses"] = sorted((r["id"], r.get("title", "")) for r in node.get("responses", []))
        if node["id"] in conflicted:  # a conflict keeps ours' value: compare only the ids
            node = {"id": node["id"], "children": node["children"],
                    "responses": [r[0] for r in node["responses"]]}
        nodes[node["id"]] = node
    return nodes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ours=st.lists(EDIT, max_size=6), theirs=st.lists(EDIT, max_size=6),
       same_ids=st.booleans(), seed=st.integers(0, 2**16))
def test_merge_is_the_same_whichever_side_is_ours(ours, theirs, same_ids, seed):
    a, b = _BASE.copy(), _BASE.copy()
    _apply(a, ours, random.Random(seed))
    _apply(b, theirs, random.Random(seed if same_ids else seed + 1))
    ab, ba = merge_plans(_BASE, a, b), merge_plans(_BASE, b, a)
    # Same node ids and response ids, each response on the same node.
    assert set(ab.plan.nodes) == set(ba.plan.nodes)
    owners = [{r.id: n.id for n in m.plan.nodes.values() for r in n.responses} for m in (ab, ba)]
    assert owners[0] == owners[1]
    assert _canonical(ab) == _canonical(ba)
    # Nothing either side added is lost, and no id is used twice.
    for merged in (ab, ba):
        ids = [r.id for n in merged.plan.nodes.values() for r in n.responses]
        assert len(ids) == len(set(ids))
        assert not set(ids) & set(merged.plan.nodes)
    added_labels = {n.label for side in (a, b) for nid, n in side.nodes.items() if nid not in _BASE.nodes}
    kept_labels = {n.label for n in ab.plan.nodes.values()}
    assert added_labels <= kept_labels or ab.conflicts


def test_colliding_response_renamed_the_same_on_both_merges_and_kept_by_the_next_merge():
    """The issue's scenario: main and a feature both add r104; the feature merges main
    in, then main edits its r104 and the feature merges again: no copy, no conflict."""
    base = _BASE.copy()
    main, feature = base.copy(), base.copy()
    node = sorted(base.nodes)[0]
    main.nodes[node].responses.append(Response("r104", "Main's call"))
    feature.nodes[node].responses.append(Response("r104", "Feature's call"))
    on_feature = merge_plans(base, feature, main).plan  # main merged into the feature branch
    on_main = merge_plans(base, main, feature).plan     # the other way round
    titles = lambda plan: {r.title: r.id for r in plan.nodes[node].responses}  # noqa: E731
    assert titles(on_feature) == titles(on_main)
    # Main edits its r104 (under whatever id main's copy has in the merge).
    main_id = titles(on_feature)["Main's call"]
    main2 = on_main.copy()
    next(r for r in main2.nodes[node].responses if r.id == main_id).owner = "NSC"
    again = merge_plans(on_main, main2, on_feature)
    assert again.clean, [str(c) for c in again.conflicts]
    responses = [r for r in again.plan.nodes[node].responses if r.title in ("Main's call", "Feature's call")]
    assert len(responses) == 2
    assert next(r for r in responses if r.id == main_id).owner == "NSC"


@pytest.mark.parametrize("count", [200])
def test_new_ids_from_two_copies_do_not_collide(count):
    a, b = _BASE.copy(), _BASE.copy()
    root = a.tracks[0].root
    made_a = {edits.add_child(a, root, "terminal", "x").created_id for _ in range(count)}
    made_b = {edits.add_child(b, root, "terminal", "y").created_id for _ in range(count)}
    assert not made_a & made_b
    assert all(len(i) == 6 and i.startswith("n") for i in made_a)
