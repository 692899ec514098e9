"""The expression language's words and tree: limits, errors, tokens, parser.

:mod:`planning.model.expressions` documents the grammar and is the module to
import; this one turns text into the tuple tree that
:mod:`planning.model.expression_compile` makes into closures. Kept apart so
the parser can be read (and its error messages checked) without the numeric
machinery.
"""
from __future__ import annotations

import math
import re

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
#: The kinds of node that hold a flat chain of terms.
CHAIN_KINDS = frozenset(_CHAIN_KIND.values())


class Parser:
    """One pass over ``text``: :meth:`parse` gives the tree and fills in the
    names, constants and links it read (with the position of each)."""

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

