"""Indented JSON text for the CLI's ``--json`` output, written fast.

``json.dumps(..., indent=2)`` runs the pure-Python encoder (the C one only
serves compact output): on a 100k-node plan `branchwise evaluate --json`
spent more time writing its answer than evaluating it. :func:`dumps_indented`
gives exactly the same text: the containers whose items are all plain
values (the policy, each priority, each node's figures) go through the C
encoder with ``",\\n" + indent`` as item separator, which is what the
indented layout is for such a container; only the nesting above them is
walked in Python. Anything unusual (non-text keys, tuples, subclasses) is
handed to ``json.dumps`` itself and re-indented, so the text never differs.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)


def dumps_indented(data: Any, default: Callable[[Any], Any] | None = None) -> str:
    """The text of ``json.dumps(data, indent=2, ensure_ascii=False, default=default, allow_nan=False)``.

    Raises the same ``ValueError`` / ``TypeError`` for NaN, infinity or values
    that ``default`` cannot convert.
    """
    encoders: dict[int, json.JSONEncoder] = {}

    def encoder(level: int) -> json.JSONEncoder:
        enc = encoders.get(level)
        if enc is None:
            enc = encoders[level] = json.JSONEncoder(
                ensure_ascii=False, allow_nan=False, default=default,
                separators=(",\n" + "  " * level, ": "))
        return enc

    def slow(value: Any, level: int) -> str:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=default, allow_nan=False)
        return text.replace("\n", "\n" + "  " * level)  # strings hold no raw newline: exact

    def fmt(value: Any, level: int) -> str:
        kind = type(value)
        if kind in _PLAIN_TYPES:
            return encoder(0).encode(value)
        if kind is dict:
            if not value:
                return "{}"
            if not all(type(k) is str for k in value):
                return slow(value, level)
            items = value.values()
        elif kind is list:
            if not value:
                return "[]"
            items = value
        else:
            if isinstance(value, (dict, list, tuple, int, float, str)) or default is None:
                return slow(value, level)
            return fmt(default(value), level)  # e.g. a numpy array -> list
        inner = "  " * (level + 1)
        if all(type(item) in _PLAIN_TYPES for item in items):
            text = encoder(level + 1).encode(value)
            return f"{text[0]}\n{inner}{text[1:-1]}\n{'  ' * level}{text[-1]}"
        key = encoder(0).encode
        sep = ",\n" + inner
        if kind is dict:
            body = sep.join(f"{key(k)}: {fmt(v, level + 1)}" for k, v in value.items())
            return f"{{\n{inner}{body}\n{'  ' * level}}}"
        body = sep.join(fmt(v, level + 1) for v in value)
        return f"[\n{inner}{body}\n{'  ' * level}]"

    return fmt(data, 0)
