"""Plan files: loading, deterministic writing, round trips, atomic saves, fragments."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SAMPLES, SHARED
from planning.files import planfile
from planning.model.errors import PlanError, PlanFileError
from planning.model.plan import Node, Plan, Response, Track, Variable
from planning.files.planfile import (
    dumps_plan, fragment_from_text, fragment_to_text, load_plan, loads_plan, plan_from_dict,
    plan_to_dict, save_plan,
)

MINIMAL = SHARED / "examples" / "minimal.bwplan"


def small_plan() -> Plan:
    return loads_plan(MINIMAL.read_text(encoding="utf-8"))


# -- loading -------------------------------------------------------------------------

def test_minimal_example_loads_every_field():
    plan = load_plan(MINIMAL)
    assert plan.title == "Minimal example"
    assert plan.description == "A product launch with one contingency."
    assert plan.objective == "maximize"
    assert plan.value_unit == "k$"
    assert plan.variables == [Variable("p_ok", 0.7, (0.5, 0.85), "chance the launch goes well")]
    assert plan.tracks == [Track("launch", "Launch", "d1")]
    assert list(plan.nodes) == ["d1", "c1", "t1", "t2", "t3"]
    d1, c1, t1, t2, t3 = plan.nodes.values()
    assert (d1.kind, d1.label, d1.children, d1.payoff) == ("decision", "Launch in spring?", ["c1", "t3"], 0.0)
    assert (c1.kind, c1.payoff, c1.children) == ("chance", -40.0, ["t1", "t2"])
    assert t1.probability == "p_ok" and t2.probability == "#"
    assert (t1.path, t2.path, t3.path) == ("success", "failure", "neutral")
    assert t1.payoff == 200.0 and type(t1.payoff) is float
    assert t1.signposts == ["pre-orders above 5k"] and t1.warning_days == 30.0
    assert t1.responses == [Response("r1", "Scale support team", "Ops", "pre-orders above 5k", 2, 14.0, 5.0, 15.0)]
    assert t2.responses[0].readiness == 1 and t2.responses[0].effect == 30.0
    assert t3.probability is None and t3.responses == [] and t3.committed is None


def test_absent_fields_take_their_defaults():
    plan = plan_from_dict({"nodes": [{"id": "a"}]})
    assert (plan.title, plan.description, plan.objective, plan.value_unit) == ("", "", "maximize", "")
    node = plan.nodes["a"]
    assert node == Node("a")
    assert (node.kind, node.payoff, node.probability, node.path, node.warning_days) == ("terminal", 0.0, None, None, None)
    response = plan_from_dict({"nodes": [{"id": "a", "responses": [{"id": "r"}]}]}).nodes["a"].responses[0]
    assert (response.readiness, response.lead_time_days, response.cost, response.effect) == (0, None, 0.0, 0.0)


def test_numbers_and_expressions_are_kept_as_written():
    plan = plan_from_dict({"nodes": [
        {"id": "a", "payoff": 3, "probability": "1 - p"},
        {"id": "b", "payoff": "x*2", "probability": 0.25, "probability_range": [0, 1]},
    ]})
    a, b = plan.nodes["a"], plan.nodes["b"]
    assert a.payoff == 3.0 and type(a.payoff) is float
    assert a.probability == "1 - p" and b.payoff == "x*2"
    assert b.probability_range == (0.0, 1.0) and type(b.probability_range) is tuple


def test_children_and_node_order_are_kept():
    nodes = [{"id": f"n{i}"} for i in range(50, 0, -1)]
    nodes.insert(0, {"id": "root", "kind": "chance", "children": ["n7", "n3", "n9"]})
    plan = plan_from_dict({"nodes": nodes})
    assert list(plan.nodes)[:3] == ["root", "n50", "n49"]
    assert plan.nodes["root"].children == ["n7", "n3", "n9"]
    assert [n["id"] for n in plan_to_dict(plan)["nodes"]] == list(plan.nodes)


def test_load_accepts_bytes_with_a_bom(tmp_path):
    text = MINIMAL.read_bytes()
    path = tmp_path / "bom.bwplan"
    path.write_bytes(b"\xef\xbb\xbf" + text)
    assert load_plan(path) == small_plan()
    assert loads_plan(text) == small_plan()


# -- writing ---------------------------------------------------------------------------

def test_dump_is_deterministic_and_round_trips():
    plan = small_plan()
    text = dumps_plan(plan)
    assert dumps_plan(plan) == text
    again = loads_plan(text)
    assert again == plan
    assert dumps_plan(again) == text
    assert dumps_plan(plan.copy()) == text


def test_dump_layout_key_order_and_number_format():
    plan = small_plan()
    plan.extra = {"zeta": 1, "alpha": {"nested": [1, 2]}}
    plan.nodes["t1"].payoff = 0.1 + 0.2
    plan.nodes["t3"].label = "Wait a year — 待つ"
    text = dumps_plan(plan)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "format": "branchwise-plan",'
    assert lines[2] == '  "version": 1,'
    assert list(json.loads(text)) == ["format", "version", "title", "description", "objective",
                                      "value_unit", "variables", "tracks", "nodes", "alpha", "zeta"]
    assert '    {"id": "d1", "kind": "decision", "label": "Launch in spring?", "children": ["c1", "t3"]},' in lines
    assert "Wait a year — 待つ" in text  # not \u escaped
    t1 = json.loads(text)["nodes"][2]
    assert list(t1) == ["id", "kind", "label", "payoff", "probability", "path", "signposts",
                        "warning_days", "responses"]
    assert '"payoff": 0.30000000000000004' in text  # repr: exact round trip
    assert '"payoff": -40}' in text and '"warning_days": 30,' in text  # 200.0 written as 200
    assert loads_plan(text).nodes["t1"].payoff == 0.1 + 0.2


def test_defaults_are_left_out_but_structure_kept():
    plan = Plan(tracks=[Track("t", "T", "d")],
                nodes={"d": Node("d", kind="decision", children=[]), "x": Node("x")})
    nodes = json.loads(dumps_plan(plan))["nodes"]
    assert nodes[0] == {"id": "d", "kind": "decision", "label": "", "children": []}
    assert nodes[1] == {"id": "x", "kind": "terminal"}


def test_unknown_fields_are_kept_at_every_level():
    data = json.loads(MINIMAL.read_text(encoding="utf-8"))
    data["x_top"] = {"b": [1, 2.5, None], "a": True}
    data["variables"][0]["x_var"] = "v"
    data["tracks"][0]["x_track"] = 7
    data["nodes"][0]["x_node"] = [{"deep": {"er": 1}}]
    data["nodes"][2]["responses"][0]["x_response"] = "kept"
    data["nodes"][2]["variables"] = [{"name": "k", "value": 1, "x_local": False}]
    plan = plan_from_dict(data)
    assert plan.extra == {"x_top": {"b": [1, 2.5, None], "a": True}}
    assert plan.variables[0].extra == {"x_var": "v"}
    assert plan.tracks[0].extra == {"x_track": 7}
    assert plan.nodes["d1"].extra == {"x_node": [{"deep": {"er": 1}}]}
    assert plan.nodes["t1"].responses[0].extra == {"x_response": "kept"}
    assert plan.nodes["t1"].variables[0].extra == {"x_local": False}
    written = json.loads(dumps_plan(plan))
    assert written["x_top"] == data["x_top"]
    assert written["variables"][0]["x_var"] == "v"
    assert written["tracks"][0]["x_track"] == 7
    assert written["nodes"][0]["x_node"] == [{"deep": {"er": 1}}]
    assert written["nodes"][2]["responses"][0]["x_response"] == "kept"
    assert written["nodes"][2]["variables"][0]["x_local"] is False
    assert loads_plan(dumps_plan(plan)) == plan


def test_a_plan_that_json_cannot_hold_is_refused():
    plan = small_plan()
    plan.nodes["t1"].payoff = float("nan")
    with pytest.raises(PlanFileError, match="cannot be saved: node t1: Out of range float"):
        dumps_plan(plan)


# -- hypothesis round trip -------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
ids = st.text("abcdefgh0123456789_", min_size=1, max_size=6)
finite = st.floats(allow_nan=False, allow_infinity=False)
values = st.one_of(finite, st.text("xyz*+-/ 0.5#", min_size=1, max_size=8))
ranges = st.none() | st.tuples(finite, finite)
json_leaf = st.none() | st.booleans() | st.integers(-10**6, 10**6) | finite | text
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(text, inner, max_size=3), max_leaves=8)


def extras(known: tuple[str, ...]):
    return st.dictionaries(st.text("klmnopqrs", min_size=1, max_size=5).map(lambda k: "x_" + k),
                           json_value, max_size=2)


variables = st.builds(Variable, name=ids, value=values, range=ranges, description=text,
                      extra=extras(planfile.VARIABLE_KEYS))
responses = st.builds(Response, id=ids, title=text, owner=text, trigger=text,
                      readiness=st.integers(0, 4), lead_time_days=st.none() | finite,
                      cost=finite, effect=finite, notes=text, extra=extras(planfile.RESPONSE_KEYS))


@st.composite
def plans(draw) -> Plan:
    node_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    nodes = {}
    for node_id in node_ids:
        nodes[node_id] = Node(
            id=node_id, kind=draw(st.sampled_from(["decision", "chance", "terminal", "odd"])),
            label=draw(text), notes=draw(text),
            children=draw(st.lists(st.sampled_from(node_ids), max_size=3)),
            payoff=draw(values), probability=draw(st.none() | values),
            probability_range=draw(ranges), payoff_range=draw(ranges),
            path=draw(st.none() | st.sampled_from(["success", "failure", "neutral"])),
            signposts=draw(st.lists(text, max_size=2)), warning_days=draw(st.none() | finite),
            responses=draw(st.lists(responses, max_size=2)),
            committed=draw(st.none() | ids), variables=draw(st.lists(variables, max_size=2)),
            extra=draw(extras(planfile.NODE_KEYS)))
    return Plan(title=draw(text), description=draw(text),
                objective=draw(st.sampled_from(["maximize", "minimize"])), value_unit=draw(text),
                variables=draw(st.lists(variables, max_size=2)),
                tracks=draw(st.lists(st.builds(Track, id=ids, title=text, root=st.sampled_from(node_ids),
                                               extra=extras(planfile.TRACK_KEYS)), max_size=2)),
                nodes=nodes, extra=draw(extras(planfile.PLAN_KEYS)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_random_plans_round_trip_exactly(plan):
    text = dumps_plan(plan)
    again = loads_plan(text)
    assert again == plan
    assert dumps_plan(again) == text
    assert plan_from_dict(plan_to_dict(plan)) == plan


# -- saving ------------------------------------------------------------------------------

def files_in(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def test_save_writes_the_file_and_keeps_a_backup(tmp_path):
    path = tmp_path / "plan.bwplan"
    plan = small_plan()
    save_plan(plan, path)
    first = path.read_bytes()
    assert first == dumps_plan(plan).encode("utf-8")
    assert files_in(tmp_path) == {"plan.bwplan"}  # nothing to back up the first time
    plan.title = "Second"
    save_plan(plan, str(path))
    assert load_plan(path).title == "Second"
    assert (tmp_path / "plan.bwplan~").read_bytes() == first
    assert files_in(tmp_path) == {"plan.bwplan", "plan.bwplan~"}
    plan.title = "Third"
    save_plan(plan, path)
    assert load_plan(tmp_path / "plan.bwplan~").title == "Second"


def test_save_keeps_the_file_mode(tmp_path):
    path = tmp_path / "plan.bwplan"
    save_plan(small_plan(), path)
    os.chmod(path, 0o640)
    save_plan(small_plan(), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


@pytest.mark.parametrize("failing_rename", ["backup", "final"])
def test_failing_rename_leaves_the_old_file_and_no_temp_files(tmp_path, monkeypatch, failing_rename):
    path = tmp_path / "plan.bwplan"
    save_plan(small_plan(), path)
    before = path.read_bytes()
    real_replace = os.replace

    def broken_replace(src, dst):
        if failing_rename == "backup" or os.fspath(dst) == str(path):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(planfile.os, "replace", broken_replace)
    plan = small_plan()
    plan.title = "never written"
    with pytest.raises(OSError, match="No space left"):
        save_plan(plan, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    expected = {"plan.bwplan"} if failing_rename == "backup" else {"plan.bwplan", "plan.bwplan~"}
    assert files_in(tmp_path) == expected
    if failing_rename == "final":
        assert (tmp_path / "plan.bwplan~").read_bytes() == before


def test_failing_write_leaves_the_old_file_and_no_temp_files(tmp_path, monkeypatch):
    path = tmp_path / "plan.bwplan"
    save_plan(small_plan(), path)
    save_plan(small_plan(), path)
    before, backup = path.read_bytes(), (tmp_path / "plan.bwplan~").read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(planfile.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        save_plan(Plan(title="x"), path)
    assert path.read_bytes() == before
    assert (tmp_path / "plan.bwplan~").read_bytes() == backup
    assert files_in(tmp_path) == {"plan.bwplan", "plan.bwplan~"}


@pytest.mark.parametrize("breakage", ["nan", "surrogate", "set"])
def test_unserialisable_plan_leaves_the_old_file(tmp_path, breakage):
    path = tmp_path / "plan.bwplan"
    save_plan(small_plan(), path)
    before = path.read_bytes()
    plan = small_plan()
    if breakage == "nan":
        plan.nodes["t2"].warning_days = float("nan")
    elif breakage == "surrogate":
        plan.nodes["t2"].label = "broken \ud800 text"
    else:
        plan.extra["x_set"] = {1, 2}
    with pytest.raises(PlanFileError, match="cannot be saved"):
        save_plan(plan, path)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == {"plan.bwplan"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_save_into_a_read_only_directory_fails_cleanly(tmp_path):
    path = tmp_path / "plan.bwplan"
    save_plan(small_plan(), path)
    before = path.read_bytes()
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(OSError):
            save_plan(Plan(title="x"), path)
    finally:
        os.chmod(tmp_path, 0o755)
    assert path.read_bytes() == before and files_in(tmp_path) == {"plan.bwplan"}


def test_save_through_a_symlink_writes_the_target(tmp_path):
    target = tmp_path / "real.bwplan"
    save_plan(small_plan(), target)
    link = tmp_path / "link.bwplan"
    link.symlink_to(target)
    plan = small_plan()
    plan.title = "via link"
    save_plan(plan, link)
    assert link.is_symlink() and load_plan(target).title == "via link"


# -- versions and migrations ---------------------------------------------------------------

def test_older_versions_go_through_the_migration_table(monkeypatch):
    def from_v0(data: dict) -> dict:
        # pretend version 0 called the node list "items" and payoffs "value"
        data["nodes"] = [{**{k: v for k, v in n.items() if k != "value"}, "payoff": n["value"]}
                         for n in data.pop("items")]
        return data

    monkeypatch.setitem(planfile.MIGRATIONS, 0, from_v0)
    old = {"format": "branchwise-plan", "version": 0, "title": "old",
           "tracks": [{"id": "t", "root": "a"}], "items": [{"id": "a", "value": 5}]}
    plan = loads_plan(json.dumps(old))
    assert plan.nodes["a"].payoff == 5.0 and plan.title == "old"
    assert json.loads(dumps_plan(plan))["version"] == 1


def test_an_old_version_without_migration_is_refused():
    with pytest.raises(PlanFileError, match="version 0 cannot be read"):
        loads_plan('{"format": "branchwise-plan", "version": 0}', source="old.bwplan")


# -- fragments -----------------------------------------------------------------------------

def test_fragment_round_trip_holds_the_subtree():
    plan = small_plan()
    text = fragment_to_text(plan, "c1")
    assert json.loads(text)["format"] == "branchwise-fragment"
    nodes, root = fragment_from_text(text)
    assert root == "c1"
    assert [n.id for n in nodes] == ["c1", "t1", "t2"]
    assert nodes == [plan.nodes["c1"], plan.nodes["t1"], plan.nodes["t2"]]
    assert fragment_from_text(text.encode("utf-8")) == (nodes, root)


@pytest.mark.parametrize("fragment, message", [
    ('{"format": "branchwise-plan", "version": 1}', "a whole plan, not a fragment"),
    ('{"format": "branchwise-fragment", "version": 1, "root": "a", "nodes": []}', "root is not among"),
    ('{"format": "branchwise-fragment", "version": 1, "root": "a", "nodes": [{"id": "a", "kind": "chance", "children": ["zz"]}]}',
     "node a: children: unknown node 'zz'"),
    ('{"format": "branchwise-fragment", "version": 1, "root": "a", "nodes": [{"id": "a"}, {"id": "b"}]}',
     "node b: is not under the fragment's root"),
    ('{"format": "branchwise-fragment", "version": 1, "root": "a", "nodes": [{"id": "a", "kind": "chance", "children": ["b"]}, {"id": "b", "kind": "chance", "children": ["a"]}]}',
     "node a: has two parents or closes a cycle"),
    ('{"format": "branchwise-fragment", "version": 9, "root": "a", "nodes": []}', "newer Branchwise"),
    ("not json", "not valid JSON"),
])
def test_bad_fragments_are_refused_with_the_reason(fragment, message):
    with pytest.raises((PlanError, PlanFileError), match=message):
        fragment_from_text(fragment)


# -- the JSON schema -------------------------------------------------------------------------

SCHEMA_PATH = ROOT / "resources" / "plan.schema.json"


@pytest.fixture(scope="module")
def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", [MINIMAL, *sorted(SAMPLES.glob("*.bwplan"))], ids=lambda p: p.name)
def test_plan_files_match_the_schema(schema_validator, path):
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator.iter_errors(data)]
    assert errors == []
    assert plan_to_dict(load_plan(path)) == plan_to_dict(plan_from_dict(data))


def test_schema_documents_every_field_and_rejects_bad_shapes(schema_validator):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    node = schema["$defs"]["node"]["properties"]
    assert set(node) == set(planfile.NODE_KEYS)
    assert set(schema["$defs"]["response"]["properties"]) == set(planfile.RESPONSE_KEYS)
    assert set(schema["$defs"]["variable"]["properties"]) == set(planfile.VARIABLE_KEYS)
    assert set(schema["$defs"]["track"]["properties"]) == set(planfile.TRACK_KEYS)
    assert set(schema["properties"]) == set(planfile.PLAN_KEYS)
    for part in (schema["properties"], node, schema["$defs"]["response"]["properties"]):
        assert all("description" in field for field in part.values())
    data = plan_to_dict(small_plan())
    assert schema_validator.is_valid(data)
    data["nodes"][0]["kind"] = "maybe"
    data["nodes"][2]["responses"][0]["readiness"] = 5
    data["nodes"][3]["path"] = "sideways"
    bad = {tuple(e.absolute_path)[:2] for e in schema_validator.iter_errors(data)}
    assert bad == {("nodes", 0), ("nodes", 2), ("nodes", 3)}


def test_a_node_read_from_the_file_is_the_node_the_model_makes():
    """Nodes are built without Node.__init__ (speed): same fields, same defaults, fresh lists."""
    from planning.model.plan import Node

    plan = loads_plan('{"format": "branchwise-plan", "version": 1, "tracks": [{"id": "t", "root": "a"}],'
                      ' "nodes": [{"id": "a", "kind": "decision", "children": ["b"], "x": 1}, {"id": "b"}]}')
    a, b = plan.nodes["a"], plan.nodes["b"]
    assert a == Node("a", "decision", children=["b"], extra={"x": 1})
    assert b == Node("b") and list(vars(b)) == list(vars(Node("b")))
    b.signposts.append("s")
    assert plan.nodes["a"].signposts == [] and Node("c").signposts == []
