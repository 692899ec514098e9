"""Sensitivity and the range-end checks resolve many variables in one pass (issue 11):
the same numbers and the same messages as moving them one at a time."""
from __future__ import annotations

import numpy as np
import pytest

from planning.analyses import sensitivity
from planning.engine import parameters

from planning.model import validate_ranges
from planning.model.plan import CHANCE, DECISION, Node, Plan, Track, Variable
from planning.model.validate import validate_plan


def chained(count: int, bad_at: int | None = None) -> Plan:
    variables = [Variable("v0", 1.0, (0.5, 1.5))]
    for k in range(1, count):
        variables.append(Variable(f"v{k}", f"v{k - 1} * 1.01 + 0.5", (0.0, 2.0 * k)))
    variables.append(Variable("q", 0.4, (0.2, 1.3 if bad_at else 0.6)))  # 1.3: the high end breaks a sum
    nodes = {
        "d": Node("d", DECISION, label="choose", children=["c", "safe"]),
        "c": Node("c", CHANCE, label="venture", children=["win", "lose"], variables=[Variable("k", "q * 2", (0.1, 0.9))]),
        "win": Node("win", probability="q", payoff=f"v{count - 1} / 10 + exp(v0 / 10)", path="success"),
        "lose": Node("lose", probability="#", payoff="-50 * k", path="failure"),
        "safe": Node("safe", payoff="v3 ^ 1.5"),
    }
    return Plan(title="chain", variables=variables, tracks=[Track("t", "main", "d")], nodes=nodes)


def one_at_a_time(monkeypatch):
    def refuse(*args, **kwargs):
        raise sensitivity.expressions.ExpressionError("forced", "", 0)
    monkeypatch.setattr(sensitivity, "_merged_variables", refuse)


def test_tornado_and_spider_equal_one_variable_at_a_time(monkeypatch):
    plan = chained(30)
    fast_tornado = sensitivity.tornado(plan).to_json()
    fast_spider = sensitivity.spider(plan, steps=5).to_json()
    one_at_a_time(monkeypatch)
    assert sensitivity.tornado(plan).to_json() == fast_tornado
    assert sensitivity.spider(plan, steps=5).to_json() == fast_spider
    bars = {bar["name"]: bar for bar in fast_tornado["bars"]} if "bars" in fast_tornado else None
    assert bars is None or "v29" in bars


def test_range_end_messages_equal_one_variable_at_a_time(monkeypatch):
    plan = chained(12, bad_at=1)
    fast = [str(p) for p in validate_plan(plan)]
    assert any("when variable q = 1.3 (the high end of its range)" in text for text in fast)
    monkeypatch.setattr(validate_ranges, "range_end_suspects", lambda ct, ends: ends)
    assert [str(p) for p in validate_plan(plan)] == fast


def test_a_definition_failing_at_one_end_is_named_as_before(monkeypatch):
    plan = chained(5)
    plan.variables.insert(1, Variable("w", "1 / (v0 - 0.5)", (1.0, 2.0)))
    plan.nodes["safe"].payoff = "w + v4"
    fast = [str(p) for p in validate_plan(plan)]
    assert any("v0 = 0.5 (the low end of its range)" in text for text in fast)
    monkeypatch.setattr(validate_ranges, "range_end_suspects", lambda ct, ends: ends)
    assert [str(p) for p in validate_plan(plan)] == fast
    with pytest.raises(Exception) as fast_error:
        sensitivity.tornado(plan)
    one_at_a_time(monkeypatch)
    with pytest.raises(Exception) as slow_error:
        sensitivity.tornado(plan)
    assert str(fast_error.value) == str(slow_error.value)


def test_scope_values_columns_moves_only_the_named_columns():
    ct = sensitivity.compile_track(chained(4))
    values = parameters.scope_values_columns(ct, {(0, "v1"): (np.array([1]), np.array([10.0]))}, 3)
    assert values[0]["v1"].tolist() == [1.51, 10.0, 1.51]
    assert values[0]["v2"].tolist() == pytest.approx([1.51 * 1.01 + 0.5, 10.6, 1.51 * 1.01 + 0.5])


def _numbers(data):
    """Every number of a JSON-like result, in order (to compare within rounding)."""
    if isinstance(data, dict):
        return [x for k in sorted(data) for x in _numbers(data[k])]
    if isinstance(data, (list, tuple)):
        return [x for item in data for x in _numbers(item)]
    return [data]


@pytest.mark.parametrize("make", [lambda: chained(30), lambda: __import__("planning.model.generate").model.generate.random_plan(1500, seed=3)])
def test_grouped_rollback_equals_the_full_rollback(make, monkeypatch):
    """Tornado and spider roll back only what the parameters move (Monte Carlo's grouped layout):
    the same figures and the same best options as rolling back the whole tree per column."""
    plan = make()
    fast = sensitivity.tornado(plan).to_json(), sensitivity.spider(plan, steps=7).to_json()
    monkeypatch.setattr(sensitivity._Analysis, "_grouped", lambda self, *a: None)
    full = sensitivity.tornado(plan).to_json(), sensitivity.spider(plan, steps=7).to_json()
    fast_numbers, full_numbers = _numbers(fast), _numbers(full)
    assert len(fast_numbers) == len(full_numbers) > 20
    for a, b in zip(fast_numbers, full_numbers):
        if isinstance(a, float) and isinstance(b, float):
            assert a == pytest.approx(b, rel=1e-12, abs=1e-9)
        else:
            assert a == b
