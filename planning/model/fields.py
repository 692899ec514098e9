"""How a probability or payoff, as written, is read: one rule for every reader.

Loading (:mod:`planning.files.planfile`), validation, compilation and the editor's
edits all read a value through these functions, so that what ``validate``
accepts ``evaluate`` can compute, and the other way round. A value as written
is a number, an expression, or ``"#"`` (a branch takes an equal share of what
its siblings leave). Whitespace around ``#`` does not matter, whatever it is
(a space, a tab, a newline, a non-breaking space): ``" #"``, ``"#\\n"`` and
``"\\u00a0#"`` all mean ``"#"``.

Numbers stay as written where a float would change them: an integer beyond
2**53 (a float holds integers exactly only up to there) is kept as an ``int``,
so it is saved back digit for digit. Arithmetic converts it to the nearest
float, as before.
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from planning.model import expressions
from planning.model.errors import PlanError

SHARE = "#"
#: Integers up to this size are exactly representable as floats.
EXACT_FLOAT_INT = 2**53
_INTEGER = re.compile(r"[+-]?\d+\Z")


def is_share(value: Any) -> bool:
    """True for ``"#"`` as written, with any whitespace around it.

    >>> is_share(" #"), is_share("#\\n"), is_share("\\t#"), is_share("\\u00a0#"), is_share("#1")
    (True, True, True, True, False)
    """
    return type(value) is str and value.strip() == SHARE


def _numeric(value: Any) -> bool:
    """An int or float of any flavour (numpy's too, as plans built in code hold), not a bool."""
    kind = type(value)
    if kind is float or kind is int:
        return True
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, (bool, np.bool_)))


def is_number(value: Any) -> bool:
    """True for a finite int or float (not a bool, not an int too large for a float)."""
    if type(value) is float:
        return value - value == 0.0
    if not _numeric(value):
        return False
    if isinstance(value, (int, np.integer)):
        return -1.8e308 < int(value) < 1.8e308
    return math.isfinite(value)


def exact(value: int | float) -> int | float:
    """A finite number as the model keeps it: a float, or an int that a float cannot hold.

    >>> exact(3), exact(2**53 + 1), exact(2.5)
    (3.0, 9007199254740993, 2.5)
    """
    if type(value) is int and not -EXACT_FLOAT_INT <= value <= EXACT_FLOAT_INT:
        return value
    return float(value)


def number_from_text(text: str) -> int | float:
    """A number typed as text (surrounding whitespace ignored); ValueError if it is not one.

    Whole numbers beyond 2**53 keep every digit.
    """
    stripped = text.strip()
    if _INTEGER.match(stripped):
        return exact(int(stripped))
    return float(stripped)


def _quote(text: str) -> str:
    """An expression quoted for a message, shortened when long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def read_value(value: Any, node_id: str | None, field: str, share: bool = False
               ) -> float | str | expressions.Expression:
    """Read a probability, payoff or variable value as written.

    Parameters
    ----------
    value
        What the plan holds: a number, an expression string or ``"#"``.
    node_id, field
        Where it is, for the error.
    share
        Whether ``"#"`` is allowed here (a branch's probability).

    Returns
    -------
    float, ``SHARE`` or Expression
        A finite number as a float; ``SHARE`` for ``"#"`` (whitespace around
        it ignored); otherwise the parsed expression (not yet evaluated).

    Raises
    ------
    PlanError
        Not a number or text; not finite; ``"#"`` where it is not allowed;
        an expression that does not parse.
    """
    if _numeric(value):
        if is_number(value):
            return float(value)
        raise PlanError(node_id, field, f"must be a finite number, got {value!r}")
    if type(value) is not str:
        raise PlanError(node_id, field, f"must be a number or an expression, got {value!r}")
    if value.strip() == SHARE:
        if share:
            return SHARE
        raise PlanError(node_id, field, "'#' (share the remainder) only works for a branch's probability")
    try:
        return expressions.parse(value)
    except expressions.ExpressionError as exc:
        raise PlanError(node_id, field, f"{_quote(value)} is not a valid expression: {exc}") from None


# -- what each field holds: one table for files and edits --------------------------------
# A plan file (planning.files.plan_fields) and an edit (planning.model.field_values)
# read a field by its kind, each with its own reader per kind: a file takes JSON
# types strictly and names the node and field path; an edit also takes numbers
# typed as text and checks what the editor offers (kinds, paths, options).
TEXT = "text"
OPTIONAL_TEXT = "optional text"
#: A number, an expression or "#" (``probability`` may also be absent: OPTIONAL_VALUE).
VALUE = "value"
OPTIONAL_VALUE = "optional value"
NUMBER = "number"
#: A number of days, or nothing.
DAYS = "days"
#: ``[low, high]``, or nothing.
RANGE = "range"
TEXT_LIST = "text list"
ID_LIST = "id list"
#: A whole level 0..4.
READINESS = "readiness"
VARIABLES = "variables"
RESPONSES = "responses"

NODE_FIELD_KINDS: dict[str, str] = {
    "kind": TEXT, "label": TEXT, "notes": TEXT, "children": ID_LIST, "payoff": VALUE,
    "probability": OPTIONAL_VALUE, "probability_range": RANGE, "payoff_range": RANGE,
    "path": OPTIONAL_TEXT, "signposts": TEXT_LIST, "warning_days": DAYS, "responses": RESPONSES,
    "committed": OPTIONAL_TEXT, "variables": VARIABLES, "payoff2": VALUE, "payoff2_range": RANGE}
RESPONSE_FIELD_KINDS: dict[str, str] = {
    "title": TEXT, "owner": TEXT, "trigger": TEXT, "readiness": READINESS, "lead_time_days": DAYS,
    "cost": NUMBER, "effect": NUMBER, "notes": TEXT}
VARIABLE_FIELD_KINDS: dict[str, str] = {"value": VALUE, "range": RANGE, "description": TEXT}
TRACK_FIELD_KINDS: dict[str, str] = {"title": TEXT, "root": TEXT}
CRITERION_FIELD_KINDS: dict[str, str] = {"sense": TEXT, "unit": TEXT}


__all__ = ["CRITERION_FIELD_KINDS", "DAYS", "EXACT_FLOAT_INT", "ID_LIST", "NODE_FIELD_KINDS", "NUMBER",
           "OPTIONAL_TEXT", "OPTIONAL_VALUE", "RANGE", "READINESS", "RESPONSES", "RESPONSE_FIELD_KINDS",
           "SHARE", "TEXT", "TEXT_LIST", "TRACK_FIELD_KINDS", "VALUE", "VARIABLES", "VARIABLE_FIELD_KINDS",
           "exact", "is_number", "is_share", "number_from_text", "read_value"]
