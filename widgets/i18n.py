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
