"""The fast paths of loading and saving give exactly what the general readers give.

Loading a plan reads common nodes without a call per field (``_plain_node``),
saving streams the nodes (``_NodeRows``) through one C encoder, and the
SilverDecisions importer reads plain numbers directly (``_plain_number``). Each
is checked here against the general path it shortcuts, on arbitrary JSON values:
same node, same text, same message, never a traceback.
"""
from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.files import plan_fields, planfile
from planning.files.importers import silverdecisions as sd
from planning.model.errors import PlanError, PlanFileError
from planning.model.generate import random_plan

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([math.inf, -math.inf, math.nan]),
    st.text(max_size=12), st.sampled_from(["#", " # ", "p*2", "0.5", "1e400", "1_000", "nan", "", "n1"]),
)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)), max_leaves=6)
PLAIN_KEYS = sorted(plan_fields._PLAIN_NODE_KEYS - {"id"})


def _outcome(read, *args):
    """What a reader gives: the node as text with its value types, or the error's words."""
    try:
        node = read(*args)
    except (PlanError, PlanFileError) as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("node", repr(node), [type(getattr(node, f)).__name__ for f in ("payoff", "probability",
                                                                            "warning_days", "payoff2")])


def _general(raw: dict, index: int):
    """``_node_from_dict`` without its fast path (the reader every field goes through)."""
    saved = plan_fields._plain_node
    plan_fields._plain_node = lambda raw, node_id: None
    try:
        return plan_fields._node_from_dict(raw, index)
    finally:
        plan_fields._plain_node = saved


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(PLAIN_KEYS), JSON_VALUES, max_size=6),
       st.one_of(st.just("n1"), JSON_SCALARS))
def test_plain_node_reads_any_fields_as_the_general_reader(fields, node_id):
    raw = {"id": node_id, **fields}
    assert _outcome(plan_fields._node_from_dict, raw, 3) == _outcome(_general, raw, 3)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(PLAIN_KEYS), st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-2**60, 2**60), st.text(max_size=6),
    st.lists(st.sampled_from(["a", "b", "c"]), max_size=3)), max_size=6))
def test_plain_nodes_round_trip_byte_for_byte(fields):
    """load -> save -> load -> save: the same text twice, or the same error twice."""
    data = {"format": "branchwise-plan", "version": 1, "tracks": [{"id": "t", "root": "n1"}],
            "nodes": [{"id": "n1", **fields}]}
    try:
        first = planfile.dumps_plan(planfile.loads_plan(json.dumps(data)))
    except (PlanError, PlanFileError) as exc:
        assert "n1" in str(exc)  # a corrupted field names its node
        return
    assert planfile.dumps_plan(planfile.loads_plan(first)) == first


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 300), st.integers(0, 10_000), st.integers(0, 40))
def test_corrupted_node_gives_a_node_and_field_error_never_a_traceback(size, seed, pick):
    data = json.loads(planfile.dumps_plan(random_plan(size, seed=seed)))
    node = data["nodes"][pick % len(data["nodes"])]
    keys = sorted(node)
    key = keys[seed % len(keys)]
    node[key] = [None, True, {"x": 1}, "#", 2**80, [1]][seed % 6]
    try:
        plan = planfile.loads_plan(json.dumps(data))
    except PlanError as exc:
        # The node by its id, or by its place when the id itself is broken; and the field.
        assert exc.field is not None, str(exc)
        assert exc.node_id == node.get("id") or exc.field.startswith("nodes["), str(exc)
    else:
        assert planfile.dumps_plan(planfile.loads_plan(planfile.dumps_plan(plan))) == planfile.dumps_plan(plan)


def test_streamed_save_is_the_text_of_plan_to_dict():
    """dumps_plan makes node dicts one at a time; the text is that of the whole dict."""
    for seed, size in ((1, 1), (2, 500), (3, 3000)):
        plan = random_plan(size, seed=seed)
        plan.extra["zz_unknown"] = {"kept": [1, 2.5, "x"]}
        next(iter(plan.nodes.values())).extra["custom"] = "é"
        reference = planfile._format_document(planfile.plan_to_dict(plan))
        assert planfile.dumps_plan(plan) == reference
        assert planfile.dumps_plan(planfile.loads_plan(reference)) == reference
    empty = planfile.Plan()
    assert planfile.dumps_plan(empty) == planfile._format_document(planfile.plan_to_dict(empty))
    assert '"nodes": []' in planfile.dumps_plan(empty)


def test_a_value_json_cannot_hold_still_names_its_node():
    plan = random_plan(50)
    node = list(plan.nodes.values())[7]
    node.payoff = math.nan
    try:
        planfile.dumps_plan(plan)
    except PlanFileError as exc:
        assert f"node {node.id}: " in str(exc)
        assert "Out of range float values are not JSON compliant" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("NaN was written")


# -- SilverDecisions ---------------------------------------------------------------------

def _edge_value(raw, field: str):
    converter = sd._Converter({"SilverDecisions": "0.8.0", "trees": [{"type": "terminal"}]}, "f.json", "")
    try:
        return ("value", repr(converter.edge_value(raw, None, field, 0, [])))
    except PlanFileError as exc:
        return ("error", str(exc))
    except OverflowError:  # an integer too large for a float: as before this work
        return ("overflow",)


@settings(max_examples=500, deadline=None)
@given(JSON_SCALARS)
def test_plain_number_is_what_the_edge_reader_gives(raw):
    number = sd._plain_number(raw)
    if number is not None:
        assert ("value", repr(number)) == _edge_value(raw, "payoff") == _edge_value(raw, "probability")


@given(st.from_regex(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*", fullmatch=True))
def test_plain_decimal_strings_take_the_fast_path_or_the_general_one(text):
    number = sd._plain_number(text)
    if number is None:  # not finite, or white space float() refuses ("\\x1f"): read as before
        assert _edge_value(text, "payoff")[0] == "value"
    else:
        assert ("value", repr(number)) == _edge_value(text, "payoff")


def test_a_decimal_with_white_space_float_refuses_is_no_traceback():
    """Was a ValueError traceback: "\\x1f" is white space to the pattern, not to float()."""
    text = json.dumps({"SilverDecisions": "0.8.0", "trees": [{"type": "chance", "name": "C", "childEdges": [
        {"name": "a", "probability": "1", "payoff": ".5\x1f", "childNode": {"type": "terminal"}}]}]})
    plan = sd.loads_silverdecisions(text)
    assert plan.nodes["sd2"].payoff == 0.5


# -- one field table for files and edits -------------------------------------------------

def test_files_and_edits_read_fields_by_one_table():
    from planning.model import edits, field_values
    from planning.model.fields import NODE_FIELD_KINDS, RESPONSE_FIELD_KINDS

    assert set(plan_fields._NODE_FIELDS) == set(NODE_FIELD_KINDS)
    assert set(edits.NODE_FIELDS) <= set(NODE_FIELD_KINDS)
    assert set(edits.RESPONSE_FIELDS) == set(RESPONSE_FIELD_KINDS)
    plan = random_plan(20)
    node = next(n for n in plan.nodes.values() if n.children)
    # The same words as before the table: a file's reader, then an edit's.
    try:
        planfile.loads_plan(json.dumps({"format": "branchwise-plan", "version": 1, "nodes": [
            {"id": "n1", "responses": [{"id": "r1", "lead_time_days": "soon"}]}]}))
    except PlanError as exc:
        assert str(exc) == "node n1: responses[0].lead_time_days: must be a number, got 'soon'"
    for name, value, words in (
            ("warning_days", -1, "warning_days: must be at least 0"),
            ("payoff", True, "payoff: expected a number, got True"),
            ("kind", 3, "kind: must be one of decision, chance, terminal"),
            ("children", [], "unknown node field 'children'"),
            ("signposts", "x", "signposts: expected a list of text")):
        try:
            field_values.node_value(plan, node, name, value)
        except ValueError as exc:
            assert str(exc) == words
        else:  # pragma: no cover
            raise AssertionError(name)
    assert field_values.node_value(plan, node, "payoff", " 12.5 ") == 12.5
    assert field_values.response_value("readiness", "3") == 3
