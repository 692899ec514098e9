"""The ``--json`` text of large results, written without the pure-Python encoder.

``json.dumps(..., indent=2)`` walks its input with the pure-Python encoder (the C one does
no indentation before Python 3.13): for the policy and priority list of a 100k-node plan
that is a tenth of ``branchwise evaluate --json``. :func:`dumps` writes exactly the same
text with one call per value, and hands anything it does not know (a NaN, an object that
needs ``default``) back to :func:`app.cli._dump`, which then words the error as before.
"""
from __future__ import annotations

from json.encoder import encode_basestring

__all__ = ["dumps"]

_INDENT = "  "


class _Unusual(Exception):
    """A value :func:`dumps` leaves to the standard encoder."""


def _text(value, level: int) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unusual
        return float.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is dict:
        if not value:
            return "{}"
        inner = "\n" + _INDENT * (level + 1)
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            parts.append(f"{encode_basestring(key)}: {_text(item, level + 1)}")
        return "{" + inner + ("," + inner).join(parts) + "\n" + _INDENT * level + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = "\n" + _INDENT * (level + 1)
        return "[" + inner + ("," + inner).join([_text(item, level + 1) for item in value]) \
            + "\n" + _INDENT * level + "]"
    raise _Unusual


def dumps(data) -> str:
    """``app.cli._dump(data)``: the same text (two-space indent, UTF-8 as is, no NaN).

    Parameters
    ----------
    data
        Dicts with text keys, lists, text, numbers, booleans and None.

    Returns
    -------
    str
        What ``json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)`` returns;
        for any other value, whatever :func:`app.cli._dump` returns or raises.
    """
    try:
        return _text(data, 0)
    except (_Unusual, RecursionError):
        from app.cli import _dump

        return _dump(data)
