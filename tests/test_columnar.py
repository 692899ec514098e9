"""The columnar path of `branchwise evaluate --json` (issue 11) against the object path.

Every plan here is evaluated twice, on the columnar path and with it switched off
(``BRANCHWISE_NO_COLUMNAR``): stdout, stderr and the exit code must be identical. Where
the columnar reader accepts a plan, its compiled tracks must equal, array for array,
what :func:`planning.engine.compile.compile_track` builds from the loaded plan; where it
refuses one (anything validation would report, anything it does not compute), the
object path words the messages.
"""
from __future__ import annotations

import copy
import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from conftest import SAMPLES, SHARED
from planning.engine.columnar import compile_columns
from planning.engine.compile import compile_track
from planning.files.columnar import read_columns
from planning.files.planfile import dumps_plan, load_plan, plan_to_dict
from planning.model.generate import random_plan


def _evaluate(monkeypatch, capsys, path, *options, columnar: bool):
    if columnar:
        monkeypatch.delenv("BRANCHWISE_NO_COLUMNAR", raising=False)
    else:
        monkeypatch.setenv("BRANCHWISE_NO_COLUMNAR", "1")
    capsys.readouterr()
    code = main(["evaluate", str(path), "--json", *options])
    out, err = capsys.readouterr()
    monkeypatch.delenv("BRANCHWISE_NO_COLUMNAR", raising=False)
    return code, out, err


def _same_output(monkeypatch, capsys, path, *options) -> tuple[int, str, str]:
    fast = _evaluate(monkeypatch, capsys, path, *options, columnar=True)
    slow = _evaluate(monkeypatch, capsys, path, *options, columnar=False)
    assert fast == slow
    return fast


def _same_compiled(path) -> bool:
    """True when the columnar reader took the file; then every track compiles equal."""
    columns = read_columns(path)
    if columns is None:
        return False
    plan = load_plan(path)
    assert [t.id for t in columns.tracks] == [t.id for t in plan.tracks]
    for k, track in enumerate(plan.tracks):
        fast, slow = compile_columns(columns, k), compile_track(plan, track.id)
        for f in dataclasses.fields(slow):
            if f.name == "_level_plan":
                continue
            a, b = getattr(fast, f.name), getattr(slow, f.name)
            if isinstance(b, np.ndarray):
                assert a.dtype == b.dtype and a.shape == b.shape, f.name
                assert np.array_equal(a, b, equal_nan=b.dtype.kind == "f"), f.name
            elif f.name == "scopes":
                assert [(s.parent, s.node_id, s.variables) for s in a] == \
                       [(s.parent, s.node_id, s.variables) for s in b]
            else:
                assert a == b, f.name
    return True


def _write(tmp_path, data, name="plan.bwplan") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=1), encoding="utf-8")
    return str(path)


# -- plans the columnar path takes ---------------------------------------------------

@pytest.mark.parametrize("size, seed", [(2, 1), (12, 3), (60, 7), (400, 11), (3000, 5)])
def test_random_plans_take_the_columnar_path_and_print_the_same(tmp_path, monkeypatch, capsys,
                                                                 size, seed):
    path = _write(tmp_path, dumps_plan(random_plan(size, seed=seed)))
    assert _same_compiled(path), "random_plan must take the fast path (the benchmark does)"
    code, out, err = _same_output(monkeypatch, capsys, path)
    assert code == 0 and err == ""
    assert json.loads(out)["tracks"][0]["id"] == "t"
    _same_output(monkeypatch, capsys, path, "--nodes")


@pytest.mark.parametrize("reverse", [False, True])
def test_compacted_ids_compile_the_same(tmp_path, monkeypatch, reverse):
    """Big files rebuild their id strings after the parse (memory): same tracks."""
    from planning.files import columnar

    monkeypatch.setattr(columnar, "COMPACT_FROM", 0)
    data = plan_to_dict(random_plan(500, seed=6))
    if reverse:
        data["nodes"] = data["nodes"][::-1]
    path = _write(tmp_path, data)
    assert _same_compiled(path)
    columns = read_columns(path)
    assert (columns.index is None) == reverse and columns.ids[:2] == [n["id"] for n in data["nodes"][:2]]


def test_nodes_in_any_order(tmp_path, monkeypatch, capsys):
    data = plan_to_dict(random_plan(300, seed=8))
    data["nodes"] = data["nodes"][::-1]  # children listed before their parents
    path = _write(tmp_path, data)
    assert _same_compiled(path)
    assert _same_output(monkeypatch, capsys, path)[0] == 0


def test_minimise_several_tracks_commitments_and_colons(tmp_path, monkeypatch, capsys):
    """Two tracks, a commitment, ':' in ids and labels (the duplicate-key count), minimize."""
    data = plan_to_dict(random_plan(80, seed=2))
    other = plan_to_dict(random_plan(40, seed=9))
    for node in other["nodes"]:  # the second tree under other ids
        node["id"] = "b:" + node["id"]
        node["label"] = "other: " + node.get("label", "")
        if "children" in node:
            node["children"] = ["b:" + c for c in node["children"]]
        for response in node.get("responses", []):
            response["id"] = "b:" + response["id"]
    data["nodes"] += other["nodes"]
    data["tracks"].append({"id": "second", "title": "a: second", "root": "b:n0"})
    data["objective"] = "minimize"
    decision = next(n for n in data["nodes"] if n["kind"] == "decision" and n.get("children"))
    decision["committed"] = decision["children"][-1]
    path = _write(tmp_path, data)
    assert _same_compiled(path)
    code, out, _ = _same_output(monkeypatch, capsys, path)
    assert code == 0 and [t["id"] for t in json.loads(out)["tracks"]] == ["t", "second"]
    assert json.loads(out)["tracks"][0]["policy"][decision["id"]] == decision["children"][-1]
    _same_output(monkeypatch, capsys, path, "--track", "second")
    _same_output(monkeypatch, capsys, path, "--track", "nope")


@pytest.mark.parametrize("path", [SAMPLES / "peace-process.bwplan", SAMPLES / "product-launch.bwplan",
                                  SHARED / "examples" / "minimal.bwplan"])
def test_samples_print_the_same(monkeypatch, capsys, path):
    # Expressions, node variables and two criteria take the object path today.
    code, _, _ = _same_output(monkeypatch, capsys, path)
    assert code == 0
    _same_compiled(path)


# -- every other file: the object path and its words ------------------------------------

def _base() -> dict:
    return plan_to_dict(random_plan(30, seed=4))


def _branch(data) -> dict:
    return next(n for n in data["nodes"] if isinstance(n.get("probability"), float))


def _mutate(name: str) -> dict | str:
    data = _base()
    nodes = data["nodes"]
    if name == "duplicate key in a node":
        text = json.dumps(data, indent=1)
        return text.replace('"id": "n3",', '"id": "n3", "kind": "terminal",', 1)
    if name == "duplicate key at the top":
        return json.dumps(data, indent=1).replace('"title":', '"title": "x", "title":', 1)
    if name == "not JSON":
        return json.dumps(data)[:-40]
    if name == "NaN":
        return json.dumps(data).replace('"payoff": 5', '"payoff": NaN', 1)
    if name == "too large a number":
        return json.dumps(data).replace('"payoff": 5', '"payoff": 1e999', 1)
    if name == "option with a probability (warning)":
        option = next(n for n in nodes if n["kind"] == "decision")
        next(n for n in nodes if n["id"] == option["children"][0])["probability"] = 0.5
    elif name == "orphan (warning)":
        nodes.append({"id": "lost", "kind": "terminal"})
    elif name == "siblings sum off":
        _branch(data)["probability"] = 0.999
    elif name == "'#' gets nothing (warning)":
        chance = next(n for n in nodes if n["kind"] == "chance"
                      and any(c.get("probability") == "#" for c in nodes if c["id"] in n["children"]))
        kids = [c for c in nodes if c["id"] in chance["children"]]
        for kid in kids:
            kid["probability"] = "#" if kid is kids[-1] else 1.0 / (len(kids) - 1)
    elif name == "expression":
        _branch(data)["payoff"] = "scale*3"
    elif name == "unknown child":
        next(n for n in nodes if n.get("children"))["children"].append("ghost")
    elif name == "cycle":
        leaf = next(n for n in nodes if n["kind"] == "terminal")
        leaf["kind"], leaf["children"] = "decision", ["n1"]
    elif name == "range outside (warning)":
        branch = _branch(data)
        branch["probability_range"] = [0.0, branch["probability"] / 2]
    elif name == "payoff range":
        _branch(data)["payoff_range"] = [-1000, 1000]
    elif name == "bad path":
        _branch(data)["path"] = "sideways"
    elif name == "negative warning":
        _branch(data)["warning_days"] = -1
    elif name == "bool payoff":
        nodes[3]["payoff"] = True
    elif name == "payoff as text":
        nodes[3]["payoff"] = "12"
    elif name == "late response":
        branch = _branch(data)
        branch["warning_days"] = 3
        branch["responses"] = [{"id": "late", "title": "slow", "readiness": 2, "lead_time_days": 30,
                                "effect": 4}]
    elif name == "duplicate response id":
        for n in nodes[1:3]:
            n["responses"] = [{"id": "same", "readiness": 1, "effect": 1}]
    elif name == "readiness 5":
        nodes[2]["responses"] = [{"id": "r", "readiness": 5}]
    elif name == "unknown field":
        nodes[2]["colour"] = "red"
    elif name == "variable outside its range (warning)":
        data["variables"] = [{"name": "scale", "value": 3, "range": [0, 1]}]
    elif name == "second payoff (warning)":
        nodes[2]["payoff2"] = 4
    elif name == "committed to a stranger":
        decision = next(n for n in nodes if n["kind"] == "decision")
        decision["committed"] = "n29"
    elif name == "no tracks":
        data["tracks"] = []
    elif name in ("escaped colon", "escaped colon and a duplicate key"):
        nodes[2]["label"] = "a:b"
        text = json.dumps(data).replace("a:b", "a\\u003ab", 1)
        if name == "escaped colon":
            return text
        return text.replace('"id": "n3",', '"id": "n3", "kind": "terminal",', 1)
    elif name == "duplicate key and colons":
        for node in nodes:
            node["label"] = "x: y: " + node.get("label", "")
        return json.dumps(data).replace('"id": "n3",', '"id": "n3", "label": "z",', 1)
    elif name == "terminal with children":
        nodes[1]["kind"] = "terminal"
    elif name == "duplicate id, written breadth first":
        # n5 becomes a second n4, and its parent lists it so: the file stays in order.
        for node in nodes:
            node["children"] = ["n4" if c == "n5" else c for c in node.get("children", [])] \
                if "children" in node else node.get("children")
            if node.get("children") is None:
                node.pop("children")
        next(n for n in nodes if n["id"] == "n5")["id"] = "n4"
    elif name == "newer version":
        data["version"] = 2
    return data


MUTATIONS = ["duplicate key in a node", "duplicate key at the top", "not JSON", "NaN",
             "too large a number", "option with a probability (warning)", "orphan (warning)",
             "siblings sum off", "'#' gets nothing (warning)", "expression", "unknown child", "cycle",
             "range outside (warning)", "payoff range", "bad path", "negative warning", "bool payoff",
             "payoff as text", "late response", "duplicate response id", "readiness 5",
             "unknown field", "variable outside its range (warning)", "second payoff (warning)",
             "committed to a stranger", "no tracks", "escaped colon", "terminal with children",
             "newer version", "escaped colon and a duplicate key", "duplicate key and colons",
             "duplicate id, written breadth first"]


@pytest.mark.parametrize("name", MUTATIONS)
def test_every_other_file_prints_what_the_object_path_prints(tmp_path, monkeypatch, capsys, name):
    path = _write(tmp_path, _mutate(name))
    _same_compiled(path)
    _same_output(monkeypatch, capsys, path)


@pytest.mark.parametrize("name", ["duplicate key in a node", "duplicate key at the top", "NaN",
                                  "orphan (warning)", "option with a probability (warning)",
                                  "'#' gets nothing (warning)", "siblings sum off", "cycle",
                                  "expression", "unknown field", "escaped colon and a duplicate key",
                                  "duplicate key and colons", "duplicate id, written breadth first"])
def test_refused_files_take_the_object_path(tmp_path, name):
    assert read_columns(_write(tmp_path, _mutate(name))) is None


@pytest.mark.parametrize("name", ["escaped colon", "late response", "payoff range"])
def test_unusual_but_valid_files_take_the_columnar_path(tmp_path, name):
    assert _same_compiled(_write(tmp_path, _mutate(name)))


def test_duplicate_key_is_refused_in_the_same_words(tmp_path, monkeypatch, capsys):
    path = _write(tmp_path, _mutate("duplicate key in a node"))
    code, out, err = _same_output(monkeypatch, capsys, path)
    assert code == 2 and out == "" and "duplicate key 'kind'" in err


def test_a_missing_file_and_a_folder(tmp_path, monkeypatch, capsys):
    assert _same_output(monkeypatch, capsys, tmp_path / "absent.bwplan")[0] == 2
    assert _same_output(monkeypatch, capsys, tmp_path)[0] == 2


# -- generated plans, changed at random ---------------------------------------------

_FIELDS = st.sampled_from(["probability", "payoff", "probability_range", "payoff_range", "path",
                           "warning_days", "committed", "label", "kind", "children", "responses",
                           "variables", "signposts", "notes", "payoff2"])
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(-1.5, 1.5, allow_nan=False),
    st.sampled_from(["#", " #", "0.5", "scale", "success", "failure", "decision", "chance",
                     "terminal", "n1", "a:b", ""]),
    st.lists(st.floats(-0.5, 1.5, allow_nan=False), min_size=0, max_size=3),
    st.just([{"id": "rx", "readiness": 2, "lead_time_days": 5, "effect": 3}]),
    st.just([{"name": "v", "value": 1}]), st.just([]), st.just(["n1", "n1"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(2, 60), seed=st.integers(0, 50),
       changes=st.lists(st.tuples(st.integers(0, 59), _FIELDS, _VALUES), max_size=3),
       drop=st.lists(st.tuples(st.integers(0, 59), _FIELDS), max_size=2))
def test_changed_random_plans_print_the_same(tmp_path_factory, monkeypatch, capsys, size, seed,
                                             changes, drop):
    data = plan_to_dict(random_plan(size, seed=seed))
    nodes = data["nodes"]
    for i, key, value in changes:
        nodes[i % len(nodes)][key] = copy.deepcopy(value)
    for i, key in drop:
        nodes[i % len(nodes)].pop(key, None)
    path = _write(tmp_path_factory.mktemp("plan"), data)
    _same_compiled(path)
    _same_output(monkeypatch, capsys, path)



@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(2, 200), seed=st.integers(0, 10_000), responses=st.integers(0, 40),
       ranges=st.floats(0, 1), minimize=st.booleans(), commit=st.integers(0, 50),
       label=st.sampled_from(["", "a: b", "é:ü", "x"]), payoff_ranges=st.booleans())
def test_valid_random_plans_take_the_columnar_path(tmp_path_factory, monkeypatch, capsys, size, seed,
                                                   responses, ranges, minimize, commit, label,
                                                   payoff_ranges):
    """Plans validation has nothing to say about: the columnar path, the same figures."""
    data = plan_to_dict(random_plan(size, responses=responses, seed=seed, ranges=ranges))
    nodes = data["nodes"]
    data["objective"] = "minimize" if minimize else "maximize"
    decisions = [n for n in nodes if n["kind"] == "decision"]
    if decisions and commit:
        chosen = decisions[commit % len(decisions)]
        chosen["committed"] = chosen["children"][commit % len(chosen["children"])]
    for node in nodes[::3]:
        node["label"] = label + node.get("label", "")
        if payoff_ranges:
            payoff = node.get("payoff", 0)
            node["payoff_range"] = [payoff - 5, payoff + 5]
    path = _write(tmp_path_factory.mktemp("plan"), data)
    assert _same_compiled(path)
    code, _, err = _same_output(monkeypatch, capsys, path, "--nodes")
    assert code == 0 and err == ""


def test_a_probability_range_off_the_branches_compiles_the_same(tmp_path, monkeypatch, capsys):
    """A range on a decision's option (not a branch): compile keeps it off the arrays' ranges."""
    data = plan_to_dict(random_plan(60, seed=3))
    decision = next(n for n in data["nodes"] if n["kind"] == "decision" and n.get("children"))
    option = next(n for n in data["nodes"] if n["id"] == decision["children"][0])
    option["probability_range"] = [0.1, 0.9]
    path = _write(tmp_path, data)
    _same_compiled(path)  # taken or refused, never different arrays
    _same_output(monkeypatch, capsys, path)
