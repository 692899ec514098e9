"""Importers: files of other decision-tree tools converted to a :class:`~planning.model.plan.Plan`.

Each importer lives in its own module (:mod:`planning.files.importers.silverdecisions`).
This package holds what they share: reading a file within a size limit and
strict JSON that is read without recursion, so a tree nested 100,000 levels
deep loads like any other (the ``json`` module gives up near 1,000 levels).
Files come from other people: nothing in them is ever executed.
"""
from __future__ import annotations

import json
import os
import re
from json.decoder import scanstring
from pathlib import Path

from planning.model.errors import PlanFileError

__all__ = ["MAX_FILE_BYTES", "check_size", "import_silverdecisions", "loads_silverdecisions",
           "plan_from_silverdecisions", "read_json", "read_text", "stored_results"]

#: Files larger than this are refused before they are read. Proportionate to
#: what a plan holds: a SilverDecisions file of a 1M-node tree is 150-170 MB
#: (nested objects, positions, computed values), so 256 MB reads it and still
#: keeps a limit (parsing holds about ten times the file size in memory).
MAX_FILE_BYTES = 256 * 1024 * 1024

_SILVERDECISIONS = ("import_silverdecisions", "loads_silverdecisions",
                    "plan_from_silverdecisions", "stored_results")


def __getattr__(name: str):
    # Lazy, so that the importer modules can import the helpers below.
    if name in _SILVERDECISIONS:
        from planning.files.importers import silverdecisions

        return getattr(silverdecisions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_text(path_or_text, source: str | None = None) -> tuple[str, str, str]:
    """The text of a file given as a path, as bytes or as its content.

    Parameters
    ----------
    path_or_text : str, os.PathLike or bytes
        A path, or the content: bytes, or a str that starts with ``{`` or
        ``[``, spans several lines or is longer than any path.
    source : str, optional
        The name used in messages (default: the file name, or ``<text>``).

    Returns
    -------
    text, source, stem : str
        The decoded text, the name for messages, and the file name without
        its extension ("" when no path was given).

    Raises
    ------
    PlanFileError
        Unreadable, larger than :data:`MAX_FILE_BYTES`, or not UTF-8.
    """
    limit = f"larger than {MAX_FILE_BYTES // 2**20} MB"
    stem = ""
    if isinstance(path_or_text, (bytes, bytearray)):
        source = source or "<bytes>"
        raw = bytes(path_or_text)
    elif isinstance(path_or_text, str) and _looks_like_content(path_or_text):
        source = source or "<text>"
        return check_size(path_or_text, source), source, ""
    elif isinstance(path_or_text, (str, os.PathLike)):
        path = Path(path_or_text)
        source = source or path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise PlanFileError(f"{source}: the file is {limit}")
            with open(path, "rb") as stream:
                # A pipe or a device says size 0: read no more than the limit allows.
                raw = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise PlanFileError(f"{source}: cannot read the file: {exc.strerror or exc}") from None
        stem = path.stem
    else:
        raise PlanFileError(f"expected a path or the file's content, got {type(path_or_text).__name__}")
    if len(raw) > MAX_FILE_BYTES:
        raise PlanFileError(f"{source}: the file is {limit}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFileError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    return text, source, stem


def check_size(text: str, source: str) -> str:
    """``text`` itself, or PlanFileError when it is longer than :data:`MAX_FILE_BYTES`."""
    if len(text) > MAX_FILE_BYTES:
        raise PlanFileError(f"{source}: the text is larger than {MAX_FILE_BYTES // 2**20} MB")
    return text


def _looks_like_content(text: str) -> bool:
    if "\n" in text or len(text) > 4096:
        return True
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:  # a file may be called "{draft}.json"
        return not Path(text).exists()
    except (OSError, ValueError):
        return True


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_json(text: str, source: str):
    """Strict JSON (no NaN or Infinity), at any depth of nesting.

    Raises
    ------
    PlanFileError
        ``"<source>: not valid JSON at line L, column C: what"``.
    """
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # nested deeper than the json module goes
        return _read_deep_json(text, source)
    except json.JSONDecodeError as exc:
        raise PlanFileError(f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno}: "
                            f"{_json_message(exc.msg)}") from None
    except ValueError as exc:  # NaN/Infinity, integers too long to read
        raise PlanFileError(f"{source}: not valid JSON: {exc}") from None


def _json_message(message: str) -> str:
    """The json module's message without its dangling " at" ("Invalid control character at")."""
    return message[:-3] if message.endswith(" at") else message


#: One JSON token after optional white space: punctuation, a string without
#: escapes, a number, a literal, or any other character (an escaped string
#: starts with it; anything else is an error).
_TOKEN = re.compile(r'[ \t\n\r]*(?:([{}\[\]:,])|"([^"\\\x00-\x1f]*)"'
                    r'|(-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?)|(true|false|null)|(.))?', re.S)
_LITERALS = {"true": True, "false": False, "null": None}
# What the parser expects next, and what it says when that is missing.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _AFTER, _END = range(7)
_EXPECTING = ("Expecting value", "Expecting value", "Expecting property name enclosed in double quotes",
              "Expecting property name enclosed in double quotes", "Expecting ':' delimiter",
              "Expecting ',' delimiter", "Extra data")


def _read_deep_json(text: str, source: str):
    """Strict JSON like ``json.loads``, with an explicit stack instead of recursion."""
    def fail(message: str, pos: int):
        line = text.count("\n", 0, pos) + 1
        column = pos - text.rfind("\n", 0, pos)
        raise PlanFileError(f"{source}: not valid JSON at line {line}, column {column}: "
                            f"{_json_message(message)}")

    containers: list = []  # the open objects and arrays, innermost last
    keys: list = []  # the pending key of each open object (None for arrays)
    state, pos, result = _VALUE, 0, None
    match = _TOKEN.match
    while True:
        token = match(text, pos)
        group = token.lastindex
        if group is None:  # only white space is left
            if state == _END:
                return result
            fail(_EXPECTING[state], token.end())
        start, pos = token.start(group), token.end()
        if state == _END:
            fail("Extra data", start)
        punct, plain, number, fraction, exponent, word, other = token.groups()
        is_text = False
        if punct is not None:
            if punct == "{" or punct == "[":
                if state != _VALUE and state != _VALUE_OR_CLOSE:
                    fail(_EXPECTING[state], start)
                containers.append({} if punct == "{" else [])
                keys.append(None)
                state = _KEY_OR_CLOSE if punct == "{" else _VALUE_OR_CLOSE
                continue
            if punct == ":":
                if state != _COLON:
                    fail(_EXPECTING[state], start)
                state = _VALUE
                continue
            if punct == ",":
                if state != _AFTER:
                    fail(_EXPECTING[state], start)
                state = _KEY if type(containers[-1]) is dict else _VALUE
                continue
            closes_object = punct == "}"
            if not containers or (type(containers[-1]) is dict) != closes_object or state not in (
                    _AFTER, _KEY_OR_CLOSE if closes_object else _VALUE_OR_CLOSE):
                fail(_EXPECTING[state], start)
            value = containers.pop()
            keys.pop()
        else:
            if plain is not None:
                value, is_text = plain, True
            elif number is not None:
                value = float(number) if fraction or exponent else int(number)
            elif word is not None:
                value = _LITERALS[word]
            elif other == '"':
                try:
                    value, pos = scanstring(text, start + 1, True)
                except json.JSONDecodeError as exc:
                    fail(exc.msg, exc.pos)
                is_text = True
            else:
                fail(_EXPECTING[state], start)
            if state == _KEY or state == _KEY_OR_CLOSE:
                if not is_text:
                    fail("Expecting property name enclosed in double quotes", start)
                keys[-1] = value
                state = _COLON
                continue
            if state != _VALUE and state != _VALUE_OR_CLOSE:
                fail(_EXPECTING[state], start)
        # A complete value: it goes into the innermost open container.
        if not containers:
            result, state = value, _END
            continue
        container = containers[-1]
        if type(container) is dict:
            container[keys[-1]] = value
        else:
            container.append(value)
        state = _AFTER
