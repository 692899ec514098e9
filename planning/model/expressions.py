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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from planning.model.expression_compile import (
    NOT_FINITE, ArrayOps, FloatOps, Function, compile_tree, filled,
)
from planning.model.expression_syntax import (
    CONSTANTS, FUNCTIONS, LINK_FUNCTIONS, MAX_DEPTH, MAX_LENGTH, SHARE_REMAINDER,
    EvaluationError, ExpressionError, Parser, link_key,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from planning.model.plan import Variable


__all__ = [
    "CONSTANTS", "FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "SHARE_REMAINDER",
    "EvaluationError", "Expression", "ExpressionError", "LINK_FUNCTIONS", "check_syntax",
    "evaluate_value", "is_expression", "link_key", "parse", "resolve_variables",
]

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
    _float_function: Function | None = field(default=None, compare=False, repr=False)
    _array_function: Function | None = field(default=None, compare=False, repr=False)

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
                raise EvaluationError(NOT_FINITE, self.text, None)
            with np.errstate(**_ERRSTATE):
                result = self._array_function(scope)
            return self._finish_array(result, scope, shape)
        except EvaluationError as error:
            if error.text is None:
                error.text = self.text
            raise

    def _finish_array(self, result: Any, scope: Mapping, shape: tuple[int, ...]) -> np.ndarray:
        if not np.isfinite(result).all():
            raise EvaluationError(NOT_FINITE, self.text, None)
        if not isinstance(result, np.ndarray) or result.shape != shape:
            return filled(result, shape)  # e.g. if(1, 2, x): the shape does not depend on data
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
    parser = Parser(text)
    tree = parser.parse()
    positions = dict(parser.name_positions)
    positions.update((link_key(*link), at) for link, at in parser.links.items())
    return Expression(
        text=text,
        names=frozenset(parser.name_positions),
        constants=frozenset(parser.constants),
        links=frozenset(parser.links),
        _positions=positions,
        _float_function=compile_tree(tree, FloatOps),
        _array_function=compile_tree(tree, ArrayOps),
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
