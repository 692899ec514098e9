"""The safe expression language: syntax, numbers, arrays, variables, errors."""
from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.model.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    EvaluationError,
    Expression,
    ExpressionError,
    check_syntax,
    evaluate_value,
    is_expression,
    parse,
    resolve_variables,
)
from planning.model.plan import Variable


def value_of(text: str, **scope: float) -> float:
    return parse(text).evaluate(scope)


# -- syntax and precedence ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/10", 0.7),
        ("1e-3", 0.001),
        ("1E3", 1000.0),
        ("2.5e+1", 25.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("  1 +\t2\n", 3.0),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),  # left-associative
        ("100 / 10 / 5", 2.0),
        ("2 * 3 % 4", 2.0),  # same level as * and /, left to right
        ("7 % 3", 1.0),
        ("-7 % 3", 2.0),  # sign of the divisor, as math.js
        ("7 % -3", -2.0),
        ("5.5 % 2", 1.5),
        ("2^3^2", 512.0),  # right-associative
        ("(2^3)^2", 64.0),
        ("-2^2", -4.0),  # ^ binds tighter than a prefix minus
        ("(-2)^2", 4.0),
        ("2^-1", 0.5),
        ("2^-2^2", 2.0**-4),
        ("-2^-2", -0.25),
        ("2*-3", -6.0),
        ("2--3", 5.0),
        ("+4", 4.0),
        ("-(-(4))", 4.0),
        ("1 + 2 < 4", 1.0),  # arithmetic before comparison
        ("1 < 2 == 1", 0.0),  # chained like math.js: (1 < 2) and (2 == 1)
        ("1 < 2 < 3", 1.0),
        ("3 > 2 > 1", 1.0),
        ("(3 > 2) > 1", 0.0),  # parentheses stop the chain: 1 > 1
        ("1 < 3 > 2", 1.0),
        ("2 <= 2", 1.0),
        ("2 >= 3", 0.0),
        ("2 == 2", 1.0),
        ("2 != 2", 0.0),
        ("1 or 0 and 0", 1.0),  # and binds tighter than or
        ("(1 or 0) and 0", 0.0),
        ("1 || 0 && 0", 1.0),
        ("not 0", 1.0),
        ("not 2", 0.0),
        ("!0", 1.0),
        ("!0 + 1", 2.0),  # prefix not binds like a prefix minus (math.js)
        ("not 1 == 0", 1.0),  # (not 1) == 0
        ("1 > 2 ? 10 : 20", 20.0),
        ("1 ? 2 : 3 ? 4 : 5", 2.0),
        ("0 ? 2 : 0 ? 4 : 5", 5.0),  # right-associative
        ("0 ? 2 : 1 ? 4 : 5", 4.0),
        ("1 + 1 ? 7 : 8", 7.0),  # the ternary is loosest
        ("0 or 0 ? 7 : 8", 8.0),
    ],
)
def test_precedence_and_associativity(text: str, expected: float) -> None:
    assert value_of(text) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(3)", 3.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2, 8, -1)", 8.0),
        ("abs(-2.5)", 2.5),
        ("exp(1)", math.e),
        ("exp(-1000)", 0.0),  # underflow to zero is fine
        ("log(e^2)", 2.0),
        ("log(8, 2)", 3.0),
        ("log(1000, 10)", math.log(1000) / math.log(10)),
        ("log10(1000)", 3.0),
        ("sqrt(2.25)", 1.5),
        ("pow(2, 10)", 1024.0),
        ("pow(-8, 1/3*3)", -8.0),
        ("floor(-1.5)", -2.0),
        ("ceil(-1.5)", -1.0),
        ("round(2.5)", 3.0),  # half away from zero, as math.js
        ("round(-2.5)", -3.0),
        ("round(0.49999999999999994)", 0.0),
        ("round(1.2345, 2)", 1.23),
        ("round(-1.235, 1)", -1.2),
        ("if(1, 2, 3)", 2.0),
        ("if(0, 2, 3)", 3.0),
        ("if(-0.5, 2, 3)", 2.0),  # any non-zero is true
        ("pi", math.pi),
        ("e", math.e),
        ("true + true", 2.0),
        ("false", 0.0),
    ],
)
def test_functions_and_constants(text: str, expected: float) -> None:
    result = value_of(text)
    assert isinstance(result, float)
    assert result == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_silverdecisions_style_strings() -> None:
    scope = {"pr": 0.3, "sens": 0.9, "spec": 0.8}
    scope["pplus"] = parse("0.3*sens+(1-pr)*(1-spec)").evaluate(scope)
    assert scope["pplus"] == pytest.approx(0.3 * 0.9 + 0.7 * 0.2)
    assert parse("pr*sens/pplus").evaluate(scope) == pytest.approx(0.3 * 0.9 / scope["pplus"])
    assert evaluate_value("7/10", {}) == pytest.approx(0.7)


def test_names_are_variables_only() -> None:
    assert parse("pr*sens/pplus").names == {"pr", "sens", "pplus"}
    expression = parse("max(a, b_2) + if(c > 0, pi, e) + sqrt(_d)")
    assert expression.names == {"a", "b_2", "c", "_d"}
    assert expression.constants == {"pi", "e"}
    assert parse("7/10").names == frozenset()


def test_a_scope_name_shadows_a_constant() -> None:
    assert value_of("e * 2") == pytest.approx(2 * math.e)
    assert value_of("e * 2", e=5.0) == 10.0
    assert value_of("pi", pi=3.0) == 3.0
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(parse("e + 1").evaluate({"e": x}), [2.0, 3.0])


def test_a_name_is_a_function_only_when_called() -> None:
    assert value_of("min + 1", min=2.0) == 3.0
    assert value_of("min(min, 1)", min=0.5) == 0.5


def test_and_or_if_only_evaluate_what_they_need() -> None:
    assert value_of("0 and 1/0") == 0.0
    assert value_of("1 or 1/0") == 1.0
    assert value_of("if(x != 0, 1/x, 0)", x=0.0) == 0.0
    assert value_of("x == 0 ? 0 : 1/x", x=4.0) == 0.25
    assert value_of("2 and 3") == 1.0  # logic gives 1.0 / 0.0, not the operand


def test_parse_is_cached_and_expressions_are_values() -> None:
    assert parse("a + 1") is parse("a + 1")
    assert parse("a + 1") == Expression("a + 1", frozenset({"a"}))
    assert {parse("a + 1"): 1}[Expression("a + 1", frozenset({"a"}))] == 1
    with pytest.raises(AttributeError):
        parse("a + 1").text = "b"  # type: ignore[misc]
    built = Expression("a * 2", frozenset())  # built by hand: compiled from the text
    assert built.names == {"a"} and built.evaluate({"a": 4.0}) == 8.0
    copied = pickle.loads(pickle.dumps(parse("a ^ 2")))  # e.g. for worker processes
    assert copied == parse("a ^ 2") and copied.evaluate({"a": 3.0}) == 9.0


def test_scope_values_of_other_number_types() -> None:
    assert value_of("a ^ b", a=2, b=3) == 8.0  # ints become floats (no big integers)
    assert isinstance(value_of("a", a=np.float64(2.5)), float)
    with pytest.raises(EvaluationError, match="variable 'a' is not a number"):
        value_of("a + 1", a=True)
    with pytest.raises(EvaluationError, match="variable 'a' is not a number"):
        parse("a + 1").evaluate({"a": "1"})


# -- errors: messages and positions ----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "empty expression", 0),
        ("   ", "empty expression", 0),
        ("2*(3", "missing ')' (opened at position 2) at position 4", 4),
        ("2 3", "unexpected '3' at position 2", 2),
        ("(1 + 2))", "unexpected ')' at position 7", 7),
        ("1 +", "unexpected end of expression at position 3", 3),
        ("* 2", "unexpected '*' at position 0", 0),
        ("a.b", "unexpected character '.' at position 1", 1),
        ("x[0]", "unexpected character '[' at position 1", 1),
        ("a = 1", "unexpected character '=' (use '==' to compare) at position 2", 2),
        # quoted text is read only as the id of a linked track (issue 15)
        ("\"s\"", "text in quotes is only allowed as the id in p_success(), p_failure(), ev() "
                  "or reach() at position 0", 0),
        ("1 + 'os'", "text in quotes is only allowed as the id in p_success(), p_failure(), ev() "
                     "or reach() at position 4", 4),
        ("1e", "unexpected 'e' at position 1", 1),
        ("1e999", "number '1e999' is too large at position 0", 0),
        ("max(1,)", "unexpected ')' at position 6", 6),
        ("max(1 2)", "unexpected '2' at position 6", 6),
        ("min(1, 2", "missing ')' (opened at position 3) at position 8", 8),
        ("1 ? 2", "missing ':' (opened at position 2) at position 5", 5),
        ("1 : 2", "unexpected ':' at position 2", 2),
        ("#", "'#' is only allowed as a branch probability", 0),
        ("1 + #", "unexpected character '#' at position 4", 4),
        ("2 ** 3", "unexpected '*' at position 3", 3),
    ],
)
def test_syntax_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert type(caught.value) is ExpressionError  # a syntax error, not an evaluation error
    assert caught.value.message == message == str(caught.value)
    assert caught.value.position == position
    assert caught.value.text == text
    assert check_syntax(text) == message


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("foo(1)", "unknown function 'foo' at position 0", 0),
        ("1 + exec(2)", "unknown function 'exec' at position 4", 4),
        ("__import__('os')", "unknown function '__import__' at position 0", 0),
        ("p_success(nuclear)", "p_success() takes the id of a track in quotes, e.g. "
                               "p_success(\"id\") at position 10", 10),
        ("reach(3)", "reach() takes the id of a node in quotes, e.g. reach(\"id\") at position 6", 6),
        ("min()", "min() needs at least 1 argument (0 given) at position 0", 0),
        ("sqrt(1, 2)", "sqrt() takes 1 argument (2 given) at position 0", 0),
        ("log(1, 2, 3)", "log() takes 1 or 2 arguments (3 given) at position 0", 0),
        ("2 * if(1, 2)", "if() takes 3 arguments (2 given) at position 4", 4),
        ("pow(2)", "pow() takes 2 arguments (1 given) at position 0", 0),
    ],
)
def test_unknown_functions_and_argument_counts_fail_at_parse(text: str, message: str, position: int) -> None:
    with pytest.raises(EvaluationError) as caught:
        parse(text)
    assert caught.value.message == message
    assert caught.value.position == position
    assert check_syntax(text) == message


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("foo + 1", "unknown variable 'foo'", 0),
        ("1 + if(1, 2, foo)", "unknown variable 'foo'", 13),  # reported even on the branch not taken
        ("1/0", "division by zero", 1),
        ("1/(x-x)", "division by zero", 1),
        ("5 % 0", "modulo by zero", 2),
        ("0^-1", "division by zero (0 raised to a negative power)", 1),
        ("pow(0, -2)", "division by zero (0 raised to a negative power)", 0),
        ("(-8)^(1/3)", "a negative number cannot be raised to a fractional power", 4),
        ("log(0)", "log() needs a positive number (and a base other than 1)", 0),
        ("log(-1)", "log() needs a positive number (and a base other than 1)", 0),
        ("log(8, 1)", "log() needs a positive number (and a base other than 1)", 0),
        ("log10(0)", "log10() needs a positive number", 0),
        ("sqrt(-1)", "sqrt() needs a number >= 0", 0),
        ("round(1, 0.5)", "round() needs a whole number of digits from 0 to 15", 0),
        ("round(1e300, 15)", "overflow: the result is too large", 0),
        ("round(x * 1e300, 15)", "overflow: the result is too large", 0),
        ("10^10^10", "overflow: the result is too large", 2),
        ("exp(1000)", "overflow: the result is too large", 0),
        ("1e200 * 1e200", "overflow: the result is too large", 6),
        ("1e308 + 1e308", "overflow: the result is too large", 6),
        ("-1e308 - 1e308", "overflow: the result is too large", 7),
        ("1 / 1e-308 / 1e-10", "overflow: the result is too large", 11),
    ],
)
def test_evaluation_errors(text: str, message: str, position: int) -> None:
    expression = parse(text)
    assert check_syntax(text) is None
    with pytest.raises(EvaluationError) as caught:
        expression.evaluate({"x": 1.0})
    assert caught.value.message == message == str(caught.value)
    assert caught.value.position == position
    assert caught.value.text == text
    # the same failure with arrays: same message and place
    with pytest.raises(EvaluationError) as caught_array:
        expression.evaluate({"x": np.array([1.0, 2.0])})
    assert (caught_array.value.message, caught_array.value.position) == (message, position)


def test_non_finite_inputs_give_no_non_finite_results() -> None:
    with pytest.raises(EvaluationError, match="variable 'x' is not a finite number"):
        value_of("1 / x", x=math.inf)
    with pytest.raises(EvaluationError, match="variable 'x' is not a finite number"):
        value_of("x", x=10**400)
    for values in ([1.0, math.nan], [1.0, math.inf]):
        for text in ("x * 1", "x - x"):
            with pytest.raises(EvaluationError, match="the result is not a finite number"):
                parse(text).evaluate({"x": np.array(values)})


def test_deep_nesting_is_an_expression_error_not_a_recursion_error() -> None:
    depth = 4_999  # 9,999 characters: within the length limit
    for text in ("(" * depth + "1" + ")" * depth, "-" * depth + "1",
                 "abs(" * 1_900 + "1" + ")" * 1_900, "2^" * 3_000 + "1",
                 "1?" * 3_000 + "1", "(" * depth):
        with pytest.raises(ExpressionError) as caught:
            parse(text)
        assert "nested too deeply" in caught.value.message
        assert type(caught.value) is ExpressionError
    # 10,000 levels do not even fit the length limit
    with pytest.raises(ExpressionError, match="too long"):
        parse("(" * 10_000 + "1" + ")" * 10_000)


def test_reasonable_nesting_and_long_flat_expressions_work() -> None:
    levels = MAX_DEPTH - 1
    assert value_of("(" * levels + "x" + ")" * levels, x=2.0) == 2.0
    assert value_of("-" * (levels - 1) + "1") == (-1.0) ** (levels - 1)
    assert value_of("abs(" * 150 + "-x" + ")" * 150, x=3.0) == 3.0
    nested_ifs = "if(x > 0, " * 100 + "1" + ", 0)" * 100
    np.testing.assert_array_equal(parse(nested_ifs).evaluate({"x": np.array([1.0, -1.0])}), [1.0, 0.0])
    # left-associative chains are flat, so length, not depth, is the limit
    flat = "+".join(["x"] * 3_000)
    assert value_of(flat, x=1.0) == 3000.0
    assert value_of(" and ".join(["1"] * 1_500)) == 1.0
    assert value_of("<".join(str(i) for i in range(2_000))) == 1.0


def test_text_length_limit() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("1+" * 10_000 + "1")
    assert caught.value.message == f"expression is too long (20001 characters; the limit is {MAX_LENGTH})"
    assert caught.value.position is None
    just_fits = "1" + "+1" * ((MAX_LENGTH - 1) // 2)
    assert len(just_fits) <= MAX_LENGTH
    assert value_of(just_fits) == (MAX_LENGTH - 1) // 2 + 1


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse(3)  # type: ignore[arg-type]


# -- arrays ------------------------------------------------------------------------------
def test_array_evaluation_matches_numpy() -> None:
    rng = np.random.default_rng(7)
    scope = {"pr": rng.uniform(0.1, 0.9, 1000), "sens": rng.uniform(0.5, 1, 1000),
             "spec": rng.uniform(0.5, 1, 1000)}
    pplus = parse("pr*sens+(1-pr)*(1-spec)").evaluate(scope)
    assert isinstance(pplus, np.ndarray) and pplus.shape == (1000,) and pplus.dtype == np.float64
    np.testing.assert_array_equal(pplus, scope["pr"] * scope["sens"] + (1 - scope["pr"]) * (1 - scope["spec"]))
    ppos = parse("pr*sens/pplus").evaluate({**scope, "pplus": pplus})
    np.testing.assert_array_equal(ppos, scope["pr"] * scope["sens"] / pplus)


def test_array_comparisons_logic_and_branches_work_per_element() -> None:
    x = np.array([-2.0, 0.0, 0.5, 4.0])
    scope = {"x": x}
    np.testing.assert_array_equal(parse("x > 0").evaluate(scope), [0, 0, 1, 1])
    np.testing.assert_array_equal(parse("0 <= x < 1").evaluate(scope), [0, 1, 1, 0])
    np.testing.assert_array_equal(parse("not x").evaluate(scope), [0, 1, 0, 0])
    np.testing.assert_array_equal(parse("if(x > 0, 1/x, -1)").evaluate(scope), [-1, -1, 2, 0.25])
    np.testing.assert_array_equal(parse("x > 0 ? sqrt(x) : x^2").evaluate(scope), [4, 0, math.sqrt(0.5), 2])
    np.testing.assert_array_equal(parse("x != 0 and 1/x > 1").evaluate(scope), [0, 0, 1, 0])
    np.testing.assert_array_equal(parse("x == 0 or 1/x < 0").evaluate(scope), [1, 1, 0, 0])
    np.testing.assert_array_equal(parse("min(x, 1, 2*x)").evaluate(scope), [-4, 0, 0.5, 1])
    np.testing.assert_array_equal(parse("max(x, 0)").evaluate(scope), [0, 0, 0.5, 4])
    np.testing.assert_array_equal(parse("round(x * 0.75)").evaluate(scope), [-2, 0, 0, 3])
    # a branch taken nowhere is not evaluated; one taken everywhere fills the array
    np.testing.assert_array_equal(parse("if(x > 10, 1/0, 3)").evaluate(scope), [3, 3, 3, 3])
    np.testing.assert_array_equal(parse("if(x < 10, 3, 1/0)").evaluate(scope), [3, 3, 3, 3])
    with pytest.raises(EvaluationError, match="division by zero"):
        parse("if(x >= 0, 1/x, 0)").evaluate(scope)  # x = 0 takes the 1/x branch


def test_array_results_are_new_arrays_of_the_scope_shape() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    for text in ("x", "+x", "min(x)", "(x)"):
        result = parse(text).evaluate({"x": x})
        assert result.shape == (2, 2) and result is not x and not np.shares_memory(result, x)
    np.testing.assert_array_equal(parse("if(x > 2, x, 0)").evaluate({"x": x}), [[0, 0], [3, 4]])
    assert parse("x + y").evaluate({"x": x, "y": 1.0}).shape == (2, 2)
    # reading an array gives an array, whatever branch the data takes
    np.testing.assert_array_equal(parse("if(1, 2, x)").evaluate({"x": x}), np.full((2, 2), 2.0))
    np.testing.assert_array_equal(parse("0 * x + 3").evaluate({"x": x}), np.full((2, 2), 3.0))
    # an expression that reads no array is a float, like a plain number
    assert parse("7/10 + y").evaluate({"x": x, "y": 1.0}) == pytest.approx(1.7)
    ints = parse("x / 2").evaluate({"x": np.array([1, 2, 3])})
    np.testing.assert_array_equal(ints, [0.5, 1.0, 1.5])
    with pytest.raises(EvaluationError, match="not a number array"):
        parse("x / 2").evaluate({"x": np.array([True, False])})


# Hypothesis: random expressions built as text together with a plain Python
# reference computed while they are generated.
class _Fails(Exception):
    """The reference hit a division by zero, a domain error or an overflow."""


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise _Fails
    return value


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise _Fails
    return _finite(a / b)


def _modulo(a: float, b: float) -> float:
    if b == 0:
        raise _Fails
    return a % b


def _power(a: float, k: int) -> float:
    if a == 0 and k < 0:
        raise _Fails
    try:
        return _finite(a**k)
    except OverflowError:
        raise _Fails from None


def _sqrt(a: float) -> float:
    if a < 0:
        raise _Fails
    return math.sqrt(a)


def _log(a: float) -> float:
    if a <= 0:
        raise _Fails
    return math.log(a)


VARIABLES = ("x", "y", "z")
LEAF_NUMBERS = (0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 0.25)
VALUES = (-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 7.0)
BINARY = {
    "+": lambda a, b: _finite(a + b), "-": lambda a, b: _finite(a - b),
    "*": lambda a, b: _finite(a * b), "/": _divide, "%": _modulo,
    "<": lambda a, b: float(a < b), ">=": lambda a, b: float(a >= b),
    "==": lambda a, b: float(a == b), "!=": lambda a, b: float(a != b),
}


@st.composite
def expressions(draw, depth: int = 4):
    """(text, reference) where reference(env) gives the value or raises _Fails."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            name = draw(st.sampled_from(VARIABLES))
            return name, lambda env: env[name]
        number = draw(st.sampled_from(LEAF_NUMBERS))
        return repr(number), lambda env: number
    form = draw(st.sampled_from(["binary", "neg", "power", "min", "max", "abs", "sqrt", "log",
                                 "if", "ternary", "and", "or", "not"]))
    a_text, a = draw(expressions(depth - 1))
    if form in ("neg", "abs", "sqrt", "log", "not"):
        unary = {"neg": lambda v: -v, "abs": abs, "sqrt": _sqrt, "log": _log,
                 "not": lambda v: float(v == 0)}[form]
        text = f"(-{a_text})" if form == "neg" else f"(not {a_text})" if form == "not" else f"{form}({a_text})"
        return text, lambda env: unary(a(env))
    if form == "power":
        k = draw(st.integers(-1, 3))
        return f"({a_text})^({k})", lambda env: _power(a(env), k)
    b_text, b = draw(expressions(depth - 1))
    if form == "binary":
        op = draw(st.sampled_from(sorted(BINARY)))
        combine = BINARY[op]
        return f"({a_text} {op} {b_text})", lambda env: combine(a(env), b(env))
    if form in ("min", "max"):
        pick = min if form == "min" else max
        return f"{form}({a_text}, {b_text})", lambda env: pick(a(env), b(env))
    if form == "and":
        return f"({a_text} and {b_text})", lambda env: float(a(env) != 0 and b(env) != 0)
    if form == "or":
        return f"({a_text} || {b_text})", lambda env: float(a(env) != 0 or b(env) != 0)
    c_text, c = draw(expressions(depth - 1))
    text = f"if({a_text}, {b_text}, {c_text})" if form == "if" else f"({a_text} ? {b_text} : {c_text})"
    return text, lambda env: b(env) if a(env) != 0 else c(env)


@settings(max_examples=300, deadline=None)
@given(expressions(), st.lists(st.tuples(*[st.sampled_from(VALUES)] * 3), min_size=1, max_size=6))
def test_random_expressions_match_a_python_reference_for_floats_and_arrays(expression, rows) -> None:
    text, reference = expression
    parsed = parse(text)
    per_row: list[float | None] = []
    for row in rows:
        env = dict(zip(VARIABLES, row))
        try:
            expected = reference(env)
        except _Fails:
            with pytest.raises(EvaluationError):
                parsed.evaluate(env)
            per_row.append(None)
            continue
        result = parsed.evaluate(env)
        assert isinstance(result, float)
        assert result == pytest.approx(expected, rel=1e-12, abs=1e-12)
        per_row.append(result)
    arrays = {name: np.array([row[i] for row in rows]) for i, name in enumerate(VARIABLES)}
    if None in per_row:  # one failing iteration fails the vectorised run too
        with pytest.raises(EvaluationError):
            parsed.evaluate(arrays)
    else:
        result = parsed.evaluate(arrays)
        np.testing.assert_allclose(np.broadcast_to(result, (len(rows),)), per_row, rtol=1e-9, atol=1e-12)


@st.composite
def flat_arithmetic(draw):
    """Unparenthesised sums of products of (possibly negated) powers, with a reference."""
    terms = draw(st.lists(st.lists(st.tuples(st.sampled_from(["", "-"]), st.integers(1, 9),
                                             st.sampled_from([None, 0, 1, 2, 3]), st.sampled_from("*/")),
                                   min_size=1, max_size=4), min_size=1, max_size=5))
    signs = draw(st.lists(st.sampled_from("+-"), min_size=len(terms), max_size=len(terms)))
    text, total = "", 0.0
    for index, (sign, factors) in enumerate(zip(signs, terms)):
        product = 1.0
        for position, (negate, base, exponent, op) in enumerate(factors):
            factor_text = f"{negate}{base}" + ("" if exponent is None else f"^{exponent}")
            factor = float(base) ** (1 if exponent is None else exponent) * (-1 if negate else 1)
            if position == 0:
                text_part, product = factor_text, factor
            else:
                text_part += f" {op} {factor_text}"
                product = product * factor if op == "*" else product / factor
        text += (text_part if index == 0 else f" {sign} {text_part}")
        total = product if index == 0 else (total + product if sign == "+" else total - product)
    return text, total


@settings(max_examples=200, deadline=None)
@given(flat_arithmetic())
def test_unparenthesised_arithmetic_follows_the_precedence_rules(case) -> None:
    text, expected = case
    assert value_of(text) == pytest.approx(expected, rel=1e-12, abs=1e-12)


# -- values and variables ------------------------------------------------------------------
def test_evaluate_value() -> None:
    assert evaluate_value(3, {}) == 3.0 and isinstance(evaluate_value(3, {}), float)
    assert evaluate_value(0.25, {}) == 0.25
    assert evaluate_value(np.float32(0.5), {}) == 0.5
    assert evaluate_value("p*2", {"p": 0.2}) == pytest.approx(0.4)
    np.testing.assert_array_equal(evaluate_value("p*2", {"p": np.array([0.1, 0.2])}), [0.2, 0.4])
    assert evaluate_value(0.5, {"p": np.array([0.1, 0.2])}) == 0.5  # numbers stay numbers
    with pytest.raises(ExpressionError, match="not a boolean"):
        evaluate_value(True, {})
    with pytest.raises(ExpressionError) as caught:
        evaluate_value("#", {})
    assert caught.value.message == "'#' is only allowed as a branch probability"
    with pytest.raises(EvaluationError, match="not a finite number"):
        evaluate_value(math.nan, {})
    with pytest.raises(ExpressionError, match="not NoneType"):
        evaluate_value(None, {})  # type: ignore[arg-type]
    with pytest.raises(EvaluationError, match="unknown variable 'q'"):
        evaluate_value("q + 1", {})


def test_is_expression_and_check_syntax() -> None:
    assert is_expression("p_ok*0.9") and is_expression("0.5")
    assert not is_expression("#") and not is_expression(0.5) and not is_expression(None)
    assert check_syntax("pr*sens/pplus") is None
    assert check_syntax("pr*(sens") == "missing ')' (opened at position 3) at position 8"
    assert check_syntax(None) is not None  # type: ignore[arg-type]


def test_resolve_variables_in_order_with_shadowing() -> None:
    outer = {"pr": 0.5, "base": 10.0}
    variables = [
        Variable("sens", 0.9),
        Variable("spec", "1 - 0.2"),
        Variable("pplus", "pr*sens+(1-pr)*(1-spec)"),  # uses the outer scope and earlier ones
        Variable("pr", "pr / 2"),  # shadows the outer pr, reading it
        Variable("ppos", "pr*sens/pplus"),  # sees the shadowing pr
    ]
    resolved = resolve_variables(variables, outer)
    assert outer == {"pr": 0.5, "base": 10.0}  # the outer scope is untouched
    assert resolved is not outer
    assert resolved["pplus"] == pytest.approx(0.5 * 0.9 + 0.5 * 0.2)
    assert resolved["pr"] == 0.25
    assert resolved["ppos"] == pytest.approx(0.25 * 0.9 / resolved["pplus"])
    assert resolved["base"] == 10.0


def test_resolve_variables_errors_name_the_variable() -> None:
    with pytest.raises(EvaluationError) as caught:
        resolve_variables([Variable("pplus", "pr*sens"), Variable("sens", 0.9)], {"pr": 0.3})
    assert str(caught.value) == "variable pplus: unknown variable 'sens'"
    with pytest.raises(EvaluationError) as caught:
        resolve_variables([Variable("ratio", "1/(2-2)")], {})
    assert str(caught.value) == "variable ratio: division by zero"
    assert caught.value.position == 1
    with pytest.raises(EvaluationError) as caught:
        resolve_variables([Variable("a", "(1")], {})
    assert str(caught.value) == "variable a: missing ')' (opened at position 0) at position 2"
    with pytest.raises(EvaluationError, match="variable a: '#' is only allowed"):
        resolve_variables([Variable("a", "#")], {})


def test_resolve_variables_with_arrays_and_overrides() -> None:
    samples = np.array([0.2, 0.4, 0.6])
    variables = [Variable("pr", 0.3), Variable("twice", "pr * 2"), Variable("fixed", 5)]
    resolved = resolve_variables(variables, {}, overrides={"pr": samples, "unused": 1.0})
    np.testing.assert_array_equal(resolved["twice"], samples * 2)
    assert resolved["fixed"] == 5.0 and "unused" not in resolved
    from_arrays = resolve_variables([Variable("half", "x / 2")], {"x": samples})
    np.testing.assert_array_equal(from_arrays["half"], samples / 2)
