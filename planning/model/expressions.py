"""Safe expressions for probabilities, payoffs and variables.

An expression such as ``"pr*sens/pplus"`` is tokenised, parsed by a Pratt
parser into a small tree of tuples and compiled once into nested closures.
Nothing is ever handed to Python's ``eval``: the grammar has no attributes,
no strings, no indexing and calls only the whitelisted functions below.

The syntax is the numeric part of math.js, so SilverDecisions files import
unchanged. From loosest to tightest binding:

====================  =======================================================
``c ? a : b``         ternary (right-associative)
``or  ||``            logical or (short-circuit)
``and  &&``           logical and (short-circuit)
``< <= > >= == !=``   comparisons, chained like math.js (``a < b < c``)
``+ -``               addition, subtraction (left-associative)
``* / %``             multiplication, division, modulo (sign of the divisor)
``- + not !``         prefix operators
``^``                 power, right-associative, tighter than a prefix minus
                      on its left: ``-2^2 == -4``, ``2^-1 == 0.5``
====================  =======================================================

Numbers: ``7``, ``0.5``, ``.5``, ``5.``, ``1e-3``. Names:
``[A-Za-z_][A-Za-z0-9_]*``. Functions: ``min``/``max`` (one or more
arguments), ``abs``, ``exp``, ``log`` (natural; ``log(x, base)``), ``log10``,
``sqrt``, ``pow``, ``floor``, ``ceil``, ``round`` (half away from zero;
``round(x, digits)``) and ``if(cond, a, b)``. Constants ``pi``, ``e``,
``true``, ``false``: a scope that defines one of these names wins over the
constant (a plan variable called ``e`` is used where it is defined);
:attr:`Expression.constants` lists the constants an expression reads, so
dependency tracking can allow for that shadowing.

Truth: zero is false, anything else true; comparisons and logic give 1.0 or
0.0. Every number is a float, so ``10^10^10`` overflows at once instead of
building a huge integer. Division or modulo by zero, overflow, a result that
is not finite and math domain errors (``log(0)``, ``sqrt(-1)``,
``(-8)^(1/3)``) raise :class:`EvaluationError`.

Evaluation is vectorised: when a variable the expression names is a numpy
array (one value per Monte Carlo iteration) the result is a new array of that
shape; an expression that names no array (``"7/10"``) gives a float, like a
plain number passed to :func:`evaluate_value`. ``if``, the ternary, ``and``
and ``or`` evaluate each branch only on the elements that take it, so
``if(x > 0, 1/x, 0)`` behaves the same for arrays as for floats.
"""
from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from planning.model.plan import Variable

__all__ = [
    "CONSTANTS", "FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "SHARE_REMAINDER",
    "EvaluationError", "Expression", "ExpressionError", "LINK_FUNCTIONS", "check_syntax",
    "evaluate_value", "is_expression", "link_key", "parse", "resolve_variables",
]

MAX_LENGTH = 10_000
#: Deepest nesting of sub-expressions the parser accepts. Each level costs at
#: most two Python frames when parsing and evaluating, so this keeps far
#: below the interpreter's recursion limit.
MAX_DEPTH = 200
SHARE_REMAINDER = "#"
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "true": 1.0, "false": 0.0}
#: name -> (fewest, most arguments); ``None`` = no upper bound.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (1, None), "max": (1, None), "abs": (1, 1), "exp": (1, 1),
    "log": (1, 2), "log10": (1, 1), "sqrt": (1, 1), "pow": (2, 2),
    "floor": (1, 1), "ceil": (1, 1), "round": (1, 2), "if": (3, 3),
}
#: Functions that read another track's results (DESIGN "Linked tracks"); each
#: takes one text in quotes: a track id, or a node id for ``reach``. The
#: expression only names the value: planning.engine.links works it out and puts it
#: in the scope under :func:`link_key` (a key no variable name can take).
LINK_FUNCTIONS: tuple[str, ...] = ("p_success", "p_failure", "ev", "reach")


def link_key(function: str, argument: str) -> str:
    """The scope key under which a link's value is passed: ``p_success("nuclear")``."""
    return f'{function}("{argument}")'


class ExpressionError(ValueError):
    """An expression cannot be read: ``text`` is the expression, ``position``
    the 0-based character index of the trouble (or None)."""

    def __init__(self, message: str, text: str | None = None, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position


class EvaluationError(ExpressionError):
    """An expression reads but cannot be evaluated: unknown name or function,
    wrong argument count, division by zero, overflow, math domain error."""


def _at(message: str, text: str, position: int, kind: type[ExpressionError] = ExpressionError):
    return kind(f"{message} at position {position}", text, position)


# -- tokens --------------------------------------------------------------------
_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<str>\"[^\"\\\n]*\"|'[^'\\\n]*')"
    r"|(?P<op><=|>=|==|!=|&&|\|\||[-+*/%^(),<>!?:])",
    re.ASCII,
)
_WORD_OPERATORS = frozenset({"and", "or", "not"})


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) triples ending with an ``end`` token."""
    tokens = []
    position, length = 0, len(text)
    while position < length:
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            hint = " (use '==' to compare)" if char == "=" else ""
            raise _at(f"unexpected character {char!r}{hint}", text, position)
        kind, value = match.lastgroup, match.group()
        if kind != "ws":
            if kind == "name" and value in _WORD_OPERATORS:
                kind = "op"
            tokens.append((kind, value, position))
        position = match.end()
    tokens.append(("end", "", length))
    return tokens


# -- parser ----------------------------------------------------------------------
# Tree nodes are tuples whose first item is the kind:
#   ("num", value)            ("var", name, pos)        ("const", name, value, pos)
#   ("neg", x, pos)           ("not", x, pos)           ("pow", base, exponent, pos)
#   ("if", cond, a, b, pos)   ("call", name, [x...], pos)
#   (chain, [(None, x, None), (op, y, pos), ...]) where chain is "sum" (+ -),
#   "prod" (* / %), "cmp" (chained comparison), "and" or "or".
# Left-associative chains are flat lists, so "1+1+...+1" does not nest.
_TERNARY, _OR, _AND, _COMPARE, _ADD, _MULTIPLY, _PREFIX, _POWER = 10, 20, 30, 40, 50, 60, 70, 80
_INFIX_POWER = {
    "?": _TERNARY, "or": _OR, "||": _OR, "and": _AND, "&&": _AND,
    "<": _COMPARE, "<=": _COMPARE, ">": _COMPARE, ">=": _COMPARE, "==": _COMPARE,
    "!=": _COMPARE, "+": _ADD, "-": _ADD, "*": _MULTIPLY, "/": _MULTIPLY,
    "%": _MULTIPLY, "^": _POWER,
}
_CHAIN_KIND = {_OR: "or", _AND: "and", _COMPARE: "cmp", _ADD: "sum", _MULTIPLY: "prod"}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.name_positions: dict[str, int] = {}
        self.constants: set[str] = set()
        self.links: dict[tuple[str, str], int] = {}  # (function, argument) -> position

    def next(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def peek_power(self) -> int:
        kind, value, _ = self.tokens[self.index]
        return _INFIX_POWER.get(value, 0) if kind == "op" else 0

    def unexpected(self, token: tuple[str, str, int]) -> ExpressionError:
        kind, value, position = token
        what = "unexpected end of expression" if kind == "end" else f"unexpected {value!r}"
        return _at(what, self.text, position)

    def expect(self, value: str, opened_at: int) -> None:
        token = self.next()
        if token[1] == value and token[0] == "op":
            return
        if token[0] == "end":
            raise _at(f"missing '{value}' (opened at position {opened_at})", self.text, token[2])
        raise self.unexpected(token)

    def parse(self) -> tuple:
        if self.tokens[0][0] == "end":
            raise ExpressionError("empty expression", self.text, 0)
        tree = self.expression(0)
        token = self.tokens[self.index]
        if token[0] != "end":
            raise self.unexpected(token)
        return tree

    def expression(self, right_power: int) -> tuple:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            position = self.tokens[self.index][2]
            raise _at(f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
                      self.text, position)
        left = self.prefix(self.next())
        while (power := self.peek_power()) > right_power:
            left = self.infix(self.next(), left, power)
        self.depth -= 1
        return left

    def prefix(self, token: tuple[str, str, int]) -> tuple:
        kind, value, position = token
        if kind == "num":
            number = float(value)
            if not math.isfinite(number):
                raise _at(f"number {value!r} is too large", self.text, position)
            return ("num", number)
        if kind == "name":
            following = self.tokens[self.index]
            if following[0] == "op" and following[1] == "(":
                return self.call(value, position)
            if value in CONSTANTS:
                self.constants.add(value)
                return ("const", value, CONSTANTS[value], position)
            self.name_positions.setdefault(value, position)
            return ("var", value, position)
        if kind == "str":
            raise _at("text in quotes is only allowed as the id in p_success(), p_failure(), ev() or reach()",
                      self.text, position)
        if kind == "op":
            if value == "(":
                inner = self.expression(0)
                self.expect(")", position)
                return inner
            if value == "-":
                return ("neg", self.expression(_PREFIX), position)
            if value == "+":
                return self.expression(_PREFIX)
            if value in ("!", "not"):
                return ("not", self.expression(_PREFIX), position)
        raise self.unexpected(token)

    def infix(self, token: tuple[str, str, int], left: tuple, power: int) -> tuple:
        _, value, position = token
        if power == _TERNARY:
            then = self.expression(0)
            self.expect(":", position)
            return ("if", left, then, self.expression(_TERNARY - 1), position)
        if power == _POWER:
            return ("pow", left, self.expression(_POWER - 1), position)
        terms = [(None, left, None), (value, self.expression(power), position)]
        while self.peek_power() == power:  # collect the whole left-associative chain
            _, value, position = self.next()
            terms.append((value, self.expression(power), position))
        return (_CHAIN_KIND[power], terms)

    def link(self, name: str, position: int) -> tuple:
        """``p_success("T")``: one quoted argument; read from the scope under link_key."""
        opened_at = self.next()[2]
        token = self.next()
        if token[0] != "str":
            if token[0] == "end":
                raise self.unexpected(token)
            raise _at(f"{name}() takes the id of a {'node' if name == 'reach' else 'track'} "
                      f"in quotes, e.g. {name}(\"id\")", self.text, token[2], EvaluationError)
        argument = token[1][1:-1].strip()
        if not argument:
            raise _at(f"{name}() needs an id inside the quotes", self.text, token[2])
        self.expect(")", opened_at)
        self.links.setdefault((name, argument), position)
        return ("var", link_key(name, argument), position)

    def call(self, name: str, position: int) -> tuple:
        if name in LINK_FUNCTIONS:
            return self.link(name, position)
        if name not in FUNCTIONS:
            raise _at(f"unknown function '{name}'", self.text, position, EvaluationError)
        opened_at = self.next()[2]
        args: list[tuple] = []
        if self.tokens[self.index][1] == ")":
            self.next()
        else:
            while True:
                args.append(self.expression(0))
                token = self.next()
                if token[0] == "op" and token[1] == ",":
                    continue
                if token[0] == "op" and token[1] == ")":
                    break
                if token[0] == "end":
                    raise _at(f"missing ')' (opened at position {opened_at})", self.text, token[2])
                raise self.unexpected(token)
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = (f"needs at least {fewest}" if most is None else f"takes {fewest}"
                      if fewest == most else f"takes {fewest} or {most}")
            plural = "s" * ((most or fewest) > 1)
            raise _at(f"{name}() {wanted} argument{plural} ({len(args)} given)", self.text,
                      position, EvaluationError)
        if name == "if":
            return ("if", args[0], args[1], args[2], position)
        if name == "pow":
            return ("pow", args[0], args[1], position)
        return ("call", name, args, position)


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
_NOT_FINITE = "the result is not a finite number"


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


def _filled(value: Any, shape: tuple[int, ...]) -> np.ndarray:
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


class _FloatOps:
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
    return EvaluationError(_NOT_FINITE, None, position)  # inf - inf: only from non-finite input


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


class _ArrayOps:
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
_BINARY = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}
_CHAINS = frozenset(_CHAIN_KIND.values())
_Function = Callable[[Mapping], Any]


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
        elif kind in _CHAINS:
            stack.extend(term[1] for term in node[1])
        elif kind == "if":
            stack.extend(node[1:4])
        elif kind == "call":
            stack.extend(node[2])
    return tuple(sorted(found))


def _compile(node: tuple, ops: type) -> _Function:
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
        operand = _compile(node[1], ops)
        unary = ops.negate if kind == "neg" else ops.logical_not
        return lambda scope: unary(operand(scope))
    if kind == "pow":
        base, exponent, position = _compile(node[1], ops), _compile(node[2], ops), node[3]
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
    args = [_compile(arg, ops) for arg in node[2]]
    if len(args) == 1:
        only = args[0]
        return lambda scope: call(name, (only(scope),), position)
    return lambda scope: call(name, [arg(scope) for arg in args], position)


def _compile_chain(terms: list, ops: type) -> _Function:
    first = _compile(terms[0][1], ops)
    rest = [(getattr(ops, _BINARY[op]), _compile(term, ops), position)
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


def _compile_comparison(node: tuple, ops: type) -> _Function:
    operands = [_compile(term, ops) for _, term, _ in node[1]]
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


def _compile_logic(node: tuple, ops: type) -> _Function:
    is_and = node[0] == "and"
    operands = [_compile(term, ops) for _, term, _ in node[1]]
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


def _compile_if(node: tuple, ops: type) -> _Function:
    condition, then, otherwise = (_compile(part, ops) for part in node[1:4])
    if not ops.arrays:
        return lambda scope: then(scope) if condition(scope) != 0.0 else otherwise(scope)
    then_names, otherwise_names = _tree_names(node[2]), _tree_names(node[3])

    def choose(scope: Mapping):
        chosen = condition(scope)
        if not isinstance(chosen, np.ndarray):
            return then(scope) if chosen != 0.0 else otherwise(scope)
        mask = chosen != 0.0
        if mask.all():
            return _filled(then(scope), mask.shape)
        if not mask.any():
            return _filled(otherwise(scope), mask.shape)
        result = np.empty(mask.size)
        chosen_indices, other_indices = np.flatnonzero(mask), np.flatnonzero(~mask)
        result[chosen_indices] = _on_elements(then, then_names, scope, mask.shape, chosen_indices)
        result[other_indices] = _on_elements(otherwise, otherwise_names, scope, mask.shape, other_indices)
        return result.reshape(mask.shape)
    return choose


# -- public API ----------------------------------------------------------------------------
_ERRSTATE = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


@dataclass(frozen=True)
class Expression:
    """A parsed expression; build one with :func:`parse` (cached).

    Attributes
    ----------
    text : str
        The expression as written.
    names : frozenset of str
        Variables it reads (not functions, not constants).
    constants : frozenset of str
        Constants it reads (``pi``, ``e``, ``true``, ``false``); a scope
        entry of the same name shadows the constant.
    links : frozenset of (str, str)
        Other tracks' results it reads: ``("p_success", "nuclear")``,
        ``("reach", "n12")``; each is looked up in the scope under
        :func:`link_key`.
    """

    text: str
    names: frozenset[str]
    constants: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str]] = frozenset()
    _positions: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    _float_function: _Function | None = field(default=None, compare=False, repr=False)
    _array_function: _Function | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self._float_function is None:  # built by hand: compile from the text
            parsed = parse(self.text)
            for name in ("names", "constants", "links", "_positions", "_float_function",
                         "_array_function"):
                object.__setattr__(self, name, getattr(parsed, name))

    def __reduce__(self) -> tuple:
        return (parse, (self.text,))  # closures do not pickle: rebuild from the text

    def evaluate(self, scope: Mapping[str, float | np.ndarray]) -> float | np.ndarray:
        """Evaluate with values from ``scope`` (name -> float or equal-shape arrays).

        Returns
        -------
        float or numpy.ndarray
            A float when no variable named is an array, else a new float64
            array of the arrays' shape.

        Raises
        ------
        EvaluationError
            Unknown variable, division by zero, overflow, non-finite result,
            math domain error; ``position`` names the operator or function.
        """
        shape = None  # of the arrays read, if any
        for name in self.names:
            try:
                value = scope[name]
            except KeyError:
                raise EvaluationError(f"unknown variable '{name}'", self.text,
                                      self._positions.get(name)) from None
            if isinstance(value, np.ndarray):
                shape = value.shape
        for name in self.constants:
            if name in scope and isinstance(scope[name], np.ndarray):
                shape = scope[name].shape
        for function, argument in self.links:
            try:
                value = scope[link_key(function, argument)]
            except KeyError:
                raise EvaluationError(
                    f'{function}("{argument}") reads another track: it has a value only when '
                    "the plan is evaluated with its linked tracks", self.text,
                    self._positions.get(link_key(function, argument))) from None
            if isinstance(value, np.ndarray):
                shape = value.shape
        try:
            if shape is None:
                result = self._float_function(scope)
                if result - result == 0.0:
                    return result
                raise EvaluationError(_NOT_FINITE, self.text, None)
            with np.errstate(**_ERRSTATE):
                result = self._array_function(scope)
            return self._finish_array(result, scope, shape)
        except EvaluationError as error:
            if error.text is None:
                error.text = self.text
            raise

    def _finish_array(self, result: Any, scope: Mapping, shape: tuple[int, ...]) -> np.ndarray:
        if not np.isfinite(result).all():
            raise EvaluationError(_NOT_FINITE, self.text, None)
        if not isinstance(result, np.ndarray) or result.shape != shape:
            return _filled(result, shape)  # e.g. if(1, 2, x): the shape does not depend on data
        for name in self.names | self.constants | {link_key(*link) for link in self.links}:
            if name in scope and scope[name] is result:  # never hand out the caller's array
                return result.copy()
        return result


def parse(text: str) -> Expression:
    """Parse ``text`` (at most MAX_LENGTH characters, MAX_DEPTH levels deep); cached.

    Raises
    ------
    ExpressionError
        Syntax error, with ``position``; :class:`EvaluationError` (a subclass)
        for an unknown function or a wrong number of arguments.
    TypeError
        ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"an expression must be a str, not {type(text).__name__}")
    return _parse_cached(text)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Expression:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(text)} characters; "
                              f"the limit is {MAX_LENGTH})", text, None)
    if text.strip() == SHARE_REMAINDER:
        raise ExpressionError("'#' is only allowed as a branch probability", text, text.index("#"))
    parser = _Parser(text)
    tree = parser.parse()
    positions = dict(parser.name_positions)
    positions.update((link_key(*link), at) for link, at in parser.links.items())
    return Expression(
        text=text,
        names=frozenset(parser.name_positions),
        constants=frozenset(parser.constants),
        links=frozenset(parser.links),
        _positions=positions,
        _float_function=_compile(tree, _FloatOps),
        _array_function=_compile(tree, _ArrayOps),
    )


def is_expression(value: object) -> bool:
    """True for an expression string: any str except the share-the-remainder ``"#"``."""
    return isinstance(value, str) and value.strip() != SHARE_REMAINDER


def evaluate_value(value: float | int | str, scope: Mapping) -> float | np.ndarray:
    """A stored probability or payoff as a number.

    Parameters
    ----------
    value : float, int, str or numpy.ndarray
        A number (returned as float; bool is rejected), an expression
        evaluated in ``scope``, or an array of numbers (as float64).
    scope : Mapping
        Variable values for an expression.

    Raises
    ------
    ExpressionError
        ``"#"`` (only a branch probability may share the remainder), a bool
        or another type, a syntax error.
    EvaluationError
        A non-finite number or any evaluation error of the expression.
    """
    if value.__class__ is float and value - value == 0.0:  # the common case: a finite float
        return value
    if isinstance(value, str):
        if value.strip() == SHARE_REMAINDER:
            raise ExpressionError("'#' is only allowed as a branch probability", value, value.index("#"))
        return _parse_cached(value).evaluate(scope)
    if isinstance(value, (bool, np.bool_)):
        raise ExpressionError("expected a number or an expression, not a boolean")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise EvaluationError(f"{number!r} is not a finite number")
        return number
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        array = value.astype(np.float64)
        if not np.isfinite(array).all():
            raise EvaluationError("the values are not all finite numbers")
        return array
    raise ExpressionError(f"expected a number or an expression, not {type(value).__name__}")


def resolve_variables(
    variables: Iterable[Variable],
    scope: Mapping,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> dict:
    """Evaluate variable definitions in order on top of ``scope``.

    Parameters
    ----------
    variables : iterable of planning.model.plan.Variable
        Definitions; each may use the outer scope and the variables before
        it. A variable shadows an outer one of the same name (its own value
        may read the outer one: ``x = x * 2``).
    scope : Mapping
        Outer values (floats or arrays); not modified.
    overrides : Mapping, optional
        Name -> number, array or expression that replaces a variable's own
        value (Monte Carlo samples, sensitivity steps); names that are not
        among ``variables`` are ignored.

    Returns
    -------
    dict
        A new dict: the outer scope plus every variable.

    Raises
    ------
    EvaluationError
        Message prefixed by the variable, e.g.
        ``"variable pplus: unknown variable 'sens'"``.
    """
    resolved = dict(scope)
    for variable in variables:
        name = variable.name
        value = overrides[name] if overrides is not None and name in overrides else variable.value
        try:
            resolved[name] = evaluate_value(value, resolved)
        except ExpressionError as error:
            raise EvaluationError(f"variable {name}: {error.message}", error.text,
                                  error.position) from error
    return resolved


def check_syntax(text: str) -> str | None:
    """None when ``text`` parses, else the error message (for live validation)."""
    try:
        parse(text)
    except ExpressionError as error:
        return error.message
    except TypeError as error:
        return str(error)
    return None
