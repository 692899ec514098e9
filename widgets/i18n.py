"""Translatable text: ``translate(context, text)``, the one spelling ``pyside6-lupdate`` finds.

``QCoreApplication.translate`` under a short name: user-visible strings of
``app/`` and ``widgets/`` go through it (or ``self.tr`` in a QObject that is
never subclassed), so the catalogue ``resources/translations/branchwise_en.ts``
lists them (``packaging/check.sh translations`` keeps it current). The
context is the class the text belongs to, else the module in CamelCase.
Placeholders are ``%1``, ``%2`` filled with :func:`fill`, so that a
translation may move them.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def QT_TRANSLATE_NOOP(_context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks a string of a table for the catalogue; it is translated where it is shown."""
    return text


def fill(text: str, *values: object) -> str:
    """``"%1 of %2"`` with the values put in (as ``QString.arg`` does)."""
    for k, value in reversed(list(enumerate(values, start=1))):
        text = text.replace(f"%{k}", str(value))
    return text


# -- numbers and dates in the window's locale ----------------------------------
# The file format, the CLI and `--json` never come here: they stay locale-free.

def locale():
    """The locale numbers are shown in: the default QLocale, and for "C" (no
    preference) English with thousands separators, as the app always showed."""
    from PySide6.QtCore import QLocale

    current = QLocale()
    if current.language() == QLocale.Language.C:
        return QLocale("en_US")
    return current


def _localised(text: str) -> str:
    """A number Python wrote ("1,234.5") with the locale's group separator and decimal mark."""
    loc = locale()
    group, point = loc.groupSeparator(), loc.decimalPoint()
    return "".join(group if c == "," else point if c == "." else loc.negativeSign() if c == "-" else c
                   for c in text)


def number(value: float, decimals: int = 0, trim: bool = False) -> str:
    """``value`` with ``decimals`` places, grouped as the locale does; ``trim`` drops trailing zeros.

    Rounded as Python rounds (the same figures as the CLI), written as the locale writes.
    """
    text = f"{float(value):,.{decimals}f}"
    if trim and decimals > 0:
        text = text.rstrip("0").removesuffix(".")
    return _localised(text)


def significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits in the locale (small numbers)."""
    return _localised(f"{float(value):.{digits}g}")


def date_time(seconds: float) -> str:
    """A moment (seconds since the epoch) as the locale writes a short date and time."""
    from PySide6.QtCore import QDateTime, QLocale

    moment = QDateTime.fromSecsSinceEpoch(int(seconds))
    if QLocale().language() == QLocale.Language.C:
        return moment.toString("yyyy-MM-dd HH:mm")  # no preference: ISO, as before
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)
