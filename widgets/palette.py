"""The shared colour palette: one place for what success, failure, ... look like.

Colours are hex strings so that pyqtgraph plots, style sheets and HTML
exports can use them directly; :func:`qcolor` turns one into a ``QColor``.
They are chosen to read on a light (white) background and to stay apart for
the common forms of colour blindness: success and failure come from the
Okabe–Ito set (bluish green and vermillion differ in hue *and* lightness for
deuteranopes), and node kinds differ by shape as well as by colour.
"""
from __future__ import annotations

# -- background and text -----------------------------------------------------
BACKGROUND = "#ffffff"
TEXT = "#1f2328"            # body text, ~16:1 on white
TEXT_MUTED = "#57606a"      # secondary text (numbers on edges), ~6:1 on white
GRID = "#d0d7de"
SELECTION = "#0969da"       # selection outline / focus ring
LABEL_BACKGROUND = "#ffffffd9"  # translucent white behind labels over lines

# -- branch paths ------------------------------------------------------------
SUCCESS = "#009e73"         # Okabe–Ito bluish green
FAILURE = "#d55e00"         # Okabe–Ito vermillion
NEUTRAL = "#8c959f"         # mid grey
#: Darker variants for *text* in these colours (contrast >= 4.5:1 on white).
SUCCESS_TEXT = "#00704f"
FAILURE_TEXT = "#a84400"
NEUTRAL_TEXT = "#57606a"

PATH_COLORS: dict[str, str] = {"success": SUCCESS, "failure": FAILURE, "neutral": NEUTRAL}
PATH_TEXT_COLORS: dict[str, str] = {
    "success": SUCCESS_TEXT,
    "failure": FAILURE_TEXT,
    "neutral": NEUTRAL_TEXT,
}

# -- node kinds --------------------------------------------------------------
DECISION = "#0072b2"        # Okabe–Ito blue (squares)
CHANCE = "#e69f00"          # Okabe–Ito orange (circles)
TERMINAL = "#6e7781"        # slate grey (triangles)
#: Edges from a decision to its options: not a branch, so no path colour.
OPTION_EDGE = "#9aa4ae"
NODE_OUTLINE = "#24292f"

KIND_COLORS: dict[str, str] = {"decision": DECISION, "chance": CHANCE, "terminal": TERMINAL}

# -- readiness badges (branch readiness: see planning.readiness) --------------
BADGE_NONE = "#afb8c1"      # no response prepared: light grey
BADGE_LATE = "#cf222e"      # a response takes longer than the warning: red
BADGE_PARTIAL = "#d4a72c"   # something prepared, not ready: amber
BADGE_READY = "#1a7f37"     # a ready response: green

BADGE_COLORS: dict[str, str] = {
    "none": BADGE_NONE,
    "late": BADGE_LATE,
    "partial": BADGE_PARTIAL,
    "ready": BADGE_READY,
}

#: Cycle for series in plots (Okabe–Ito order, black left out).
SERIES: tuple[str, ...] = (
    "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442",
)


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
