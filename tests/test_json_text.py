"""The CLI's fast indented JSON writes exactly what json.dumps(indent=2) writes."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import _dump, _json_default
from app.json_text import dumps_indented


def reference(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default, allow_nan=False)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                    st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_same_text_as_json_dumps(data):
    assert dumps_indented(data, default=_json_default) == reference(data)


def test_unusual_values_keep_their_text():
    data = {"tuple": (1, [2, {}]), "keys": {1: "a", 2.5: [], None: True}, "np": np.float64(0.1),
            "array": np.arange(3), "nested": [np.int64(4), {"é": "ü\n\"x\""}], "empty": [[], {}]}
    assert dumps_indented(data, default=_json_default) == reference(data)


def test_evaluate_output_of_a_sample(tmp_path):
    from planning.evaluate import evaluate_track
    from planning.generate import random_plan

    plan = random_plan(300)
    r = evaluate_track(plan)
    data = {"title": plan.title, "tracks": [{**r.to_json(nodes=True), "title": "random"}]}
    text = _dump(data)
    assert text == reference(data)
    assert '\n      "policy": {\n        "n0": "n' in text  # the layout a person reads


def test_not_a_number_is_refused_like_json_dumps():
    with pytest.raises(ValueError):
        dumps_indented({"a": [1.0, math.nan]})
    with pytest.raises(TypeError):
        dumps_indented({"a": object()}, default=_json_default)
