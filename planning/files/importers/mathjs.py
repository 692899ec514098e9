"""math.js expressions (SilverDecisions) rewritten in Branchwise's expression syntax.

math.js multiplies implicitly (``2x``, ``2(a+b)``), spells ``mod``, ``PI`` and
names Branchwise cannot spell (``é``, ``$x``); :class:`_Names` maps every name to a
valid one used nowhere else in the file. What Branchwise cannot compute raises
:class:`_Unsupported`, whose message says why. Nothing is executed: the result
is checked by :func:`planning.model.expressions.parse`.
"""
from __future__ import annotations

import math
import re
import unicodedata

from planning.model import expressions

# -- math.js expressions -> Branchwise expressions ---------------------------------------------
_MJS_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[^\W\d][\w$]*|\$[\w$]*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||.)", re.S)
_MJS_NAME = re.compile(r"[^\W\d][\w$]*|\$[\w$]*")
_BW_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WORDS = {"and": "and", "or": "or", "not": "not", "mod": "%"}
_UNSUPPORTED_WORDS = frozenset({"xor", "to", "in"})
#: math.js constants Branchwise spells differently or lacks (used unless the file defines the name).
_CONSTANTS = {"PI": "pi", "E": "e", "tau": repr(2 * math.pi), "phi": repr((1 + 5 ** 0.5) / 2),
              "LN2": repr(math.log(2)), "LN10": repr(math.log(10)), "LOG2E": repr(1 / math.log(2)),
              "LOG10E": repr(1 / math.log(10)), "SQRT2": repr(math.sqrt(2)), "SQRT1_2": repr(math.sqrt(0.5))}
_ASSIGNMENT = re.compile(r"\s*([^\W\d][\w$]*|\$[\w$]*)\s*=(?!=)(.*)\Z", re.S)
_SIGNED = r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*"
_RANDOM = re.compile(rf"random\(\s*\)\Z|random\({_SIGNED},{_SIGNED}\)\Z")


class _Unsupported(Exception):
    """An expression Branchwise cannot compute; the message says why."""


def _strip_comment(text: str) -> str:
    """math.js comments run from ``#`` to the end of the line."""
    if "#" not in text:
        return text
    return "\n".join(line.split("#", 1)[0] for line in text.split("\n"))


class _Names:
    """Maps math.js names to Branchwise names (ASCII letters, digits, ``_``)."""

    def __init__(self, used: set[str], defined: set[str]):
        self.used = set(used)
        self.defined = defined
        self.mapped: dict[str, str] = {}
        self.converted: dict[str, str | _Unsupported] = {}

    def __call__(self, name: str) -> str:
        if _BW_NAME.match(name) and name not in ("and", "or", "not"):
            return name
        if name not in self.mapped:
            ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
            base = re.sub(r"\W", "_", ascii_name, flags=re.A) or "v"
            base = base if _BW_NAME.match(base) and base not in _WORDS else "v_" + base
            self.mapped[name] = self.fresh(base)
        return self.mapped[name]

    def fresh(self, base: str) -> str:
        """A valid name used nowhere in the file, ``base`` if possible."""
        candidate, k = base, 1
        while candidate in self.used:
            k += 1
            candidate = f"{base}_{k}"
        self.used.add(candidate)
        return candidate

    def convert(self, text: str, renamed: dict[str, str] | None = None) -> str:
        """The Branchwise form of a math.js expression; raises _Unsupported."""
        if renamed:
            return self._convert(text, renamed)
        known = self.converted.get(text)
        if known is None:
            try:
                known = self._convert(text, None)
            except _Unsupported as why:
                known = why
            self.converted[text] = known
        if isinstance(known, _Unsupported):
            raise known
        return known

    def _convert(self, text: str, renamed: dict[str, str] | None) -> str:
        tokens = [(m.lastgroup, m.group()) for m in _MJS_TOKEN.finditer(_strip_comment(text))]
        following = [""] * len(tokens)  # the next token that is not white space
        for i in range(len(tokens) - 2, -1, -1):
            following[i] = tokens[i + 1][1] if tokens[i + 1][0] != "ws" else following[i + 1]
        out: list[str] = []
        ends_operand = False
        for (kind, token), after in zip(tokens, following):
            if kind == "ws":
                out.append(token)
                continue
            # math.js multiplies implicitly when a name or "(" follows an operand: 2x, 2(a+b), (a)(b)
            starts_operand = kind == "name" or token == "("
            if kind == "name" and token in _WORDS:
                token, kind, starts_operand = _WORDS[token], "op", False
            elif kind == "name" and token in _UNSUPPORTED_WORDS:
                raise _Unsupported(f"the math.js operator '{token}' is not supported")
            elif kind == "name" and after != "(":
                if renamed and token in renamed:
                    token = renamed[token]
                elif token in _CONSTANTS and token not in self.defined:
                    token = _CONSTANTS[token]
                else:
                    token = self(token)
            if starts_operand and ends_operand:
                out.append("*")
            out.append(token)
            ends_operand = kind == "num" or (kind == "name" and after != "(") or token == ")"
        result = "".join(out).strip()
        if not result:
            raise _Unsupported("the expression is empty")
        try:
            expressions.parse(result)
        except expressions.ExpressionError as exc:
            raise _Unsupported(str(exc)) from None
        return result


def _statements(code: str) -> list[str]:
    """The statements of math.js code: ``#`` comments dropped, split at new lines and ``;``."""
    if not isinstance(code, str) or not code.strip():
        return []
    return [part.strip() for line in _strip_comment(code).split("\n")
            for part in line.split(";") if part.strip()]
