"""Numbers as SilverDecisions writes them, read as floats.

JSON numbers, decimal strings, fractions (``"-12/5"``), mixed numbers
(``"1 3704647/4042689"``) and, for a multi-criteria payoff, the first of a list.
:func:`_plain_number` is the importer's shortcut for the common case, a plain
decimal or a JSON number, read without the general reader's checks.
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

from planning.files.importers.sd_walk import _show
from planning.model.plan import Value

# -- numbers as SilverDecisions writes them ------------------------------------------
_MIXED = re.compile(r"\s*([-+]?)(\d+)\s+(\d+)\s*/\s*(\d+)\s*\Z")
_FRACTION = re.compile(r"\s*([-+]?\d+)\s*/\s*(\d+)\s*\Z")
_DECIMAL = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*\Z")


def parse_number(value) -> float:
    """A number as stored in a SilverDecisions file, as a float.

    Accepts JSON numbers, decimal strings, fractions (``"-12/5"``), mixed
    numbers (``"1 3704647/4042689"``, ``"-4 1/2"`` = -4.5) and a
    multi-criteria list (its first element).

    Raises
    ------
    ValueError
        When ``value`` is none of these or not finite.
    """
    if isinstance(value, list) and value:
        value = value[0]
    number: float | None = None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            if m := _MIXED.match(value):
                exact = int(m.group(2)) + Fraction(int(m.group(3)), int(m.group(4)))
                number = float(-exact if m.group(1) == "-" else exact)
            elif m := _FRACTION.match(value):
                number = float(Fraction(int(m.group(1)), int(m.group(2))))
            elif _DECIMAL.match(value):
                number = float(value)
    except (ValueError, OverflowError, ZeroDivisionError):
        number = None
    if number is None or not math.isfinite(number):
        raise ValueError(f"not a number: {_show(value)}")
    return number


def _number_or_none(value) -> float | None:
    try:
        return parse_number(value)
    except ValueError:
        return None


def _plain_number(raw) -> float | None:
    """A finite JSON number or plain decimal string as a float; None for anything else.

    What :meth:`_Converter.edge_value` returns for these, without its checks
    (anything else, including errors, goes through it). ``float()`` reads what
    ``_DECIMAL`` accepts and also ``1_000``, ``inf`` and ``nan``: those are left out.
    """
    kind = type(raw)
    if kind is str:
        if "_" in raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            return None
    elif kind is float or kind is int:
        if kind is int and not -2**1023 < raw < 2**1023:
            return None
        number = float(raw)
    else:
        return None
    return number if number - number == 0.0 else None  # finite


def _as_value(text: str) -> Value:
    """A plain decimal as a float, anything else as the expression text."""
    number = _decimal(text)
    return text if number is None else number


def _decimal(text: str) -> float | None:
    """A plain decimal string as a finite float, else None.

    ``_DECIMAL`` takes the white space of ``str.isspace``; ``float()`` refuses
    some of it (``"\\x1f"``): such text is not a plain decimal (it was a traceback).
    """
    if _DECIMAL.match(text):
        try:
            number = float(text)
        except ValueError:
            return None
        if math.isfinite(number):
            return number
    return None
