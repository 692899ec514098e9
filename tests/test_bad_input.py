"""Files from other people: every bad input is refused or reported with the place named."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import SHARED
from planning.files import planfile
from planning.model.errors import PlanError, PlanFileError
from planning.files.planfile import load_plan, loads_plan
from planning.model.validate import validate_plan

MINIMAL_TEXT = (SHARED / "examples" / "minimal.bwplan").read_text(encoding="utf-8")


def minimal() -> dict:
    return json.loads(MINIMAL_TEXT)


def write(tmp_path: Path, content: str | bytes | dict, name: str = "plan.bwplan") -> Path:
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def load_error(path: Path) -> str:
    with pytest.raises((PlanFileError, PlanError)) as caught:
        load_plan(path)
    return str(caught.value)


def problems_of(data: dict, tmp_path: Path) -> list[str]:
    return [str(p) for p in validate_plan(load_plan(write(tmp_path, data)))]


# -- not a plan file at all ------------------------------------------------------------------

def test_truncated_file(tmp_path):
    path = write(tmp_path, MINIMAL_TEXT[:700])
    message = load_error(path)
    assert message.startswith(f"{path}: not valid JSON at line ")
    assert "(the file ends too early: truncated?)" in message


def test_json_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "format": "branchwise-plan",\n  "version": 1\n  "title": "x"\n}\n')
    assert load_error(path) == (f"{path}: not valid JSON at line 4 column 3: "
                                "Expecting ',' delimiter")


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"   \n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text (byte 0x89 at offset 0)"),
    (b"title: my plan\n", "not valid JSON at line 1 column 1: Expecting value"),
    (b"[1, 2]", "not a Branchwise plan: the top level must be a JSON object, got a list"),
    (b'"branchwise-plan"', "the top level must be a JSON object, got 'branchwise-plan'"),
    (b'{"version": 1}', 'not a Branchwise file (no "format": "branchwise-plan")'),
    (b'{"format": "freeplane", "version": 1}',
     "not a Branchwise plan: format is 'freeplane', expected 'branchwise-plan'"),
    (b'{"format": "branchwise-fragment", "version": 1}', "(a copied fragment, not a whole plan)"),
    (b'{"format": "branchwise-plan"}', '"version" is missing'),
    (b'{"format": "branchwise-plan", "version": "1"}', "version must be a whole number, got '1'"),
    (b'{"format": "branchwise-plan", "version": 7}',
     "written by a newer Branchwise (version 7); this build reads up to version 1"),
    (b'{"format": "branchwise-plan", "version": 1, "title": NaN}', "NaN is not allowed"),
    (b'{"format": "branchwise-plan", "version": 1, "nodes": [{"id": "a", "payoff": 1e999}]}',
     "number 1e999 is too large"),
    (b'{"format": "branchwise-plan", "version": 1, "nodes": [{"id": "a", "payoff": 1, "payoff": 2}]}',
     "duplicate key 'payoff' in the object with id 'a'"),
    (b'{"format": "branchwise-plan", "version": 1, "x": ' + b"9" * 5000 + b"}", "4300"),
])
def test_file_level_problems(tmp_path, content, message):
    path = write(tmp_path, content)
    error = load_error(path)
    assert error.startswith(f"{path}: ")
    assert message in error


def test_missing_file_and_directory(tmp_path):
    assert load_error(tmp_path / "nope.bwplan") == f"{tmp_path / 'nope.bwplan'}: cannot read: No such file or directory"
    assert load_error(tmp_path).startswith(f"{tmp_path}: cannot read: ")


def test_a_600_mb_file_is_refused_by_its_size_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.bwplan"
    with open(path, "wb") as stream:
        stream.truncate(600 * 1024 * 1024)  # sparse: takes no disk space

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(planfile, "open", no_reading, raising=False)
    assert load_error(path) == f"{path}: the file is 600 MB; plan files are limited to 512 MB"


def test_a_plan_too_large_to_open_again_is_not_saved(tmp_path, monkeypatch):
    """Saving never writes a file that opening would refuse; the previous file stays."""
    from planning.files.planfile import load_plan, save_plan
    from planning.model.generate import random_plan

    path = tmp_path / "plan.bwplan"
    small = random_plan(20, seed=1)
    save_plan(small, path)
    before = path.read_bytes()
    monkeypatch.setattr(planfile, "MAX_FILE_BYTES", len(before) + 100)
    with pytest.raises(PlanFileError, match="over the .* Branchwise opens: it was not saved"):
        save_plan(random_plan(400, seed=1), path)
    assert path.read_bytes() == before
    assert load_plan(path).nodes.keys() == small.nodes.keys()


def test_the_node_limit_fits_in_the_size_limit():
    """MAX_NODES generated nodes (about 150 bytes each) stay under the file limit."""
    from planning.files.planfile import dumps_plan
    from planning.model.generate import random_plan

    per_node = len(dumps_plan(random_plan(5000, seed=2)).encode()) / 5000
    assert per_node * planfile.MAX_NODES * 1.5 < planfile.MAX_FILE_BYTES


def test_text_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(planfile, "MAX_FILE_BYTES", 1000)
    with pytest.raises(PlanFileError, match=r"pasted: 1,001 bytes is over the 1,000 bytes limit"):
        loads_plan(" " * 1001, source="pasted")


def test_too_many_nodes(tmp_path, monkeypatch):
    monkeypatch.setattr(planfile, "MAX_NODES", 3)
    path = write(tmp_path, minimal())
    assert load_error(path) == f"{path}: the plan has 5 nodes; this build reads at most 3"


@pytest.mark.parametrize("where", ["top", "field"])
def test_deeply_nested_json(tmp_path, where):
    deep = "[" * 100_000 + "]" * 100_000
    text = deep if where == "top" else MINIMAL_TEXT.replace('"title": "Minimal example"', f'"x": {deep}')
    path = write(tmp_path, text)
    assert load_error(path) == f"{path}: not a plan: JSON nested too deeply"


# -- wrong field types: node id and field path named -------------------------------------------

@pytest.mark.parametrize("node_index, patch, message", [
    (2, lambda n: n["responses"][0].update(readiness="high"),
     "\"Adoption on target\" [t1]: responses[0].readiness: must be an integer 0..4, got 'high'"),
    (0, lambda n: n.update(children="c1"), "\"Launch in spring?\" [d1]: children: must be a list of node ids, got 'c1'"),
    (0, lambda n: n.update(children=["c1", 3]), "\"Launch in spring?\" [d1]: children[1]: must be a node id (text), got 3"),
    (1, lambda n: n.update(payoff={"a": 1}), "\"Launch\" [c1]: payoff: must be a number or an expression, got an object"),
    (1, lambda n: n.update(payoff=True), "\"Launch\" [c1]: payoff: must be a number or an expression, got true"),
    (2, lambda n: n.update(probability_range=[0.1]), "\"Adoption on target\" [t1]: probability_range: must be a list [low, high], got a list"),
    (2, lambda n: n.update(payoff_range=[0, "x"]), "\"Adoption on target\" [t1]: payoff_range[1]: must be a number, got 'x'"),
    (2, lambda n: n.update(warning_days="soon"), "\"Adoption on target\" [t1]: warning_days: must be a number, got 'soon'"),
    (2, lambda n: n.update(signposts="one"), "\"Adoption on target\" [t1]: signposts: must be a list of text, got 'one'"),
    (2, lambda n: n.update(label=5), "node t1: label: must be text, got 5"),
    (2, lambda n: n["responses"][0].pop("id"), "\"Adoption on target\" [t1]: responses[0].id: is missing"),
    (2, lambda n: n["responses"][0].update(lead_time_days=[]), "\"Adoption on target\" [t1]: responses[0].lead_time_days: must be a number, got a list"),
    (2, lambda n: n.update(variables=[{"name": "k", "value": None}]),
     "\"Adoption on target\" [t1]: variables[0].value: must be a number or an expression, got null"),
    (2, lambda n: n.update(responses={"id": "r"}), "\"Adoption on target\" [t1]: responses: must be a list, got an object"),
    (2, lambda n: n.pop("id"), "nodes[2].id: is missing"),
])
def test_field_type_errors_name_node_and_field(tmp_path, node_index, patch, message):
    data = minimal()
    patch(data["nodes"][node_index])
    assert load_error(write(tmp_path, data)) == message


def test_other_type_errors(tmp_path):
    data = minimal()
    data["nodes"][3] = "t2"
    assert load_error(write(tmp_path, data)) == "nodes[3]: must be an object, got 't2'"
    data = minimal()
    data["tracks"][0]["root"] = 1
    assert load_error(write(tmp_path, data)) == "tracks[0].root: must be text, got 1"
    data = minimal()
    data["variables"][0]["range"] = "wide"
    assert load_error(write(tmp_path, data)) == "variables[0].range: must be a list [low, high], got 'wide'"


def test_duplicate_node_ids(tmp_path):
    data = minimal()
    data["nodes"].append({"id": "c1", "kind": "terminal"})
    assert load_error(write(tmp_path, data)) == "node c1: id: duplicate id (also at nodes[1])"


# -- loads, but the plan is wrong: validate names the place ---------------------------------------

def test_cycle_orphan_and_missing_child(tmp_path):
    data = minimal()
    data["nodes"][0]["children"] = ["c1", "t3", "n99"]
    data["nodes"].append({"id": "loop1", "kind": "decision", "children": ["loop2"]})
    data["nodes"].append({"id": "loop2", "kind": "decision", "children": ["loop1"]})
    data["nodes"].append({"id": "stray", "label": "forgotten"})
    assert problems_of(data, tmp_path) == [
        "\"Launch in spring?\" [d1]: children: unknown node 'n99'",
        "node loop1: children: cycle: loop1 -> loop2 -> loop1 (2 nodes)",
        "\"forgotten\" [stray]: orphan: not reachable from any track root",
    ]


@pytest.mark.parametrize("patch, expected", [
    (lambda d: d["variables"][0].update(value=1.4), ["variables[0].range: the value 1.4 lies outside its range",
                                                      "\"Adoption on target\" [t1]: probability: must be between 0 and 1, got 1.4"]),
    (lambda d: d["nodes"][3].update(probability=0.4), ["\"Launch\" [c1]: probability: siblings sum to 1.1"]),
    (lambda d: d["nodes"][2].update(probability=-0.1), ["\"Adoption on target\" [t1]: probability: must be between 0 and 1, got -0.1"]),
    (lambda d: d["nodes"][0].update(kind="choice"),
     ["\"Launch in spring?\" [d1]: kind: unknown kind 'choice' (expected one of decision, chance, terminal)"]),
    (lambda d: d["nodes"][2].update(probability="p_okay"),
     ["\"Adoption on target\" [t1]: probability: unknown variable 'p_okay' in 'p_okay'"]),
    (lambda d: d["nodes"][4].update(payoff="20 / (p_ok - 0.7)"),
     ["\"Wait a year\" [t3]: payoff: cannot evaluate '20 / (p_ok - 0.7)': division by zero"]),
    (lambda d: d["nodes"][4].update(payoff="__import__('os').system('touch pwned')"),
     ["\"Wait a year\" [t3]: payoff: \"__import__('os').system('touch pwned')\" is not a valid expression: "
      "unexpected character '.' at position 16"]),  # quotes read since issue 15; still refused
    (lambda d: d["nodes"][4].update(payoff="10^10^10"),
     ["\"Wait a year\" [t3]: payoff: cannot evaluate '10^10^10': overflow: the result is too large"]),
    (lambda d: d["nodes"][4].update(payoff="(" * 3000 + "1" + ")" * 3000),
     ["\"Wait a year\" [t3]: payoff: '" + "(" * 37 + "...' is not a valid expression: expression is nested too deeply"]),
])
def test_semantic_problems_are_reported_with_the_place(tmp_path, patch, expected):
    data = minimal()
    patch(data)
    problems = problems_of(data, tmp_path)
    assert [p[:len(e)] for p, e in zip(problems, expected)] == expected and len(problems) == len(expected)


def test_expressions_are_never_executed(tmp_path, monkeypatch):
    data = minimal()
    data["nodes"][4]["payoff"] = "__import__('os').system('touch pwned')"
    data["variables"].append({"name": "x", "value": "open('/etc/passwd')"})
    plan = load_plan(write(tmp_path, data))

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec called")

    monkeypatch.setattr("builtins.eval", forbidden)
    monkeypatch.setattr("builtins.exec", forbidden)
    problems = [str(p) for p in validate_plan(plan)]
    monkeypatch.undo()
    assert problems[0].startswith("variables[1].value: \"open('/etc/passwd')\" is not a valid expression")
    assert problems[1].startswith("\"Wait a year\" [t3]: payoff: \"__import__('os').system('touch pwned')\" is not a valid")
    assert len(problems) == 2
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_huge_exponent_is_quick(tmp_path):
    data = minimal()
    data["variables"].append({"name": "big", "value": "10^10^10^10"})
    started = time.perf_counter()
    problems = problems_of(data, tmp_path)
    elapsed = time.perf_counter() - started
    assert problems == ["variables[1].value: cannot evaluate '10^10^10^10': overflow: the result is too large"]
    assert elapsed < 60  # not a timing test: a big-integer power would never finish


# -- scale ------------------------------------------------------------------------------------------

def test_a_100000_deep_chain_file_loads_and_validates(tmp_path):
    depth = 100_000
    nodes = [{"id": f"n{i}", "kind": "chance", "children": [f"n{i + 1}"], "probability": 1, "payoff": 1}
             for i in range(depth)]
    nodes.append({"id": f"n{depth}", "probability": 1, "path": "failure"})
    del nodes[0]["probability"]
    data = {"format": "branchwise-plan", "version": 1, "tracks": [{"id": "t", "root": "n0"}], "nodes": nodes}
    path = write(tmp_path, data)
    plan = load_plan(path)
    assert len(plan.nodes) == depth + 1 and plan.nodes[f"n{depth}"].path == "failure"
    assert validate_plan(plan) == []
    planfile.save_plan(plan, path)
    assert load_plan(path) == plan
