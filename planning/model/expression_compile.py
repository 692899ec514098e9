"""Compiling an expression tree into closures, in float and array modes.

The tree comes from :mod:`planning.model.expression_syntax`. Each tree is
compiled twice: once with plain Python floats (the fast path when no
variable is an array) and once with numpy ufuncs run under
``np.errstate(raise)`` (Monte Carlo arrays). Both modes raise the same
:class:`EvaluationError` messages so a user reads one wording whichever path
ran.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any

import numpy as np

from planning.model.expression_syntax import CHAIN_KINDS, EvaluationError

# -- numeric helpers -------------------------------------------------------------------
_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
                ">=": operator.ge, "==": operator.eq, "!=": operator.ne}
_DOMAIN = {
    "log": "log() needs a positive number (and a base other than 1)",
    "log10": "log10() needs a positive number", "sqrt": "sqrt() needs a number >= 0",
    "round": "round() needs a whole number of digits from 0 to 15",
    "pow": "a negative number cannot be raised to a fractional power",
}
_OVERFLOW = "overflow: the result is too large"
_ZERO_POWER = "division by zero (0 raised to a negative power)"
NOT_FINITE = "the result is not a finite number"


def _round_half_away(x, digits=0.0):
    """math.js rounding: halves go away from zero; for floats and arrays."""
    if np.any(digits != np.floor(digits)) or np.any(digits < 0) or np.any(digits > 15):
        raise ValueError("digits")
    magnitude = abs(x) * 10.0**digits
    if not isinstance(magnitude, np.ndarray) and magnitude - magnitude != 0.0:
        raise OverflowError  # arrays trap this themselves under np.errstate
    whole = np.floor(magnitude)
    # magnitude - whole is exact, so 0.49999999999999994 does not round up
    rounded = np.copysign(whole + (magnitude - whole >= 0.5), x) / 10.0**digits
    return rounded if isinstance(rounded, np.ndarray) else float(rounded)


def _log(log: Callable) -> Callable:
    def log_with_base(x, base=None):
        if base is None:
            return log(x)
        denominator = log(base)
        if np.any(denominator == 0.0):  # base 1
            raise ValueError("base 1")
        return log(x) / denominator
    return log_with_base


_FLOAT_FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": lambda *values: min(values), "max": lambda *values: max(values), "abs": abs,
    "exp": math.exp, "log": _log(math.log), "log10": math.log10, "sqrt": math.sqrt,
    "floor": lambda x: float(math.floor(x)), "ceil": lambda x: float(math.ceil(x)),
    "round": _round_half_away,
}
_ARRAY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": lambda *values: reduce(np.minimum, values),
    "max": lambda *values: reduce(np.maximum, values), "abs": np.abs, "exp": np.exp,
    "log": _log(np.log), "log10": np.log10, "sqrt": np.sqrt, "floor": np.floor,
    "ceil": np.ceil, "round": _round_half_away,
}


def _as_float(value: Any, name: str, position: int | None) -> float:
    """A scope value that is not already a float, as a float (or a clear error)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise EvaluationError(f"variable '{name}' is not a number", None, position)
    number = float(value) if abs(value) < 1e308 else math.inf  # a huge int: no OverflowError
    if not math.isfinite(number):
        raise EvaluationError(f"variable '{name}' is not a finite number", None, position)
    return number


def _as_array(value: np.ndarray, name: str, position: int | None) -> np.ndarray:
    if value.dtype.kind not in "iuf":
        raise EvaluationError(f"variable '{name}' is not a number array", None, position)
    return value.astype(np.float64)


def _as_number(truth: Any) -> Any:
    return truth.astype(np.float64) if isinstance(truth, np.ndarray) else (1.0 if truth else 0.0)


def filled(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    if isinstance(value, np.ndarray) and value.shape == shape:
        return value
    return np.array(np.broadcast_to(value, shape), dtype=np.float64)


def _on_elements(function: Callable, names: tuple[str, ...], scope: Mapping,
                 shape: tuple[int, ...], indices: np.ndarray) -> Any:
    """Evaluate ``function`` only on the elements at flat ``indices`` of arrays of ``shape``.

    Flat indices and ``take`` are several times faster than boolean masks on
    the irregular masks a Monte Carlo condition gives.
    """
    subset = {}
    for name in names:
        if name in scope:
            value = scope[name]
            if isinstance(value, np.ndarray):
                value = np.broadcast_to(value, shape).reshape(-1).take(indices)
            subset[name] = value
    return function(subset)


# -- arithmetic, one set of primitives per mode -----------------------------------------
# A primitive gets the position of its operator so that an error can name it;
# Expression.evaluate fills in the text.
def _domain_error(what: str, position: int | None) -> EvaluationError:
    return EvaluationError(_DOMAIN.get(what, f"math domain error in {what}()"), None, position)


def _float_binary(function: Callable[[float, float], float], zero_divisor: str = "") -> Callable:
    """A float operator that refuses a zero divisor and a non-finite result."""
    def apply(x: float, y: float, position: int) -> float:
        if zero_divisor and y == 0.0:
            raise EvaluationError(zero_divisor, None, position)
        result = function(x, y)
        if result - result == 0.0:  # finite
            return result
        raise EvaluationError(_OVERFLOW, None, position)
    return apply


_checked_pow = _float_binary(math.pow)


def _float_power(x: float, y: float, position: int) -> float:
    try:
        return _checked_pow(x, y, position)
    except OverflowError:
        raise EvaluationError(_OVERFLOW, None, position) from None
    except ValueError:
        raise (EvaluationError(_ZERO_POWER, None, position) if x == 0.0
               else _domain_error("pow", position)) from None


def _float_call(name: str, values: Any, position: int) -> float:
    try:
        result = _FLOAT_FUNCTIONS[name](*values)
    except OverflowError:
        raise EvaluationError(_OVERFLOW, None, position) from None
    except (ValueError, ZeroDivisionError):
        raise _domain_error(name, position) from None
    if result - result == 0.0:
        return result
    raise EvaluationError(_OVERFLOW, None, position)


def _float_load(name: str, position: int) -> Callable[[Mapping], float]:
    def load(scope: Mapping) -> float:
        value = scope[name]
        if value.__class__ is float and value - value == 0.0:  # a finite float
            return value
        return _as_float(value, name, position)
    return load


class FloatOps:
    """Plain Python floats: the fast path when no variable is an array."""

    arrays = False
    load = staticmethod(_float_load)
    add = staticmethod(_float_binary(operator.add))
    sub = staticmethod(_float_binary(operator.sub))
    mul = staticmethod(_float_binary(operator.mul))
    div = staticmethod(_float_binary(operator.truediv, "division by zero"))
    mod = staticmethod(_float_binary(operator.mod, "modulo by zero"))
    power = staticmethod(_float_power)
    negate = staticmethod(operator.neg)
    logical_not = staticmethod(lambda x: 1.0 if x == 0.0 else 0.0)
    call = staticmethod(_float_call)


def _trap(error: FloatingPointError, what: str, position: int | None) -> EvaluationError:
    """numpy's floating-point trap as the error the float path gives."""
    if "overflow" in str(error):
        return EvaluationError(_OVERFLOW, None, position)
    if what == "pow" and "divide" in str(error):
        return EvaluationError(_ZERO_POWER, None, position)
    if what in _FLOAT_FUNCTIONS or what == "pow":
        return _domain_error(what, position)
    return EvaluationError(NOT_FINITE, None, position)  # inf - inf: only from non-finite input


def _array_binary(function: Callable, what: str, zero_divisor: str = "") -> Callable:
    """A ufunc run under np.errstate(raise), its traps turned into EvaluationError."""
    def apply(x: Any, y: Any, position: int) -> Any:
        if zero_divisor and np.any(y == 0.0):
            raise EvaluationError(zero_divisor, None, position)
        try:
            return function(x, y)
        except FloatingPointError as error:
            raise _trap(error, what, position) from None
    return apply


def _array_call(name: str, values: Any, position: int) -> Any:
    try:
        return _ARRAY_FUNCTIONS[name](*values)
    except FloatingPointError as error:
        raise _trap(error, name, position) from None
    except OverflowError:
        raise EvaluationError(_OVERFLOW, None, position) from None
    except ValueError:
        raise _domain_error(name, position) from None


def _array_load(name: str, position: int) -> Callable[[Mapping], Any]:
    def load(scope: Mapping) -> Any:
        value = scope[name]
        if value.__class__ is float and value - value == 0.0:
            return value
        if isinstance(value, np.ndarray):
            return value if value.dtype == np.float64 else _as_array(value, name, position)
        return _as_float(value, name, position)
    return load


class ArrayOps:
    """numpy ufuncs (scalars too, so errstate sees every step): any variable is an array."""

    arrays = True
    load = staticmethod(_array_load)
    add = staticmethod(_array_binary(np.add, "+"))
    sub = staticmethod(_array_binary(np.subtract, "-"))
    mul = staticmethod(_array_binary(np.multiply, "*"))
    div = staticmethod(_array_binary(np.divide, "/", "division by zero"))
    mod = staticmethod(_array_binary(np.remainder, "%", "modulo by zero"))
    power = staticmethod(_array_binary(np.power, "pow"))
    negate = staticmethod(np.negative)
    logical_not = staticmethod(lambda x: _as_number(x == 0.0))
    call = staticmethod(_array_call)


# -- compiling a tree into closures ------------------------------------------------------
# The tree's node kinds are listed above expression_syntax.Parser.
_BINARY = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}
Function = Callable[[Mapping], Any]


def _tree_names(tree: tuple) -> tuple[str, ...]:
    """Variable and constant names read anywhere under ``tree`` (iterative walk)."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = node[0]
        if kind in ("var", "const"):
            found.add(node[1])
        elif kind in ("neg", "not"):
            stack.append(node[1])
        elif kind == "pow":
            stack.extend(node[1:3])
        elif kind in CHAIN_KINDS:
            stack.extend(term[1] for term in node[1])
        elif kind == "if":
            stack.extend(node[1:4])
        elif kind == "call":
            stack.extend(node[2])
    return tuple(sorted(found))


def compile_tree(node: tuple, ops: type) -> Function:
    """Closures for one tree; recursion depth is bounded by MAX_DEPTH."""
    kind = node[0]
    if kind == "num":
        value = node[1]
        return lambda scope: value
    if kind == "var":
        return ops.load(node[1], node[2])
    if kind == "const":
        name, constant = node[1], node[2]
        load = ops.load(name, node[3])
        return lambda scope: load(scope) if name in scope else constant
    if kind in ("neg", "not"):
        operand = compile_tree(node[1], ops)
        unary = ops.negate if kind == "neg" else ops.logical_not
        return lambda scope: unary(operand(scope))
    if kind == "pow":
        base, exponent, position = compile_tree(node[1], ops), compile_tree(node[2], ops), node[3]
        power = ops.power
        return lambda scope: power(base(scope), exponent(scope), position)
    if kind in ("sum", "prod"):
        return _compile_chain(node[1], ops)
    if kind == "cmp":
        return _compile_comparison(node, ops)
    if kind in ("and", "or"):
        return _compile_logic(node, ops)
    if kind == "if":
        return _compile_if(node, ops)
    name, position, call = node[1], node[3], ops.call
    args = [compile_tree(arg, ops) for arg in node[2]]
    if len(args) == 1:
        only = args[0]
        return lambda scope: call(name, (only(scope),), position)
    return lambda scope: call(name, [arg(scope) for arg in args], position)


def _compile_chain(terms: list, ops: type) -> Function:
    first = compile_tree(terms[0][1], ops)
    rest = [(getattr(ops, _BINARY[op]), compile_tree(term, ops), position)
            for op, term, position in terms[1:]]
    if len(rest) == 1:
        ((combine, second, position),) = rest
        return lambda scope: combine(first(scope), second(scope), position)

    def chain(scope: Mapping):
        result = first(scope)
        for combine, operand, position in rest:
            result = combine(result, operand(scope), position)
        return result
    return chain


def _compile_comparison(node: tuple, ops: type) -> Function:
    operands = [compile_tree(term, ops) for _, term, _ in node[1]]
    tests = [_COMPARISONS[op] for op, _, _ in node[1][1:]]
    if not ops.arrays and len(operands) == 2:
        left, right, test = operands[0], operands[1], tests[0]
        return lambda scope: 1.0 if test(left(scope), right(scope)) else 0.0

    def compare(scope: Mapping):
        # every operand is evaluated (as math.js does), then the links are joined
        values = [operand(scope) for operand in operands]
        truth: Any = True
        for test, left, right in zip(tests, values, values[1:]):
            truth = np.logical_and(truth, test(left, right)) if ops.arrays else truth and test(left, right)
        return _as_number(truth)
    return compare


def _compile_logic(node: tuple, ops: type) -> Function:
    is_and = node[0] == "and"
    operands = [compile_tree(term, ops) for _, term, _ in node[1]]
    if not ops.arrays:
        def short_circuit(scope: Mapping) -> float:
            for operand in operands:
                if (operand(scope) != 0.0) != is_and:
                    return 0.0 if is_and else 1.0
            return 1.0 if is_and else 0.0
        return short_circuit

    first = operands[0]
    rest = [(operand, _tree_names(term[1])) for operand, term in zip(operands[1:], node[1][1:])]

    def elementwise(scope: Mapping):
        truth = first(scope) != 0.0
        for operand, names in rest:
            if not isinstance(truth, np.ndarray):
                if truth != is_and:  # decided: false for "and", true for "or"
                    break
                truth = operand(scope) != 0.0
                continue
            pending = truth if is_and else ~truth
            if not pending.any():
                break
            if pending.all():
                truth = np.array(np.broadcast_to(operand(scope) != 0.0, truth.shape))
            else:
                indices = np.flatnonzero(pending)
                truth = truth.reshape(-1)  # our own array (from a comparison): change it in place
                truth[indices] = _on_elements(operand, names, scope, pending.shape, indices) != 0.0
                truth = truth.reshape(pending.shape)
        return _as_number(truth)
    return elementwise


def _compile_if(node: tuple, ops: type) -> Function:
    condition, then, otherwise = (compile_tree(part, ops) for part in node[1:4])
    if not ops.arrays:
        return lambda scope: then(scope) if condition(scope) != 0.0 else otherwise(scope)
    then_names, otherwise_names = _tree_names(node[2]), _tree_names(node[3])

    def choose(scope: Mapping):
        chosen = condition(scope)
        if not isinstance(chosen, np.ndarray):
            return then(scope) if chosen != 0.0 else otherwise(scope)
        mask = chosen != 0.0
        if mask.all():
            return filled(then(scope), mask.shape)
        if not mask.any():
            return filled(otherwise(scope), mask.shape)
        result = np.empty(mask.size)
        chosen_indices, other_indices = np.flatnonzero(mask), np.flatnonzero(~mask)
        result[chosen_indices] = _on_elements(then, then_names, scope, mask.shape, chosen_indices)
        result[other_indices] = _on_elements(otherwise, otherwise_names, scope, mask.shape, other_indices)
        return result.reshape(mask.shape)
    return choose

