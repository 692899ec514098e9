"""SilverDecisions import: the same plans and the same messages as before the speed work.

``tests/data/silverdecisions_reference.json`` was written by the importer as it
was before issue 11's import work (commit e6a15b2): for each peer file and for
mutations of it (one field of one object replaced by a bad value, or deleted),
a hash of the imported plan's text and warnings, or the error's words. The
cases kept are every kind of message met (names and numbers aside) and a
sample of imports that succeed. (The whole set, 165,107 cases, was compared
once, all identical.)
"""
from __future__ import annotations

import copy
import hashlib
import json
import warnings
from pathlib import Path

import pytest

from conftest import SHARED
from planning.files.importers.silverdecisions import (
    loads_silverdecisions, stored_results, stored_rule_values,
)
from planning.files.planfile import dumps_plan
from planning.model.errors import PlanFileError

CORPUS = SHARED / "peers" / "silverdecisions"
REFERENCE = json.loads((Path(__file__).parent / "data" / "silverdecisions_reference.json")
                       .read_text(encoding="utf-8"))
BAD = [None, 5, -2.5, "x y(", "", "  ", [], [1], ["3", "4"], {}, True, "1/0", "sin(2)", "#", "a b",
       "1e400", "é = 2", "x = 1; y = x*2", "random(1,3)"]


def _run(text: str) -> str:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plan = loads_silverdecisions(text, source="f.json")
        words = dumps_plan(plan) + "|".join(str(w.message) for w in caught)
        return hashlib.sha256(words.encode()).hexdigest()[:16]
    except Exception as exc:  # the reference holds the error's class and words
        return f"{type(exc).__name__}: {exc}"


def _mutated(name: str, path: str, key: str, bad: int) -> str:
    data = json.loads((CORPUS / name).read_text(errors="replace"))
    target = data
    for step in path.split("/") if path else []:
        target = target[int(step)] if isinstance(target, list) else target[step]
    if bad == len(BAD):
        del target[key]
    else:
        target[key] = copy.deepcopy(BAD[bad])
    return json.dumps(data)


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_import_gives_the_reference_plan_or_message(case):
    expected = REFERENCE[case]
    if case.endswith("#stored"):
        data = json.loads((CORPUS / case[:-len("#stored")]).read_text(errors="replace"))
        try:
            got = repr(stored_results(data)) + repr(stored_rule_values(data))
        except PlanFileError as exc:
            got = f"PlanFileError: {exc}"
        assert got == expected
    elif "|" not in case:
        assert _run((CORPUS / case).read_text(errors="replace")) == expected
    else:
        name, path, key, bad = case.split("|")
        assert _run(_mutated(name, path, key, int(bad))) == expected


@pytest.mark.parametrize("bad", [[1], {"a": 1}])
def test_a_node_type_that_is_a_list_or_an_object_is_a_message_not_a_traceback(bad):
    """Was TypeError: unhashable type (552 of the mutations above)."""
    text = json.dumps({"SilverDecisions": "0.8.0", "trees": [{"type": "decision", "name": "Buy?", "childEdges": [
        {"name": "yes", "childNode": {"type": bad, "name": "Deal"}}]}]})
    with pytest.raises(PlanFileError) as caught:
        loads_silverdecisions(text, source="f.json")
    what = "a list" if isinstance(bad, list) else "an object"
    assert str(caught.value) == (f"f.json: tree 1, node 'Deal': type: unknown node type {what} "
                                 "(expected decision, chance or terminal)")
