"""The values an edit sets, checked and typed: what :mod:`planning.model.edits` writes into a plan.

Which kind of value each field holds comes from the one table in
:mod:`planning.model.fields` (``NODE_FIELD_KINDS``...), shared with the file
reader (:mod:`planning.files.plan_fields`). An edit reads a kind more leniently
than a file does (numbers may come as text, ``"12.5"``; text in a payoff or
probability is kept as an expression, checked by validation) and checks what
the editor offers on top: a node kind, a path, a committed option, days and
levels that are never negative. Every problem is a ValueError that starts with
the field's name.
"""
from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

from planning.model.fields import (
    DAYS, NODE_FIELD_KINDS, NUMBER, OPTIONAL_VALUE, RANGE, READINESS, RESPONSE_FIELD_KINDS, TEXT,
    TEXT_LIST, VALUE, VARIABLES, exact, is_number, number_from_text,
)
from planning.model.plan import (
    KINDS, MAX_READINESS, OBJECTIVES, PATHS, RULES, TERMINAL, Criterion, Node, Variable,
)

__all__ = ["as_float", "as_text", "node_value", "plan_value", "response_value"]


def as_float(value: Any, name: str, minimum: float | None = None) -> float:
    """A finite number, read as planning.model.fields reads numbers (an int beyond
    2**53 keeps its digits, as loading keeps them)."""
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    try:
        if isinstance(value, str):
            number = number_from_text(value)
        elif type(value) is int:
            number = exact(value)
        else:
            number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name}: expected a number, got {value!r}") from None
    if not is_number(number):
        raise ValueError(f"{name}: must be finite")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name}: must be at least {minimum:g}")
    return number


def _as_optional_float(value: Any, name: str, minimum: float | None = None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_float(value, name, minimum)


def _as_value(value: Any, name: str, allow_none: bool) -> float | str | None:
    """A number, an expression string or "#", as written in the plan."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        return 0.0
    if isinstance(value, str):
        text = value.strip()
        try:
            return as_float(text, name)
        except ValueError:
            return text  # an expression or "#": checked by validation
    return as_float(value, name)


def _as_range(value: Any, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        low, high = value
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected [low, high]") from None
    low, high = as_float(low, name), as_float(high, name)
    if low > high:
        raise ValueError(f"{name}: low {low:g} is above high {high:g}")
    return (low, high)


def as_text(value: Any, name: str) -> str:
    """Text as it is (ValueError for anything else)."""
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected text, got {type(value).__name__}")
    return value


def _as_text_list(value: Any, name: str) -> list[str]:
    if isinstance(value, str) or not all(isinstance(s, str) for s in value):
        raise ValueError(f"{name}: expected a list of text")
    return list(value)


def _as_readiness(value: Any, name: str) -> int:
    level = as_float(value, name, minimum=0.0)
    if level != int(level) or level > MAX_READINESS:
        raise ValueError(f"{name}: must be a whole level 0..{MAX_READINESS}")
    return int(level)


def _as_variables(value: Any, name: str) -> list[Variable]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, Variable) for v in value):
        raise ValueError(f"{name}: expected a list of Variable")
    return copy.deepcopy(list(value))


#: How an edit reads each kind of field (kinds an edit never sets, such as a
#: node's children or responses, have their own edits and no reader here).
_READERS: dict[str, Callable[[Any, str], Any]] = {
    TEXT: as_text,
    VALUE: lambda value, name: _as_value(value, name, allow_none=False),
    OPTIONAL_VALUE: lambda value, name: _as_value(value, name, allow_none=True),
    NUMBER: as_float,
    DAYS: lambda value, name: _as_optional_float(value, name, minimum=0.0),
    RANGE: _as_range,
    TEXT_LIST: _as_text_list,
    READINESS: _as_readiness,
    VARIABLES: _as_variables,
}


def _kind(node: Node, value: Any) -> str:
    if value not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}")
    if value == TERMINAL and node.children:
        raise ValueError("kind: a node with children cannot be a terminal")
    return value


def _path(node: Node, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in PATHS:
        raise ValueError(f"path: must be one of {', '.join(PATHS)}")
    return value


def _committed(node: Node, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in node.children:
        raise ValueError(f"committed: {value!r} is not an option of {node.id}")
    return value


#: Node fields whose value the editor offers from a set (their text is not free).
_NODE_CHOICES: dict[str, Callable[[Node, Any], Any]] = {"kind": _kind, "path": _path, "committed": _committed}


def node_value(plan, node: Node, name: str, value: Any) -> Any:
    """The value ``value`` as node field ``name`` holds it (ValueError when it cannot)."""
    choice = _NODE_CHOICES.get(name)
    if choice is not None:
        return choice(node, value)
    reader = _READERS.get(NODE_FIELD_KINDS.get(name, ""))
    if reader is None:
        raise ValueError(f"unknown node field {name!r}")
    return reader(value, name)


def response_value(name: str, value: Any) -> Any:
    """The value ``value`` as response field ``name`` holds it (ValueError when it cannot)."""
    reader = _READERS.get(RESPONSE_FIELD_KINDS.get(name, ""))
    if reader is None:
        raise ValueError(f"unknown response field {name!r}")
    return reader(value, name)


def plan_value(name: str, value: Any) -> Any:
    """The value ``value`` as plan field ``name`` holds it (ValueError when it cannot)."""
    if name in ("title", "description", "value_unit"):
        return as_text(value, name)
    if name == "objective":
        if value not in OBJECTIVES:
            raise ValueError(f"objective: must be one of {', '.join(OBJECTIVES)}")
        return value
    if name == "variables":
        return _as_variables(value, name)
    if name == "rule":
        if value not in RULES:
            raise ValueError(f"rule: must be one of {', '.join(RULES)}")
        return value
    if name == "criteria":
        return _as_criteria(value)
    if name == "weight":
        weight = as_float(value, name, minimum=0.0) if not _is_infinity(value) else math.inf
        return weight
    if name == "weight_range":
        if value is None:
            return None
        low, high = (math.inf if _is_infinity(v) else as_float(v, name, minimum=0.0) for v in value)
        if low > high:
            raise ValueError("weight_range: low is above high")
        return (low, high)
    raise ValueError(f"unknown plan field {name!r}")


def _is_infinity(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("infinity", "inf")
    return isinstance(value, float) and value == math.inf


def _as_criteria(value: Any) -> list:
    """One or two criteria (copies), each with a name and a sense."""
    if not isinstance(value, (list, tuple)) or len(value) > 2:
        raise ValueError("criteria: expected a list of at most two criteria")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, Criterion):
            raise ValueError(f"criteria[{i}]: expected a criterion")
        if not item.name.strip():
            raise ValueError(f"criteria[{i}].name: a criterion needs a name")
        if item.sense not in OBJECTIVES:
            raise ValueError(f"criteria[{i}].sense: must be one of {', '.join(OBJECTIVES)}")
        out.append(Criterion(item.name.strip(), item.sense, item.unit.strip(), dict(item.extra)))
    return out
