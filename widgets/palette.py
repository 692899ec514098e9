"""The shared colour palette: one place for what success, failure, ... look like,
in a light and a dark scheme.

Colours are hex strings so that pyqtgraph plots, style sheets and HTML
exports can use them directly; :func:`qcolor` turns one into a ``QColor``.
Both schemes keep the colour-blind-safe choices: success and failure come
from the Okabe–Ito set (bluish green and vermillion differ in hue *and*
lightness for deuteranopes), node kinds differ by shape as well as by colour,
and every text colour meets WCAG AA on its scheme's backgrounds (checked by
tests/test_theme.py with :func:`contrast`).

Reading a colour: ``palette.TEXT`` is the *current* scheme's text colour (the
module's ``__getattr__`` looks it up), so views that read the palette when
they draw follow the scheme. :func:`set_scheme` switches it and emits
:func:`notifier`'s ``changed`` signal: views redraw from there. Exports are
documents and stay light: they draw inside ``with palette.using("light"):``.
"""
from __future__ import annotations

import contextlib
from typing import Iterator

LIGHT: dict[str, str] = {
    # -- background and text --------------------------------------------------
    "BACKGROUND": "#ffffff",
    "SURFACE": "#f6f8fa",       # window chrome, docks, the presenter's page
    "TEXT": "#1f2328",          # body text, ~16:1 on white
    "TEXT_MUTED": "#57606a",    # secondary text (numbers on edges, off-policy options), ~6:1
    "GRID": "#d0d7de",
    "BORDER": "#8c959f",        # outlines of fields and cards: 3:1 as a graphic
    "SELECTION": "#0969da",     # selection outline / focus ring
    "SELECTION_TEXT": "#ffffff",
    "LABEL_BACKGROUND": "#ffffffd9",  # translucent page behind labels over lines
    "LINK": "#0969da",
    "ERROR_TEXT": "#c62828",
    "WARNING_BACKGROUND": "#fff8c5",  # the merge-conflicts banner
    "WARNING_BORDER": "#d4a72c",
    "ADDED_TEXT": "#1a7f37",
    "REMOVED_TEXT": "#cf222e",
    "CHOSEN_BACKGROUND": "#dafbe1",   # the conflict dialog's chosen side
    # -- branch paths ----------------------------------------------------------
    "SUCCESS": "#009e73",       # Okabe–Ito bluish green
    "FAILURE": "#d55e00",       # Okabe–Ito vermillion
    "NEUTRAL": "#8c959f",       # mid grey
    # Darker variants for *text* in these colours (>= 4.5:1 on white).
    "SUCCESS_TEXT": "#00704f",
    "FAILURE_TEXT": "#a84400",
    "NEUTRAL_TEXT": "#57606a",
    # -- node kinds ------------------------------------------------------------
    "DECISION": "#0072b2",      # Okabe–Ito blue (squares)
    "CHANCE": "#e69f00",        # Okabe–Ito orange (circles)
    "TERMINAL": "#6e7781",      # slate grey (triangles)
    "OPTION_EDGE": "#8c959f",   # edges from a decision to its options: no path colour
    "NODE_OUTLINE": "#24292f",
    "BADGE_RING": "#ffffff",    # ring that lifts a badge off the lines under it
    "ON_NODE": "#ffffff",       # the "collapsed" mark drawn on a node's fill
    # -- readiness badges (planning.engine.readiness) --------------------------------
    "BADGE_NONE": "#8c959f",    # no response prepared: grey
    "BADGE_LATE": "#cf222e",    # a response takes longer than the warning: red
    "BADGE_PARTIAL": "#bf8700", # something prepared, not ready: amber
    "BADGE_READY": "#1a7f37",   # a ready response: green
    "AMBER_TEXT": "#8a5c00",    # amber that still reads as text (also on the presenter page)
    "ON_BADGE": "#ffffff",      # text on a late / ready badge or a path-coloured band
    "ON_BADGE_NONE": "#1f2328",     # text on the grey "no response" badge
    "ON_BADGE_PARTIAL": "#1f2328",  # text on the amber "partial" badge
    # -- presenter -------------------------------------------------------------
    "PAGE": "#f3f5f7",
    "CARD": "#ffffff",
    "HIDDEN_CARD": "#e6eaef",
    "HIDDEN_NUMBER": "#6e7781",
}

DARK: dict[str, str] = {
    "BACKGROUND": "#16191d",
    "SURFACE": "#202429",
    "TEXT": "#e6edf3",
    "TEXT_MUTED": "#9ea8b3",
    "GRID": "#3a4048",
    "BORDER": "#6e7781",
    "SELECTION": "#4493f8",
    "SELECTION_TEXT": "#0d1117",
    "LABEL_BACKGROUND": "#16191dd9",
    "LINK": "#58a6ff",
    "ERROR_TEXT": "#ff7b72",
    "WARNING_BACKGROUND": "#3b2e0a",
    "WARNING_BORDER": "#9e6a03",
    "ADDED_TEXT": "#3fb950",
    "REMOVED_TEXT": "#ff7b72",
    "CHOSEN_BACKGROUND": "#163d24",
    "SUCCESS": "#19b489",
    "FAILURE": "#e8731f",
    "NEUTRAL": "#768390",       # darker than success's green for deuteranopes too
    "SUCCESS_TEXT": "#3fcf9f",
    "FAILURE_TEXT": "#ff9457",
    "NEUTRAL_TEXT": "#9ea8b3",
    "DECISION": "#56b4e9",      # Okabe–Ito sky blue: the dark page needs a lighter blue
    "CHANCE": "#e69f00",
    "TERMINAL": "#8b949e",
    "OPTION_EDGE": "#768390",
    "NODE_OUTLINE": "#0d1117",
    "BADGE_RING": "#16191d",
    "ON_NODE": "#0d1117",
    "BADGE_NONE": "#768390",
    "BADGE_LATE": "#f85149",
    "BADGE_PARTIAL": "#d29922",
    "BADGE_READY": "#3fb950",
    "AMBER_TEXT": "#e3b341",
    "ON_BADGE": "#0d1117",
    "ON_BADGE_NONE": "#0d1117",
    "ON_BADGE_PARTIAL": "#0d1117",
    "PAGE": "#101317",
    "CARD": "#1c2026",
    "HIDDEN_CARD": "#262b32",
    "HIDDEN_NUMBER": "#8b949e",
}

#: Cycle for series in plots (Okabe–Ito order, black left out). Each is a
#: graphic at >= 3:1 on its page: on white the orange, sky blue and yellow
#: are darkened; on the dark page the dark blue becomes sky blue.
SERIES_LIGHT: tuple[str, ...] = ("#0072b2", "#b77800", "#009e73", "#d55e00", "#cc79a7", "#2f8fc4", "#8f8400")
SERIES_DARK: tuple[str, ...] = ("#56b4e9", "#e69f00", "#19b489", "#e8731f", "#cc79a7", "#0a9bd6", "#f0e442")

SCHEMES: dict[str, dict[str, str]] = {"light": LIGHT, "dark": DARK}
_SERIES: dict[str, tuple[str, ...]] = {"light": SERIES_LIGHT, "dark": SERIES_DARK}
_current = "light"
_notifier = None


def scheme() -> str:
    """The current scheme's name: ``"light"`` or ``"dark"``."""
    return _current


def colours(name: str | None = None) -> dict:
    """Every colour of a scheme (the current one by default), with the derived tables."""
    name = name or _current
    base = SCHEMES[name]
    table: dict = dict(base)
    table["PATH_COLORS"] = {"success": base["SUCCESS"], "failure": base["FAILURE"], "neutral": base["NEUTRAL"]}
    table["PATH_TEXT_COLORS"] = {"success": base["SUCCESS_TEXT"], "failure": base["FAILURE_TEXT"],
                                 "neutral": base["NEUTRAL_TEXT"]}
    table["KIND_COLORS"] = {"decision": base["DECISION"], "chance": base["CHANCE"], "terminal": base["TERMINAL"]}
    table["BADGE_COLORS"] = {"none": base["BADGE_NONE"], "late": base["BADGE_LATE"],
                             "partial": base["BADGE_PARTIAL"], "ready": base["BADGE_READY"]}
    table["ON_BADGE_COLORS"] = {"none": base["ON_BADGE_NONE"], "late": base["ON_BADGE"],
                                "partial": base["ON_BADGE_PARTIAL"], "ready": base["ON_BADGE"]}
    table["SERIES"] = _SERIES[name]
    return table


_tables: dict[str, dict] = {name: colours(name) for name in SCHEMES}


def __getattr__(name: str):
    """``palette.TEXT`` and friends: the current scheme's value (module ``__getattr__``)."""
    try:
        return _tables[_current][name]
    except KeyError:
        raise AttributeError(f"module 'widgets.palette' has no attribute {name!r}") from None


def set_scheme(name: str) -> bool:
    """Switch to the ``"light"`` or ``"dark"`` scheme; True (and ``changed`` emitted) if it changed."""
    global _current
    if name not in SCHEMES:
        raise ValueError(f"unknown colour scheme {name!r}")
    if name == _current:
        return False
    _current = name
    if _notifier is not None:
        _notifier.changed.emit(name)
    return True


@contextlib.contextmanager
def using(name: str) -> Iterator[None]:
    """Draw in scheme ``name`` for the block (exports: documents stay light), silently.

    No signal is emitted: views on screen keep what they show.
    """
    global _current
    before, _current = _current, name
    try:
        yield
    finally:
        _current = before


def notifier():
    """The QObject whose ``changed(str)`` signal says the scheme changed (made on first use)."""
    global _notifier
    if _notifier is None:
        from PySide6.QtCore import QObject, Signal  # lazy: palette is importable without Qt

        class _Notifier(QObject):
            changed = Signal(str)

        _notifier = _Notifier()
        _notifier.changed.connect(_restyle_all)  # style sheets made by styled()
        _notifier.changed.connect(_tell_listeners)  # views registered with on_change()
    return _notifier


def fill(template: str) -> str:
    """``template`` with ``{NAME}`` replaced by the current scheme's colours (QSS braces doubled)."""
    return template.format(**{k: v for k, v in _tables[_current].items() if isinstance(v, str)})


def styled(widget, template: str) -> None:
    """Give ``widget`` the style sheet ``template`` in the current scheme, and again on each change.

    ``styled(label, "color: {ERROR_TEXT};")``: the template is kept with the
    widget and filled anew when the scheme changes (until the widget is destroyed).
    """
    notifier()  # make sure the restyling handler is connected
    key = id(widget)
    if key not in _styled:
        widget.destroyed.connect(lambda *_a, k=key: _styled.pop(k, None))
    _styled[key] = (widget, template)
    widget.setStyleSheet(fill(template) if template else "")


#: id -> (widget, template) of the widgets styled() keeps in the scheme.
_styled: dict[int, tuple] = {}


def _restyle_all(_name: str = "") -> None:
    from shiboken6 import isValid

    for key, (widget, template) in list(_styled.items()):
        if not isValid(widget):
            _styled.pop(key, None)
        elif template:
            widget.setStyleSheet(fill(template))


def on_change(owner, slot) -> None:
    """Call ``slot()`` when the scheme changes, for as long as the QObject ``owner`` lives."""
    notifier()
    key = id(owner)
    if key not in _listeners:
        owner.destroyed.connect(lambda *_a, k=key: _listeners.pop(k, None))
        _listeners[key] = (owner, [])
    _listeners[key][1].append(slot)


#: id -> (owner, slots) of the views that redraw on a scheme change.
_listeners: dict[int, tuple] = {}


def _tell_listeners(_name: str = "") -> None:
    from shiboken6 import isValid

    for key, (owner, slots) in list(_listeners.items()):
        if not isValid(owner):
            _listeners.pop(key, None)
            continue
        for slot in slots:
            slot()


def qcolor(hex_color: str, alpha: int | None = None):
    """A ``QColor`` for a palette entry.

    Parameters
    ----------
    hex_color : str
        ``"#rrggbb"`` or ``"#rrggbbaa"``.
    alpha : int, optional
        Override the alpha channel (0..255).

    Returns
    -------
    PySide6.QtGui.QColor
    """
    from PySide6.QtGui import QColor  # lazy: palette is importable without Qt

    text = hex_color.lstrip("#")
    color = QColor(int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    if len(text) == 8:
        color.setAlpha(int(text[6:8], 16))
    if alpha is not None:
        color.setAlpha(alpha)
    return color


# -- contrast (WCAG 2.1) --------------------------------------------------------

def _rgb(hex_color: str) -> tuple[float, float, float]:
    text = hex_color.lstrip("#")
    return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def blend(over: str, under: str) -> str:
    """``over`` (``#rrggbbaa``) composited on the opaque ``under``: what the eye sees."""
    text = over.lstrip("#")
    alpha = int(text[6:8], 16) / 255 if len(text) == 8 else 1.0
    top, bottom = _rgb(over), _rgb(under)
    mixed = [alpha * t + (1 - alpha) * b for t, b in zip(top, bottom)]
    return "#" + "".join(f"{round(255 * c):02x}" for c in mixed)


def luminance(hex_color: str) -> float:
    """WCAG relative luminance of an opaque colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio (1..21) of two colours; a translucent foreground is blended first."""
    background = blend(background, "#ffffff") if len(background.lstrip("#")) == 8 else background
    foreground = blend(foreground, background)
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
