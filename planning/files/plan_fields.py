"""Reading the fields of a plan file: each JSON value checked and typed, or a PlanError
that names the node (id and label) and the field path.

Which kind of value each field holds comes from the one field table of
:mod:`planning.model.fields`, shared with the editor's edits
(:mod:`planning.model.field_values`); this module holds the file's reader for
each kind: strict JSON types, numbers kept exactly as written. Nodes with only
common, plain fields are read without a call per field (:func:`_plain_node`):
that is most of the time of loading a large plan.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from planning.model.errors import PlanError
from planning.model.fields import (
    CRITERION_FIELD_KINDS, DAYS, EXACT_FLOAT_INT, ID_LIST, NODE_FIELD_KINDS, NUMBER, OPTIONAL_TEXT,
    OPTIONAL_VALUE, RANGE, READINESS, RESPONSE_FIELD_KINDS, RESPONSES, TEXT, TEXT_LIST,
    TRACK_FIELD_KINDS, VALUE, VARIABLE_FIELD_KINDS, VARIABLES, exact,
)
from planning.model.plan import TERMINAL, Criterion, Node, Response, Track, Variable

#: How an infinite weight is written (JSON has no Infinity).
INFINITY = "Infinity"


# -- field converters: (value, owner id, field path) -> model value ----------------------

def _describe(value: Any) -> str:
    """A short, quoted rendering of a bad value for messages."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value)


def _text(value, owner, field):
    if type(value) is str:
        return value
    raise PlanError(owner, field, f"must be text, got {_describe(value)}")


def _number(value, owner, field):
    """A finite number: a float, or an int beyond 2**53 kept exact (it is saved digit for digit)."""
    if type(value) is float or type(value) is int:
        try:
            if math.isfinite(value):
                return exact(value)
        except OverflowError:  # an int beyond float range
            pass
        raise PlanError(owner, field, f"must be a finite number, got {_describe(value)}")
    raise PlanError(owner, field, f"must be a number, got {_describe(value)}")


def _value(value, owner, field):
    """A number (kept as float) or an expression / ``"#"`` (kept as written)."""
    if type(value) is str:
        return value
    if type(value) is float or type(value) is int:
        return _number(value, owner, field)
    raise PlanError(owner, field, f"must be a number or an expression, got {_describe(value)}")


def _optional(convert: Callable) -> Callable:
    """The converter, or None for a JSON null."""
    return lambda value, owner, field: None if value is None else convert(value, owner, field)


def _range(value, owner, field):
    if type(value) is not list or len(value) != 2:
        raise PlanError(owner, field, f"must be a list [low, high], got {_describe(value)}")
    return (_number(value[0], owner, f"{field}[0]"), _number(value[1], owner, f"{field}[1]"))


def _list_of(items: str, item: str, accept: Callable[[Any], bool]) -> Callable:
    """A converter for a list (of ``items``) whose every ``item`` passes ``accept``."""
    def convert(value, owner, field):
        if type(value) is not list:
            raise PlanError(owner, field, f"must be a list{items}, got {_describe(value)}")
        for i, element in enumerate(value):
            if not accept(element):
                raise PlanError(owner, f"{field}[{i}]", f"must be {item}, got {_describe(element)}")
        return value
    return convert


_text_list = _list_of(" of text", "text", lambda item: type(item) is str)
_id_list = _list_of(" of node ids", "a node id (text)", lambda item: type(item) is str and item != "")
_object_list = _list_of("", "an object", lambda item: type(item) is dict)


def _readiness(value, owner, field):
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise PlanError(owner, field, f"must be an integer 0..4, got {_describe(value)}")


def _required_id(raw: dict, key: str, owner, field: str) -> str:
    value = raw.get(key)
    if type(value) is not str or not value:
        message = "is missing" if value is None else f"must be non-empty text, got {_describe(value)}"
        raise PlanError(owner, field, message)
    return value


def _records(cls: type, key: str, converters: dict) -> Callable:
    """A converter for a list of objects (variables, responses, tracks) into ``cls``."""
    def convert(value, owner, field):
        result = []
        for i, raw in enumerate(_object_list(value, owner, field)):
            prefix = f"{field}[{i}]."
            kwargs: dict = {key: _required_id(raw, key, owner, prefix + key), "extra": {}}
            for name, item in raw.items():
                if name in converters:
                    kwargs[name] = converters[name](item, owner, prefix + name)
                elif name != key:
                    kwargs["extra"][name] = item
            result.append(cls(**kwargs))
        return result
    return convert


#: How a file's field is read, by the kind the one field table gives it
#: (planning.model.fields; an edit reads the same kinds in planning.model.field_values).
_READERS: dict[str, Callable] = {
    TEXT: _text, OPTIONAL_TEXT: _optional(_text), VALUE: _value, OPTIONAL_VALUE: _optional(_value),
    NUMBER: _number, DAYS: _optional(_number), RANGE: _optional(_range), TEXT_LIST: _text_list,
    ID_LIST: _id_list, READINESS: _readiness,
}


def _readers(kinds: dict[str, str]) -> dict[str, Callable]:
    return {name: _READERS[kind] for name, kind in kinds.items()}


_variables = _records(Variable, "name", _readers(VARIABLE_FIELD_KINDS))
_responses = _records(Response, "id", _readers(RESPONSE_FIELD_KINDS))
_tracks = _records(Track, "id", _readers(TRACK_FIELD_KINDS))
_READERS[VARIABLES], _READERS[RESPONSES] = _variables, _responses
_NODE_FIELDS = _readers(NODE_FIELD_KINDS)


def _weight(value, owner, field):
    """A weight: a number >= 0, or "Infinity" (criterion 1 alone)."""
    if type(value) is str and value.strip().lower() in ("infinity", "inf", "+infinity"):
        return math.inf
    number = _number(value, owner, field)
    if number < 0:
        raise PlanError(owner, field, f"must be 0 or more, got {_describe(value)}")
    return float(number)


def _weight_range(value, owner, field):
    if type(value) is not list or len(value) != 2:
        raise PlanError(owner, field, f"must be a list [low, high], got {_describe(value)}")
    low, high = _weight(value[0], owner, f"{field}[0]"), _weight(value[1], owner, f"{field}[1]")
    if low > high:
        raise PlanError(owner, field, f"low {_out_weight(low)} is above high {_out_weight(high)}")
    return (low, high)


def _out_weight(value: float):
    return INFINITY if value == math.inf else _out(value)


_criteria = _records(Criterion, "name", _readers(CRITERION_FIELD_KINDS))


def _criteria_list(value, owner, field):
    criteria = _criteria(value, owner, field)
    if len(criteria) > 2:
        raise PlanError(owner, field, f"at most two criteria, got {len(criteria)}")
    return criteria


#: Fields a node commonly has, all plain values: a node with no other field is read
#: by :func:`_plain_node` without a call per field.
_PLAIN_NODE_KEYS = frozenset({"id", "kind", "label", "notes", "children", "payoff", "probability",
                              "path", "warning_days", "committed", "payoff2"})


def _node_from_dict(raw: Any, index: int) -> Node:
    if type(raw) is not dict:
        raise PlanError(None, f"nodes[{index}]", f"must be an object, got {_describe(raw)}")
    node_id = raw.get("id")
    if type(node_id) is not str or not node_id:
        node_id = _required_id(raw, "id", None, f"nodes[{index}].id")
    elif raw.keys() <= _PLAIN_NODE_KEYS:
        node = _plain_node(raw, node_id)
        if node is not None:
            return node
    try:
        return _node_fields(raw, node_id)
    except PlanError as exc:  # name the node by its label too, when it has a readable one
        label = raw.get("label")
        if exc.label is not None or type(label) is not str or exc.node_id != node_id:
            raise
        raise PlanError(exc.node_id, exc.field, exc.message, label=label) from None


def _plain_node(raw: dict, node_id: str) -> Node | None:
    """The node, when each of its fields (all of :data:`_PLAIN_NODE_KEYS`) holds what
    :data:`_NODE_FIELDS` takes as is; None otherwise (:func:`_node_fields` then reads
    it, and words what is wrong). Loading a large plan is mostly this function.
    """
    get = raw.get
    kind, label, notes = get("kind", TERMINAL), get("label", ""), get("notes", "")
    path, committed = get("path"), get("committed")
    if not (type(kind) is str and type(label) is str and type(notes) is str
            and (path is None or type(path) is str) and (committed is None or type(committed) is str)):
        return None
    children = get("children")
    if children is None:
        if "children" in raw:  # null: a list is required
            return None
        children = []
    elif type(children) is list:
        for child in children:
            if type(child) is not str or not child:
                return None
    else:
        return None
    payoff, payoff2 = get("payoff", 0.0), get("payoff2", 0.0)
    probability, warning_days = get("probability"), get("warning_days")
    # Numbers: finite floats as they are, ints a float holds exactly as floats; the
    # rest (bools, nulls where not allowed, huge ints, non-finite) by _node_fields.
    kind_of = type(payoff)
    if kind_of is float:
        if payoff - payoff != 0:
            return None
    elif kind_of is int and -EXACT_FLOAT_INT <= payoff <= EXACT_FLOAT_INT:
        payoff = float(payoff)
    elif kind_of is not str:
        return None
    kind_of = type(probability)
    if kind_of is float:
        if probability - probability != 0:
            return None
    elif kind_of is int and -EXACT_FLOAT_INT <= probability <= EXACT_FLOAT_INT:
        probability = float(probability)
    elif kind_of is not str and probability is not None:
        return None
    if warning_days is not None:
        if type(warning_days) is float:
            if warning_days - warning_days != 0:
                return None
        elif type(warning_days) is int and -EXACT_FLOAT_INT <= warning_days <= EXACT_FLOAT_INT:
            warning_days = float(warning_days)
        else:
            return None
    if type(payoff2) is not float or payoff2 - payoff2 != 0:  # rare: the general reader
        return None
    # Positional, in the field order of Node (a keyword call costs a dict per node).
    return Node(node_id, kind, label, notes, children, payoff, probability, None, None, path, [],
                warning_days, [], committed, [], payoff2, None, {})


def _node_fields(raw: dict, node_id: str) -> Node:
    kwargs: dict = {}
    extra: dict = {}
    for key, value in raw.items():
        convert = _NODE_FIELDS.get(key)
        if convert is not None:
            kwargs[key] = convert(value, node_id, key)
        elif key != "id":
            extra[key] = value
    return Node(id=node_id, extra=extra, **kwargs)


def _out(value):
    """A number as it is written: integral floats as ints, so 200.0 is written 200."""
    if type(value) is float and value.is_integer() and -1e15 < value < 1e15:
        return int(value)
    return value
